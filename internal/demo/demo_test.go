package demo

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

func TestSeedIsIdempotent(t *testing.T) {
	ctx := context.Background()
	st, p := openStore(t)
	for range 2 {
		if err := Seed(ctx, st, p); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := st.CountUsers(ctx); err != nil || n != 5 {
		t.Errorf("users: %d, %v; want one per role", n, err)
	}
	accs, total, err := st.Accounts(ctx, store.AccountFilter{Kind: "corporate"})
	if err != nil || total != 3 {
		t.Fatalf("corporate accounts: %d, %v", total, err)
	}
	for _, a := range accs {
		if a.Platform != "x" {
			t.Errorf("corporate account %s on %s, want x", a.Handle, a.Platform)
		}
	}
	platforms := map[string]bool{}
	all, _, _ := st.Accounts(ctx, store.AccountFilter{Limit: 100})
	for _, a := range all {
		platforms[a.Platform] = true
	}
	for _, want := range []string{"x", "mastodon", "bluesky", "linkedin", "facebook"} {
		if !platforms[want] {
			t.Errorf("no demo account on %s", want)
		}
	}
}

// Every active demo account must be verifiable publicly in its pasted forms,
// since seeding bypasses the registry service that normally sets the key.
func TestSeededAccountsVerify(t *testing.T) {
	ctx := context.Background()
	st, p := openStore(t)
	if err := Seed(ctx, st, p); err != nil {
		t.Fatal(err)
	}
	svc := &registry.Service{Store: st, Pack: p}
	all, _, err := st.Accounts(ctx, store.AccountFilter{Status: "active", Limit: 100})
	if err != nil || len(all) == 0 {
		t.Fatalf("active demo accounts: %d, %v", len(all), err)
	}
	for _, a := range all {
		for _, form := range []string{a.Handle, a.ProfileURL} {
			v, err := svc.Verify(ctx, a.Platform, form)
			if err != nil || !v.Official {
				t.Errorf("verify %s %q: %+v, %v; want official", a.Platform, form, v, err)
			}
		}
	}
}

// openStore opens a migrated SQLite store and loads the default pack.
func openStore(t *testing.T) (*store.Store, *policy.Pack) {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	p, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	return st, p
}

// The demo has a year of activity and, once evaluated, both healthy and
// at-risk accounts; the same day always seeds the same activity.
func TestSeedActivityAndHealth(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 15, 4, 5, 0, time.UTC)
	st, p := openStore(t)
	seed := func(st *store.Store, now time.Time) {
		t.Helper()
		if err := Seed(ctx, st, p); err != nil {
			t.Fatal(err)
		}
		if err := Activity(ctx, st, p, now); err != nil {
			t.Fatal(err)
		}
	}
	seed(st, now)
	all, _, err := st.Accounts(ctx, store.AccountFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, a := range all {
		h, err := st.Health(ctx, a.ID)
		if err != nil {
			t.Fatalf("%s: not evaluated: %v", a.Handle, err)
		}
		states[a.Handle] = h.State
		if a.Platform == "threads" {
			continue // the account without data
		}
		posts, err := st.Posts(ctx, a.ID, now.AddDate(-1, 0, -1), now)
		if err != nil || len(posts) < 40 {
			t.Errorf("%s: %d posts in the year, %v", a.Handle, len(posts), err)
		}
		if first := posts[0].PostedAt; now.Sub(first) < 350*24*time.Hour {
			t.Errorf("%s: first post %s, want about a year back", a.Handle, first)
		}
		profiles, err := st.Profiles(ctx, a.ID, now.AddDate(-1, 0, -1), now)
		if err != nil || len(profiles) < 50 || profiles[len(profiles)-1].Followers == nil || profiles[0].CreatedAt == nil {
			t.Errorf("%s: %d weekly snapshots, %v", a.Handle, len(profiles), err)
		}
	}
	want := map[string]string{
		"@UNOPS": health.StateHealthy, "@UNOPS_es": health.StateHealthy, "@unops_kenya@mastodon.social": health.StateHealthy,
		"@UNOPS_fr": health.StateAtRisk, "@unops-peru.bsky.social": health.StateAtRisk,
		"@unops_haiti": health.StateUnknown,
	}
	for h, w := range want {
		if states[h] != w {
			t.Errorf("%s: %q, want %q (all: %v)", h, states[h], w, states)
		}
	}
	// Seeding again the same day changes nothing; another store seeded the
	// same day holds the same posts.
	a := all[0]
	before, _ := st.Posts(ctx, a.ID, now.AddDate(-2, 0, 0), now)
	snaps, _ := st.Profiles(ctx, a.ID, now.AddDate(-2, 0, 0), now)
	seed(st, now.Add(time.Hour))
	after, _ := st.Posts(ctx, a.ID, now.AddDate(-2, 0, 0), now)
	snaps2, _ := st.Profiles(ctx, a.ID, now.AddDate(-2, 0, 0), now)
	if !reflect.DeepEqual(before, after) || len(snaps) != len(snaps2) {
		t.Errorf("seeding again changed %s: %d→%d posts, %d→%d snapshots", a.Handle, len(before), len(after), len(snaps), len(snaps2))
	}
	st2, _ := openStore(t)
	seed(st2, now)
	b, err := st2.AccountByHandleKey(ctx, a.Platform, a.HandleKey)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := st2.Posts(ctx, b.ID, now.AddDate(-2, 0, 0), now)
	for i := range other {
		other[i].AccountID = a.ID
	}
	if !reflect.DeepEqual(before, other) {
		t.Errorf("two seeds of the same day differ: %d and %d posts", len(before), len(other))
	}
}
