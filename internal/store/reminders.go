package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// WaitingStep is a draft's review step waiting for a decision.
type WaitingStep struct {
	DraftID, AccountID, AuthorID int64
	Version, Step                int
	StepWho                      string
	Kind, Office                 string
	Platform, Handle             string
	Since                        time.Time // when the step began: the submission, or the approval of the step before
}

// ReviewWaiting lists every draft in review with when its current step
// began, longest waiting first.
func (s *Store) ReviewWaiting(ctx context.Context) ([]WaitingStep, error) {
	rows, err := s.r.QueryContext(ctx, s.q("review-waiting"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WaitingStep
	for rows.Next() {
		var w WaitingStep
		var approved *time.Time
		if err := rows.Scan(&w.DraftID, &w.AccountID, &w.AuthorID, &w.Version, &w.Step, &w.StepWho, &w.Kind,
			&w.Office, &w.Platform, &w.Handle, scanTime{&w.Since}, scanNullTime{&approved}); err != nil {
			return nil, err
		}
		if approved != nil && approved.After(w.Since) {
			w.Since = *approved
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// RemindReview records that w's step waited past its service level and
// writes notes with it, once per step: false (and nothing written) when
// another pass or instance already reminded. No audit event: the reminder
// has no actor, and the draft's own events say when it waited.
func (s *Store) RemindReview(ctx context.Context, w WaitingStep, notes []model.Notification) (bool, error) {
	sent := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		sent = false
		res, err := tx.ExecContext(ctx, s.q("review-reminder-insert"), w.DraftID, w.Step, s.tv(w.Since), s.tv(s.now()))
		if err != nil {
			return mapErr(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		sent = true
		return s.insertNotifications(ctx, tx, notes)
	})
	return sent, err
}
