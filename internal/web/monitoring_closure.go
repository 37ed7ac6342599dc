package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/review"
)

// closable reports whether an admin may close an account or keep it open
// (policy 4.6): once it is at risk or proposed for closure.
func closable(status string) bool {
	return status == model.StatusAtRisk || status == model.StatusClosureProposed
}

// closureView is the closing page: the account, why it is at risk, its
// grace period, the closing checklist and the keep-open form.
type closureView struct {
	Item      riskItem
	Checklist monitor.Checklist
	Reason    string // the close form's reason, kept after an error
	KeepWhy   string // the keep-open form's reason, kept after an error
	Error     string
	KeepError string
	// Mains are the accounts a farewell post may point to.
	Mains         []model.Account
	FarewellError string
}

func (s *Server) closurePage(w http.ResponseWriter, r *http.Request) {
	s.showClosure(w, r, http.StatusOK, closureView{})
}

// showClosure renders the closing page for the account in the path; a
// status that allows no decision says so instead of showing the forms.
func (s *Server) showClosure(w http.ResponseWriter, r *http.Request, status int, v closureView) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	acc, err := s.registry.Account(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	items, err := s.riskItems(r, []model.Account{*acc})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Item = items[0]
	if closable(acc.Status) {
		mains, err := s.review.MainAccounts(r.Context(), *acc)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Mains = slices.DeleteFunc(mains, func(m model.Account) bool { return m.ID == acc.ID })
	}
	s.render(w, r, status, "closure", page{Title: tr(r, "title.closure", acc.Handle), Active: "/accounts", Data: v})
}

func (s *Server) closeAccount(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	c := monitor.Checklist{
		ContentArchived:         r.PostFormValue("content_archived") == "1",
		CredentialsRevoked:      r.PostFormValue("credentials_revoked") == "1",
		RemovedFromVerification: r.PostFormValue("removed_from_verification") == "1",
		KeepHandleParked:        r.PostFormValue("keep_parked") == "1",
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	_, err = s.monitor.Close(r.Context(), actor(r), id, c, reason)
	if err == nil {
		http.Redirect(w, r, "/accounts/"+strconv.FormatInt(id, 10)+"?closed=1", http.StatusSeeOther)
		return
	}
	s.closureFailed(w, r, err, closureView{Checklist: c, Reason: reason}, func(v *closureView, msg string) { v.Error = msg })
}

// draftFarewell drafts the farewell post and opens it for editing.
func (s *Server) draftFarewell(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	mainID, err := strconv.ParseInt(r.PostFormValue("main_account"), 10, 64)
	if err != nil || mainID <= 0 {
		err = errs.E(errs.Invalid, "farewell.main_account", "main_account: choose the main account to point followers to")
	} else {
		var dv *review.DraftView
		if dv, err = s.draftFarewellOn(r, id, mainID); err == nil {
			http.Redirect(w, r, "/drafts/"+strconv.FormatInt(dv.Draft.ID, 10), http.StatusSeeOther)
			return
		}
	}
	s.closureFailed(w, r, err, closureView{}, func(v *closureView, msg string) { v.FarewellError = msg })
}

// draftFarewellOn drafts the farewell post of an account that may be
// closed, pointing to mainID (0: the platform's first open corporate account).
func (s *Server) draftFarewellOn(r *http.Request, id, mainID int64) (*review.DraftView, error) {
	acc, err := s.registry.Account(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !closable(acc.Status) {
		return nil, errorf(errs.Conflict, "farewell_not_closing", "%s is %s: a farewell post is drafted for an account at risk or proposed for closure", acc.Handle, acc.Status)
	}
	return s.review.DraftFarewell(r.Context(), actor(r), state(r).user, id, mainID)
}

func (s *Server) keepOpen(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	_, err = s.monitor.KeepOpen(r.Context(), actor(r), id, reason)
	if err == nil {
		http.Redirect(w, r, "/accounts/"+strconv.FormatInt(id, 10)+"?kept=1", http.StatusSeeOther)
		return
	}
	s.closureFailed(w, r, err, closureView{KeepWhy: reason}, func(v *closureView, msg string) { v.KeepError = msg })
}

// closureFailed shows the closing page again with what went wrong next to
// the form that was sent.
func (s *Server) closureFailed(w http.ResponseWriter, r *http.Request, err error, v closureView, set func(*closureView, string)) {
	ae := toAPIError(state(r).lang, err)
	if ae.kind == errs.Internal {
		s.fail(w, r, err)
		return
	}
	set(&v, ae.Message)
	s.showClosure(w, r, ae.status, v)
}

// closureNotice confirms a closing decision on the account page it
// redirects to.
func closureNotice(r *http.Request) string {
	switch {
	case r.URL.Query().Get("closed") == "1":
		return tr(r, "closure.notice.closed")
	case r.URL.Query().Get("kept") == "1":
		return tr(r, "closure.notice.kept")
	}
	return ""
}
