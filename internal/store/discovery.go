package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// DiscoverySearch is one scheduled search for accounts using the
// organization's names: a query on a platform (and, on Mastodon, an
// instance: Target). A lease marks a search being run.
type DiscoverySearch struct {
	ID         int64
	Platform   string
	Target     string
	Query      string
	NextRunAt  time.Time
	LastRunAt  *time.Time
	LastFound  int // accounts queued by the last run
	ErrorCount int
	LastError  string
	LeaseOwner string
	LeaseUntil *time.Time
}

const searchCols = `id, platform, target, query, next_run_at, last_run_at, last_found, error_count, last_error,
	lease_owner, lease_until`

func scanSearch(sc scanner) (*DiscoverySearch, error) {
	var d DiscoverySearch
	err := sc.Scan(&d.ID, &d.Platform, &d.Target, &d.Query, scanTime{&d.NextRunAt}, scanNullTime{&d.LastRunAt},
		&d.LastFound, &d.ErrorCount, &d.LastError, &d.LeaseOwner, scanNullTime{&d.LeaseUntil})
	return &d, mapErr(err)
}

// DiscoverySearches lists every search with its state.
func (s *Store) DiscoverySearches(ctx context.Context) ([]DiscoverySearch, error) {
	return queryAll(ctx, s.r, scanSearch, s.q("discovery-searches"))
}

// SetDiscoverySearches makes the scheduled searches exactly want (platform,
// target, query; other fields ignored): new ones are due at now, ones no
// longer wanted are dropped, the others keep their schedule.
func (s *Store) SetDiscoverySearches(ctx context.Context, want []DiscoverySearch, now time.Time) error {
	have, err := s.DiscoverySearches(ctx)
	if err != nil {
		return err
	}
	key := func(d DiscoverySearch) string { return d.Platform + "\x00" + d.Target + "\x00" + d.Query }
	wanted := map[string]bool{}
	for _, d := range want {
		if d.Platform == "" || d.Query == "" {
			return errs.Errorf(errs.Invalid, "store.a_search_needs", "a search needs a platform and a query")
		}
		wanted[key(d)] = true
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, d := range have {
			if !wanted[key(d)] {
				if _, err := tx.ExecContext(ctx, s.q("discovery-delete"), d.ID); err != nil {
					return mapErr(err)
				}
			}
		}
		for _, d := range want {
			if _, err := tx.ExecContext(ctx, s.q("discovery-insert"), d.Platform, d.Target, d.Query, s.tv(now)); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// ClaimDueSearches leases up to limit due searches to owner until
// leaseUntil, most overdue first, as ClaimDue does for syncs: SKIP LOCKED on
// PostgreSQL, the single writer on SQLite; an expired lease is taken over.
func (s *Store) ClaimDueSearches(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]DiscoverySearch, error) {
	return claimOwned(ctx, s, scanSearch, `UPDATE discovery_searches SET lease_owner = ?, lease_until = ? WHERE id IN (
	SELECT id FROM discovery_searches WHERE next_run_at <= ? AND (lease_until IS NULL OR lease_until < ?)
	ORDER BY next_run_at, id LIMIT ?`+pgLockMark+`) RETURNING `+searchCols, " FOR UPDATE SKIP LOCKED",
		owner, now, leaseUntil, limit, nil)
}

// DiscoverySucceeded stores a search's results: the new found accounts
// (already scored; ones queued meanwhile are skipped), the last-seen time
// of every account it returned that was queued before (seen: platform and
// handle key), and its next run, releasing owner's lease, in one
// transaction audited as "found.discover" when something was queued. It
// returns how many accounts were queued.
func (s *Store) DiscoverySucceeded(ctx context.Context, d DiscoverySearch, owner string, found []model.FoundAccount, seen [][2]string, next time.Time) (int, error) {
	now := normTime(s.now())
	added := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		added = 0
		for i := range found {
			f := &found[i]
			if err := prepareFound(f, cmp.Or(f.Source, model.FoundSourceDiscovery)); err != nil {
				return err
			}
			reasons, err := json.Marshal(nonNil(f.Reasons))
			if err != nil {
				return err
			}
			f.ImportedAt, f.UpdatedAt, f.LastSeenAt = now, now, &now
			err = tx.QueryRowContext(ctx, s.q("found-insert-scored"), f.Platform, f.Handle, f.HandleKey, f.DisplayName,
				f.URL, nint(f.Followers), f.State, f.Source, f.Bio, nfloat(f.LookalikeScore), nint(f.ImitatesID),
				string(reasons), f.ReportCount, s.tv(now), s.tv(now), s.tv(now)).Scan(&f.ID)
			if err == sql.ErrNoRows {
				continue // queued by another search meanwhile
			}
			if err != nil {
				return fmt.Errorf("found account %s on %s: %w", f.Handle, f.Platform, mapErr(err))
			}
			if err := s.foundWebhook(ctx, tx, model.SystemActor("discovery"), f); err != nil {
				return err
			}
			added++
		}
		for _, k := range seen {
			if _, err := tx.ExecContext(ctx, s.q("found-seen"), s.tv(now), k[0], k[1]); err != nil {
				return mapErr(err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q("discovery-success"), s.tv(now), s.tv(next), added, d.ID, owner); err != nil {
			return mapErr(err)
		}
		if added == 0 {
			return nil
		}
		where := d.Platform
		if d.Target != "" {
			where += " (" + d.Target + ")"
		}
		return s.appendEvent(ctx, tx, model.SystemActor("discovery"), "found.discover", "found_account", "",
			fmt.Sprintf("discovery queued %d account(s) found on %s searching %q", added, where, d.Query))
	})
	return added, err
}

// DiscoveryFailed records a failed search (counted in error_count when count
// is true; a rate limit is not the search's failure) and when to run it
// again, releasing owner's lease.
func (s *Store) DiscoveryFailed(ctx context.Context, searchID int64, owner, msg string, count bool, next time.Time) error {
	return s.leaseFailed(ctx, "discovery-failure", searchID, owner, msg, count, next)
}

func nfloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TrackedImpersonations lists the impersonations not yet found gone, whose
// takedown the next discovery run checks.
func (s *Store) TrackedImpersonations(ctx context.Context) ([]model.FoundAccount, error) {
	return queryAll(ctx, s.r, scanFound, s.q("found-tracked"))
}

// FoundGone records that the platform no longer has an impersonation: its
// takedown is done ("removed"), audited as "found.gone". A not-found error when
// it was already recorded gone or does not exist.
func (s *Store) FoundGone(ctx context.Context, f *model.FoundAccount, why string) error {
	now := normTime(s.now())
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.execOne(ctx, tx, s.q("found-gone"), s.tv(now), s.tv(now), f.ID); err != nil {
			return err
		}
		f.GoneAt, f.UpdatedAt, f.TakedownState = &now, now, model.TakedownRemoved
		return s.appendEvent(ctx, tx, model.SystemActor("discovery"), "found.gone", "found_account", id(f.ID),
			fmt.Sprintf("impersonation %s on %s is gone: %s", f.Handle, f.Platform, why))
	})
}

// AvatarToCheck is a registered account's latest synced avatar and the URL
// its emblem check last hashed ("" when never).
type AvatarToCheck struct {
	AccountID  int64
	AvatarURL  string
	CheckedURL string
}

// AvatarsToCheck lists the latest synced avatar of every account in use.
func (s *Store) AvatarsToCheck(ctx context.Context) ([]AvatarToCheck, error) {
	return queryAll(ctx, s.r, func(sc scanner) (*AvatarToCheck, error) {
		var a AvatarToCheck
		return &a, sc.Scan(&a.AccountID, &a.AvatarURL, &a.CheckedURL)
	}, s.q("avatars-to-check"))
}

// AvatarCheck is an account's emblem check (4.3).
type AvatarCheck struct {
	AvatarURL string
	IsEmblem  bool
	CheckedAt time.Time
}

// AvatarCheck returns an account's emblem check, nil when never checked.
func (s *Store) AvatarCheck(ctx context.Context, accountID int64) (*AvatarCheck, error) {
	var c AvatarCheck
	var is int
	err := s.r.QueryRowContext(ctx, s.q("avatar-check"), accountID).Scan(&c.AvatarURL, &is, scanTime{&c.CheckedAt})
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	c.IsEmblem = is == 1
	return &c, nil
}

// SetAvatarCheck stores an account's emblem check.
func (s *Store) SetAvatarCheck(ctx context.Context, accountID int64, c AvatarCheck) error {
	is := 0
	if c.IsEmblem {
		is = 1
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("avatar-check-set"), accountID, c.AvatarURL, is, s.tv(c.CheckedAt))
		return mapErr(err)
	})
}

// ReportFound records a public report of an account: queued for triage
// (source "report", report count 1, scored as f says) when new, else its
// report count goes up. The note goes to the audit trail, which only staff
// read. It returns the found account's id, its report count and whether
// the report queued it.
func (s *Store) ReportFound(ctx context.Context, f model.FoundAccount, note string, notes ...model.Notification) (id int64, count int, created bool, err error) {
	if f.Platform == "" || f.HandleKey == "" {
		return 0, 0, false, errs.Errorf(errs.Invalid, "store.a_found_account_needs", "a found account needs a platform and a handle")
	}
	now := normTime(s.now())
	reasons, err := json.Marshal(nonNil(f.Reasons))
	if err != nil {
		return 0, 0, false, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		created, count = true, 1
		err := tx.QueryRowContext(ctx, s.q("found-insert-scored"), f.Platform, f.Handle, f.HandleKey, f.DisplayName,
			f.URL, nint(f.Followers), model.FoundNew, model.FoundSourceReport, f.Bio, nfloat(f.LookalikeScore),
			nint(f.ImitatesID), string(reasons), 1, nil, s.tv(now), s.tv(now)).Scan(&id)
		if err == sql.ErrNoRows {
			created = false
			err = tx.QueryRowContext(ctx, s.q("found-reported-again"), s.tv(now), f.Platform, f.HandleKey).Scan(&id, &count)
		}
		if err != nil {
			return mapErr(err)
		}
		if created {
			f.ID, f.State, f.Source, f.ReportCount = id, model.FoundNew, model.FoundSourceReport, 1
			if err := s.foundWebhook(ctx, tx, model.SystemActor("report"), &f); err != nil {
				return err
			}
			if err := s.insertNotifications(ctx, tx, withID(notes, id)); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("public report %d of %s on %s", count, f.Handle, f.Platform)
		if note != "" {
			summary += ": " + note
		}
		return s.appendEvent(ctx, tx, model.SystemActor("report"), "found.report", "found_account", strconv.FormatInt(id, 10), summary)
	})
	return id, count, created, err
}
