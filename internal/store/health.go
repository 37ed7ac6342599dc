package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// HealthRow is an account's latest health evaluation as stored. Reasons is
// the JSON list of reasons; nil figures were unknown.
type HealthRow struct {
	AccountID      int64
	State          string
	Reasons        string
	LastPostAt     *time.Time
	Posts30d       int
	Posts90d       int
	EngagementRate *float64
	FollowerTrend  *float64
	EvaluatedAt    time.Time
	AtRiskSince    *time.Time
}

func (h *HealthRow) dst() []any {
	return []any{&h.AccountID, &h.State, &h.Reasons, scanNullTime{&h.LastPostAt}, &h.Posts30d, &h.Posts90d,
		&h.EngagementRate, &h.FollowerTrend, scanTime{&h.EvaluatedAt}, scanNullTime{&h.AtRiskSince}}
}

// SaveHealth stores evaluation results (replacing each account's previous
// one) in one transaction. Not audited: the figures are derived data; the
// status changes they cause go through TransitionAccount.
func (s *Store) SaveHealth(ctx context.Context, rows []HealthRow) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, s.q("health-upsert"))
		if err != nil {
			return err
		}
		defer st.Close()
		for _, h := range rows {
			if _, err := st.ExecContext(ctx, h.AccountID, h.State, h.Reasons, s.ntv(h.LastPostAt), h.Posts30d,
				h.Posts90d, h.EngagementRate, h.FollowerTrend, s.tv(h.EvaluatedAt), s.ntv(h.AtRiskSince)); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// Health returns an account's latest evaluation, or ErrNotFound.
func (s *Store) Health(ctx context.Context, accountID int64) (*HealthRow, error) {
	var h HealthRow
	if err := s.r.QueryRowContext(ctx, s.q("health"), accountID).Scan(h.dst()...); err != nil {
		return nil, mapErr(err)
	}
	return &h, nil
}

// AccountHealth is an account with its latest evaluation.
type AccountHealth struct {
	Account model.Account
	Health  HealthRow
}

// AtRisk returns a page of the monitored accounts whose latest evaluation
// is at risk, at risk longest first, and how many there are.
func (s *Store) AtRisk(ctx context.Context, limit, offset int) ([]AccountHealth, int, error) {
	return s.healthPage(ctx, "at-risk", limit, offset)
}

// Unknown returns a page of the monitored accounts whose latest evaluation
// found no data at all, registered longest ago first, and how many there are.
func (s *Store) Unknown(ctx context.Context, limit, offset int) ([]AccountHealth, int, error) {
	return s.healthPage(ctx, "unknown", limit, offset)
}

// healthPage reads a page of the accounts whose latest evaluation is in
// state, and how many there are.
func (s *Store) healthPage(ctx context.Context, state string, limit, offset int) ([]AccountHealth, int, error) {
	if limit <= 0 {
		limit = 50
	}
	limit, offset = min(limit, 1000), max(offset, 0)
	var total int
	if err := s.r.QueryRowContext(ctx, s.q("health-in-state-count"), state).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.r.QueryContext(ctx, s.q("health-in-state"), state, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	var hs []HealthRow
	for rows.Next() {
		var h HealthRow
		if err := rows.Scan(h.dst()...); err != nil {
			rows.Close()
			return nil, 0, err
		}
		hs = append(hs, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(hs) == 0 {
		return nil, total, err
	}
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.AccountID
	}
	accs, err := s.accountsByID(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[int64]model.Account, len(accs))
	for _, a := range accs {
		byID[a.ID] = a
	}
	out := make([]AccountHealth, 0, len(hs))
	for _, h := range hs {
		out = append(out, AccountHealth{Account: byID[h.AccountID], Health: h})
	}
	return out, total, nil
}
