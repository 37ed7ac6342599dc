package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/herald-gov/herald/internal/errs"
)

// IdempotencyWindow is how long the answer to a request with an
// Idempotency-Key is kept and given again.
const IdempotencyWindow = 24 * time.Hour

// IdempotentAnswer is what a token's earlier request with the same key was
// and answered: Status is 0 while that request still runs.
type IdempotentAnswer struct {
	Fingerprint string
	CreatedAt   time.Time
	Status      int
	ContentType string
	Body        []byte
}

// ClaimIdempotencyKey starts the request of token with key, identified by
// fingerprint (its method, path and body). When no answer younger than
// IdempotencyWindow is kept for the key, it claims the key and returns nil:
// run the request, then SaveIdempotentAnswer or ReleaseIdempotencyKey.
// Otherwise it returns the earlier request; two claims at once leave one
// claimant, on both databases (the key is the primary key).
func (s *Store) ClaimIdempotencyKey(ctx context.Context, tokenID int64, key, fingerprint string, now time.Time) (*IdempotentAnswer, error) {
	var prev *IdempotentAnswer
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("idem-expire"), s.tv(now.Add(-IdempotencyWindow))); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q("idem-claim"), tokenID, key, fingerprint, s.tv(now))
		if err != nil {
			return mapErr(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		prev, err = scanAnswer(tx.QueryRowContext(ctx, s.q("idem-get"), tokenID, key))
		return err
	})
	return prev, err
}

// IdempotentAnswerOf reads the kept request of token with key; NotFound
// when there is none (it was released or has expired).
func (s *Store) IdempotentAnswerOf(ctx context.Context, tokenID int64, key string) (*IdempotentAnswer, error) {
	return scanAnswer(s.r.QueryRowContext(ctx, s.q("idem-get"), tokenID, key))
}

func scanAnswer(row *sql.Row) (*IdempotentAnswer, error) {
	var a IdempotentAnswer
	if err := row.Scan(&a.Fingerprint, scanTime{&a.CreatedAt}, &a.Status, &a.ContentType, &a.Body); err != nil {
		return nil, mapErr(err)
	}
	return &a, nil
}

// SaveIdempotentAnswer keeps the answer of the request that claimed key.
func (s *Store) SaveIdempotentAnswer(ctx context.Context, tokenID int64, key string, status int, contentType string, body []byte) error {
	if status <= 0 {
		return errs.Errorf(errs.Invalid, "store.idempotent_status", "an answer needs its status")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("idem-save"), status, contentType, body, tokenID, key)
		return mapErr(err)
	})
}

// ReleaseIdempotencyKey forgets a claim whose request failed in a way worth
// retrying (a server error), so the same key may be sent again.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, tokenID int64, key string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("idem-release"), tokenID, key)
		return mapErr(err)
	})
}
