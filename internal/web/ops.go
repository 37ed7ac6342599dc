package web

import (
	"context"
	"net/http"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the database answers within two seconds.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(r.Context(), "readiness", "request_id", requestID(r), "err", err)
		s.writeAPIError(w, r, errorf(codeUnavailable, "the database does not answer"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

type dashboardView struct {
	PolicyRef, PolicyTitle, PackID, PackVersion string
	Rules, Accounts                             int
	CanCheck                                    bool
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	_, total, err := s.store.Accounts(r.Context(), store.AccountFilter{Limit: 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.checker.Pack()
	v := dashboardView{PolicyRef: p.Pack.Policy.Reference, PolicyTitle: p.Pack.Policy.Title, PackID: p.Pack.ID,
		PackVersion: p.Pack.Version, Rules: len(p.Rules), Accounts: total,
		CanCheck: auth.Allowed(state(r).user.Role, auth.CheckRun)}
	s.render(w, r, http.StatusOK, "dashboard", page{Title: "Dashboard", Active: "Dashboard", Data: v})
}
