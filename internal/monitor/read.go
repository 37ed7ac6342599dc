package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// HealthRecord is an account's latest stored evaluation.
type HealthRecord struct {
	AccountID   int64
	Result      health.Result // the API's "health" object
	AtRiskSince *time.Time    // nil when healthy
}

func record(h store.HealthRow) (HealthRecord, error) {
	r := health.Result{State: h.State, LastPostAt: h.LastPostAt, Posts30d: h.Posts30d, Posts90d: h.Posts90d,
		EngagementRate: h.EngagementRate, FollowerTrend: h.FollowerTrend, EvaluatedAt: h.EvaluatedAt}
	if err := json.Unmarshal([]byte(h.Reasons), &r.Reasons); err != nil {
		return HealthRecord{}, fmt.Errorf("account %d: stored health reasons: %w", h.AccountID, err)
	}
	if r.Reasons == nil {
		r.Reasons = []health.Reason{}
	}
	return HealthRecord{AccountID: h.AccountID, Result: r, AtRiskSince: h.AtRiskSince}, nil
}

// Health returns an account's latest evaluation; an errs.NotFound error when it
// was never evaluated.
func (m *Monitor) Health(ctx context.Context, accountID int64) (*HealthRecord, error) {
	h, err := m.st.Health(ctx, accountID)
	if err != nil {
		return nil, err
	}
	r, err := record(*h)
	return &r, err
}

// AccountHealth is an account with its latest evaluation.
type AccountHealth struct {
	Account model.Account
	Health  HealthRecord
}

// AtRisk returns a page of the accounts evaluated at risk (active, at risk
// or proposed for closure), at risk longest first, and the total.
// limit <= 0 means 50, at most 1000.
func (m *Monitor) AtRisk(ctx context.Context, limit, offset int) ([]AccountHealth, int, error) {
	return m.healthPage(m.st.AtRisk(ctx, limit, offset))
}

// Unknown returns a page of the accounts evaluated unknown (no data at
// all: never synced nor imported), registered longest ago first, and the
// total: the accounts whose owners must connect or import something.
// limit <= 0 means 50, at most 1000.
func (m *Monitor) Unknown(ctx context.Context, limit, offset int) ([]AccountHealth, int, error) {
	return m.healthPage(m.st.Unknown(ctx, limit, offset))
}

func (m *Monitor) healthPage(rows []store.AccountHealth, total int, err error) ([]AccountHealth, int, error) {
	if err != nil {
		return nil, 0, err
	}
	out := make([]AccountHealth, 0, len(rows))
	for _, r := range rows {
		rec, err := record(r.Health)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, AccountHealth{Account: r.Account, Health: rec})
	}
	return out, total, nil
}

// Counts are the dashboard's account counts.
type Counts struct {
	Total                                  int
	ByPlatform, ByKind, ByOffice, ByStatus map[string]int
}

// Counts counts the registry's accounts by platform, kind, office and status.
func (m *Monitor) Counts(ctx context.Context) (*Counts, error) {
	rows, err := m.st.AccountCounts(ctx)
	if err != nil {
		return nil, err
	}
	c := &Counts{ByPlatform: map[string]int{}, ByKind: map[string]int{}, ByOffice: map[string]int{}, ByStatus: map[string]int{}}
	for _, r := range rows {
		c.Total += r.N
		c.ByPlatform[r.Platform] += r.N
		c.ByKind[r.Kind] += r.N
		c.ByOffice[r.Office] += r.N
		c.ByStatus[r.Status] += r.N
	}
	return c, nil
}

// Charts are an account's two SVG charts.
type Charts struct {
	PostsPerWeek, Engagement template.HTML
}

// Charts renders posts per week (with the declared plan) and engagement
// (with the pack's floor for the platform, 0 = none) over weeks weeks ending
// at asOf (zero: now; weeks 0 means 26), with their words in lang.
func (m *Monitor) Charts(ctx context.Context, lang string, accountID int64, weeks int, asOf time.Time) (*Charts, error) {
	if asOf.IsZero() {
		asOf = m.now()
	}
	if weeks <= 0 {
		weeks = 26
	}
	weeks = min(weeks, 520)
	acc, err := m.st.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	from := asOf.Add(-time.Duration(weeks) * 7 * 24 * time.Hour)
	posts, err := m.st.Posts(ctx, accountID, from, asOf)
	if err != nil {
		return nil, err
	}
	profiles, err := m.st.Profiles(ctx, accountID, from.Add(-30*24*time.Hour), asOf)
	if err != nil {
		return nil, err
	}
	p := m.o.Pack.Parameters.Health
	floor, ok := p.EngagementFloor[acc.Platform]
	if !ok {
		floor = p.EngagementFloor["default"]
	}
	return &Charts{
		PostsPerWeek: health.PostsPerWeekChart(lang, posts, acc.PostsPerWeek, weeks, asOf),
		Engagement:   health.EngagementChart(lang, posts, profiles, floor, weeks, asOf),
	}, nil
}

// MayImport reports whether u may import analytics for acc: those with the
// analytics permission who manage every account (admins) for any account,
// managers only for the accounts they manage.
func MayImport(u *model.User, acc *model.Account) bool {
	if u == nil || !auth.Allowed(u.Role, auth.AnalyticsImport) {
		return false
	}
	return auth.Allowed(u.Role, auth.AccountsManage) || acc.ManagedBy(u)
}

// AnalyticsAccount returns account id for u to import analytics into, or
// errs.Forbidden when u may not.
func (m *Monitor) AnalyticsAccount(ctx context.Context, u *model.User, id int64) (*model.Account, error) {
	acc, err := m.st.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if !MayImport(u, acc) {
		return nil, errs.Errorf(errs.Forbidden, "analytics.not_manager", "only an admin or a manager of %s may import its analytics", acc.Handle)
	}
	return acc, nil
}

// ImportAnalytics writes the posts of an analytics file (a preview from
// connector.ImportAnalytics without problems) to one account, all or
// nothing, upserting by external id. Audited as "activity.import".
func (m *Monitor) ImportAnalytics(ctx context.Context, a model.Actor, accountID int64, posts []model.Post) (int, error) {
	acc, err := m.st.Account(ctx, accountID)
	if err != nil {
		return 0, err
	}
	out := make([]model.Post, len(posts))
	for i, p := range posts {
		p.AccountID, p.Platform, p.Source = acc.ID, acc.Platform, "analytics"
		out[i] = p
	}
	if err := m.st.ImportPosts(ctx, a, accountID, out); err != nil {
		return 0, err
	}
	return len(out), nil
}
