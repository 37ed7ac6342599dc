package auth

import (
	"context"
	"errors"
	"strings"
	"time"
)

// FailureStore records failed sign-ins; the store implements it in the
// database, so the limit holds across several server instances.
type FailureStore interface {
	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error
}

// ErrThrottled is returned when too many sign-ins failed recently. Its
// message is shown to the user and says nothing about whether the account exists.
var ErrThrottled = errors.New("too many failed sign-in attempts; wait 15 minutes and try again")

// Throttle refuses sign-in after Max failures within Window, per account
// and per client address.
type Throttle struct {
	Store  FailureStore
	Max    int           // failures allowed within Window; default 5
	Window time.Duration // default 15 minutes
	// AddrMax is the failures allowed per address, higher than Max because
	// many people may share one address (an office's NAT); default 4×Max.
	AddrMax int
	Now     func() time.Time
}

func (t *Throttle) params() (int, int, time.Duration, time.Time) {
	max, window, addrMax := t.Max, t.Window, t.AddrMax
	if max <= 0 {
		max = 5
	}
	if window <= 0 {
		window = 15 * time.Minute
	}
	if addrMax <= 0 {
		addrMax = 4 * max
	}
	now := time.Now()
	if t.Now != nil {
		now = t.Now()
	}
	return max, addrMax, window, now
}

func accountKey(email string) string { return "account:" + strings.ToLower(strings.TrimSpace(email)) }
func addrKey(addr string) string     { return "addr:" + addr }

// Allow returns ErrThrottled when email or addr has failed too often.
func (t *Throttle) Allow(ctx context.Context, email, addr string) error {
	max, addrMax, window, now := t.params()
	n, err := t.Store.LoginFailures(ctx, accountKey(email), now.Add(-window))
	if err != nil {
		return err
	}
	if n >= max {
		return ErrThrottled
	}
	n, err = t.Store.LoginFailures(ctx, addrKey(addr), now.Add(-window))
	if err != nil {
		return err
	}
	if n >= addrMax {
		return ErrThrottled
	}
	return nil
}

// Fail records a failed sign-in for email and addr.
func (t *Throttle) Fail(ctx context.Context, email, addr string) error {
	_, _, _, now := t.params()
	return errors.Join(
		t.Store.RecordLoginFailure(ctx, accountKey(email), now),
		t.Store.RecordLoginFailure(ctx, addrKey(addr), now))
}

// Succeed forgets the account's failures (not the address's: one success
// must not reset a guesser working through many accounts).
func (t *Throttle) Succeed(ctx context.Context, email string) error {
	return t.Store.ClearLoginFailures(ctx, accountKey(email))
}
