package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestDiscoveryStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		want := []store.DiscoverySearch{
			{Platform: "mastodon", Target: "https://mastodon.example", Query: "UNOPS"},
			{Platform: "bluesky", Query: "UNOPS"},
			{Platform: "bluesky", Query: "United Nations Office for Project Services"},
		}
		must(t, s.SetDiscoverySearches(ctx, want, t0))
		must(t, s.SetDiscoverySearches(ctx, want, t0.Add(time.Hour))) // again: nothing changes
		all, err := s.DiscoverySearches(ctx)
		must(t, err)
		if len(all) != 3 || !all[0].NextRunAt.Equal(t0) {
			t.Fatalf("searches %+v: want 3, due at t0", all)
		}

		// Two claimers at once take disjoint searches.
		var mu sync.Mutex
		got := map[int64]string{}
		var wg sync.WaitGroup
		for _, owner := range []string{"a", "b"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ds, err := s.ClaimDueSearches(ctx, owner, t0, t0.Add(10*time.Minute), 2)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for _, d := range ds {
					if prev, dup := got[d.ID]; dup {
						t.Errorf("search %d claimed by %s and %s", d.ID, prev, owner)
					}
					got[d.ID] = owner
				}
			}()
		}
		wg.Wait()
		if len(got) != 3 {
			t.Fatalf("claimed %v, want all 3 searches", got)
		}
		if more, _ := s.ClaimDueSearches(ctx, "c", t0, t0.Add(time.Minute), 5); len(more) != 0 {
			t.Errorf("leased searches claimed again: %+v", more)
		}

		var d store.DiscoverySearch
		for _, x := range all {
			if x.Platform == "mastodon" {
				d = x
			}
		}
		// A webhook endpoint hears of each account queued.
		owner := &model.User{Email: "hooks@unops.org", Name: "Hooks", Role: model.RoleAdmin}
		must(t, s.CreateUser(ctx, admin, owner))
		ep := &model.WebhookEndpoint{URL: "https://hooks.example/herald", Secret: []byte("0123456789abcdef0123456789abcdef"),
			EventTypes: []string{model.EventFoundAccountReported}, OwnerID: owner.ID}
		must(t, s.CreateWebhookEndpoint(ctx, admin, ep))
		score := 0.93
		found := []model.FoundAccount{
			{Platform: "mastodon", Handle: "UN0PS_Kenya@mastodon.example", HandleKey: "un0ps_kenya@mastodon.example", DisplayName: "UNOPS Kenya",
				Bio: "Official", URL: "https://mastodon.example/@UN0PS_Kenya", LookalikeScore: &score, Reasons: []model.LookalikeReason{model.NewLookalikeReason("lookalike.carries_handle", "@UNOPSKenya")}},
			{Platform: "mastodon", Handle: "UN0PS_Kenya@mastodon.example", HandleKey: "un0ps_kenya@mastodon.example"}, // twice in one answer
		}
		n, err := s.DiscoverySucceeded(ctx, d, got[d.ID], found, nil, t0.Add(24*time.Hour))
		must(t, err)
		if n != 1 {
			t.Errorf("queued %d, want 1 (the second is the same account)", n)
		}
		f, err := s.FoundAccount(ctx, found[0].ID)
		must(t, err)
		if f.Source != model.FoundSourceDiscovery || f.LookalikeScore == nil || *f.LookalikeScore != score ||
			len(f.Reasons) != 1 || f.Bio != "Official" || f.LastSeenAt == nil || f.State != model.FoundNew {
			t.Errorf("stored as %+v", f)
		}
		// The next run sees it again: last seen moves, nothing is added. (The
		// other searches' leases have expired: they are due again too.)
		ds, err := s.ClaimDueSearches(ctx, "a", t0.Add(25*time.Hour), t0.Add(26*time.Hour), 5)
		must(t, err)
		var again *store.DiscoverySearch
		for i := range ds {
			if ds[i].ID == d.ID {
				again = &ds[i]
			}
		}
		if len(ds) != 3 || again == nil || again.LastFound != 1 || again.LastRunAt == nil {
			t.Fatalf("due after a day: %+v", ds)
		}
		n, err = s.DiscoverySucceeded(ctx, *again, "a", found[1:], [][2]string{{"mastodon", "un0ps_kenya@mastodon.example"}}, t0.Add(48*time.Hour))
		must(t, err)
		if n != 0 {
			t.Errorf("queued %d again", n)
		}

		// A failure is recorded and releases the lease; a wrong owner changes nothing.
		ds, err = s.ClaimDueSearches(ctx, "b", t0.Add(49*time.Hour), t0.Add(50*time.Hour), 1)
		must(t, err)
		must(t, s.DiscoveryFailed(ctx, ds[0].ID, "someone-else", "boom", true, t0.Add(51*time.Hour)))
		must(t, s.DiscoveryFailed(ctx, ds[0].ID, "b", "mastodon search: HTTP 503", true, t0.Add(51*time.Hour)))
		all, err = s.DiscoverySearches(ctx)
		must(t, err)
		for _, x := range all {
			if x.ID == ds[0].ID && (x.ErrorCount != 1 || x.LastError != "mastodon search: HTTP 503" || x.LeaseOwner != "" || !x.NextRunAt.Equal(t0.Add(51*time.Hour))) {
				t.Errorf("after a failure: %+v", x)
			}
		}

		// A public report of a queued account counts; of a new one queues it.
		id, count, created, err := s.ReportFound(ctx, found[0], "asks for money")
		must(t, err)
		if id != found[0].ID || count != 1 || created {
			t.Errorf("report of a discovered account: id %d, count %d, created %v", id, count, created)
		}
		fresh := model.FoundAccount{Platform: "x", Handle: "UN0PS", HandleKey: "un0ps", LookalikeScore: &score}
		if _, count, created, err = s.ReportFound(ctx, fresh, ""); err != nil || count != 1 || !created {
			t.Errorf("report of a new account: count %d, created %v, %v", count, created, err)
		}
		ds2, err := s.WebhookDeliveries(ctx, ep.ID, "", 10)
		must(t, err)
		if len(ds2) != 2 {
			t.Errorf("%d found_account.reported deliveries, want 2 (one discovered, one reported)", len(ds2))
		}

		// Dropping a search from the configuration removes it.
		must(t, s.SetDiscoverySearches(ctx, want[1:], t0))
		all, err = s.DiscoverySearches(ctx)
		must(t, err)
		if len(all) != 2 {
			t.Errorf("after dropping the Mastodon search: %+v", all)
		}
		events, err := s.AuditEvents(ctx, store.AuditFilter{ActionPrefix: "found.discover"})
		must(t, err)
		if len(events) != 1 {
			t.Errorf("%d found.discover events, want 1", len(events))
		}
	})
}
