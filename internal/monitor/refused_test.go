package monitor

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestRefusedDestinationNotRetried: an account whose destination the
// outbound policy refuses fails once, with a message saying what to do,
// and is not fetched again (nor counted again) until its profile URL
// changes; before, it was retried with backoff as "platform unavailable".
func TestRefusedDestinationNotRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		accs := addAccounts(t, s, model.Account{Platform: "mastodon", Handle: "office@10.0.0.7", ProfileURL: "https://10.0.0.7/@office"})
		clk := &clock{t: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
		refused := &fake{err: fmt.Errorf("%w: https://10.0.0.7/api/v1/accounts/lookup: 10.0.0.7 is not a public address", connector.ErrRefused)}
		m := newMonitor(t, Options{Store: s, Connectors: connector.Registry{"mastodon": refused}, Now: clk.Now,
			SecretKey: testKey, Backoff: 5 * time.Minute, MaxBackoff: 24 * time.Hour, SyncEvery: 6 * time.Hour, Workers: 1})
		syncDue := func() {
			t.Helper()
			if _, err := m.SyncDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		syncDue()
		st, err := m.SyncState(ctx, accs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.ErrorCount != 1 || !strings.Contains(st.LastError, "HERALD_OUTBOUND_ALLOW") || !strings.Contains(st.LastError, "profile URL") {
			t.Errorf("after the refusal: %+v; want one failure whose message says what to do", st)
		}
		if want := clk.Now().Add(24 * time.Hour); st.NextSyncAt == nil || !st.NextSyncAt.Equal(want) {
			t.Errorf("next sync %v, want %v (not the 5-minute backoff of an outage)", st.NextSyncAt, want)
		}
		for range 3 {
			clk.Set(clk.Now().Add(25 * time.Hour))
			syncDue()
		}
		if st, _ := m.SyncState(ctx, accs[0].ID); refused.fetches != 1 || st.ErrorCount != 1 {
			t.Errorf("after three more days: %d fetches, %d failures; want 1 and 1", refused.fetches, st.ErrorCount)
		}

		// A new profile URL is tried again.
		acc := accs[0]
		acc.Handle, acc.ProfileURL = "office@social.example", "https://social.example/@office"
		if err := s.UpdateAccount(ctx, admin(), &acc, nil); err != nil {
			t.Fatal(err)
		}
		refused.err = nil
		clk.Set(clk.Now().Add(25 * time.Hour))
		syncDue()
		if st, _ := m.SyncState(ctx, accs[0].ID); refused.fetches != 2 || st.LastError != "" {
			t.Errorf("after the URL changed: %d fetches, state %+v; want a new fetch that succeeds", refused.fetches, st)
		}
	})
}
