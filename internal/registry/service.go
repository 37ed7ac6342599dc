package registry

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

// Service is the registry with its storage: requests, decisions, the
// lifecycle, public verification, CSV import and export, and the triage of
// unregistered accounts. Its errors are *errs.Error values.
type Service struct {
	Store  *store.Store
	Pack   *policy.Pack
	Notify *notify.Notifier // may be nil: notifications are still written, nothing wakes the sender
	Now    func() time.Time // nil means time.Now
	// Outbound lists the hosts a profile URL may name over plain http or
	// on a local address (HERALD_OUTBOUND_ALLOW); nil allows none.
	Outbound *outbound.Allow
}

// Errors callers test for; the others are errs.Forbidden, errs.Invalid and
// the store's errs.NotFound and errs.Conflict.
var (
	ErrSelfDecision   = errs.E(errs.Forbidden, "request.self_decision", "nobody decides on their own request")
	ErrReasonRequired = errs.E(errs.Invalid, "account.reason_required", "a reason is required")
	ErrBadTransition  = errs.E(errs.Conflict, "account.bad_transition", "that change of status is not allowed")
)

// overlapsShown is how many of the closest accounts a request lists.
const overlapsShown = 5

// RequestResult is an account with its checks and the closest existing
// accounts, closest first.
type RequestResult struct {
	Account  model.Account
	Checks   []Finding
	Overlaps []Overlap
}

// HasErrors reports whether a pre-check is an error.
func (r *RequestResult) HasErrors() bool { return HasErrors(r.Checks) }

// AccountView is everything the account page shows.
type AccountView struct {
	Account     model.Account
	Checks      []Finding
	Overlaps    []Overlap
	History     []model.AccountEvent
	RequestedBy *model.User
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

// keyed sets acc's canonical platform, handle and handle key and checks its
// profile URL against them.
func keyed(acc *model.Account, allow *outbound.Allow) error {
	acc.Platform = canonicalPlatform(acc.Platform)
	display, key, err := parseHandle(acc.Platform, acc.Handle)
	if err != nil {
		return err // parseHandle says why, as errs.Invalid
	}
	acc.Handle, acc.HandleKey = display, key // one stored form per platform
	if err := CheckProfileURL(acc.Platform, key, acc.ProfileURL, allow); err != nil {
		return err // CheckProfileURL says why, as errs.Invalid
	}
	return nil
}

// checks runs the account checks and the request pre-checks (strategy
// fields, posting plan), with their messages in lang. Without a pack there
// is nothing to check against.
func (s *Service) checks(lang string, acc model.Account) []Finding {
	if s.Pack == nil {
		return []Finding{}
	}
	in := InputFromAccount(acc)
	in.Lang = lang
	return CheckAccount(s.Pack, in)
}

// overlaps scores acc against the registry, leaving acc itself out.
func (s *Service) overlaps(ctx context.Context, acc model.Account) ([]Overlap, error) {
	all, err := s.Store.AllAccounts(ctx)
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(a model.Account) bool { return a.ID == acc.ID })
	ov := Overlaps(acc, all, overlapsShown)
	if ov == nil {
		ov = []Overlap{}
	}
	return ov, nil
}

// result is acc's checks, in lang, and overlaps.
func (s *Service) result(ctx context.Context, lang string, acc *model.Account) (*RequestResult, error) {
	ov, err := s.overlaps(ctx, *acc)
	if err != nil {
		return nil, err
	}
	return &RequestResult{Account: *acc, Checks: s.checks(lang, *acc), Overlaps: ov}, nil
}

// unique refuses a handle the platform already has in the registry (other
// than the account id itself).
func (s *Service) unique(ctx context.Context, acc *model.Account) error {
	other, err := s.Store.AccountByHandleKey(ctx, acc.Platform, acc.HandleKey)
	switch {
	case errs.Is(err, errs.NotFound):
		return nil
	case err != nil:
		return err
	case other.ID != acc.ID:
		return errs.Errorf(errs.Conflict, "account.duplicate", "handle: %s on %s is already in the registry as account %d (%s), /accounts/%d",
			other.Handle, other.Platform, other.ID, other.Status, other.ID)
	}
	return nil
}

// editable copies the fields a requester or manager may change from in to acc.
func editable(acc *model.Account, in model.Account) {
	acc.Platform, acc.Handle, acc.ProfileURL = in.Platform, in.Handle, in.ProfileURL
	acc.DisplayName, acc.Bio, acc.Kind, acc.Office = in.DisplayName, in.Bio, in.Kind, in.Office
	acc.Languages, acc.Audience, acc.Purpose, acc.PostsPerWeek = in.Languages, in.Audience, in.Purpose, in.PostsPerWeek
	acc.Email, acc.Contacts, acc.Managers, acc.Project = in.Email, in.Contacts, in.Managers, in.Project
}

// validKind refuses a kind the registry does not know.
func validKind(kind string) error {
	switch kind {
	case "corporate", "country-office", "project":
		return nil
	}
	return invalid("account.kind", "kind must be corporate, country-office or project, not %q", kind)
}

func isDecider(u *model.User) bool {
	return u != nil && (u.Role == model.RoleAdmin || u.Role == model.RoleReviewer)
}

// ErrUnacknowledged refuses a request whose pre-checks found errors that
// were neither fixed nor acknowledged with a reason.
var ErrUnacknowledged = errs.E(errs.Invalid, "request.unacknowledged_errors",
	"acknowledgement: the pre-checks found errors; fix them or give the reason for sending the request anyway")

// Request records a manager's request for a new institutional account. It
// is stored as "requested" and waits there for a decision (a resubmitted
// request is "in-review"); the result carries the pre-checks and overlaps.
// A request with error pre-checks is refused (ErrUnacknowledged, listing
// them) unless ack gives the reason for sending it anyway, which is
// recorded with the request's first status for the reviewer to read.
func (s *Service) Request(ctx context.Context, actor model.Actor, requester *model.User, acc model.Account, ack string) (*RequestResult, error) {
	if requester == nil || requester.Role == model.RoleStaff || requester.Role == model.RoleAuditor {
		return nil, errs.Errorf(errs.Forbidden, "account.only_managers_reviewers_and", "only managers, reviewers and admins request accounts")
	}
	in := acc
	acc = model.Account{}
	editable(&acc, in)
	if err := s.prepare(ctx, &acc); err != nil {
		return nil, err
	}
	if len(acc.Managers) == 0 {
		acc.Managers = []string{requester.Email}
	}
	reason := ""
	// The audit trail records the pre-checks in English; the requester reads
	// them in their language.
	if found := errorChecks(s.checks("en", acc)); len(found) > 0 {
		ack = strings.TrimSpace(ack)
		if ack == "" {
			return nil, ErrUnacknowledged.With("request.unacknowledged_errors_list",
				"acknowledgement: the pre-checks found %d error(s): %s; fix them or give the reason for sending the request anyway",
				len(found), errorList{s, acc})
		}
		if n := len([]rune(ack)); n > maxAck {
			return nil, invalid("request.acknowledgement_long", "acknowledgement: %d characters, at most %d", n, maxAck)
		}
		reason = "sent despite error pre-checks (" + strings.Join(found, "; ") + "): " + ack
	}
	acc.Status, acc.RequestedBy = model.StatusRequested, requester.ID
	group, err := notify.CommunicationsGroup(ctx, s.Store, requester.ID)
	if err != nil {
		return nil, err
	}
	notes := notify.Notes(group, notify.KindRequest, "/requests/{id}", "", "request.new", requester.Email, acc.Handle, acc.Platform)
	if err := s.Store.CreateAccountWithReason(ctx, actor, &acc, reason, notes...); err != nil {
		return nil, err
	}
	s.Notify.Wake()
	return s.result(ctx, requester.Lang, &acc)
}

// Precheck gives a request's pre-checks and overlaps while its form is
// being filled, storing nothing. The error is what sending the request now
// would be refused for (a malformed handle, an unknown kind, a duplicate,
// which names the existing account); the checks and overlaps are given
// either way, so the form shows everything at once; the checks in lang.
func (s *Service) Precheck(ctx context.Context, lang string, in model.Account) (*RequestResult, error) {
	acc := model.Account{}
	editable(&acc, in)
	refused := s.prepare(ctx, &acc)
	if acc.Kind != model.KindProject {
		acc.Project = nil
	}
	ov, err := s.overlaps(ctx, acc)
	if err != nil {
		return nil, err
	}
	return &RequestResult{Account: acc, Checks: s.checks(lang, acc), Overlaps: ov}, refused
}

// maxAck bounds the reason given for sending a request despite errors.
const maxAck = 2000

// errorList is an error message's list of acc's error pre-checks, in the
// language its reader asks for (In) or in English (String).
type errorList struct {
	s   *Service
	acc model.Account
}

func (l errorList) In(lang string) string {
	return strings.Join(errorChecks(l.s.checks(lang, l.acc)), "; ")
}

func (l errorList) String() string { return l.In("en") }

// errorChecks lists the error findings, each as "clause: message".
func errorChecks(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Severity == model.SeverityError {
			out = append(out, f.Clause+": "+f.Message)
		}
	}
	return out
}

// prepare validates and keys an account about to be stored.
func (s *Service) prepare(ctx context.Context, acc *model.Account) error {
	if err := validateAccount(acc); err != nil {
		return err
	}
	acc.Kind = strings.ToLower(strings.TrimSpace(acc.Kind))
	if err := validKind(acc.Kind); err != nil {
		return err
	}
	if err := keyed(acc, s.Outbound); err != nil {
		return err
	}
	if acc.Kind != "project" {
		acc.Project = nil
	}
	return s.unique(ctx, acc)
}

// Resubmit stores the requester's edits to a request in changes-requested
// and sends it back to review (in-review).
func (s *Service) Resubmit(ctx context.Context, actor model.Actor, requester *model.User, id int64, in model.Account) (*RequestResult, error) {
	acc, err := s.Store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayResubmit(requester, acc); err != nil {
		return nil, err
	}
	from := acc.Status
	editable(acc, in)
	if err := s.prepare(ctx, acc); err != nil {
		return nil, err
	}
	change, err := Transition(acc, model.StatusInReview, actor, "resubmitted with changes", s.now())
	if err != nil {
		return nil, err // Transition refuses with ErrBadTransition
	}
	err = s.Store.TransitionAccount(ctx, actor, store.AccountChange{Account: acc, From: from,
		Action: "account.resubmit", Reason: change.Reason,
		Summary: fmt.Sprintf("resubmitted request %s on %s for review", acc.Handle, acc.Platform)})
	if err != nil {
		return nil, err
	}
	return s.result(ctx, requester.Lang, acc)
}

// decisions maps a decision to the status it leads to.
var decisions = map[string]string{
	"approve":         model.StatusActive,
	"reject":          model.StatusRejected,
	"request-changes": model.StatusChangesRequested,
}

// Decide records an admin's or reviewer's decision on a request, with the
// required comment, and notifies the requester in the app and by e-mail in
// the same transaction. Approving makes the account active.
func (s *Service) Decide(ctx context.Context, actor model.Actor, decider *model.User, id int64, decision, comment string) (*model.Account, error) {
	if !isDecider(decider) {
		return nil, errs.Errorf(errs.Forbidden, "account.only_admins_and_reviewers", "only admins and reviewers decide on requests")
	}
	to, ok := decisions[decision]
	if !ok {
		return nil, invalid("request.decision", "decision must be approve, reject or request-changes, not %q", decision)
	}
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return nil, ErrReasonRequired
	}
	acc, err := s.Store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if acc.RequestedBy != 0 && acc.RequestedBy == decider.ID {
		return nil, ErrSelfDecision
	}
	switch acc.Status {
	case model.StatusRequested, model.StatusInReview, model.StatusChangesRequested:
	default:
		return nil, ErrBadTransition.With("account.account_is_not_a", "account %d is %s, not a request", id, i18n.Status(acc.Status))
	}
	from := acc.Status
	if _, err := Transition(acc, to, actor, comment, s.now()); err != nil {
		return nil, err // Transition refuses with ErrBadTransition
	}
	var notes []model.Notification
	if acc.RequestedBy != 0 {
		requester, err := s.Store.User(ctx, acc.RequestedBy)
		if err != nil {
			return nil, err
		}
		notes = append(notes, decisionNotice(acc, requester, decision, comment))
	}
	err = s.Store.TransitionAccount(ctx, actor, store.AccountChange{Account: acc, From: from,
		Action: "account." + decision, Reason: comment, Notify: notes,
		Summary: fmt.Sprintf("%s: request %s on %s is now %s: %s", decision, acc.Handle, acc.Platform, to, comment)})
	if err != nil {
		return nil, err
	}
	s.Notify.Wake()
	return acc, nil
}

// decisionNotice tells the requester what was decided and why. A disabled
// user still sees it in the app but gets no e-mail.
func decisionNotice(acc *model.Account, requester *model.User, decision, comment string) model.Notification {
	detail := notify.Detail(*requester, "comment", comment)
	if decision == "approve" {
		detail = notify.Detail(*requester, "request.approve.detail") + "\n\n" + detail
	}
	n := notify.Note(*requester, notify.KindRequest, fmt.Sprintf("/accounts/%d", acc.ID), detail,
		"request."+decision, acc.Handle, acc.Platform)
	if requester.DisabledAt != nil {
		n.Email = ""
	}
	return n
}

// Register adds an existing account directly as active (an admin's act)
// and returns its checks and overlaps, worded in lang.
func (s *Service) Register(ctx context.Context, actor model.Actor, lang string, in model.Account) (*RequestResult, error) {
	acc := model.Account{}
	editable(&acc, in)
	if err := s.prepare(ctx, &acc); err != nil {
		return nil, err
	}
	acc.Status = model.StatusActive
	if err := s.Store.CreateAccount(ctx, actor, &acc); err != nil {
		return nil, err
	}
	return s.result(ctx, lang, &acc)
}

// Update stores edits to an account's fields; its status does not change.
// Admins edit any account; a manager only those listing them in Managers.
// When in.UpdatedAt is set it is the version the caller read, and the
// edit is refused (errs.PreconditionFailed) if the account changed since.
func (s *Service) Update(ctx context.Context, actor model.Actor, user *model.User, in model.Account) (*model.Account, error) {
	var since *time.Time
	if !in.UpdatedAt.IsZero() {
		since = &in.UpdatedAt
	}
	acc, err := s.Store.Account(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if !s.mayEdit(user, acc) {
		return nil, errs.Errorf(errs.Forbidden, "account.only_admins_and_the", "only admins and the account's managers edit it")
	}
	editable(acc, in)
	if err := s.prepare(ctx, acc); err != nil {
		return nil, err
	}
	if err := s.Store.UpdateAccount(ctx, actor, acc, since); err != nil {
		return nil, err
	}
	return acc, nil
}

func (s *Service) mayEdit(u *model.User, acc *model.Account) bool {
	if u == nil {
		return false
	}
	if u.Role == model.RoleAdmin {
		return true
	}
	return u.Role == model.RoleManager && acc.ManagedBy(u)
}

// Transition moves an account along its lifecycle (at risk, closure
// proposed, closed, kept open...) with a reason where the lifecycle needs one.
func (s *Service) Transition(ctx context.Context, actor model.Actor, id int64, to, reason string) (*model.Account, error) {
	acc, err := s.Store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	from := acc.Status
	reason = strings.TrimSpace(reason)
	if reason == "" && NeedsReason(from, to) {
		return nil, ErrReasonRequired
	}
	if _, err := Transition(acc, to, actor, reason, s.now()); err != nil {
		return nil, err // Transition refuses with ErrBadTransition
	}
	summary := fmt.Sprintf("account %s on %s: %s → %s", acc.Handle, acc.Platform, from, to)
	if reason != "" {
		summary += ": " + reason
	}
	notes, err := s.warnings(ctx, actor, acc, to, reason)
	if err != nil {
		return nil, err
	}
	err = s.Store.TransitionAccount(ctx, actor, store.AccountChange{Account: acc, From: from,
		Action: "account.status", Reason: reason, Summary: summary, Notify: notes})
	if err != nil {
		return nil, err
	}
	s.Notify.Wake()
	return acc, nil
}

// warnings tell the account's managers and the admins, but the one who
// acted, that an account was put at risk or proposed for closure by hand,
// with the reason, as the daily evaluation tells them (4.6): the managers
// have the grace period to act. Other changes tell nobody.
func (s *Service) warnings(ctx context.Context, actor model.Actor, acc *model.Account, to, reason string) ([]model.Notification, error) {
	if to != model.StatusAtRisk && to != model.StatusClosureProposed {
		return nil, nil
	}
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	key := "account." + to
	var notes []model.Notification
	for _, u := range users {
		if u.ID == actor.UserID || u.DisabledAt != nil || (u.Role != model.RoleAdmin && !acc.ManagedBy(&u)) {
			continue
		}
		detail := notify.Detail(u, key+".detail")
		if reason != "" {
			detail += "\n\n" + notify.Detail(u, "comment", reason)
		}
		notes = append(notes, notify.Note(u, notify.KindAccount, fmt.Sprintf("/accounts/%d", acc.ID), detail, key, acc.Handle, acc.Platform))
	}
	return notes, nil
}

// View gathers an account's page: checks (in lang), overlaps, history,
// requester.
func (s *Service) View(ctx context.Context, lang string, id int64) (*AccountView, error) {
	acc, err := s.Store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &AccountView{Account: *acc, Checks: s.checks(lang, *acc)}
	if v.Checks, err = s.withAvatar(ctx, lang, *acc, v.Checks); err != nil {
		return nil, err
	}
	if v.Overlaps, err = s.overlaps(ctx, *acc); err != nil {
		return nil, err
	}
	if v.History, err = s.Store.AccountEvents(ctx, id); err != nil {
		return nil, err
	}
	if acc.RequestedBy != 0 {
		u, err := s.Store.User(ctx, acc.RequestedBy)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return nil, err
		}
		v.RequestedBy = u
	}
	return v, nil
}

// requestStatuses are the statuses of a request waiting for a decision.
var requestStatuses = []string{model.StatusRequested, model.StatusInReview, model.StatusChangesRequested}

// Requests returns the requests waiting for a decision, oldest first, all
// three waiting statuses unless status names one; requesterID > 0 keeps
// one requester's.
func (s *Service) Requests(ctx context.Context, requesterID int64, status string, limit, offset int) ([]model.Account, int, error) {
	f, err := requestFilter(requesterID, status)
	if err != nil {
		return nil, 0, err
	}
	f.Limit, f.Offset = limit, offset
	return s.Store.Accounts(ctx, f)
}

// RequestsPage is a page of the requests u may see, as Requests lists
// them: up to p.Limit+1 after p.After (a store.AccountKey of RequestsSort).
func (s *Service) RequestsPage(ctx context.Context, u *model.User, status string, p store.Page) ([]model.Account, error) {
	var requester int64
	if !SeesAllRequests(u) {
		requester = u.ID
	}
	f, err := requestFilter(requester, status)
	if err != nil {
		return nil, err
	}
	f.After, f.Limit = p.After, p.Limit+1
	accs, _, err := s.Store.Accounts(ctx, f)
	return accs, err
}

// RequestsSort is the order of requests, for store.AccountKey.
const RequestsSort = "created"

func requestFilter(requesterID int64, status string) (store.AccountFilter, error) {
	st := requestStatuses
	if status != "" {
		if !slices.Contains(requestStatuses, status) {
			return store.AccountFilter{}, invalid("request.status", "%q is not the status of a request", status)
		}
		st = []string{status}
	}
	return store.AccountFilter{Statuses: st, RequestedBy: max(requesterID, 0), Sort: RequestsSort}, nil
}
