package demo

import (
	"context"
	"path/filepath"
	"testing"

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
