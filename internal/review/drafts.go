package review

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

// maxTextChars bounds a draft's text, in characters as people count
// them; no platform takes more.
const maxTextChars = 65536

// tooLong says whether text has more than maxTextChars characters.
func tooLong(text string) bool {
	return len(text) > maxTextChars && utf8.RuneCountInString(text) > maxTextChars
}

// check runs the checker on text as the account would post it.
func (s *Service) check(acc *model.Account, text string) model.Report {
	return s.Checker.Check(model.Draft{Text: text, Platform: acc.Platform,
		Account: model.DraftAccount{Kind: acc.Kind, Handle: acc.Handle, Project: acc.Project}})
}

// clauses lists the distinct clauses of r's findings, for the queue filter.
func clauses(r *model.Report) []string {
	out := []string{}
	for _, f := range r.Findings {
		if f.Clause != "" && !slices.Contains(out, f.Clause) {
			out = append(out, f.Clause)
		}
	}
	return out
}

func (s *Service) checklistItems() []policy.ChecklistItem {
	return s.Checker.Pack().Checklist
}

// validChecklist refuses ids the pack's checklist does not have.
func (s *Service) validChecklist(ids []string) ([]string, error) {
	out := []string{}
	for _, id := range ids {
		if !slices.ContainsFunc(s.checklistItems(), func(c policy.ChecklistItem) bool { return c.ID == id }) {
			return nil, invalid("draft.checklist_unknown", "unknown checklist item %q", id)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func validText(text string) error {
	if strings.TrimSpace(text) == "" {
		return invalid("draft.text_empty", "the text is empty")
	}
	if tooLong(text) {
		return invalid("draft.text_long", "the text has %d characters; at most %d are allowed", utf8.RuneCountInString(text), maxTextChars)
	}
	return nil
}

// mayWriteFor: admins, and the account's managers (not auditors).
func mayWriteFor(u *model.User, acc *model.Account) bool {
	return u != nil && u.Role != model.RoleAuditor && (u.Role == model.RoleAdmin || acc.ManagedBy(u))
}

// Preview checks text as acc would post it, for the editor's live findings.
func (s *Service) Preview(ctx context.Context, u *model.User, accountID int64, text string) (model.Report, error) {
	acc, err := s.Store.Account(ctx, accountID)
	if err != nil {
		return model.Report{}, err
	}
	if !mayWriteFor(u, acc) {
		return model.Report{}, errs.Errorf(errs.Forbidden, "draft.you_do_not_manage", "you do not manage this account")
	}
	if tooLong(text) {
		return model.Report{}, invalid("draft.text_long", "the text has %d characters; at most %d are allowed", utf8.RuneCountInString(text), maxTextChars)
	}
	return s.check(acc, text), nil
}

// Create stores a new draft for an account u manages, checked.
func (s *Service) Create(ctx context.Context, a model.Actor, u *model.User, in DraftInput) (*DraftView, error) {
	acc, err := s.Store.Account(ctx, in.AccountID)
	if err != nil {
		return nil, err
	}
	if !mayWriteFor(u, acc) {
		return nil, errs.Errorf(errs.Forbidden, "draft.only_the_account_s", "only the account's managers and admins write its drafts")
	}
	if err := acceptsDrafts(acc); err != nil {
		return nil, err
	}
	if err := validText(in.Text); err != nil {
		return nil, err
	}
	ticks, err := s.validChecklist(in.Checklist)
	if err != nil {
		return nil, err
	}
	rep := s.check(acc, in.Text)
	d := &model.StoredDraft{AccountID: acc.ID, AuthorID: u.ID, Text: in.Text, Platform: acc.Platform,
		Checklist: ticks, Version: 1, Status: model.DraftDraft, Report: &rep, ReportVersion: 1}
	err = s.Store.CreateDraft(ctx, a, changeOf(d, acc, "draft.create",
		fmt.Sprintf("draft for %s on %s", acc.Handle, acc.Platform),
		model.DraftEvent{Version: 1, Kind: model.DraftEventCreate, ActorID: u.ID, ActorEmail: u.Email}))
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, u, d.ID)
}

// edited moves d to a new version: a fresh check, approvals void. An
// approved draft goes back to draft; one in review restarts at step 1, and
// the notices returned tell that step's reviewers.
func (s *Service) edited(ctx context.Context, d *model.StoredDraft, acc *model.Account, editor *model.User) ([]model.Notification, error) {
	var notes []model.Notification
	switch d.Status {
	case model.DraftRejected, model.DraftPublished:
		return nil, ErrBadTransition.With("draft.final", "a %s draft cannot change", i18n.Status(d.Status))
	case model.DraftApproved:
		d.Status = model.DraftDraft
	case model.DraftInReview:
		if err := s.enterStep(ctx, d, acc, 1); err != nil {
			return nil, err
		}
		// The first step's reviewers must look again: tell them, but not
		// the editor, who may not decide on what they changed.
		users, err := s.stepReviewers(ctx, d, acc)
		if err != nil {
			return nil, err
		}
		users = slices.DeleteFunc(users, func(r model.User) bool { return r.ID == editor.ID })
		notes = notify.Notes(users, notify.KindReview, fmt.Sprintf("/drafts/%d", d.ID), "",
			"review.edited", acc.Handle, acc.Platform, strconv.Itoa(d.Step))
	}
	d.Version++
	rep := s.check(acc, d.Text)
	d.Report, d.ReportVersion, d.Diff = &rep, d.Version, nil
	d.ApprovedAt, d.ApprovedVersion, d.Escalated = nil, 0, false
	return notes, nil
}

// changeOf is a store change of d with its account's office and clauses.
func changeOf(d *model.StoredDraft, acc *model.Account, action, summary string, evs ...model.DraftEvent) storeChange {
	var cl []string
	if d.Report != nil {
		cl = clauses(d.Report)
	}
	return storeChange{Draft: d, FromVersion: d.Version, FromStatus: d.Status, Office: acc.Office, Clauses: cl,
		Events: evs, Action: action, Summary: summary}
}

// Edit stores new text and checklist ticks. version is the version the
// editor started from (0: not checked); another one is ErrStale.
func (s *Service) Edit(ctx context.Context, a model.Actor, u *model.User, id int64, version int, in DraftInput) (*DraftView, error) {
	d, acc, err := s.load(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !canEdit(u, d, acc) {
		return nil, editRefused(u, d, acc, "draft.only_the_author_edits", "only the author edits a draft")
	}
	if version != 0 && version != d.Version {
		return nil, ErrStale.With("draft.stale_edit", "the draft has changed: you edited version %d, it is at version %d", version, d.Version)
	}
	if err := validText(in.Text); err != nil {
		return nil, err
	}
	ticks, err := s.validChecklist(in.Checklist)
	if err != nil {
		return nil, err
	}
	if in.Text != d.Text && !in.Reticked {
		ticks = []string{} // the ticks were for the old text
	}
	fromV, fromS := d.Version, d.Status
	d.Text, d.Checklist = in.Text, ticks
	notes, err := s.edited(ctx, d, acc, u)
	if err != nil {
		return nil, err
	}
	c := changeOf(d, acc, "draft.edit", fmt.Sprintf("edited draft to version %d", d.Version),
		model.DraftEvent{Version: d.Version, Kind: model.DraftEventEdit, ActorID: u.ID, ActorEmail: u.Email})
	c.FromVersion, c.FromStatus, c.Notify = fromV, fromS, notes
	if err := s.Store.UpdateDraft(ctx, a, c); err != nil {
		return nil, err
	}
	s.wake()
	return s.Get(ctx, u, id)
}

// Versions returns the kept texts of the draft's versions, oldest first,
// for those who may read the draft.
func (s *Service) Versions(ctx context.Context, u *model.User, id int64) ([]store.DraftVersion, error) {
	if _, _, err := s.load(ctx, u, id); err != nil {
		return nil, err
	}
	return s.Store.DraftVersions(ctx, id)
}

// Get returns the draft page's content for u.
func (s *Service) Get(ctx context.Context, u *model.User, id int64) (*DraftView, error) {
	d, acc, err := s.load(ctx, u, id)
	if err != nil {
		return nil, err
	}
	author, err := s.Store.User(ctx, d.AuthorID)
	if err != nil {
		return nil, err
	}
	author.PasswordHash = ""
	evs, err := s.Store.DraftEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	route, err := s.route(ctx, acc.Kind)
	if err != nil {
		return nil, err
	}
	v := &DraftView{Draft: *d, Account: *acc, Author: *author, Events: evs, Checklist: s.checklistItems(), Route: route}
	if err := s.approval(ctx, d); err == nil {
		ttl, err := s.ApprovalTTL(ctx)
		if err != nil {
			return nil, err
		}
		exp := d.ApprovedAt.Add(ttl)
		v.ExpiresAt = &exp
	}
	editable := d.Status != model.DraftRejected && d.Status != model.DraftPublished
	v.CanEdit = canEdit(u, d, acc) && editable
	v.CanSubmit = canEdit(u, d, acc) && (d.Status == model.DraftDraft || d.Status == model.DraftChangesRequested) && acceptsDrafts(acc) == nil
	if v.CanDecide, err = s.mayDecide(ctx, u, d, acc); err != nil {
		return nil, err
	}
	ready := canPost(u, acc) && s.approval(ctx, d) == nil && acceptsDrafts(acc) == nil
	if ready {
		configured, err := s.publishConfigured(ctx, acc)
		if err != nil {
			return nil, err
		}
		v.CanPublish = configured
		// Herald could post there, but nothing is stored to post with:
		// say so, and offer marking as published instead of a failing button.
		v.PublishUnconfigured = !configured && s.Publisher != nil && s.Publisher.Supports(d.Platform)
	}
	v.CanMarkPublished = ready
	return v, nil
}

// Mine returns u's drafts, newest first.
func (s *Service) Mine(ctx context.Context, u *model.User, after string, limit, offset int) ([]model.StoredDraft, int, error) {
	if limit <= 0 {
		limit = 50
	}
	return s.Store.DraftsByAuthor(ctx, u.ID, after, min(limit, 500), offset)
}

// Submit sends a draft to review: every checklist item ticked and consent
// attested for every image showing people.
func (s *Service) Submit(ctx context.Context, a model.Actor, u *model.User, id int64) (*DraftView, error) {
	d, acc, err := s.load(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !canEdit(u, d, acc) {
		return nil, editRefused(u, d, acc, "draft.only_the_author_submits", "only the author submits a draft")
	}
	if d.Status != model.DraftDraft && d.Status != model.DraftChangesRequested {
		return nil, ErrBadTransition.With("draft.not_now", "not possible while the draft is %s", i18n.Status(d.Status))
	}
	if err := acceptsDrafts(acc); err != nil {
		return nil, err
	}
	var missing quotedTexts
	for _, c := range s.checklistItems() {
		if !slices.Contains(d.Checklist, c.ID) {
			missing = append(missing, c.Text)
		}
	}
	if len(missing) > 0 {
		return nil, ErrChecklist.With("draft.checklist_missing", "the checklist is not complete: tick %s", missing)
	}
	for _, im := range d.Images {
		if im.ShowsPeople && im.Consent == nil {
			return nil, ErrConsentRequired.With("draft.consent_missing", "image %s shows people and needs a consent attestation", im.Name)
		}
	}
	c := changeOf(d, acc, "draft.submit", fmt.Sprintf("submitted version %d for review", d.Version),
		model.DraftEvent{Version: d.Version, Kind: model.DraftEventSubmit, ActorID: u.ID, ActorEmail: u.Email})
	now := s.now()
	d.SubmittedAt = &now
	d.Escalated = false
	if err := s.enterStep(ctx, d, acc, 1); err != nil {
		return nil, err
	}
	if c.Notify, err = s.waitingNotes(ctx, d, acc); err != nil {
		return nil, err
	}
	if err := s.Store.UpdateDraft(ctx, a, c); err != nil {
		return nil, err
	}
	s.wake()
	return s.Get(ctx, u, id)
}

// enterStep puts d in review at step n of its account's route. An
// office-lead step of an office without leads goes to the Communications Group.
func (s *Service) enterStep(ctx context.Context, d *model.StoredDraft, acc *model.Account, n int) error {
	route, err := s.route(ctx, acc.Kind)
	if err != nil {
		return err
	}
	who := route[n-1].Who
	if who == model.ReviewerOfficeLead {
		leads, err := s.officeLeads(ctx, acc.Office)
		if err != nil {
			return err
		}
		if len(leads) == 0 {
			who = model.ReviewerCommunications
		}
	}
	d.Status, d.Step, d.StepWho = model.DraftInReview, n, who
	return nil
}

// approval is nil when d is approved in its current version and the
// approval has not expired.
func (s *Service) approval(ctx context.Context, d *model.StoredDraft) error {
	if d.Status != model.DraftApproved || d.ApprovedAt == nil || d.ApprovedVersion != d.Version {
		return ErrNotApproved.With("draft.not_approved_now", "the draft is not approved in its current version: it is %s (version %d)", i18n.Status(d.Status), d.Version)
	}
	ttl, err := s.ApprovalTTL(ctx)
	if err != nil {
		return err
	}
	if !s.now().Before(d.ApprovedAt.Add(ttl)) {
		return ErrApprovalExpired.With("draft.approval_expired_at", "the approval has expired: approved %s, valid for %s", d.ApprovedAt.Format(time.RFC3339), ttl)
	}
	return nil
}

// quotedTexts lists texts of the pack, each in quotes: in English as an
// error's Message, in the reader's language where the error is shown (its
// In method, which the web layer calls on an error's arguments).
type quotedTexts []policy.Text

func (q quotedTexts) In(lang string) string {
	parts := make([]string, len(q))
	for i, t := range q {
		parts[i] = "“" + t.In(lang) + "”"
	}
	return strings.Join(parts, "; ")
}

func (q quotedTexts) String() string { return q.In("en") }
