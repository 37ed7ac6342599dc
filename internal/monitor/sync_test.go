package monitor

import (
	"bytes"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

var testKey = bytes.Repeat([]byte{7}, 32)

func TestSyncOutcomes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		accs := addAccounts(t, s,
			model.Account{Platform: "mastodon", Handle: "ok1", ProfileURL: "https://mastodon.example/@ok1"},
			model.Account{Platform: "mastodon", Handle: "ok2", ProfileURL: "https://mastodon.example/@ok2"},
			model.Account{Platform: "x", Handle: "broken"},
			model.Account{Platform: "bluesky", Handle: "limited.bsky.social"},
			model.Account{Platform: "bluesky", Handle: "limited2.bsky.social"},
			model.Account{Platform: "tiktok", Handle: "noconnector"},
			model.Account{Platform: "x", Handle: "pending", Status: model.StatusRequested},
		)
		clk := &clock{t: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
		ok := &fake{}
		fakes := connector.Registry{
			"mastodon": ok,
			"x":        &fake{err: connector.ErrUnavailable},
			"bluesky":  &fake{err: &connector.RateLimitedError{RetryAfter: time.Hour}},
		}
		m := newMonitor(t, Options{Store: s, Connectors: fakes, Now: clk.Now, SecretKey: testKey,
			Backoff: 5 * time.Minute, SyncEvery: 6 * time.Hour, Workers: 3})
		ok.m = m
		if err := m.SetCredential(ctx, admin(), "mastodon", 0, "platform-token"); err != nil {
			t.Fatal(err)
		}
		if err := m.SetCredential(ctx, admin(), "mastodon", accs[1].ID, "own-token"); err != nil {
			t.Fatal(err)
		}
		stats, err := m.SyncDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Requested accounts are not monitored; both bluesky accounts wait
		// for the platform's Retry-After. With three workers the second may
		// already be in flight when the first 429 arrives; one that starts
		// after it is not fetched (the platform is paused).
		if stats.Claimed != 6 || stats.Synced != 2 || stats.Failed != 2 || stats.RateLimited != 2 {
			t.Fatalf("stats %+v", stats)
		}
		if bs := fakes["bluesky"].(*fake); bs.fetches < 1 || bs.fetches > 2 {
			t.Errorf("bluesky fetched %d times after a 429, want 1, or 2 when both were in flight", bs.fetches)
		}
		if ok.tokens[accs[0].ID] != "platform-token" || ok.tokens[accs[1].ID] != "own-token" {
			t.Errorf("tokens lent: %v", ok.tokens)
		}
		if _, found := m.tokens.Load(accs[0].ID); found {
			t.Error("token kept after the fetch")
		}
		now := clk.Now()
		check := func(a model.Account, errs int, next time.Time, lastErr string) {
			t.Helper()
			st, err := m.SyncState(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.ErrorCount != errs || st.NextSyncAt == nil || !st.NextSyncAt.Equal(next) || !strings.Contains(st.LastError, lastErr) || st.LeaseOwner != "" {
				t.Errorf("%s: %+v, want errors %d next %v error %q", a.Handle, st, errs, next, lastErr)
			}
		}
		check(accs[0], 0, now.Add(6*time.Hour), "")
		check(accs[2], 1, now.Add(5*time.Minute), "unavailable")
		check(accs[3], 0, now.Add(time.Hour), "rate limited")
		check(accs[4], 0, now.Add(time.Hour), "rate limited")
		check(accs[5], 1, now.Add(5*time.Minute), "no connector")
		got, err := s.Posts(ctx, accs[0].ID, now.Add(-day(3)), now)
		if err != nil || len(got) != 2 {
			t.Fatalf("posts %v %+v", err, got)
		}
		for _, p := range got {
			if p.ExternalID == fmt.Sprintf("%d-2", accs[0].ID) && (p.Likes != nil || p.Replies != nil || p.Views != nil) {
				t.Errorf("unknown figures stored as %+v", p)
			}
			if p.ExternalID == fmt.Sprintf("%d-1", accs[0].ID) && (p.Likes == nil || *p.Likes != 10 || p.Replies != nil) {
				t.Errorf("figures %+v", p)
			}
		}
		// The broken platform backs off exponentially; the good one is not due.
		clk.Set(now.Add(10 * time.Minute))
		if stats, _ = m.SyncDue(ctx); stats.Claimed != 2 || stats.Failed != 2 {
			t.Fatalf("second pass %+v", stats)
		}
		check(accs[2], 2, now.Add(20*time.Minute), "unavailable")
		// After Retry-After the rate-limited platform is asked again.
		fakes["bluesky"] = &fake{}
		clk.Set(now.Add(61 * time.Minute))
		if stats, _ = m.SyncDue(ctx); stats.Synced != 2 {
			t.Fatalf("after the rate limit %+v", stats)
		}
		// SyncOnce ignores the schedule and counts what it stored.
		r, err := m.SyncOnce(ctx, accs[0].ID)
		if err != nil || r.Posts != 2 || !r.Profile {
			t.Fatalf("SyncOnce %+v %v", r, err)
		}
		profiles, _ := s.Profiles(ctx, accs[0].ID, now.Add(-day(3)), now)
		if len(profiles) != 2 || profiles[0].Followers == nil || profiles[0].PostCount != nil {
			t.Fatalf("profiles %+v", profiles)
		}
	})
}

func TestCredentialsEncrypted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		s := storetest.OpenURL(t, url)
		m := newMonitor(t, Options{Store: s, Connectors: connector.Registry{}, SecretKey: testKey})
		const secret = "EAAB-very-secret-page-token"
		if err := m.SetCredential(ctx, admin(), "facebook", 0, secret); err != nil {
			t.Fatal(err)
		}
		driver, dsn := "pgx", url
		if dialect == store.SQLite {
			driver, dsn = "sqlite", strings.TrimPrefix(url, "sqlite:")
		}
		raw, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var stored []byte
		if err := raw.QueryRow("SELECT secret FROM credentials WHERE platform = 'facebook'").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(stored, []byte(secret)) || bytes.Contains(stored, []byte("very-secret")) || len(stored) < len(secret)+16 {
			t.Fatalf("stored credential is not encrypted: %q", stored)
		}
		if set, err := m.CredentialSet(ctx, "facebook", 0); !set || err != nil {
			t.Fatalf("CredentialSet %v %v", set, err)
		}
		if set, _ := m.CredentialSet(ctx, "facebook", 9); set {
			t.Fatal("account credential reported set")
		}
		got, err := m.credential(ctx, model.Account{ID: 5, Platform: "facebook"})
		if err != nil || got != secret {
			t.Fatalf("decrypt: %q %v", got, err)
		}
		// Another key, or the ciphertext moved to another row, does not decrypt.
		other := newMonitor(t, Options{Store: s, Connectors: connector.Registry{}, SecretKey: bytes.Repeat([]byte{8}, 32)})
		if _, err := other.credential(ctx, model.Account{ID: 5, Platform: "facebook"}); err == nil || strings.Contains(err.Error(), secret) {
			t.Fatalf("wrong key: %v", err)
		}
		if _, err := raw.Exec("INSERT INTO credentials (platform, account_id, secret, updated_at) SELECT 'instagram', 0, secret, updated_at FROM credentials WHERE platform = 'facebook'"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.credential(ctx, model.Account{ID: 5, Platform: "instagram"}); err == nil {
			t.Fatal("a ciphertext copied to another platform decrypted")
		}
		// No audit summary or listing carries the secret.
		evs, _ := s.AuditEvents(ctx, store.AuditFilter{})
		for _, e := range evs {
			if strings.Contains(e.Summary, "secret") && strings.Contains(e.Summary, secret) {
				t.Fatalf("audit carries the secret: %+v", e)
			}
		}
		if err := m.SetCredential(ctx, admin(), "facebook", 0, ""); err != nil {
			t.Fatal(err)
		}
		if set, _ := m.CredentialSet(ctx, "facebook", 0); set {
			t.Fatal("deleted credential still set")
		}
		noKey := newMonitor(t, Options{Store: s, Connectors: connector.Registry{}})
		if err := noKey.SetCredential(ctx, admin(), "x", 0, "t"); err != ErrNoSecretKey {
			t.Fatalf("without a key: %v", err)
		}
	})
}

// TestTwoSyncersNeverOverlap runs two monitors on two store handles of one
// database, claiming and syncing as fast as they can; the fake records the
// most concurrent fetches of any one account.
func TestTwoSyncersNeverOverlap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		s1 := storetest.OpenURL(t, url)
		s2 := storetest.OpenURL(t, url)
		var accs []model.Account
		for i := range 40 {
			accs = append(accs, model.Account{Platform: "mastodon", Handle: fmt.Sprintf("acct%d", i)})
		}
		addAccounts(t, s1, accs...)
		f := &fake{delay: 3 * time.Millisecond}
		fakes := connector.Registry{"mastodon": f}
		var wg sync.WaitGroup
		stop := time.Now().Add(3 * time.Second)
		for i, s := range []*store.Store{s1, s2} {
			m := newMonitor(t, Options{Store: s, Connectors: fakes, Workers: 4, SyncEvery: time.Microsecond, Owner: fmt.Sprintf("server%d", i)})
			wg.Go(func() {
				for time.Now().Before(stop) {
					if _, err := m.SyncDue(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if f.maxFlight != 1 {
			t.Fatalf("an account was fetched %d times at once", f.maxFlight)
		}
		if f.fetches < 2*len(accs) {
			t.Fatalf("only %d fetches in 3 s: the test proved little", f.fetches)
		}
		t.Logf("%d fetches of %d accounts, never two at once", f.fetches, len(accs))
	})
}
