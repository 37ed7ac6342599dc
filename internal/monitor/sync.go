package monitor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// SyncResult is what one account's sync stored.
type SyncResult struct {
	AccountID int64
	Posts     int
	Profile   bool
	Err       error // also returned by SyncOnce
}

// SyncStats counts one SyncDue pass.
type SyncStats struct {
	Claimed, Synced, Failed, RateLimited int
}

// ErrLeased is returned by SyncOnce when another server is syncing the account.
var ErrLeased = errors.New("the account is being synced by another server")

// SyncOnce syncs one account now, whatever its schedule, under a lease.
func (m *Monitor) SyncOnce(ctx context.Context, accountID int64) (SyncResult, error) {
	acc, err := m.st.Account(ctx, accountID)
	if err != nil {
		return SyncResult{AccountID: accountID, Err: err}, err
	}
	now := m.now()
	ok, err := m.st.ClaimAccount(ctx, accountID, m.o.Owner, now, now.Add(m.o.Lease))
	if err == nil && !ok {
		err = ErrLeased
	}
	if err != nil {
		return SyncResult{AccountID: accountID, Err: err}, err
	}
	r := m.sync(ctx, *acc)
	return r, r.Err
}

// SyncDue claims the due accounts (as many as twice the workers) and syncs
// them with the worker pool. One account's or platform's failure is
// recorded against it and never stops the others.
func (m *Monitor) SyncDue(ctx context.Context) (SyncStats, error) {
	now := m.now()
	accs, err := m.st.ClaimDue(ctx, m.o.Owner, now, now.Add(m.o.Lease), 2*m.o.Workers)
	if err != nil {
		return SyncStats{}, err
	}
	stats := SyncStats{Claimed: len(accs)}
	var mu sync.Mutex
	work := make(chan model.Account)
	var wg sync.WaitGroup
	for range min(m.o.Workers, len(accs)) {
		wg.Go(func() {
			for acc := range work {
				r := m.sync(ctx, acc)
				var rl *connector.RateLimitedError
				mu.Lock()
				switch {
				case r.Err == nil:
					stats.Synced++
				case errors.As(r.Err, &rl):
					stats.RateLimited++
				default:
					stats.Failed++
				}
				mu.Unlock()
			}
		})
	}
	for _, acc := range accs {
		work <- acc
	}
	close(work)
	wg.Wait()
	return stats, nil
}

// pauseKey is what a rate limit applies to: the platform, or for Mastodon
// the account's own instance.
func pauseKey(acc model.Account) string {
	if acc.Platform == "mastodon" {
		if u, err := url.Parse(acc.ProfileURL); err == nil && u.Host != "" {
			return "mastodon/" + strings.ToLower(u.Host)
		}
		if _, host, ok := strings.Cut(strings.TrimPrefix(acc.Handle, "@"), "@"); ok {
			return "mastodon/" + strings.ToLower(host)
		}
	}
	return acc.Platform
}

func (m *Monitor) pausedUntil(key string, now time.Time) (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	until, ok := m.paused[key]
	if ok && !until.After(now) {
		delete(m.paused, key)
		return time.Time{}, false
	}
	return until, ok
}

func (m *Monitor) pause(key string, until time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if until.After(m.paused[key]) {
		m.paused[key] = until
	}
}

// sync fetches one leased account and records the outcome, releasing the lease.
func (m *Monitor) sync(ctx context.Context, acc model.Account) SyncResult {
	r := SyncResult{AccountID: acc.ID}
	now := m.now()
	key := pauseKey(acc)
	if until, ok := m.pausedUntil(key, now); ok {
		// The platform told us to wait: not the account's failure.
		r.Err = &connector.RateLimitedError{RetryAfter: until.Sub(now)}
		m.record(ctx, acc, r.Err, false, until)
		return r
	}
	conn := m.conns[acc.Platform]
	if conn == nil {
		r.Err = fmt.Errorf("%w %q", ErrNoConnector, acc.Platform)
		m.failed(ctx, acc, r.Err)
		return r
	}
	if r.Err = m.stillRefused(acc); r.Err != nil {
		m.record(ctx, acc, r.Err, false, now.Add(m.o.MaxBackoff))
		return r
	}
	st, err := m.st.SyncState(ctx, acc.ID)
	if err != nil {
		r.Err = err
		m.failed(ctx, acc, err)
		return r
	}
	since := syncSince(st.LastSyncedAt, now, m.o.Backfill, m.o.Lookback)
	token, err := m.credential(ctx, acc)
	if err != nil {
		r.Err = err
		m.failed(ctx, acc, err)
		return r
	}
	if token != "" {
		m.tokens.Store(acc.ID, token)
		defer m.tokens.Delete(acc.ID)
	}
	profile, posts, err := conn.Fetch(ctx, acc, since)
	if err != nil {
		r.Err = err
		var rl *connector.RateLimitedError
		if errors.As(err, &rl) {
			wait := rl.RetryAfter
			if wait <= 0 {
				wait = m.o.Backoff
			}
			until := m.now().Add(wait)
			m.pause(key, until)
			m.record(ctx, acc, err, false, until)
			return r
		}
		if errors.Is(err, connector.ErrRefused) {
			r.Err = m.refuse(acc, err)
			m.record(ctx, acc, r.Err, true, now.Add(m.o.MaxBackoff))
			return r
		}
		m.failed(ctx, acc, err)
		return r
	}
	fetched := m.now()
	if profile != nil {
		p := *profile
		p.AccountID, p.Platform = acc.ID, acc.Platform
		if p.FetchedAt.IsZero() {
			p.FetchedAt = fetched
		}
		profile, r.Profile = &p, true
	}
	kept := posts[:0]
	for _, p := range posts {
		if p.ExternalID == "" || p.PostedAt.IsZero() {
			continue // nothing to key or date it by
		}
		p.AccountID, p.Platform = acc.ID, acc.Platform
		if p.Source == "" {
			p.Source = "api"
		}
		kept = append(kept, p)
	}
	r.Posts = len(kept)
	if err := m.st.SyncSucceeded(ctx, acc.ID, m.o.Owner, profile, kept, fetched.Add(m.o.SyncEvery)); err != nil {
		r.Err = err
		m.failed(ctx, acc, err)
	}
	return r
}

// syncSince is how far back a sync reads. The first sync of an account
// back-fills up to backfill (a year), so that its health is judged on its
// real past from the first evaluation; the connectors' page cap
// (connector.Config.MaxPages) bounds it. A later sync reads from a week
// before the last one, so late edits to figures show, and never more than
// lookback.
func syncSince(last *time.Time, now time.Time, backfill, lookback time.Duration) time.Time {
	if last == nil {
		return now.Add(-backfill)
	}
	return later(now.Add(-lookback), last.Add(-7*24*time.Hour))
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// refusal is an account's destination refused by internal/outbound.
type refusal struct {
	address string // platform, handle and profile URL when refused
	err     error
}

func address(acc model.Account) string {
	return acc.Platform + "\x00" + acc.Handle + "\x00" + acc.ProfileURL
}

// refuse remembers that acc's destination was refused: a permanent error
// for that address, not retried (nor counted again) until the account's
// handle or profile URL changes, or the server restarts (with a new
// HERALD_OUTBOUND_ALLOW). Its message says what the administrator can do.
func (m *Monitor) refuse(acc model.Account, cause error) error {
	err := fmt.Errorf("not synced until its handle or profile URL changes: give an address on the public internet, "+
		"or allow the host in HERALD_OUTBOUND_ALLOW and restart: %w", cause)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.refused[acc.ID] = refusal{address: address(acc), err: err}
	return err
}

// stillRefused is the refusal of acc's address, if it was refused and has
// not changed since.
func (m *Monitor) stillRefused(acc model.Account) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.refused[acc.ID]; ok {
		if r.address == address(acc) {
			return r.err
		}
		delete(m.refused, acc.ID)
	}
	return nil
}

// failed records a failure with exponential backoff per account.
func (m *Monitor) failed(ctx context.Context, acc model.Account, cause error) {
	st, err := m.st.SyncState(ctx, acc.ID)
	n := 0
	if err == nil {
		n = st.ErrorCount
	}
	wait := m.o.Backoff
	for i := 0; i < n && wait < m.o.MaxBackoff; i++ {
		wait *= 2
	}
	m.record(ctx, acc, cause, true, m.now().Add(min(wait, m.o.MaxBackoff)))
}

func (m *Monitor) record(ctx context.Context, acc model.Account, cause error, count bool, next time.Time) {
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	// A cancelled context must not leave the lease held until it expires.
	ctx = context.WithoutCancel(ctx)
	if err := m.st.SyncFailed(ctx, acc.ID, m.o.Owner, msg, count, next); err != nil {
		m.log.Error("recording a failed sync", "account", acc.ID, "err", err)
	}
	if count {
		m.log.Warn("sync failed", "account", acc.ID, "platform", acc.Platform, "err", msg, "next", next)
	}
}

// SyncState returns an account's schedule, failures and last error.
func (m *Monitor) SyncState(ctx context.Context, accountID int64) (*store.SyncState, error) {
	return m.st.SyncState(ctx, accountID)
}
