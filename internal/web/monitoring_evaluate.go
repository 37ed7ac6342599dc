package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

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
		s.renderStatus(w, r, http.StatusConflict, "Not evaluated",
			"Only active, at-risk and closure-proposed accounts are evaluated under policy 4.6; this account is none of these.")
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
	sum, err := s.monitor.Evaluate(r.Context(), time.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/?evaluated=%d&at_risk=%d&unknown=%d", sum.Evaluated, sum.AtRisk, sum.Unknown), http.StatusSeeOther)
}
