package auth

import (
	"context"
	"errors"
	"strings"
	"time"
)

// AttemptStore reserves sign-in attempts; the store implements it in the
// database, so the limits hold across several server instances.
type AttemptStore interface {
	// ReserveLogin atomically counts the attempts under each key since the
	// window began and, when every count is under its limit (0: none),
	// records one more under each key and returns their ids; nil ids when
	// a limit is reached. counts are the attempts seen before this one.
	ReserveLogin(ctx context.Context, keys []string, max []int, since, at time.Time) (ids []int64, counts []int, err error)
	// ReleaseLogin takes reserved attempts back.
	ReleaseLogin(ctx context.Context, ids []int64) error
	ClearLoginFailures(ctx context.Context, key string) error
}

// ErrThrottled is returned when too many sign-ins failed recently. Its
// message is shown to the user and says nothing about whether the account exists.
var ErrThrottled = errors.New("too many failed sign-in attempts; wait 15 minutes and try again")

// Throttle limits sign-in attempts. Every attempt is reserved before the
// password is hashed, so a burst of parallel guesses is counted as it
// arrives, not after the hashing; a successful sign-in takes its
// reservation back. The limits are per (account, address) pair and per
// address, so a guesser elsewhere cannot lock an account's owner out; the
// account as a whole gets a progressive delay instead, which slows a
// guesser spread over many addresses without refusing anyone.
type Throttle struct {
	Store AttemptStore
	// Max is the attempts one address may make on one account within
	// Window without signing in; default 5.
	Max    int
	Window time.Duration // default 15 minutes
	// AddrMax is the attempts allowed per address, higher than Max because
	// many people may share one address (an office's NAT); default 4×Max.
	AddrMax int
	// Delay is the wait before an attempt on an account that already has
	// Max failed attempts from any address within Window; it doubles with
	// each further failure up to MaxDelay. Defaults 1 s and 8 s.
	Delay, MaxDelay time.Duration
	Now             func() time.Time
	// Sleep waits d or until ctx ends; nil for a timer (tests record instead).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Attempt is a reserved sign-in attempt; Succeed takes it back.
type Attempt struct {
	ids   []int64
	Email string
	Addr  string
	// Delay is how long Begin waited before letting the attempt through.
	Delay time.Duration
}

func (t *Throttle) params() (max, addrMax int, window time.Duration, now time.Time) {
	max, window, addrMax = t.Max, t.Window, t.AddrMax
	if max <= 0 {
		max = 5
	}
	if window <= 0 {
		window = 15 * time.Minute
	}
	if addrMax <= 0 {
		addrMax = 4 * max
	}
	now = time.Now()
	if t.Now != nil {
		now = t.Now()
	}
	return max, addrMax, window, now
}

func normEmail(email string) string  { return strings.ToLower(strings.TrimSpace(email)) }
func accountKey(email string) string { return "account:" + normEmail(email) }
func addrKey(addr string) string     { return "addr:" + addr }
func pairKey(email, addr string) string {
	return "pair:" + normEmail(email) + "|" + addr
}

// Begin reserves an attempt to sign in as email from addr, before the
// password is checked. It returns ErrThrottled when the pair or the
// address has used its attempts, and otherwise waits the account's
// progressive delay (or until ctx ends) before returning the attempt.
func (t *Throttle) Begin(ctx context.Context, email, addr string) (*Attempt, error) {
	max, addrMax, window, now := t.params()
	keys := []string{pairKey(email, addr), addrKey(addr), accountKey(email)}
	ids, counts, err := t.Store.ReserveLogin(ctx, keys, []int{max, addrMax, 0}, now.Add(-window), now)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		return nil, ErrThrottled
	}
	a := &Attempt{ids: ids, Email: email, Addr: addr, Delay: t.delay(counts[2], max)}
	if a.Delay > 0 {
		sleep := t.Sleep
		if sleep == nil {
			sleep = sleepCtx
		}
		if err := sleep(ctx, a.Delay); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// delay is the wait before an attempt on an account with failures recent failures.
func (t *Throttle) delay(failures, max int) time.Duration {
	base, top := t.Delay, t.MaxDelay
	if base <= 0 {
		base = time.Second
	}
	if top <= 0 {
		top = 8 * time.Second
	}
	if failures < max {
		return 0
	}
	d := base
	for i := max; i < failures && d < top; i++ {
		d *= 2
	}
	return min(d, top)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Succeed takes a successful attempt back and forgets the pair's and the
// account's failures (not the address's: one success must not reset a
// guesser working through many accounts). A nil attempt (a sign-in that
// was not throttled, such as single sign-on) clears nothing.
func (t *Throttle) Succeed(ctx context.Context, a *Attempt) error {
	if a == nil {
		return nil
	}
	return errors.Join(
		t.Store.ReleaseLogin(ctx, a.ids),
		t.Store.ClearLoginFailures(ctx, pairKey(a.Email, a.Addr)),
		t.Store.ClearLoginFailures(ctx, accountKey(a.Email)))
}
