package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// AccountChange is a change of an account written in one transaction with
// everything that goes with it: the account's new fields, its history row
// when the status changes, the audit event and the notifications.
type AccountChange struct {
	Account *model.Account // the account as it must be stored (every field is written)
	From    string         // the status it must still have, else ErrConflict
	Action  string         // audit action, e.g. "account.approve"
	Summary string         // audit summary
	Reason  string         // why, for the history; required by the caller where the policy says so
	Notify  []model.Notification
	// UnchangedSince, when set, is the updated_at the caller read: the
	// change is refused (errs.PreconditionFailed) if the account was
	// updated since, checked under the write lock.
	UnchangedSince *time.Time
}

// TransitionAccount writes c: the account's fields and status (only if its
// status is still c.From: ErrConflict otherwise, ErrNotFound if it is gone),
// an account_events row when the status changes, the notifications (their
// e-mails queued as pending) and the audit event, all in one transaction.
func (s *Store) TransitionAccount(ctx context.Context, a model.Actor, c AccountChange) error {
	acc := c.Account
	if acc == nil || acc.Platform == "" || acc.Handle == "" || acc.Kind == "" || c.Action == "" {
		return errs.Errorf(errs.Invalid, "store.an_account_change_needs", "an account change needs an account with a platform, a handle and a kind, and an action")
	}
	now := normTime(s.now())
	acc.UpdatedAt = now
	return s.write(ctx, func(tx *sql.Tx) error {
		if c.UnchangedSince != nil {
			if err := s.accountUnchanged(ctx, tx, acc.ID, *c.UnchangedSince); err != nil {
				return err
			}
		}
		if err := s.updateAccountTx(ctx, tx, acc, c.From); err != nil {
			return err
		}
		if c.From != acc.Status {
			_, err := tx.ExecContext(ctx, s.q("account-event-insert"), acc.ID, c.From, acc.Status,
				a.UserID, a.Email, c.Reason, s.tv(now))
			if err != nil {
				return mapErr(err)
			}
		}
		for i := range c.Notify {
			if err := s.insertNotification(ctx, tx, &c.Notify[i]); err != nil {
				return err
			}
		}
		if err := s.accountWebhooks(ctx, tx, a, acc, c.From, c.Action, c.Reason); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, c.Action, "account", id(acc.ID), c.Summary)
	})
}

// UpdateAccount stores acc's fields (its status must be unchanged since it
// was read: ErrConflict otherwise; and, when unchangedSince is set, the
// whole account: AccountChange.UnchangedSince) and refreshes the search
// column. Audited as "account.update".
func (s *Store) UpdateAccount(ctx context.Context, a model.Actor, acc *model.Account, unchangedSince *time.Time) error {
	return s.TransitionAccount(ctx, a, AccountChange{Account: acc, From: acc.Status, Action: "account.update",
		Summary: fmt.Sprintf("updated account %s on %s", acc.Handle, acc.Platform), UnchangedSince: unchangedSince})
}

// accountUnchanged refuses when account id's updated_at is no longer since;
// on PostgreSQL the row stays locked until the transaction ends.
func (s *Store) accountUnchanged(ctx context.Context, tx *sql.Tx, id int64, since time.Time) error {
	q := "SELECT updated_at FROM accounts WHERE id = ?"
	if s.dialect == Postgres {
		q += " FOR UPDATE"
	}
	var cur time.Time
	if err := tx.QueryRowContext(ctx, s.bind(q), id).Scan(scanTime{&cur}); err != nil {
		return mapErr(err)
	}
	if !cur.Equal(normTime(since)) {
		return errs.E(errs.PreconditionFailed, "store.account_changed",
			"the account changed since you read it; read it again, then send your change")
	}
	return nil
}

func (s *Store) updateAccountTx(ctx context.Context, tx *sql.Tx, acc *model.Account, from string) error {
	if acc.HandleKey == "" {
		acc.HandleKey = defaultHandleKey(acc.Handle)
	}
	projName, projKeywords, projEnd := projectCols(acc)
	res, err := tx.ExecContext(ctx, s.q("account-update"),
		acc.Platform, acc.Handle, acc.ProfileURL, acc.DisplayName, acc.Bio, acc.Kind, acc.Office,
		jsonList(acc.Languages), acc.Audience, acc.Purpose, acc.PostsPerWeek, acc.Email,
		jsonList(acc.Contacts), jsonList(acc.Managers), projName, projKeywords, projEnd,
		accountSearch(acc), acc.HandleKey, acc.Status, s.tv(acc.UpdatedAt), s.ntv(acc.ClosedAt),
		acc.HandleParked, acc.ID, from)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var cur string
	if err := tx.QueryRowContext(ctx, s.q("account-status"), acc.ID).Scan(&cur); err != nil {
		return mapErr(err)
	}
	return errs.Errorf(errs.Conflict, "store.account_is_not_any", "account %d is %s, not %s any more", acc.ID, cur, from)
}

// AccountByHandleKey returns the account with the handle key on the
// platform, or ErrNotFound.
func (s *Store) AccountByHandleKey(ctx context.Context, platform, key string) (*model.Account, error) {
	return scanAccount(s.r.QueryRowContext(ctx, s.q("account-by-key"), platform, key))
}

// AllAccounts returns every account in the registry, by id (for overlap
// scoring, which weighs words by their rarity over the whole registry).
func (s *Store) AllAccounts(ctx context.Context) ([]model.Account, error) {
	return queryAll(ctx, s.r, scanAccount, s.q("accounts-all"))
}

// AccountKeys returns the set of "platform\x00handle key" of every account,
// so an import can spot duplicates without loading whole accounts.
func (s *Store) AccountKeys(ctx context.Context) (map[string]bool, error) {
	return s.keys(ctx, "account-keys")
}

func (s *Store) keys(ctx context.Context, query string) (map[string]bool, error) {
	rows, err := s.r.QueryContext(ctx, s.q(query))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[string]bool{}
	for rows.Next() {
		var p, k string
		if err := rows.Scan(&p, &k); err != nil {
			return nil, err
		}
		keys[p+"\x00"+k] = true
	}
	return keys, rows.Err()
}

// ImportAccounts adds every account or none (ErrConflict names the first
// duplicate), with one "account.create" audit event each.
func (s *Store) ImportAccounts(ctx context.Context, a model.Actor, accs []model.Account) error {
	return s.ApplyImport(ctx, a, accs, nil)
}

// ApplyImport adds accs and writes the updates (each as TransitionAccount
// would, its status unchanged) in one transaction: all or nothing.
func (s *Store) ApplyImport(ctx context.Context, a model.Actor, accs []model.Account, updates []AccountChange) error {
	for i := range accs {
		if accs[i].Platform == "" || accs[i].Handle == "" || accs[i].Kind == "" {
			return errs.Errorf(errs.Invalid, "store.account_needs_a_platform", "account %d needs a platform, a handle and a kind", i+1)
		}
	}
	now := normTime(s.now())
	return s.write(ctx, func(tx *sql.Tx) error {
		for i := range accs {
			acc := &accs[i]
			if acc.Status == "" {
				acc.Status = model.StatusActive
			}
			if acc.CreatedAt.IsZero() {
				acc.CreatedAt = now
			}
			if acc.UpdatedAt.IsZero() {
				acc.UpdatedAt = now
			}
			acc.CreatedAt, acc.UpdatedAt = normTime(acc.CreatedAt), normTime(acc.UpdatedAt)
			if err := s.insertAccount(ctx, tx, a, acc, ""); err != nil {
				return fmt.Errorf("account %s on %s: %w", acc.Handle, acc.Platform, err)
			}
		}
		for _, c := range updates {
			c.Account.UpdatedAt = now
			if err := s.updateAccountTx(ctx, tx, c.Account, c.From); err != nil {
				return err
			}
			if err := s.appendEvent(ctx, tx, a, c.Action, "account", id(c.Account.ID), c.Summary); err != nil {
				return err
			}
		}
		return nil
	})
}

// AccountEvents returns an account's status changes, oldest first.
func (s *Store) AccountEvents(ctx context.Context, accountID int64) ([]model.AccountEvent, error) {
	rows, err := s.r.QueryContext(ctx, s.q("account-events"), accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []model.AccountEvent
	for rows.Next() {
		var e model.AccountEvent
		if err := rows.Scan(&e.ID, &e.AccountID, &e.From, &e.To, &e.ActorID, &e.ActorEmail, &e.Reason,
			scanTime{&e.At}); err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	return evs, rows.Err()
}

// Activations returns when each account first became active (its status
// events), for the public directory's "verified since".
func (s *Store) Activations(ctx context.Context) (map[int64]time.Time, error) {
	rows, err := s.r.QueryContext(ctx, s.q("account-activations"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, scanTime{&at}); err != nil {
			return nil, err
		}
		if _, seen := out[id]; !seen {
			out[id] = at
		}
	}
	return out, rows.Err()
}
