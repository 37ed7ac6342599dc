package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
)

// evaluateAccount judges one account's activity under 4.6 now ("evaluate
// now"), applies its status change and returns to its health section.
func (s *Server) evaluateAccount(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	_, _, err = s.monitor.EvaluateAccount(r.Context(), id, time.Now())
	if errors.Is(err, monitor.ErrNotMonitored) {
		s.pageError(w, r, errorf(errs.Conflict, "not_monitored",
			"only active, at-risk and closure-proposed accounts are evaluated under policy 4.6; this account is none of these"))
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/accounts/"+strconv.FormatInt(id, 10)+"?evaluated=1#health", http.StatusSeeOther)
}

// evaluateAll judges every monitored account now and returns to the
// dashboard with the counts.
func (s *Server) evaluateAll(w http.ResponseWriter, r *http.Request) {
	sum, err := s.monitor.Evaluate(r.Context(), s.cfg.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/?evaluated=%d&at_risk=%d&unknown=%d", sum.Evaluated, sum.AtRisk, sum.Unknown), http.StatusSeeOther)
}

// monitored reports whether the evaluation judges an account in status
// (the others have no "evaluate now" button).
func monitored(status string) bool {
	return status == model.StatusActive || status == model.StatusAtRisk || status == model.StatusClosureProposed
}

// evaluatedNotice says what "evaluate now" found, after its redirect; ""
// when the page was not reached from it.
func evaluatedNotice(r *http.Request) string {
	q := r.URL.Query()
	n, err := strconv.Atoi(q.Get("evaluated"))
	if err != nil || n < 0 {
		return ""
	}
	if q.Get("at_risk") == "" && q.Get("unknown") == "" {
		return tr(r, "health.evaluated_one")
	}
	atRisk, _ := strconv.Atoi(q.Get("at_risk"))
	unknown, _ := strconv.Atoi(q.Get("unknown"))
	return tr(r, "health.evaluated_all", n, max(atRisk, 0), max(unknown, 0))
}

// apiEvaluateAccount judges one account under 4.6 now, applies its status
// change, and answers the health found and the account's status after it.
func (s *Server) apiEvaluateAccount(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	rec, _, err := s.monitor.EvaluateAccount(r.Context(), id, s.cfg.Now())
	if errors.Is(err, monitor.ErrNotMonitored) {
		err = errorf(errs.Conflict, "not_monitored",
			"only active, at-risk and closure-proposed accounts are evaluated under policy 4.6; this account is none of these")
	}
	var acc *model.Account
	if err == nil {
		acc, err = s.registry.Account(r.Context(), id)
	}
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		AccountID   int64         `json:"account_id"`
		Status      string        `json:"status"`
		Health      health.Result `json:"health"`
		AtRiskSince *time.Time    `json:"at_risk_since"`
	}{id, acc.Status, rec.Result, utcPtr(rec.AtRiskSince)})
}

// apiEvaluateAll judges every monitored account now, as "evaluate all" on
// the dashboard does, and says how many it judged and found at risk or
// without data.
func (s *Server) apiEvaluateAll(w http.ResponseWriter, r *http.Request) {
	sum, err := s.monitor.Evaluate(r.Context(), s.cfg.Now())
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Evaluated int `json:"evaluated"`
		Healthy   int `json:"healthy"`
		AtRisk    int `json:"at_risk"`
		Unknown   int `json:"unknown"`
	}{sum.Evaluated, sum.Healthy, sum.AtRisk, sum.Unknown})
}
