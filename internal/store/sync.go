package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// SyncState is an account's place in the sync schedule. A lease (owner and
// expiry) marks an account being synced, so two servers never sync it at once.
type SyncState struct {
	AccountID    int64
	NextSyncAt   *time.Time
	LastSyncedAt *time.Time
	ErrorCount   int
	LastError    string
	LeaseOwner   string
	LeaseUntil   *time.Time
}

// SyncState returns an account's sync state; a zero state (AccountID set)
// when it was never scheduled.
func (s *Store) SyncState(ctx context.Context, accountID int64) (*SyncState, error) {
	st := SyncState{AccountID: accountID}
	err := s.r.QueryRowContext(ctx, s.q("sync-state"), accountID).Scan(&st.AccountID, scanNullTime{&st.NextSyncAt},
		scanNullTime{&st.LastSyncedAt}, &st.ErrorCount, &st.LastError, &st.LeaseOwner, scanNullTime{&st.LeaseUntil})
	if err == sql.ErrNoRows {
		return &SyncState{AccountID: accountID}, nil
	}
	return &st, err
}

// ClaimDue schedules every monitored account not yet scheduled (due at
// once), then leases up to limit due accounts to owner until leaseUntil and
// returns them, most overdue first. On PostgreSQL the candidates are locked
// with SKIP LOCKED, so concurrent claimers take disjoint sets; on SQLite the
// single writer serializes claims. An expired lease is taken over.
func (s *Store) ClaimDue(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]model.Account, error) {
	ensure := func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("sync-state-ensure"), s.tv(now))
		return err
	}
	ids, err := claimOwned(ctx, s, scanID, `UPDATE sync_state SET lease_owner = ?, lease_until = ? WHERE account_id IN (
	SELECT s.account_id FROM sync_state s JOIN accounts a ON a.id = s.account_id
	WHERE a.status IN ('active', 'at-risk', 'closure-proposed') AND s.next_sync_at <= ?
	  AND (s.lease_until IS NULL OR s.lease_until < ?)
	ORDER BY s.next_sync_at, s.account_id LIMIT ?`+pgLockMark+`) RETURNING account_id`, " FOR UPDATE OF s SKIP LOCKED",
		owner, now, leaseUntil, limit, ensure)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return s.accountsByID(ctx, ids)
}

func scanID(sc scanner) (*int64, error) {
	var id int64
	return &id, sc.Scan(&id)
}

func (s *Store) accountsByID(ctx context.Context, ids []int64) ([]model.Account, error) {
	q := "SELECT " + accountCols + " FROM accounts WHERE id IN (?" + strings.Repeat(", ?", len(ids)-1) + ") ORDER BY id"
	q = s.bind(q)
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return queryAll(ctx, s.r, scanAccount, q, args...)
}

// ClaimAccount leases one account to owner (for a sync on demand) whatever
// its schedule; false when another owner holds a live lease.
func (s *Store) ClaimAccount(ctx context.Context, accountID int64, owner string, now, leaseUntil time.Time) (bool, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("sync-state-ensure-one"), accountID, s.tv(now)); err != nil {
			return mapErr(err)
		}
		res, err := tx.ExecContext(ctx, s.q("sync-claim-one"), owner, s.tv(leaseUntil), accountID, s.tv(now), owner)
		if err != nil {
			return mapErr(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, err
}

// SyncSucceeded stores what a sync read (the profile may be nil) and
// schedules the next sync, releasing owner's lease, in one transaction.
func (s *Store) SyncSucceeded(ctx context.Context, accountID int64, owner string, p *model.Profile, posts []model.Post, next time.Time) error {
	if err := checkPosts(posts); err != nil {
		return err
	}
	now := s.now()
	return s.write(ctx, func(tx *sql.Tx) error {
		if p != nil {
			if err := s.addProfileTx(ctx, tx, *p); err != nil {
				return err
			}
		}
		if err := s.upsertPostsTx(ctx, tx, posts); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q("sync-success"), s.tv(now), s.tv(next), accountID, owner)
		return mapErr(err)
	})
}

// SyncFailed records a failed sync (counted in error_count when count is
// true; a rate limit is not a failure of the account) and when to try again,
// releasing owner's lease.
func (s *Store) SyncFailed(ctx context.Context, accountID int64, owner, msg string, count bool, next time.Time) error {
	return s.leaseFailed(ctx, "sync-failure", accountID, owner, msg, count, next)
}

// leaseFailed runs the named failure query of a leased row (a sync's
// account, a discovery search): next run at next, error_count raised when
// count is true, msg kept, owner's lease released.
func (s *Store) leaseFailed(ctx context.Context, query string, id int64, owner, msg string, count bool, next time.Time) error {
	inc := 0
	if count {
		inc = 1
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(query), s.tv(next), inc, msg, id, owner)
		return mapErr(err)
	})
}

// CredentialInfo says that a credential is set, never what it is.
type CredentialInfo struct {
	Platform  string
	AccountID int64 // 0: for every account of the platform
	UpdatedAt time.Time
}

// SetCredential stores an encrypted connector credential (the caller
// encrypts; the store never sees the key). Audited without the secret.
func (s *Store) SetCredential(ctx context.Context, a model.Actor, platform string, accountID int64, secret []byte) error {
	if platform == "" || len(secret) == 0 {
		return errs.Errorf(errs.Invalid, "store.a_credential_needs_a", "a credential needs a platform and a secret")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("credential-upsert"), platform, accountID, secret, s.tv(s.now())); err != nil {
			return mapErr(err)
		}
		return s.appendEvent(ctx, tx, a, "credential.set", "credential", credentialID(platform, accountID),
			"set the connector credential of "+credentialID(platform, accountID))
	})
}

// DeleteCredential removes a credential; ErrNotFound when none is set.
func (s *Store) DeleteCredential(ctx context.Context, a model.Actor, platform string, accountID int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q("credential-delete"), platform, accountID)
		if err != nil {
			return mapErr(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return orNotFound(err)
		}
		return s.appendEvent(ctx, tx, a, "credential.delete", "credential", credentialID(platform, accountID),
			"deleted the connector credential of "+credentialID(platform, accountID))
	})
}

func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return errNotFound
}

func credentialID(platform string, accountID int64) string {
	if accountID == 0 {
		return platform
	}
	return fmt.Sprintf("%s/account %d", platform, accountID)
}

// Credential returns the encrypted credential, or ErrNotFound.
func (s *Store) Credential(ctx context.Context, platform string, accountID int64) ([]byte, error) {
	var b []byte
	err := s.r.QueryRowContext(ctx, s.q("credential"), platform, accountID).Scan(&b)
	return b, mapErr(err)
}

// Credentials lists which credentials are set.
func (s *Store) Credentials(ctx context.Context) ([]CredentialInfo, error) {
	return queryAll(ctx, s.r, func(sc scanner) (*CredentialInfo, error) {
		var c CredentialInfo
		return &c, sc.Scan(&c.Platform, &c.AccountID, scanTime{&c.UpdatedAt})
	}, s.q("credentials"))
}
