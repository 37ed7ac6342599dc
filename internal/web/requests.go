package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

// accountFormView is the account form: a new request, a request being
// edited after changes were requested, or an account an admin edits.
type accountFormView struct {
	Heading, Action, Submit string
	A                       model.Account
	Project                 model.Project
	Contact1, Contact2      string
	Platforms, Kinds        []string
	Error                   string
	Precheck                bool   // a request: pre-checks update as the form is filled
	Ack                     string // a request's reason for sending despite error pre-checks
	Posts                   string // the posting plan as typed
}

var institutionalKinds = []string{model.KindCorporate, model.KindCountryOffice, model.KindProject}

func (s *Server) accountForm(heading, action, submit string, a model.Account) accountFormView {
	v := accountFormView{Heading: heading, Action: action, Submit: submit, A: a,
		Platforms: s.platforms(), Kinds: institutionalKinds}
	if a.Project != nil {
		v.Project = *a.Project
	}
	if a.PostsPerWeek != 0 {
		v.Posts = strconv.FormatFloat(a.PostsPerWeek, 'f', -1, 64)
	}
	if len(a.Contacts) > 0 {
		v.Contact1 = a.Contacts[0]
	}
	if len(a.Contacts) > 1 {
		v.Contact2 = strings.Join(a.Contacts[1:], "; ")
	}
	return v
}

// splitList reads a comma- or semicolon-separated form field.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// accountFromForm reads the account form. Only what a form cannot say
// (a number that is not one) is refused here; the service checks the rest.
func accountFromForm(r *http.Request) (model.Account, error) {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	a := model.Account{Platform: f("platform"), Handle: f("handle"), ProfileURL: f("profile_url"),
		DisplayName: f("display_name"), Bio: f("bio"), Kind: f("kind"), Office: f("office"),
		Languages: splitList(f("languages")), Audience: f("audience"), Purpose: f("purpose"),
		Email: f("email"), Managers: splitList(f("managers"))}
	for _, c := range []string{f("contact1"), f("contact2")} {
		if c != "" {
			a.Contacts = append(a.Contacts, c)
		}
	}
	if a.Kind == model.KindProject || f("project_name") != "" {
		a.Project = &model.Project{Name: f("project_name"), Keywords: splitList(f("project_keywords")), EndDate: f("project_end_date")}
	}
	if v := f("posts_per_week"); v != "" {
		if !strings.Contains(v, ".") && strings.Count(v, ",") == 1 {
			v = strings.Replace(v, ",", ".", 1) // a decimal comma, as French and Spanish write 2,5
		}
		n, err := strconv.ParseFloat(v, 64) // its range is the registry's rule
		if err != nil {
			return a, errorf(errs.Invalid, "posts_per_week_must", "posts per week: give a number, such as 3 or 2.5")
		}
		a.PostsPerWeek = n
	}
	return a, nil
}

// showForm renders the account form again with the error that stopped it.
func (s *Server) showForm(w http.ResponseWriter, r *http.Request, title string, v accountFormView, err error) {
	ae := toAPIError(state(r).lang, err)
	if ae.kind == errs.Internal {
		s.fail(w, r, err)
		return
	}
	v.Error, v.Posts = ae.Message, strings.TrimSpace(r.PostFormValue("posts_per_week"))
	s.render(w, r, ae.status, "account_form", page{Title: title, Active: "/requests", Data: v})
}

const newRequestTitle = "title.new_request"

func (s *Server) requestNewPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// Prefilled from the triage of an unregistered account ("start request").
	a := model.Account{Platform: q.Get("platform"), Handle: q.Get("handle"), DisplayName: q.Get("display_name"),
		ProfileURL: q.Get("profile_url")}
	if id, err := strconv.ParseInt(q.Get("found"), 10, 64); err == nil && auth.Allowed(state(r).user.Role, auth.FoundTriage) {
		// From the triage queue: the found account's platform, handle,
		// URL, display name and bio (registry.Service.RequestDraft).
		if d, err := s.registry.RequestDraft(r.Context(), id); err == nil {
			a = d
		}
	}
	a.Managers = []string{state(r).user.Email}
	v := s.accountForm(tr(r, newRequestTitle), "/requests/new", tr(r, "form.send_request"), a)
	v.Precheck = true
	s.render(w, r, http.StatusOK, "account_form", page{Title: tr(r, newRequestTitle), Active: "/requests", Data: v})
}

// requestPrecheck renders the pre-checks and overlaps of the request form
// as it stands, as a fragment for the form's script; nothing is stored.
func (s *Server) requestPrecheck(w http.ResponseWriter, r *http.Request) {
	a, err := accountFromForm(r)
	var res *registry.RequestResult
	if err == nil {
		res, err = s.registry.Precheck(r.Context(), pageLang(r), a)
	}
	data := struct {
		Result *registry.RequestResult
		Error  string
	}{Result: res}
	if err != nil {
		ae := toAPIError(state(r).lang, err)
		if ae.kind == errs.Internal {
			s.fail(w, r, err)
			return
		}
		data.Error = ae.Message
	}
	s.renderFragment(w, r, "account_form", "precheck", data)
}

func (s *Server) requestCreate(w http.ResponseWriter, r *http.Request) {
	a, err := accountFromForm(r)
	v := s.accountForm(tr(r, newRequestTitle), "/requests/new", tr(r, "form.send_request"), a)
	v.Precheck = true
	if err != nil {
		s.showForm(w, r, tr(r, newRequestTitle), v, err)
		return
	}
	v.Ack = strings.TrimSpace(r.PostFormValue("acknowledgement"))
	res, err := s.registry.Request(r.Context(), actor(r), state(r).user, a, v.Ack)
	if err != nil {
		s.showForm(w, r, tr(r, newRequestTitle), v, err)
		return
	}
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(res.Account.ID, 10)+"?sent=1", http.StatusSeeOther)
}

// pendingStatuses are the statuses of a request still waiting for a decision.
var pendingStatuses = []string{model.StatusRequested, model.StatusInReview, model.StatusChangesRequested}

const requestsPerPage = 50

type requestsView struct {
	Requests []model.Account
	Total    int
	Status   string
	Statuses []string
	Mine     bool
	Create   bool
	Pager    pager
}

func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	u := state(r).user
	v := requestsView{Status: q.Get("status"), Statuses: pendingStatuses, Create: auth.Allowed(u.Role, auth.RequestsCreate)}
	v.Mine = !registry.SeesAllRequests(u)
	pg := pageParam(q)
	var err error
	v.Requests, v.Total, err = s.registry.RequestsFor(r.Context(), u, v.Status, requestsPerPage, (pg-1)*requestsPerPage)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Pager = newPager("/requests", q, pg, requestsPerPage, v.Total)
	s.render(w, r, http.StatusOK, "requests", page{Title: tr(r, "title.requests"), Active: "/requests", Data: v})
}

type requestView struct {
	*registry.AccountView
	Sent, CanDecide, CanEdit, Pending, Own bool
	Error                                  string
	Decision, Comment                      string
}

// loadRequest loads the request of the path, refusing managers who look at
// someone else's request.
func (s *Server) loadRequest(r *http.Request) (*registry.AccountView, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.registry.RequestFor(r.Context(), state(r).user, checksLang(r), id)
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) {
	view, err := s.loadRequest(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showRequest(w, r, http.StatusOK, requestView{AccountView: view, Sent: r.URL.Query().Get("sent") != ""})
}

func (s *Server) showRequest(w http.ResponseWriter, r *http.Request, status int, v requestView) {
	u := state(r).user
	acc := v.Account
	v.Own = acc.RequestedBy == u.ID
	v.Pending = acc.Status == model.StatusRequested || acc.Status == model.StatusInReview
	v.CanDecide = v.Pending && !v.Own && auth.Allowed(u.Role, auth.RequestsDecide)
	v.CanEdit = registry.MayResubmit(u, &acc)
	s.render(w, r, status, "request", page{Title: tr(r, "title.request", acc.Handle), Active: "/requests", Data: v})
}

func (s *Server) requestDecide(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	decision, comment := r.PostFormValue("decision"), strings.TrimSpace(r.PostFormValue("comment"))
	_, err = s.registry.Decide(r.Context(), actor(r), state(r).user, id, decision, comment)
	if err == nil {
		http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	ae := toAPIError(state(r).lang, err)
	if ae.kind != errs.Invalid && ae.kind != errs.Forbidden && ae.kind != errs.Conflict {
		s.pageError(w, r, err)
		return
	}
	view, verr := s.registry.View(r.Context(), pageLang(r), id)
	if verr != nil {
		s.pageError(w, r, verr)
		return
	}
	s.showRequest(w, r, ae.status, requestView{AccountView: view, Error: ae.Message, Decision: decision, Comment: comment})
}

// editableRequest loads the path's request for its requester to edit.
func (s *Server) editableRequest(r *http.Request) (*registry.AccountView, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.registry.EditableRequest(r.Context(), state(r).user, id)
}

// requestEditing edits a request its requester was asked to change, and
// sends it back for review.
func (s *Server) requestEditing() accountEditing {
	return accountEditing{title: "title.edit_request", button: "form.send_back", active: "/requests",
		load: s.editableRequest, save: s.resubmitRequest, shown: "/requests/%d?sent=1"}
}

func (s *Server) resubmitRequest(r *http.Request, id int64, a model.Account) error {
	_, err := s.registry.Resubmit(r.Context(), actor(r), state(r).user, id, a)
	return err
}

func (s *Server) requestEditPage(w http.ResponseWriter, r *http.Request) {
	s.accountEditForm(w, r, s.requestEditing())
}
func (s *Server) requestResubmit(w http.ResponseWriter, r *http.Request) {
	s.accountEditSave(w, r, s.requestEditing())
}

// apiAccountIn is an account or request body (issue 4's field names).
type apiAccountIn struct {
	Platform     string         `json:"platform"`
	Handle       string         `json:"handle"`
	ProfileURL   string         `json:"profile_url"`
	DisplayName  string         `json:"display_name"`
	Bio          string         `json:"bio"`
	Kind         string         `json:"kind"`
	Office       string         `json:"office"`
	Languages    []string       `json:"languages"`
	Audience     string         `json:"audience"`
	Purpose      string         `json:"purpose"`
	PostsPerWeek float64        `json:"posts_per_week"`
	Email        string         `json:"email"`
	Contacts     []string       `json:"contacts"`
	Managers     []string       `json:"managers"`
	Project      *model.Project `json:"project,omitempty"` // omitempty: answers leave it out for other kinds
}

func (in apiAccountIn) account() model.Account {
	return model.Account{Platform: in.Platform, Handle: in.Handle, ProfileURL: in.ProfileURL, DisplayName: in.DisplayName,
		Bio: in.Bio, Kind: in.Kind, Office: in.Office, Languages: in.Languages, Audience: in.Audience, Purpose: in.Purpose,
		PostsPerWeek: in.PostsPerWeek, Email: in.Email, Contacts: in.Contacts, Managers: in.Managers, Project: in.Project}
}

// apiChecked is an account with its checks and overlaps, as the request and
// register endpoints answer.
type apiChecked struct {
	apiAccount
	Checks   []registry.Finding `json:"checks"`
	Overlaps []apiOverlap       `json:"overlaps"`
}

// apiOverlap is an overlap with its reasons in the language the client asks
// for.
type apiOverlap struct {
	AccountID int64    `json:"id"`
	Handle    string   `json:"handle"`
	Score     float64  `json:"score"`
	Reasons   []string `json:"reasons"`
}

func toAPIChecked(lang string, res *registry.RequestResult) apiChecked {
	out := apiChecked{apiAccount: toAPIAccount(res.Account), Checks: res.Checks, Overlaps: []apiOverlap{}}
	if out.Checks == nil {
		out.Checks = []registry.Finding{}
	}
	for _, o := range res.Overlaps {
		ao := apiOverlap{AccountID: o.AccountID, Handle: o.Handle, Score: o.Score, Reasons: []string{}}
		for _, x := range o.Reasons {
			ao.Reasons = append(ao.Reasons, x.Text(lang))
		}
		out.Overlaps = append(out.Overlaps, ao)
	}
	return out
}

// apiRequestIn is a request: the account, and the reason for sending it
// despite error pre-checks, if it has any.
type apiRequestIn struct {
	apiAccountIn
	Acknowledgement string `json:"acknowledgement"`
}

func (s *Server) apiRequest(w http.ResponseWriter, r *http.Request) {
	var in apiRequestIn
	if err := decodeJSON(r, &in); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	res, err := s.registry.Request(r.Context(), actor(r), state(r).user, in.account(), in.Acknowledgement)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	out := toAPIChecked(pageLang(r), res)
	writeJSON(w, http.StatusCreated, map[string]any{"id": out.ID, "status": out.Status, "checks": out.Checks, "overlaps": out.Overlaps})
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	acc, err := s.registry.Decide(r.Context(), actor(r), state(r).user, id, in.Decision, strings.TrimSpace(in.Comment))
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIAccount(*acc))
}

// apiRequestDetail is a request with its checks, overlaps and history.
type apiRequestDetail struct {
	apiChecked
	RequestedBy string     `json:"requested_by"`
	History     []apiEvent `json:"history"`
}

// toAPIRequest is v as the API answers it, its overlaps' reasons in lang.
func toAPIRequest(lang string, v *registry.AccountView) apiRequestDetail {
	out := apiRequestDetail{apiChecked: toAPIChecked(lang, &registry.RequestResult{Account: v.Account, Checks: v.Checks,
		Overlaps: v.Overlaps}), History: []apiEvent{}}
	if v.RequestedBy != nil {
		out.RequestedBy = v.RequestedBy.Email
	}
	for _, e := range v.History {
		out.History = append(out.History, apiEvent{From: e.From, To: e.To, By: e.ActorEmail, Reason: e.Reason,
			At: e.At.UTC().Format(time.RFC3339)})
	}
	return out
}

// apiRequestGet is one request (managers: only their own).
func (s *Server) apiRequestGet(w http.ResponseWriter, r *http.Request) {
	view, err := s.loadRequest(r)
	entityResult(s, w, r, view, err, func(v *registry.AccountView) apiRequestDetail { return toAPIRequest(pageLang(r), v) })
}

// apiRequestResubmit sends a request whose changes were asked for back
// for review, with the account as corrected (its requester only).
func (s *Server) apiRequestResubmit(w http.ResponseWriter, r *http.Request) {
	var in apiAccountIn
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	if _, err := s.registry.Resubmit(r.Context(), actor(r), state(r).user, id, in.account()); err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	view, err := s.registry.RequestFor(r.Context(), state(r).user, checksLang(r), id)
	entityResult(s, w, r, view, err, func(v *registry.AccountView) apiRequestDetail { return toAPIRequest(pageLang(r), v) })
}

// apiRequests lists the requests waiting for a decision that the caller
// may see (managers: their own), oldest first, with the Requests page's
// status filter.
func (s *Server) apiRequests(w http.ResponseWriter, r *http.Request) {
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	accs, err := s.registry.RequestsPage(r.Context(), state(r).user, r.URL.Query().Get("status"), lr.Page)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeRows(w, lr, accs, func(a *model.Account) apiAccount { return toAPIAccount(*a) }, func(i int) string { return store.AccountKey(registry.RequestsSort, accs[i]) })
}
