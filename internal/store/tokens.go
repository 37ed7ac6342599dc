package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

func tokenCols(t *model.APIToken) []any {
	return []any{&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Scope, scanTime{&t.CreatedAt},
		scanNullTime{&t.ExpiresAt}, scanNullTime{&t.LastUsedAt}, scanNullTime{&t.RevokedAt}}
}

// CreateToken stores an API token (its hash only), setting ID, CreatedAt
// (when zero) and Scope (full when empty). Audited as "token.create".
func (s *Store) CreateToken(ctx context.Context, a model.Actor, t *model.APIToken) error {
	if t.Hash == "" {
		return errs.Errorf(errs.Invalid, "store.a_token_needs_its", "a token needs its hash")
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now()
	}
	t.CreatedAt = normTime(t.CreatedAt)
	if t.Scope == "" {
		t.Scope = model.ScopeFull
	}
	if t.ExpiresAt != nil {
		e := normTime(*t.ExpiresAt)
		t.ExpiresAt = &e
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q("token-insert"), t.UserID, t.Name, t.Hash, t.Scope,
			s.tv(t.CreatedAt), s.ntv(t.ExpiresAt), s.ntv(t.LastUsedAt), s.ntv(t.RevokedAt)).Scan(&t.ID)
		if err != nil {
			return mapErr(err)
		}
		expiry := "no expiry"
		if t.ExpiresAt != nil {
			expiry = "expires " + t.ExpiresAt.Format(time.RFC3339)
		}
		return s.appendEvent(ctx, tx, a, "token.create", "token", id(t.ID),
			fmt.Sprintf("created API token %q for user %d (%s, %s)", t.Name, t.UserID, t.Scope, expiry))
	})
}

// TokenByHash returns the live token with hash and its user; ErrNotFound if
// absent, revoked, or its user is disabled.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*model.APIToken, *model.User, error) {
	var t model.APIToken
	var u model.User
	dst := append(tokenCols(&t), userCols(&u)...)
	if err := s.r.QueryRowContext(ctx, s.q("token-by-hash"), hash).Scan(dst...); err != nil {
		return nil, nil, mapErr(err)
	}
	return &t, &u, nil
}

// Tokens lists a user's tokens, revoked ones included, oldest first; userID 0
// lists every user's.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]model.APIToken, error) {
	var rows *sql.Rows
	var err error
	if userID == 0 {
		rows, err = s.r.QueryContext(ctx, s.q("tokens-all"))
	} else {
		rows, err = s.r.QueryContext(ctx, s.q("tokens-user"), userID)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []model.APIToken
	for rows.Next() {
		var t model.APIToken
		if err := rows.Scan(tokenCols(&t)...); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// RevokeToken revokes a token; ErrNotFound if there is none with id. Revoking
// a revoked token changes nothing and records nothing. Audited as "token.revoke".
func (s *Store) RevokeToken(ctx context.Context, a model.Actor, tokenID int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var t model.APIToken
		if err := tx.QueryRowContext(ctx, s.q("token-by-id"), tokenID).Scan(tokenCols(&t)...); err != nil {
			return mapErr(err)
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, s.q("token-revoke"), s.tv(s.now()), tokenID); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, "token.revoke", "token", id(tokenID),
			fmt.Sprintf("revoked API token %q of user %d", t.Name, t.UserID))
	})
}

// TouchToken records when a token was last used. Not audited: it is use,
// not change.
func (s *Store) TouchToken(ctx context.Context, tokenID int64, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return affectedOne(tx.ExecContext(ctx, s.q("token-touch"), s.tv(at), tokenID))
	})
}

// RevokeUserTokens revokes every live token of a user, e.g. after their
// password was reset or changed, and says how many. Audited as
// "token.revoke" when there was any.
func (s *Store) RevokeUserTokens(ctx context.Context, a model.Actor, userID int64) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q("tokens-revoke-user"), s.tv(s.now()), userID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return s.appendEvent(ctx, tx, a, "token.revoke", "user", id(userID),
			fmt.Sprintf("revoked all %d API tokens of user %d", n, userID))
	})
	return int(n), err
}
