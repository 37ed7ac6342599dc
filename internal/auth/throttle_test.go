package auth_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestThrottleBurst sends 30 parallel attempts on one account from one
// address, split between two store handles (two instances on PostgreSQL):
// exactly 5 get through, because each is reserved before it is checked.
func TestThrottleBurst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		stores := []*store.Store{storetest.OpenURL(t, url), storetest.OpenURL(t, url)}
		now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
		ths := []*auth.Throttle{
			{Store: stores[0], Now: func() time.Time { return now }},
			{Store: stores[1], Now: func() time.Time { return now }},
		}
		var mu sync.Mutex
		passed, throttled := 0, 0
		var wg sync.WaitGroup
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := ths[i%2].Begin(context.Background(), "owner@example.org", "203.0.113.7")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					passed++
				case errors.Is(err, auth.ErrThrottled):
					throttled++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if passed != 5 || throttled != 25 {
			t.Fatalf("30 parallel attempts: %d passed, %d throttled; want 5 and 25", passed, throttled)
		}
	})
}

// TestThrottleOwnerNotLockedOut: failures from one address slow the
// account down (a delay that grows) but do not refuse its owner elsewhere;
// a success resets the delay.
func TestThrottleOwnerNotLockedOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
		var slept []time.Duration
		th := &auth.Throttle{Store: storetest.Open(t, dialect), Now: func() time.Time { return now },
			Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
		// Guessers on five addresses, five failures each.
		for a := range 5 {
			for range 5 {
				if _, err := th.Begin(ctx, "owner@example.org", fmt.Sprintf("198.51.100.%d", a)); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := th.Begin(ctx, "owner@example.org", fmt.Sprintf("198.51.100.%d", a)); !errors.Is(err, auth.ErrThrottled) {
				t.Fatalf("sixth attempt from one address: %v, want ErrThrottled", err)
			}
		}
		if len(slept) != 20 || slept[0] != time.Second || slept[1] != 2*time.Second || slept[len(slept)-1] != 8*time.Second {
			t.Fatalf("delays %v: want 20 growing from 1 s to at most 8 s", slept)
		}
		a, err := th.Begin(ctx, "OWNER@example.org", "192.0.2.1")
		if err != nil {
			t.Fatalf("the owner from another address is refused: %v", err)
		}
		if a.Delay != 8*time.Second {
			t.Errorf("owner's delay %v, want 8 s", a.Delay)
		}
		if err := th.Succeed(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a, err := th.Begin(ctx, "owner@example.org", "192.0.2.1"); err != nil || a.Delay != 0 {
			t.Fatalf("after a success: delay %v, %v; want none", a, err)
		}
		// Another account from a guessing address is still allowed (pair limit).
		if _, err := th.Begin(ctx, "other@example.org", "198.51.100.0"); err != nil {
			t.Fatalf("another account from a guessing address: %v", err)
		}
		// The window passes.
		now = now.Add(16 * time.Minute)
		if a, err := th.Begin(ctx, "owner@example.org", "198.51.100.0"); err != nil || a.Delay != 0 {
			t.Fatalf("after the window: %+v, %v", a, err)
		}
	})
}

// TestThrottleAddress: 20 attempts from one address over many accounts
// close that address.
func TestThrottleAddress(t *testing.T) {
	ctx := context.Background()
	th := &auth.Throttle{Store: storetest.Open(t, store.SQLite)}
	for i := range 20 {
		if _, err := th.Begin(ctx, fmt.Sprintf("u%d@example.org", i), "9.9.9.9"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := th.Begin(ctx, "new@example.org", "9.9.9.9"); !errors.Is(err, auth.ErrThrottled) {
		t.Fatalf("21st attempt from the address: %v, want ErrThrottled", err)
	}
}
