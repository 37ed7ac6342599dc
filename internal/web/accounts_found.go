package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
)

// foundStates are the triage queue's filters, the waiting ones first.
var foundStates = []string{model.FoundNew, model.FoundImpersonation, model.FoundRequested, model.FoundPersonal, model.FoundDismissed}

var takedownStates = []string{model.TakedownRequested, model.TakedownSubmitted, model.TakedownRemoved, model.TakedownRefused}

const foundPerPage = 50

type foundView struct {
	State          string
	States         []string
	TakedownStates []string
	Found          []model.FoundAccount
	Total          int
	Pager          pager
	Notice, Error  string
	Problems       []registry.RowProblem
	Advice         []registry.Finding // 5.2(a) advice to send after "personal"
	AdviceFor      *model.FoundAccount
	Added, Skipped int
	Imported       bool
}

const foundTitle = "Unregistered accounts"

func (s *Server) foundPage(w http.ResponseWriter, r *http.Request) {
	s.showFound(w, r, http.StatusOK, foundView{})
}

// showFound renders the queue (filtered by ?state=, default new) under v's
// messages.
func (s *Server) showFound(w http.ResponseWriter, r *http.Request, status int, v foundView) {
	q := r.URL.Query()
	v.State = q.Get("state")
	if v.State == "" {
		v.State = model.FoundNew
	}
	v.States, v.TakedownStates = foundStates, takedownStates
	pg := pageParam(q)
	var err error
	v.Found, v.Total, err = s.registry.Found(r.Context(), v.State, foundPerPage, (pg-1)*foundPerPage)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Pager = newPager("/found", q, pg, foundPerPage, v.Total)
	s.render(w, r, status, "found", page{Title: foundTitle, Active: "Found", Data: v})
}

func (s *Server) foundImport(w http.ResponseWriter, r *http.Request) {
	data, err := uploadedCSV(r, "file")
	var v foundView
	if err == nil {
		v.Added, v.Skipped, v.Problems, err = s.registry.ImportFound(r.Context(), actor(r), bytes.NewReader(data))
		v.Imported = err == nil
	}
	status := http.StatusOK
	if err != nil {
		ae := toAPIError(err)
		if ae.kind == errs.Internal {
			s.fail(w, r, err)
			return
		}
		v.Error, status = ae.Message, ae.status
	}
	s.showFound(w, r, status, v)
}

func (s *Server) foundTriage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	action := r.PostFormValue("action")
	fa, err := s.registry.Triage(r.Context(), actor(r), id, action, strings.TrimSpace(r.PostFormValue("reason")))
	if err != nil {
		s.foundFailed(w, r, err)
		return
	}
	switch action {
	case "start-request":
		// An institutional account that skipped authorization: its request
		// starts from what was found, if this user may ask for accounts.
		if auth.Allowed(state(r).user.Role, auth.RequestsCreate) {
			q := url.Values{"platform": {fa.Platform}, "handle": {fa.Handle}, "display_name": {fa.DisplayName}, "profile_url": {fa.URL}}
			http.Redirect(w, r, "/requests/new?"+q.Encode(), http.StatusSeeOther)
			return
		}
		s.showFound(w, r, http.StatusOK, foundView{Notice: fa.Handle + " is marked for a request: its manager should now ask for it under Requests."})
	case "personal":
		in := registry.AccountInput{Kind: model.KindPersonal, Platform: fa.Platform, Handle: fa.Handle, DisplayName: fa.DisplayName, WorkUse: true}
		s.showFound(w, r, http.StatusOK, foundView{Notice: fa.Handle + " is marked as a personal account.",
			Advice: registry.CheckAccount(s.checker.Pack(), in), AdviceFor: fa})
	default:
		s.showFound(w, r, http.StatusOK, foundView{Notice: fa.Handle + " is now " + fa.State + "."})
	}
}

func (s *Server) foundTakedown(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	fa, err := s.registry.SetTakedown(r.Context(), actor(r), id, r.PostFormValue("takedown"), strings.TrimSpace(r.PostFormValue("note")))
	if err != nil {
		s.foundFailed(w, r, err)
		return
	}
	s.showFound(w, r, http.StatusOK, foundView{Notice: "Takedown of " + fa.Handle + ": " + fa.TakedownState + "."})
}

func (s *Server) foundFailed(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(err)
	if ae.kind == errs.Internal || ae.kind == errs.NotFound {
		s.pageError(w, r, err)
		return
	}
	s.showFound(w, r, ae.status, foundView{Error: ae.Message})
}
