package registry

import (
	"context"
	"slices"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// Who sees and edits requests. The account pages and the CSV export use the
// same rules as the request pages (one place to change them).

// SeesAllRequests reports whether u sees every request (reviewers, admins,
// auditors); anyone else sees only the requests they made.
func SeesAllRequests(u *model.User) bool {
	return u != nil && (u.Role == model.RoleAdmin || u.Role == model.RoleReviewer || u.Role == model.RoleAuditor)
}

// MaySeeRequest reports whether u may see the request acc.
func MaySeeRequest(u *model.User, acc *model.Account) bool {
	return SeesAllRequests(u) || (u != nil && acc.RequestedBy == u.ID)
}

// isRequest reports whether an account in status is still (or was only) a
// request: waiting for a decision, or rejected. Such an account is its
// requester's business, seen as a request is.
func isRequest(status string) bool {
	return status == model.StatusRejected || slices.Contains(requestStatuses, status)
}

// MaySeeAccount reports whether u may see acc on the account pages, the API
// and the CSV export: every registered account, and requests as
// MaySeeRequest says.
func MaySeeAccount(u *model.User, acc *model.Account) bool {
	return !isRequest(acc.Status) || MaySeeRequest(u, acc)
}

// visibleTo narrows f to the accounts u may see (MaySeeAccount, in SQL).
func visibleTo(u *model.User, f store.AccountFilter) store.AccountFilter {
	if !SeesAllRequests(u) {
		f.HideStatuses = append(append([]string(nil), requestStatuses...), model.StatusRejected)
		if u != nil {
			f.HideExceptBy = u.ID
		}
	}
	return f
}

// AccountFor returns account id's page as u may see it, its checks in lang:
// someone else's request is errs.NotFound to u when u sees only their own,
// so that its existence is not revealed.
func (s *Service) AccountFor(ctx context.Context, u *model.User, lang string, id int64) (*AccountView, error) {
	view, err := s.View(ctx, lang, id)
	if err != nil {
		return nil, err
	}
	if !MaySeeAccount(u, &view.Account) {
		return nil, errs.E(errs.NotFound, "account.not_found", "no such account")
	}
	return view, nil
}

// langOf is the language u reads Herald in ("" for English).
func langOf(u *model.User) string {
	if u == nil {
		return ""
	}
	return u.Lang
}

// AccountsFor lists the accounts f selects that u may see, with the total
// before paging.
func (s *Service) AccountsFor(ctx context.Context, u *model.User, f store.AccountFilter) ([]model.Account, int, error) {
	return s.Store.Accounts(ctx, visibleTo(u, f))
}

// mayResubmit is the rule for editing a request: its requester (or an
// admin) edits it once changes were requested.
func mayResubmit(u *model.User, acc *model.Account) error {
	if u == nil || (u.ID != acc.RequestedBy && u.Role != model.RoleAdmin) {
		return errs.Errorf(errs.Forbidden, "account.only_the_requester_resubmits", "only the person who asked for the account edits the request")
	}
	if acc.Status != model.StatusChangesRequested {
		return ErrBadTransition.With("account.the_request_is_not", "the request can be edited only after changes were requested (it is %s)", i18n.Status(acc.Status))
	}
	return nil
}

// MayResubmit reports whether u may edit and resubmit the request acc now.
func MayResubmit(u *model.User, acc *model.Account) bool { return mayResubmit(u, acc) == nil }

// RequestFor returns the request id as u may see it, its checks in lang:
// errs.Forbidden for someone else's request when u sees only their own.
func (s *Service) RequestFor(ctx context.Context, u *model.User, lang string, id int64) (*AccountView, error) {
	view, err := s.View(ctx, lang, id)
	if err != nil {
		return nil, err
	}
	if !MaySeeRequest(u, &view.Account) {
		return nil, errs.E(errs.Forbidden, "request.someone_elses", "this request is someone else's")
	}
	return view, nil
}

// EditableRequest returns the request id for u to edit, or why not.
func (s *Service) EditableRequest(ctx context.Context, u *model.User, id int64) (*AccountView, error) {
	view, err := s.RequestFor(ctx, u, langOf(u), id)
	if err != nil {
		return nil, err
	}
	if err := mayResubmit(u, &view.Account); err != nil {
		return nil, err
	}
	return view, nil
}

// RequestsFor lists the requests u may see, newest first, optionally of
// one status.
func (s *Service) RequestsFor(ctx context.Context, u *model.User, status string, limit, offset int) ([]model.Account, int, error) {
	var requester int64
	if !SeesAllRequests(u) {
		requester = u.ID
	}
	return s.Requests(ctx, requester, status, limit, offset)
}

// Account returns the account with id.
func (s *Service) Account(ctx context.Context, id int64) (*model.Account, error) {
	return s.Store.Account(ctx, id)
}

// Accounts lists the accounts f selects, with the total before paging.
func (s *Service) Accounts(ctx context.Context, f store.AccountFilter) ([]model.Account, int, error) {
	return s.Store.Accounts(ctx, f)
}

// History is an account's status changes, oldest first.
func (s *Service) History(ctx context.Context, id int64) ([]model.AccountEvent, error) {
	return s.Store.AccountEvents(ctx, id)
}

// All is every account in the registry.
func (s *Service) All(ctx context.Context) ([]model.Account, error) { return s.Store.AllAccounts(ctx) }

// ByStatus lists up to limit accounts in one of statuses.
func (s *Service) ByStatus(ctx context.Context, statuses []string, limit int) ([]model.Account, int, error) {
	return s.Store.Accounts(ctx, store.AccountFilter{Statuses: statuses, Sort: "created", Limit: limit})
}
