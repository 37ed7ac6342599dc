package review

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/store"
)

// Decide records a decision on the draft's current step. Approving the
// last step (or a step whose next one is optional and not asked for)
// approves the draft for ApprovalTTL; every decision notifies the author.
func (s *Service) Decide(ctx context.Context, a model.Actor, u *model.User, id int64, dec Decision) (*DraftView, error) {
	d, acc, err := s.load(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if wrote, err := s.wrote(ctx, u, d); err != nil {
		return nil, err
	} else if wrote {
		return nil, ErrSelfApproval
	}
	if d.Status != model.DraftInReview {
		return nil, ErrBadTransition.With("draft.not_now", "not possible while the draft is %s", i18n.Status(d.Status))
	}
	if ok, err := s.mayDecide(ctx, u, d, acc); err != nil {
		return nil, err
	} else if !ok {
		return nil, errs.Errorf(errs.Forbidden, "draft.step_is_for", "step %d is for %s", d.Step,
			i18n.Name{Key: "review.step." + strings.ReplaceAll(d.StepWho, "-", "_"), Code: d.StepWho})
	}
	if dec.Version != 0 && dec.Version != d.Version {
		return nil, ErrStale.With("draft.stale_review", "the draft has changed: you reviewed version %d, it is at version %d", dec.Version, d.Version)
	}
	comment := strings.TrimSpace(dec.Comment)
	ev := model.DraftEvent{Version: d.Version, Step: d.Step, ActorID: u.ID, ActorEmail: u.Email, Comment: comment}
	author, err := s.Store.User(ctx, d.AuthorID)
	if err != nil {
		return nil, err
	}
	var subject []string // the author's notice: its message key, then its args
	switch dec.Decision {
	case "approve":
		if d.Report != nil && d.Report.HasErrors() {
			if !dec.Override || comment == "" {
				return nil, ErrNeedsOverride
			}
			ev.Override = true
		}
		ev.Kind = model.DraftEventApprove
		route, err := s.route(ctx, acc.Kind)
		if err != nil {
			return nil, err
		}
		c := changeOf(d, acc, "draft.approve", "", ev)
		d.Escalated = d.Escalated || dec.Escalate
		next := d.Step + 1
		if next <= len(route) && (!route[next-1].Optional || d.Escalated) {
			if err := s.enterStep(ctx, d, acc, next); err != nil {
				return nil, err
			}
			if c.Notify, err = s.waitingNotes(ctx, d, acc); err != nil {
				return nil, err
			}
			c.Summary = fmt.Sprintf("approved step %d of version %d; now step %d", ev.Step, d.Version, next)
			subject = []string{"draft.step-approved", strconv.Itoa(ev.Step)}
		} else {
			now := s.now()
			d.Status, d.Step, d.StepWho = model.DraftApproved, 0, ""
			d.ApprovedAt, d.ApprovedVersion = &now, d.Version
			c.Summary = fmt.Sprintf("approved version %d", d.Version)
			subject = []string{"draft.approved"}
		}
		if ev.Override {
			c.Summary += " over error findings: " + comment
		}
		return s.decided(ctx, a, u, d, c, author, subject, comment)
	case "request-changes", "reject":
		if comment == "" {
			return nil, ErrReasonRequired.With("draft.reason_missing", "a reason is required: say what must change or why")
		}
		c := changeOf(d, acc, "draft."+dec.Decision, "", ev)
		if dec.Decision == "reject" {
			ev.Kind, d.Status, subject = model.DraftEventReject, model.DraftRejected, []string{"draft.rejected"}
		} else {
			ev.Kind, d.Status, subject = model.DraftEventRequestChanges, model.DraftChangesRequested, []string{"draft.changes-requested"}
		}
		c.Events = []model.DraftEvent{ev}
		c.Summary = fmt.Sprintf("%s on version %d: %s", dec.Decision, d.Version, comment)
		d.Step, d.StepWho, d.Escalated = 0, "", false
		return s.decided(ctx, a, u, d, c, author, subject, comment)
	}
	return nil, invalid("draft.decision", "decision must be approve, request-changes or reject, not %q", dec.Decision)
}

func (s *Service) decided(ctx context.Context, a model.Actor, u *model.User, d *model.StoredDraft, c storeChange, author *model.User, subject []string, comment string) (*DraftView, error) {
	detail := notify.Detail(*author, "decided_by", u.Email, d.Version)
	if comment != "" {
		detail += "\n\n" + comment
	}
	c.Notify = append(c.Notify, note(*author, fmt.Sprintf("/drafts/%d", d.ID), detail, subject[0], subject[1:]...))
	if err := s.Store.UpdateDraft(ctx, a, c); err != nil {
		return nil, err
	}
	s.wake()
	return s.Get(ctx, u, d.ID)
}

// Comment adds a comment to the timeline, optionally anchored to a byte
// range of the current text; the author is notified of others' comments.
func (s *Service) Comment(ctx context.Context, a model.Actor, u *model.User, id int64, body string, start, end *int) (*model.DraftEvent, error) {
	d, _, err := s.load(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if u.Role == model.RoleAuditor {
		return nil, errs.Errorf(errs.Forbidden, "draft.auditor", "auditors only read drafts")
	}
	body = strings.TrimSpace(body)
	if body == "" || tooLong(body) {
		return nil, invalid("draft.comment", "a comment needs text (at most %d characters)", maxTextChars)
	}
	if (start == nil) != (end == nil) {
		return nil, invalid("draft.anchor_incomplete", "an anchor needs both start and end")
	}
	if start != nil {
		if *start < 0 || *start > *end || *end > len(d.Text) ||
			!utf8.ValidString(d.Text[:*start]) || !utf8.ValidString(d.Text[*start:*end]) {
			return nil, invalid("draft.anchor_range", "anchor %d-%d is not a range of the text's characters", *start, *end)
		}
	}
	e := &model.DraftEvent{DraftID: id, Version: d.Version, Kind: model.DraftEventComment, ActorID: u.ID,
		ActorEmail: u.Email, Comment: body, Start: start, End: end}
	var notify []model.Notification
	if u.ID != d.AuthorID {
		author, err := s.Store.User(ctx, d.AuthorID)
		if err != nil {
			return nil, err
		}
		notify = append(notify, note(*author, fmt.Sprintf("/drafts/%d", id), u.Email+": "+body, "draft.comment"))
	}
	if err := s.Store.AddDraftEvent(ctx, a, e, notify, "draft.comment", fmt.Sprintf("comment on version %d", d.Version)); err != nil {
		return nil, err
	}
	s.wake()
	return e, nil
}

// Queue lists the drafts in review that u may decide now, oldest first.
// Admins see every draft in review (but their own); reviewers the
// Communications Group's steps; office leads their offices' lead steps.
func (s *Service) Queue(ctx context.Context, u *model.User, f QueueFilter) ([]QueueItem, int, error) {
	q := store.QueueQuery{ExcludeAuthor: u.ID, AccountID: f.AccountID, Office: f.Office, Clause: f.Clause,
		Limit: f.Limit, Offset: f.Offset, After: f.After}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, 500)
	if u.Role != model.RoleAdmin {
		if u.Role == model.RoleReviewer {
			q.StepWho = []string{model.ReviewerCommunications}
		}
		leads, err := s.OfficeLeads(ctx)
		if err != nil {
			return nil, 0, err
		}
		for office, emails := range leads {
			for _, e := range emails {
				if strings.EqualFold(e, u.Email) {
					q.LeadOffices = append(q.LeadOffices, office)
				}
			}
		}
		if len(q.StepWho) == 0 && len(q.LeadOffices) == 0 {
			return []QueueItem{}, 0, nil
		}
	}
	rows, total, err := s.Store.DraftQueue(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	now := s.now()
	items := make([]QueueItem, 0, len(rows))
	for _, r := range rows {
		it := QueueItem{Draft: r.Draft, Handle: r.Handle, Office: r.Office, Kind: r.Kind, Errors: r.Errors, Warnings: r.Warnings}
		if r.Draft.SubmittedAt != nil {
			it.Waiting = now.Sub(*r.Draft.SubmittedAt)
		}
		items = append(items, it)
	}
	return items, total, nil
}
