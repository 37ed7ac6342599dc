package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
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
	// Imitated holds, by found account id, the registered account it most
	// resembles.
	Imitated map[int64]*model.Account
	Scores   map[int64]string // lookalike scores as shown, by found account id
	// Takedown is the report to send the platform about TakedownFor,
	// confirmed as an impersonation.
	Takedown    *registry.ImpersonationReport
	TakedownFor *model.FoundAccount
}

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
	v.Imitated, v.Scores = map[int64]*model.Account{}, map[int64]string{}
	byID := map[int64]*model.Account{}
	for _, f := range v.Found {
		if f.LookalikeScore != nil {
			v.Scores[f.ID] = strconv.FormatFloat(*f.LookalikeScore, 'f', 2, 64)
		}
		if f.ImitatesID == nil {
			continue
		}
		acc := byID[*f.ImitatesID]
		if acc == nil {
			if acc, err = s.registry.Account(r.Context(), *f.ImitatesID); err != nil {
				s.pageError(w, r, err)
				return
			}
			byID[acc.ID] = acc
		}
		v.Imitated[f.ID] = acc
	}
	v.Pager = newPager("/found", q, pg, foundPerPage, v.Total)
	s.render(w, r, status, "found", page{Title: tr(r, "title.found"), Active: "/found", Data: v})
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
		ae := toAPIError(state(r).lang, err)
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
			http.Redirect(w, r, "/requests/new?found="+strconv.FormatInt(fa.ID, 10), http.StatusSeeOther)
			return
		}
		s.showFound(w, r, http.StatusOK, foundView{Notice: tr(r, "found.notice.request", fa.Handle)})
	case "personal":
		in := registry.AccountInput{Kind: model.KindPersonal, Platform: fa.Platform, Handle: fa.Handle, DisplayName: fa.DisplayName, WorkUse: true}
		s.showFound(w, r, http.StatusOK, foundView{Notice: tr(r, "found.notice.personal", fa.Handle),
			Advice: registry.CheckAccount(s.checker.Pack(), in), AdviceFor: fa})
	case "impersonation":
		s.showTakedownText(w, r, fa, tr(r, "found.notice.impersonation", fa.Handle))
	default:
		s.showFound(w, r, http.StatusOK, foundView{Notice: tr(r, "found.notice.state", fa.Handle, enum(pageLang(r), "found_state", fa.State))})
	}
}

// foundTakedownText shows again the report to send the platform about an
// impersonation.
func (s *Server) foundTakedownText(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	fa, err := s.registry.FoundAccount(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showTakedownText(w, r, fa, "")
}

func (s *Server) showTakedownText(w http.ResponseWriter, r *http.Request, fa *model.FoundAccount, notice string) {
	rep, err := s.registry.ImpersonationReport(r.Context(), fa.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showFound(w, r, http.StatusOK, foundView{Notice: notice, Takedown: rep, TakedownFor: fa})
}

// apiFound lists the triage queue (?state=, default new), a page at a
// time, with each account's lookalike score, the registered account it
// imitates and why, and how many public reports named it.
func (s *Server) apiFound(w http.ResponseWriter, r *http.Request) {
	st := r.URL.Query().Get("state")
	if st == "" {
		st = model.FoundNew
	}
	lr, err := readList(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	found, err := s.registry.FoundPage(r.Context(), st, lr.Page)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	items := make([]apiFoundItem, 0, len(found))
	for _, f := range found {
		it, err := s.toAPIFound(r.Context(), pageLang(r), &f)
		if err != nil {
			s.writeAPIError(w, r, err)
			return
		}
		items = append(items, it)
	}
	writeList(w, lr, items, func(i int) string { return store.IDKey(found[i].ID) })
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
	s.showFound(w, r, http.StatusOK, foundView{Notice: tr(r, "found.notice.takedown", fa.Handle, fa.TakedownState)})
}

func (s *Server) foundFailed(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(state(r).lang, err)
	if ae.kind == errs.Internal || ae.kind == errs.NotFound {
		s.pageError(w, r, err)
		return
	}
	s.showFound(w, r, ae.status, foundView{Error: ae.Message})
}

// apiFoundItem is a found account as the API answers it: its lookalike
// score, the registered account it imitates and why, its public reports.
type apiFoundItem struct {
	ID             int64        `json:"id"`
	Platform       string       `json:"platform"`
	Handle         string       `json:"handle"`
	DisplayName    string       `json:"display_name"`
	URL            string       `json:"url"`
	Source         string       `json:"source"`
	State          string       `json:"state"`
	TakedownState  string       `json:"takedown_state,omitempty"`
	LookalikeScore *float64     `json:"lookalike_score"`
	Imitates       *apiImitates `json:"imitates"`
	Reasons        []string     `json:"reasons"`
	ReportCount    int          `json:"report_count"`
}

type apiImitates struct {
	ID       int64  `json:"id"`
	Platform string `json:"platform"`
	Handle   string `json:"handle"`
}

// toAPIFound is f as the API answers it, its reasons in lang.
func (s *Server) toAPIFound(ctx context.Context, lang string, f *model.FoundAccount) (apiFoundItem, error) {
	it := apiFoundItem{ID: f.ID, Platform: f.Platform, Handle: f.Handle, DisplayName: f.DisplayName, URL: f.URL, Source: f.Source,
		State: f.State, TakedownState: f.TakedownState, LookalikeScore: f.LookalikeScore, Reasons: []string{}, ReportCount: f.ReportCount}
	for _, x := range f.Reasons {
		it.Reasons = append(it.Reasons, x.Text(lang))
	}
	if f.ImitatesID != nil {
		acc, err := s.registry.Account(ctx, *f.ImitatesID)
		if err != nil {
			return it, err
		}
		it.Imitates = &apiImitates{ID: acc.ID, Platform: acc.Platform, Handle: acc.Handle}
	}
	return it, nil
}

// apiFoundResult answers a triage action with the found account as it is now.
func (s *Server) apiFoundResult(w http.ResponseWriter, r *http.Request, fa *model.FoundAccount, err error) {
	var it apiFoundItem
	if err == nil {
		it, err = s.toAPIFound(r.Context(), pageLang(r), fa)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, it)
}

// apiFoundTriage records a triage decision (the UI's actions: impersonation,
// start-request, personal, dismiss; a reason for dismissals).
func (s *Server) apiFoundTriage(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Action string `json:"action"`
		Reason string `json:"reason"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	fa, err := s.registry.Triage(r.Context(), actor(r), id, in.Action, strings.TrimSpace(in.Reason))
	s.apiFoundResult(w, r, fa, err)
}

// apiFoundTakedown records where the takedown of an impersonation stands.
func (s *Server) apiFoundTakedown(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Takedown string `json:"takedown"`
		Note     string `json:"note"`
	}
	id, err := idAndJSON(r, &in)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	fa, err := s.registry.SetTakedown(r.Context(), actor(r), id, in.Takedown, strings.TrimSpace(in.Note))
	s.apiFoundResult(w, r, fa, err)
}

// apiFoundTakedownText is the report to send the platform about an impersonation.
func (s *Server) apiFoundTakedownText(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	rep, err := s.registry.ImpersonationReport(r.Context(), id)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
