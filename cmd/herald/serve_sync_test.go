package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestTwoServersShareTheScheduler runs two `herald serve --sync` on one
// PostgreSQL database against a fake Mastodon instance that holds every
// request until eight are in flight at once: more than one server's four
// workers can make, so both servers were fetching together. No account
// may ever have two requests in flight, and each is synced exactly once.
func TestTwoServersShareTheScheduler(t *testing.T) {
	db := storetest.URL(t, store.Postgres) // skips without HERALD_TEST_POSTGRES_URL
	st := storetest.OpenURL(t, db)
	ctx := context.Background()
	const n, statuses = 40, 3
	f := connectortest.NewMastodon(t, connectortest.MastodonOptions{Statuses: statuses, HoldUntil: 8, Delay: 10 * time.Millisecond})
	accs := make([]model.Account, n)
	for i := range accs {
		user := fmt.Sprintf("office%02d", i)
		accs[i] = model.Account{Platform: "mastodon", Handle: user, ProfileURL: f.ProfileURL(user),
			Kind: model.KindCorporate, Status: model.StatusActive}
	}
	if err := st.ImportAccounts(ctx, model.Actor{Email: "admin@unops.org"}, accs); err != nil {
		t.Fatal(err)
	}
	key := strings.Repeat("ab", 32)
	args := []string{"--sync", "--sync-interval", "1m", "--secret-key", key, "--outbound-allow", "127.0.0.1,::1"}
	_, _, stop1 := startServe(t, db, args...)
	_, _, stop2 := startServe(t, db, args...)
	deadline := time.Now().Add(30 * time.Second)
	for done := 0; done < n; {
		if time.Now().After(deadline) {
			f.Release()
			stop1()
			stop2()
			t.Fatalf("%d of %d accounts synced in 30 s; server stats %+v", done, n, f.Stats())
		}
		time.Sleep(100 * time.Millisecond)
		done = 0
		for _, a := range accs {
			if s, err := st.SyncState(ctx, a.ID); err == nil && s.LastSyncedAt != nil {
				done++
			}
		}
	}
	// A few more seconds together: nothing is due again within the interval.
	time.Sleep(2 * time.Second)
	stop1()
	stop2()
	stats := f.Stats()
	if stats.MaxPerUser != 1 {
		t.Errorf("an account had %d requests in flight at once", stats.MaxPerUser)
	}
	if stats.MaxInFlight < 8 {
		t.Errorf("at most %d requests in flight: one server did all the work", stats.MaxInFlight)
	}
	for _, a := range accs {
		if stats.Looked[a.Handle] != 1 {
			t.Errorf("%s looked up %d times, want 1", a.Handle, stats.Looked[a.Handle])
		}
		s, err := st.SyncState(ctx, a.ID)
		if err != nil || s.ErrorCount != 0 || s.LeaseOwner != "" {
			t.Errorf("%s: %+v %v", a.Handle, s, err)
		}
		posts, err := st.Posts(ctx, a.ID, time.Now().Add(-30*24*time.Hour), time.Now().Add(time.Hour))
		if err != nil || len(posts) != statuses {
			t.Errorf("%s: %d posts stored, want %d (%v)", a.Handle, len(posts), statuses, err)
		}
	}
	t.Logf("%d requests, at most %d in flight, at most %d per account", stats.Requests, stats.MaxInFlight, stats.MaxPerUser)
}
