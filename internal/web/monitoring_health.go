package web

import (
	"html/template"
	"net/http"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/store"
)

// chartWeeks is how many weeks the account page's charts cover.
const chartWeeks = 26

// healthSummary is an account's latest evaluation with the pack's targets
// it was judged against, as the dashboard and the account page show it.
type healthSummary struct {
	health.Result
	AtRiskSince *time.Time
	Plan30d     float64  // posts the declared plan asks for in 30 days
	Plan90d     float64  // and in 90 days
	Floor       *float64 // the engagement floor of the account's platform; nil when not judged
}

// Engagement is the engagement rate, for display.
func (h healthSummary) Engagement() float64 { return *h.EngagementRate }

// FloorRate is the engagement floor, for display.
func (h healthSummary) FloorRate() float64 { return *h.Floor }

// healthSection is the account page's Health section.
type healthSection struct {
	Health      *healthSummary // nil: never evaluated
	Grace       riskItem
	PostsChart  template.HTML
	EngageChart template.HTML
	Sync        *store.SyncState // admins only
	Weeks       int
	CanImport   bool
	CanClose    bool
	CanEvaluate bool   // "evaluate now": admins, for the accounts the evaluation judges
	CSRF        string // for the section's own form
}

// summarize pairs a stored evaluation with the pack's targets for acc.
func (s *Server) summarize(acc model.Account, rec *monitor.HealthRecord) *healthSummary {
	p := s.checker.Pack().Parameters.Health
	h := &healthSummary{Result: rec.Result, AtRiskSince: rec.AtRiskSince,
		Plan30d: acc.PostsPerWeek * 30 / 7, Plan90d: acc.PostsPerWeek * 90 / 7}
	f, ok := p.EngagementFloor[acc.Platform]
	if !ok {
		f, ok = p.EngagementFloor["default"]
	}
	if ok {
		h.Floor = &f
	}
	return h
}

// accountHealth reads the latest evaluation of acc; nil when never evaluated.
func (s *Server) accountHealth(r *http.Request, acc model.Account) (*healthSummary, error) {
	rec, err := s.monitor.Health(r.Context(), acc.ID)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.summarize(acc, rec), nil
}

// attachHealth fills each item's latest evaluation.
func (s *Server) attachHealth(r *http.Request, items []riskItem) error {
	for i := range items {
		h, err := s.accountHealth(r, items[i].Account)
		if err != nil {
			return err
		}
		items[i].Health = h
	}
	return nil
}

// healthFor builds the account page's Health section.
func (s *Server) healthFor(r *http.Request, acc model.Account) (*healthSection, error) {
	u := state(r).user
	sec := &healthSection{CSRF: state(r).csrf, Weeks: chartWeeks, CanImport: monitor.MayImport(u, &acc),
		CanClose:    auth.Allowed(u.Role, auth.AccountsClose) && closable(acc.Status),
		CanEvaluate: auth.Allowed(u.Role, auth.AccountsManage) && monitored(acc.Status)}
	var err error
	if sec.Health, err = s.accountHealth(r, acc); err != nil {
		return nil, err
	}
	items, err := s.riskItems(r, []model.Account{acc})
	if err != nil {
		return nil, err
	}
	sec.Grace = items[0]
	charts, err := s.monitor.Charts(r.Context(), pageLang(r), acc.ID, chartWeeks, time.Time{})
	if err != nil {
		return nil, err
	}
	sec.PostsChart, sec.EngageChart = charts.PostsPerWeek, charts.Engagement
	if auth.Allowed(u.Role, auth.AccountsManage) {
		if sec.Sync, err = s.monitor.SyncState(r.Context(), acc.ID); err != nil {
			return nil, err
		}
	}
	return sec, nil
}
