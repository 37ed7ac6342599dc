package web

import (
	"net/http"
	"net/url"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

const accountsPerPage = 50

// accountSorts are the sort orders; labels are catalog keys.
var accountSorts = []option{
	{"handle", "accounts.sort.handle"}, {"-handle", "accounts.sort.handle_desc"}, {"name", "accounts.sort.name"},
	{"platform", "accounts.sort.platform"}, {"kind", "accounts.sort.kind"}, {"office", "accounts.sort.office"},
	{"status", "accounts.sort.status"}, {"-created", "accounts.sort.newest"}, {"-updated", "accounts.sort.updated"},
}

var accountStatuses = []string{model.StatusRequested, model.StatusInReview, model.StatusChangesRequested,
	model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed, model.StatusClosed, model.StatusRejected}

// accountFilter reads the filter from a query string; an unknown sort is an error.
func accountFilter(q url.Values) (store.AccountFilter, error) {
	f := store.AccountFilter{Query: q.Get("q"), Platform: q.Get("platform"), Kind: q.Get("kind"),
		Office: q.Get("office"), Status: q.Get("status"), Sort: q.Get("sort")}
	if f.Sort == "" {
		f.Sort = "handle"
	}
	for _, o := range accountSorts {
		if o.Value == f.Sort {
			return f, nil
		}
	}
	return f, errorf(errs.Invalid, "unknown_sort", "unknown sort %q", f.Sort)
}

type accountsView struct {
	F                          store.AccountFilter
	Compliance                 string
	Manage                     bool
	Accounts                   []model.Account
	Total, From, To            int
	Platforms, Kinds, Statuses []string
	Sorts                      []option
	Pager                      pager
}

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := accountFilter(q)
	if err != nil {
		f.Sort = "handle"
	}
	compliance, _ := complianceParam(q.Get("compliance"))
	pg := pageParam(q)
	f.Limit, f.Offset = accountsPerPage, (pg-1)*accountsPerPage
	accs, total, err := s.filteredAccounts(r.Context(), state(r).user, f, compliance)
	if errs.Is(err, errs.Invalid) {
		s.renderStatus(w, r, http.StatusBadRequest, tr(r, "error.bad_filter"), tr(r, "error.filter_not_applied"))
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	v := accountsView{F: f, Compliance: compliance, Manage: auth.Allowed(state(r).user.Role, auth.AccountsManage), Accounts: accs, Total: total, Platforms: s.platforms(),
		Kinds:    []string{model.KindCorporate, model.KindCountryOffice, model.KindProject},
		Statuses: accountStatuses, Sorts: accountSorts, Pager: newPager("/accounts", q, pg, accountsPerPage, total)}
	if len(accs) > 0 {
		v.From, v.To = f.Offset+1, f.Offset+len(accs)
	}
	s.render(w, r, http.StatusOK, "accounts", page{Title: tr(r, "title.accounts"), Active: "/accounts", Data: v})
}

// apiAccount is an account as the API answers it (issue 4's contract): the
// fields of a request body with the id and status the registry adds.
type apiAccount struct {
	ID int64 `json:"id"`
	apiAccountIn
	Status       string `json:"status"`
	HandleParked bool   `json:"handle_parked"`
}

func toAPIAccount(a model.Account) apiAccount {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return apiAccount{ID: a.ID, Status: a.Status, HandleParked: a.HandleParked, apiAccountIn: apiAccountIn{Platform: a.Platform, Handle: a.Handle,
		ProfileURL: a.ProfileURL, DisplayName: a.DisplayName, Bio: a.Bio, Kind: a.Kind, Office: a.Office,
		Languages: nonNil(a.Languages), Audience: a.Audience, Purpose: a.Purpose, PostsPerWeek: a.PostsPerWeek,
		Email: a.Email, Contacts: nonNil(a.Contacts), Managers: nonNil(a.Managers), Project: a.Project}}
}

// apiAccounts lists the registry with the accounts page's filters (q,
// platform, kind, office, status, sort, compliance), a page at a time.
func (s *Server) apiAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, lr, err := filterAndList(r, accountFilter)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	compliance, err := complianceParam(q.Get("compliance"))
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	f.After, f.Limit = lr.After, lr.Limit+1
	accs, _, err := s.filteredAccounts(r.Context(), state(r).user, f, compliance)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, accs, func(a *model.Account) apiAccount { return toAPIAccount(*a) }, func(i int) string { return store.AccountKey(f.Sort, accs[i]) })
}
