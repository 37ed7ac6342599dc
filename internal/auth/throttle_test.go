package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// failures is an in-memory FailureStore; the web tests run the real store.
type failures map[string][]time.Time

func (f failures) RecordLoginFailure(_ context.Context, key string, at time.Time) error {
	f[key] = append(f[key], at)
	return nil
}
func (f failures) LoginFailures(_ context.Context, key string, since time.Time) (int, error) {
	n := 0
	for _, at := range f[key] {
		if !at.Before(since) {
			n++
		}
	}
	return n, nil
}
func (f failures) ClearLoginFailures(_ context.Context, key string) error {
	delete(f, key)
	return nil
}

func TestThrottle(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	th := &Throttle{Store: failures{}, Now: func() time.Time { return now }}
	for i := range 5 {
		if err := th.Allow(ctx, "A@x.org", "1.2.3.4"); err != nil {
			t.Fatalf("attempt %d refused: %v", i+1, err)
		}
		th.Fail(ctx, "a@x.org", "1.2.3.4")
	}
	if err := th.Allow(ctx, "a@x.org", "5.6.7.8"); !errors.Is(err, ErrThrottled) {
		t.Fatalf("sixth attempt on the account: %v, want ErrThrottled", err)
	}
	if err := th.Allow(ctx, "b@x.org", "1.2.3.4"); err != nil {
		t.Fatalf("another account from the same address refused after 5 failures: %v", err)
	}
	now = now.Add(16 * time.Minute)
	if err := th.Allow(ctx, "a@x.org", "1.2.3.4"); err != nil {
		t.Fatalf("refused after the window passed: %v", err)
	}
	// Per address: 20 failures over many accounts.
	for i := range 20 {
		th.Fail(ctx, string(rune('a'+i))+"@y.org", "9.9.9.9")
	}
	if err := th.Allow(ctx, "new@y.org", "9.9.9.9"); !errors.Is(err, ErrThrottled) {
		t.Fatalf("address with 20 failures: %v, want ErrThrottled", err)
	}
}
