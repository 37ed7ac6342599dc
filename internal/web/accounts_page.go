package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

// Compliance filter values: accounts with error findings, or without.
const (
	complianceErrors = "errors"
	complianceClean  = "clean"
)

// compliant reports whether a has no error finding under the pack.
func (s *Server) compliant(a model.Account) bool {
	return !registry.HasErrors(registry.CheckAccount(s.checker.Pack(), registry.InputFromAccount(a)))
}

// eachAccount calls fn for every account f selects that u may see
// (ignoring its limit and offset) and that passes the compliance filter. The checks run in Go, so a
// compliance filter reads the whole filtered registry: fine for thousands
// of accounts, to move into the store if the registry grows far beyond.
func (s *Server) eachAccount(ctx context.Context, u *model.User, f store.AccountFilter, compliance string, fn func(model.Account)) error {
	const batch = 1000
	f.Limit = batch
	for f.Offset = 0; ; f.Offset += batch {
		accs, _, err := s.registry.AccountsFor(ctx, u, f)
		if err != nil {
			return err
		}
		for _, a := range accs {
			if compliance == "" || s.compliant(a) == (compliance == complianceClean) {
				fn(a)
			}
		}
		if len(accs) < batch {
			return nil
		}
	}
}

// filteredAccounts is the registry's AccountsFor with the compliance filter.
func (s *Server) filteredAccounts(ctx context.Context, u *model.User, f store.AccountFilter, compliance string) ([]model.Account, int, error) {
	if compliance == "" {
		return s.registry.AccountsFor(ctx, u, f)
	}
	var all []model.Account
	if err := s.eachAccount(ctx, u, f, compliance, func(a model.Account) { all = append(all, a) }); err != nil {
		return nil, 0, err
	}
	lo := min(f.Offset, len(all))
	return all[lo:min(lo+f.Limit, len(all))], len(all), nil
}

// complianceParam reads ?compliance=; anything else is an error.
func complianceParam(v string) (string, error) {
	switch v {
	case "", complianceErrors, complianceClean:
		return v, nil
	}
	return "", errorf(errs.Invalid, "compliance_must_be_or", "compliance must be %q or %q", complianceErrors, complianceClean)
}

// accountsExport writes the filtered registry as the import's CSV, so an
// export imports back unchanged.
func (s *Server) accountsExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := accountFilter(q)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	compliance, err := complianceParam(q.Get("compliance"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var accs []model.Account
	if err := s.eachAccount(r.Context(), state(r).user, f, compliance, func(a model.Account) { accs = append(accs, a) }); err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="accounts.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := registry.WriteCSV(w, accs); err != nil {
		s.log.ErrorContext(r.Context(), "accounts export", "request_id", requestID(r), "err", err)
	}
}

type accountPageView struct {
	*registry.AccountView
	Manage      bool
	Transitions []string
	Error       string
	Health      *healthSection
}

func (s *Server) loadAccount(r *http.Request) (*registry.AccountView, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.registry.AccountFor(r.Context(), state(r).user, checksLang(r), id)
}

// checksLang is the language of the pack's checks shown with an account:
// a page's language, or for the API the user's saved setting.
func checksLang(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return state(r).user.Lang
	}
	return pageLang(r)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	view, err := s.loadAccount(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showAccount(w, r, http.StatusOK, view, "")
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, view *registry.AccountView, msg string) {
	v := accountPageView{AccountView: view, Manage: auth.Allowed(state(r).user.Role, auth.AccountsManage), Error: msg}
	for _, to := range registry.Statuses {
		// Closing takes the checklist of the closing page (closure.go).
		if registry.CanTransition(view.Account.Status, to) && to != model.StatusClosed {
			v.Transitions = append(v.Transitions, to)
		}
	}
	var err error
	if v.Health, err = s.healthFor(r, view.Account); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "account", page{Title: view.Account.Handle, Active: "/accounts", Notice: cmp.Or(closureNotice(r), evaluatedNotice(r)), Data: v})
}

func (s *Server) accountTransition(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	to := r.PostFormValue("to")
	if to == model.StatusClosed {
		err = errorf(errs.Invalid, "an_account_is_closed", "an account is closed with the closing checklist: use Close or keep open")
	} else {
		_, err = s.registry.Transition(r.Context(), actor(r), id, to, strings.TrimSpace(r.PostFormValue("reason")))
	}
	if err == nil {
		http.Redirect(w, r, "/accounts/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	ae := toAPIError(state(r).lang, err)
	view, verr := s.registry.View(r.Context(), pageLang(r), id)
	if ae.kind == errs.Internal || verr != nil {
		s.pageError(w, r, err)
		return
	}
	s.showAccount(w, r, ae.status, view, ae.Message)
}

// accountEditing is what differs between editing an account and editing a
// request for one (the same form): the page's title key and button key, its
// menu entry, how the account is loaded and saved, and the address (a
// format of the account's id) it is shown at once saved.
type accountEditing struct {
	title, button, active string
	load                  func(*http.Request) (*registry.AccountView, error)
	save                  func(r *http.Request, id int64, a model.Account) error
	shown                 string
}

// accountEditForm shows the account e loads in the edit form.
func (s *Server) accountEditForm(w http.ResponseWriter, r *http.Request, e accountEditing) {
	view, err := e.load(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := s.accountForm(tr(r, e.title), r.URL.Path, tr(r, e.button), view.Account)
	s.render(w, r, http.StatusOK, "account_form", page{Title: tr(r, e.title), Active: e.active, Data: v})
}

// accountEditSave saves the edit form's account as e says, or shows the form
// again with why not.
func (s *Server) accountEditSave(w http.ResponseWriter, r *http.Request, e accountEditing) {
	view, err := e.load(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	a, err := accountFromForm(r)
	v := s.accountForm(tr(r, e.title), r.URL.Path, tr(r, e.button), a)
	if err == nil {
		err = e.save(r, view.Account.ID, a)
	}
	if err != nil {
		s.showForm(w, r, tr(r, e.title), v, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf(e.shown, view.Account.ID), http.StatusSeeOther)
}

// accountEditing edits a registered account.
func (s *Server) accountEditing() accountEditing {
	return accountEditing{title: "title.edit_account", button: "form.save", active: "/accounts",
		load: s.loadAccount, save: s.updateAccount, shown: "/accounts/%d"}
}

func (s *Server) updateAccount(r *http.Request, id int64, a model.Account) error {
	a.ID = id
	_, err := s.registry.Update(r.Context(), actor(r), state(r).user, a)
	return err
}

func (s *Server) accountEditPage(w http.ResponseWriter, r *http.Request) {
	s.accountEditForm(w, r, s.accountEditing())
}
func (s *Server) accountEdit(w http.ResponseWriter, r *http.Request) {
	s.accountEditSave(w, r, s.accountEditing())
}

// apiAccountDetail is one account with its checks and history.
type apiAccountDetail struct {
	apiAccount
	Checks  []registry.Finding `json:"checks"`
	History []apiEvent         `json:"history"`
	Health  *health.Result     `json:"health"` // null when never evaluated
}

type apiEvent struct {
	From   string `json:"from"`
	To     string `json:"to"`
	By     string `json:"by"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

func (s *Server) apiAccount(w http.ResponseWriter, r *http.Request) {
	view, err := s.loadAccount(r)
	var out apiAccountDetail
	if err == nil {
		out, err = s.accountDetail(r, view)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeEntity(w, http.StatusOK, out)
}

// apiAccountPatch changes an account's fields as the edit page does: the
// fields sent replace the current ones, the others stay. If-Match must name
// the account as last read.
func (s *Server) apiAccountPatch(w http.ResponseWriter, r *http.Request) {
	view, err := s.loadAccount(r)
	var cur apiAccountDetail
	if err == nil {
		cur, err = s.accountDetail(r, view)
	}
	if err == nil {
		err = ifMatch(r, cur)
	}
	in := cur.apiAccountIn
	if err == nil {
		err = decodeJSON(r, &in)
	}
	if err == nil {
		a := in.account()
		a.ID, a.UpdatedAt = view.Account.ID, view.Account.UpdatedAt // the version If-Match named
		_, err = s.registry.Update(r.Context(), actor(r), state(r).user, a)
	}
	if err == nil {
		view, err = s.loadAccount(r)
	}
	if err == nil {
		cur, err = s.accountDetail(r, view)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeEntity(w, http.StatusOK, cur)
}

// accountDetail is an account as GET /api/v1/accounts/{id} answers it.
func (s *Server) accountDetail(r *http.Request, view *registry.AccountView) (apiAccountDetail, error) {
	out := apiAccountDetail{apiAccount: toAPIAccount(view.Account), Checks: view.Checks, History: []apiEvent{}}
	if out.Checks == nil {
		out.Checks = []registry.Finding{}
	}
	for _, e := range view.History {
		out.History = append(out.History, apiEvent{From: e.From, To: e.To, By: e.ActorEmail, Reason: e.Reason,
			At: e.At.UTC().Format("2006-01-02T15:04:05Z")})
	}
	switch rec, err := s.monitor.Health(r.Context(), view.Account.ID); {
	case err == nil:
		out.Health = &rec.Result
	case !errs.Is(err, errs.NotFound):
		return out, err
	}
	return out, nil
}

func (s *Server) apiRegister(w http.ResponseWriter, r *http.Request) {
	var in apiAccountIn
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	res, err := s.registry.Register(r.Context(), actor(r), pageLang(r), in.account())
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	out := toAPIChecked(pageLang(r), res)
	writeJSON(w, http.StatusCreated, struct {
		apiAccount
		Checks []registry.Finding `json:"checks"`
	}{out.apiAccount, out.Checks})
}
