package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

const foundCols = `id, platform, handle, handle_key, display_name, url, followers, state, reason, takedown_state,
	account_id, imported_at, updated_at, source, bio, lookalike_score, imitates_account_id,
	lookalike_reasons, report_count, last_seen_at, gone_at`

func scanFound(sc scanner) (*model.FoundAccount, error) {
	var f model.FoundAccount
	var followers, accountID, imitates sql.NullInt64
	var score sql.NullFloat64
	var reasons string
	err := sc.Scan(&f.ID, &f.Platform, &f.Handle, &f.HandleKey, &f.DisplayName, &f.URL, &followers, &f.State,
		&f.Reason, &f.TakedownState, &accountID, scanTime{&f.ImportedAt}, scanTime{&f.UpdatedAt},
		&f.Source, &f.Bio, &score, &imitates, &reasons, &f.ReportCount, scanNullTime{&f.LastSeenAt}, scanNullTime{&f.GoneAt})
	if err != nil {
		return nil, mapErr(err)
	}
	if score.Valid {
		f.LookalikeScore = &score.Float64
	}
	if imitates.Valid {
		f.ImitatesID = &imitates.Int64
	}
	if err := json.Unmarshal([]byte(reasons), &f.Reasons); err != nil {
		return nil, fmt.Errorf("found account %d: lookalike reasons: %w", f.ID, err)
	}
	if followers.Valid {
		f.Followers = &followers.Int64
	}
	if accountID.Valid {
		f.AccountID = &accountID.Int64
	}
	return &f, nil
}

// FoundKeys returns the set of "platform\x00handle key" of the found accounts.
func (s *Store) FoundKeys(ctx context.Context) (map[string]bool, error) {
	return s.keys(ctx, "found-keys")
}

// ImportFoundAccounts adds found accounts with their lookalike scores when
// set, all or none (ErrConflict on a platform and handle key already there),
// with one "found.import" audit event.
func (s *Store) ImportFoundAccounts(ctx context.Context, a model.Actor, found []model.FoundAccount) error {
	now := normTime(s.now())
	return s.write(ctx, func(tx *sql.Tx) error {
		for i := range found {
			f := &found[i]
			if err := prepareFound(f, model.FoundSourceImport); err != nil {
				return err
			}
			f.ImportedAt, f.UpdatedAt = now, now
			err := tx.QueryRowContext(ctx, s.q("found-insert"), f.Platform, f.Handle, f.HandleKey, f.DisplayName,
				f.URL, nint(f.Followers), f.State, s.tv(now), s.tv(now)).Scan(&f.ID)
			if err != nil {
				return fmt.Errorf("found account %s on %s: %w", f.Handle, f.Platform, mapErr(err))
			}
			if f.LookalikeScore != nil {
				reasons, err := json.Marshal(nonNil(f.Reasons))
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, s.q("found-rescore"), *f.LookalikeScore, nint(f.ImitatesID), string(reasons),
					s.tv(now), f.ID); err != nil {
					return mapErr(err)
				}
			}
			if err := s.foundWebhook(ctx, tx, a, f); err != nil {
				return err
			}
		}
		return s.appendEvent(ctx, tx, a, "found.import", "found_account", "",
			fmt.Sprintf("imported %d unregistered account(s) for triage", len(found)))
	})
}

// prepareFound checks that f names an account and fills in its defaults:
// state new, and source.
func prepareFound(f *model.FoundAccount, source string) error {
	if f.Platform == "" || f.HandleKey == "" {
		return errs.Errorf(errs.Invalid, "store.a_found_account_needs", "a found account needs a platform and a handle")
	}
	f.State = cmp.Or(f.State, model.FoundNew)
	f.Source = source
	return nil
}

// FoundAccount returns one found account, or ErrNotFound.
func (s *Store) FoundAccount(ctx context.Context, id int64) (*model.FoundAccount, error) {
	return scanFound(s.r.QueryRowContext(ctx, s.q("found-by-id"), id))
}

// FoundAccounts returns a page of the found accounts in state (all when
// empty), oldest first, and how many there are. Limit <= 0 means 50, at most 1000.
func (s *Store) FoundAccounts(ctx context.Context, state string, limit, offset int) ([]model.FoundAccount, int, error) {
	if limit <= 0 {
		limit = 50
	}
	limit, offset = min(limit, 1000), max(offset, 0)
	where, args := "", []any{}
	if state != "" {
		where, args = " WHERE state = ?", append(args, state)
	}
	count := "SELECT COUNT(*) FROM found_accounts" + where
	page := "SELECT " + foundCols + " FROM found_accounts" + where + " ORDER BY id LIMIT ? OFFSET ?"
	count, page = s.bind(count), s.bind(page)
	var total int
	if err := s.r.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := queryAll(ctx, s.r, scanFound, page, append(args, limit, offset)...)
	return out, total, err
}

// UpdateFoundAccount stores f's state, reason, takedown state and account,
// audited with action and summary.
func (s *Store) UpdateFoundAccount(ctx context.Context, a model.Actor, f *model.FoundAccount, action, summary string) error {
	f.UpdatedAt = normTime(s.now())
	return s.write(ctx, func(tx *sql.Tx) error {
		var accountID any
		if f.AccountID != nil {
			accountID = *f.AccountID
		}
		if err := s.execOne(ctx, tx, s.q("found-update"), f.State, f.Reason, f.TakedownState, accountID,
			s.tv(f.UpdatedAt), f.ID); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, action, "found_account", id(f.ID), summary)
	})
}

// FoundPage returns the found accounts in state (all when empty) after
// p.After in id order, at most p.Limit+1.
func (s *Store) FoundPage(ctx context.Context, state string, p Page) ([]model.FoundAccount, error) {
	cond, args, err := s.after(idAsc, p)
	if err != nil {
		return nil, err
	}
	var conds []string
	if state != "" {
		conds, args = append(conds, "state = ?"), append([]any{state}, args...)
	}
	if cond != "" {
		conds = append(conds, cond)
	}
	q := "SELECT " + foundCols + " FROM found_accounts" + whereOf(conds) + " ORDER BY " + idAsc.orderBy() + " LIMIT ?"
	return queryAll(ctx, s.r, scanFound, s.bind(q), append(args, p.Limit+1)...)
}
