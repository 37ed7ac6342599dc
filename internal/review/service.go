// Package review is the life of an official statement (policy 4.5): drafts
// for institutional accounts, their checks, photos and consent, review by a
// route of steps per account kind, approval that expires and is tied to the
// version approved, publishing, and seeking advice (3.4(r)).
package review

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

// Errors of the service that callers test for; the others are
// errs.Forbidden, errs.Invalid and the store's errs.NotFound and
// errs.Conflict. Each carries its kind (internal/errs).
var (
	ErrSelfApproval    = errs.E(errs.Forbidden, "draft.self_approval", "nobody decides on their own draft")
	ErrNeedsOverride   = errs.E(errs.Conflict, "draft.needs_override", "the draft has error findings: approving needs an override with a reason")
	ErrStale           = errs.E(errs.Conflict, "draft.stale", "the draft has changed since that version")
	ErrBadTransition   = errs.E(errs.Conflict, "draft.bad_transition", "not possible in the draft's status")
	ErrNotApproved     = errs.E(errs.Conflict, "draft.not_approved", "the draft is not approved in its current version")
	ErrApprovalExpired = ErrNotApproved.With("draft.approval_expired", "the approval has expired")
	ErrChecklist       = errs.E(errs.Unprocessable, "draft.checklist", "the checklist is not complete")
	ErrConsentRequired = errs.E(errs.Unprocessable, "draft.consent_required", "an image showing people needs a consent attestation")
	ErrReasonRequired  = errs.E(errs.Unprocessable, "draft.reason_required", "a reason is required")
	ErrImageTooLarge   = errs.E(errs.TooLarge, "draft.image_too_large", "the image is too large")
	ErrImageType       = errs.E(errs.Unsupported, "draft.image_type", "only JPEG and PNG images are accepted")
	ErrNoPublisher     = errs.E(errs.Conflict, "draft.no_publisher", "no connector publishes to this platform: mark it published with its URL")
)

// Publisher posts approved drafts to a platform; internal/publish implements it.
type Publisher interface {
	// Publish posts d with its stripped images. It must be idempotent per
	// (draft id, version): a retry after a success finds the same post.
	Publish(ctx context.Context, acc model.Account, d model.StoredDraft, images []Image) (Result, error)
	Supports(platform string) bool
}

// Image is an image as published: the stripped copy.
type Image struct {
	Name, ContentType string
	Data              []byte
}

// Result is where a published post lives.
type Result struct{ URL, ExternalID string }

// Service holds the drafts with their storage.
type storeChange = store.DraftChange

type Service struct {
	Store         *store.Store
	Checker       *check.Checker
	Notify        *notify.Notifier // may be nil: notifications are still written
	Publisher     Publisher        // may be nil: only MarkPublished
	DataDir       string           // "" means ./herald-data
	MaxImageBytes int64            // 0 means 10 MiB
	Now           func() time.Time // nil means time.Now
}

// DraftView is everything the draft page shows.
type DraftView struct {
	Draft     model.StoredDraft
	Account   model.Account
	Author    model.User
	Events    []model.DraftEvent
	Checklist []policy.ChecklistItem
	Route     []model.ReviewStep
	ExpiresAt *time.Time

	CanEdit, CanSubmit, CanDecide, CanPublish, CanMarkPublished bool
	// PublishUnconfigured: the platform has a publisher but the account has
	// no stored credentials, so the draft is posted by hand and marked.
	PublishUnconfigured bool
}

// DraftInput is what an author writes.
type DraftInput struct {
	AccountID int64 // Create only
	Text      string
	Checklist []string
	// Reticked says the Checklist was ticked for this Text (an API call
	// sends both together). Without it, an edit that changes the text
	// clears the ticks: they were given for the old text (the web editor
	// shows the old ticks, and saving them unread must not carry them).
	Reticked bool
}

// Decision is a reviewer's decision on the current step.
type Decision struct {
	Decision string // approve | request-changes | reject
	Comment  string
	Override bool
	Version  int
	Escalate bool
}

// QueueFilter narrows the reviewer queue.
type QueueFilter struct {
	AccountID     int64
	Office        string
	Clause        string
	Limit, Offset int
	After         string // the store.QueueKey of the draft to list after
}

// QueueItem is one draft waiting for the user's decision.
type QueueItem struct {
	Draft                model.StoredDraft
	Handle, Office, Kind string
	Errors, Warnings     int
	Waiting              time.Duration
}

// AdviceInput is a question for the Communications Group.
type AdviceInput struct{ Text, Question, Kind, Platform string }

// AdviceFilter narrows the advice list.
type AdviceFilter struct {
	Mine, Unanswered bool
	Limit, Offset    int
	After            string // the store.IDKey of the question to list after
}

// AdviceStats is how many questions came in and how fast they were answered.
type AdviceStats struct {
	Count, Answered   int
	MedianFirstAnswer time.Duration
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// invalid is a refusal of bad input.
func invalid(key, format string, args ...any) error {
	return errs.Errorf(errs.Invalid, key, format, args...)
}

func isReviewer(u *model.User) bool {
	return u.Role == model.RoleAdmin || u.Role == model.RoleReviewer
}

// leads reports whether u is a lead of office.
func (s *Service) leads(ctx context.Context, u *model.User, office string) (bool, error) {
	if office == "" {
		return false, nil
	}
	emails, err := s.officeLeads(ctx, office)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(emails, func(e string) bool { return strings.EqualFold(e, u.Email) }), nil
}

// canSee says whether u may read d. Those who may not get errs.NotFound,
// so a draft's existence is not revealed to another office.
func (s *Service) canSee(ctx context.Context, u *model.User, d *model.StoredDraft, acc *model.Account) (bool, error) {
	switch {
	case u == nil:
		return false, nil
	case isReviewer(u), u.Role == model.RoleAuditor, d.AuthorID == u.ID, acc.ManagedBy(u):
		return true, nil
	}
	return s.leads(ctx, u, acc.Office)
}

// load returns the draft and its account if u may see it.
func (s *Service) load(ctx context.Context, u *model.User, id int64) (*model.StoredDraft, *model.Account, error) {
	d, err := s.Store.Draft(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	acc, err := s.Store.Account(ctx, d.AccountID)
	if err != nil {
		return nil, nil, err
	}
	ok, err := s.canSee(ctx, u, d, acc)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, errs.Errorf(errs.NotFound, "not_found", "not found")
	}
	return d, acc, nil
}

// Rights over a draft follow the account's current managers
// (model.Account.ManagedBy): an author removed from them keeps only read
// access (canSee) to what they wrote.

// canEdit: the author while a manager of the account, or an admin; never
// an auditor.
func canEdit(u *model.User, d *model.StoredDraft, acc *model.Account) bool {
	return u.Role != model.RoleAuditor && (u.Role == model.RoleAdmin || (d.AuthorID == u.ID && acc.ManagedBy(u)))
}

// editRefused says why u may not change d (canEdit false): to its author,
// that they no longer manage the account; to anyone else, msg.
func editRefused(u *model.User, d *model.StoredDraft, acc *model.Account, key, msg string) error {
	if d.AuthorID == u.ID {
		return errs.Errorf(errs.Forbidden, "draft.author_not_manager",
			"You no longer manage %s: you can read this draft, not change it.", acc.Handle)
	}
	return errs.E(errs.Forbidden, key, msg)
}

// canPost: the account's current managers and admins publish.
func canPost(u *model.User, acc *model.Account) bool {
	return u.Role != model.RoleAuditor && (acc.ManagedBy(u) || u.Role == model.RoleAdmin)
}

// DraftAccountStatuses are the statuses of the accounts that take drafts,
// for lists of accounts to write for.
var DraftAccountStatuses = []string{model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed}

// acceptsDrafts refuses drafts for an account that is not approved, or no
// longer: one still a request (requested, in review, changes requested),
// rejected or closed. At-risk and closure-proposed accounts are still
// registered and still post.
func acceptsDrafts(acc *model.Account) error {
	switch acc.Status {
	case model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed: // = DraftAccountStatuses
		return nil
	case model.StatusRequested, model.StatusInReview, model.StatusChangesRequested:
		return errs.Errorf(errs.Conflict, "draft.account_requested",
			"Drafts are written only for approved accounts: %s is %s, and its request is waiting for a decision.", acc.Handle, i18n.Status(acc.Status))
	case model.StatusRejected:
		return errs.Errorf(errs.Conflict, "draft.account_rejected",
			"Drafts are written only for approved accounts: the request for %s was rejected.", acc.Handle)
	case model.StatusClosed:
		return errs.Errorf(errs.Conflict, "draft.account_closed",
			"Drafts are written only for approved accounts: %s is closed.", acc.Handle)
	}
	return errs.Errorf(errs.Conflict, "draft.account_not_approved",
		"Drafts are written only for approved accounts: %s is %s.", acc.Handle, i18n.Status(acc.Status))
}

// mayDecide says whether u may decide d's current step.
func (s *Service) mayDecide(ctx context.Context, u *model.User, d *model.StoredDraft, acc *model.Account) (bool, error) {
	if d.Status != model.DraftInReview || u.Role == model.RoleAuditor {
		return false, nil
	}
	if wrote, err := s.wrote(ctx, u, d); err != nil || wrote {
		return false, err
	}
	if u.Role == model.RoleAdmin {
		return true, nil
	}
	switch d.StepWho {
	case model.ReviewerCommunications:
		return u.Role == model.RoleReviewer, nil
	case model.ReviewerOfficeLead:
		return s.leads(ctx, u, acc.Office)
	}
	return false, nil
}

// wrote says whether u wrote any of d: its author, or anyone who changed
// its text or images (an admin may edit another's draft). Nobody decides
// on what they wrote, in any version.
func (s *Service) wrote(ctx context.Context, u *model.User, d *model.StoredDraft) (bool, error) {
	if d.AuthorID == u.ID {
		return true, nil
	}
	evs, err := s.Store.DraftEvents(ctx, d.ID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(evs, func(ev model.DraftEvent) bool {
		return ev.ActorID == u.ID && (ev.Kind == model.DraftEventEdit || ev.Kind == model.DraftEventImage)
	}), nil
}

// note is a notice to a draft's author about it, keyed (notify.Message).
func note(user model.User, link, detail, key string, args ...string) model.Notification {
	return notify.Note(user, notify.KindDraft, link, detail, key, args...)
}

func (s *Service) wake() {
	if s.Notify != nil {
		s.Notify.Wake()
	}
}
