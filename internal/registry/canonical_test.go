package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestCanonicalHandle(t *testing.T) {
	cases := []struct{ platform, in, want string }{
		{"x", "UNOPS_Haiti", "@UNOPS_Haiti"},
		{"x", "@UNOPS", "@UNOPS"},
		{"twitter", "https://twitter.com/UNOPS_es?lang=es", "@UNOPS_es"},
		{"instagram", "https://www.instagram.com/unops_official/", "@unops_official"},
		{"mastodon", "https://Mastodon.Social/@UNOPS", "@UNOPS@mastodon.social"},
		{"mastodon", "unops@Mastodon.Social", "@unops@mastodon.social"},
		{"bluesky", "UNOPS", "@unops.bsky.social"},
		{"bluesky", "did:plc:abcdefghijklmnopqrstuvwx", "did:plc:abcdefghijklmnopqrstuvwx"},
		{"facebook", "@UNOPS.org", "UNOPS.org"},
		{"linkedin", "https://www.linkedin.com/company/unops/", "unops"},
		{"linkedin", "IN/Jane-Doe", "in/Jane-Doe"},
		{"youtube", "https://www.youtube.com/@UNOPSvideo", "@UNOPSvideo"},
		{"youtube", "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "channel/UCabcdefghijklmnopqrstuv"},
	}
	for _, c := range cases {
		got, err := CanonicalHandle(c.platform, c.in)
		if err != nil || got != c.want {
			t.Errorf("CanonicalHandle(%s, %q) = %q, %v; want %q", c.platform, c.in, got, err, c.want)
			continue
		}
		// The canonical form is the same account as what was typed, and
		// canonical again.
		k1, _ := NormalizeHandle(c.platform, c.in)
		k2, err := NormalizeHandle(c.platform, got)
		if err != nil || k1 != k2 {
			t.Errorf("%s %q: key %q, key of the canonical form %q (%v)", c.platform, c.in, k1, k2, err)
		}
		if again, _ := CanonicalHandle(c.platform, got); again != got {
			t.Errorf("%s %q: canonical form of %q is %q", c.platform, c.in, got, again)
		}
	}
}

func TestServiceStoresCanonicalHandles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		in := haitiRequest()
		in.Handle = "https://x.com/UNOPS_Haiti"
		res, err := f.svc.Register(ctx, f.adminA, "en", in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Account.Handle != "@UNOPS_Haiti" {
			t.Errorf("stored handle %q, want @UNOPS_Haiti", res.Account.Handle)
		}
	})
}

func TestCanonicalHandlesMigratesOldRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		st := f.svc.Store
		// Rows written before the registry kept one form: the store takes
		// handles as given.
		old := []model.Account{
			{Platform: "x", Handle: "UNOPS_Haiti", Kind: "country-office", Office: "Haiti"},
			{Platform: "x", Handle: "@UNOPS", Kind: "corporate", Office: "HQ"},
			{Platform: "x", Handle: "https://x.com/UNOPS_Peru", Kind: "country-office", Office: "Peru"},
			{Platform: "facebook", Handle: "@UNOPS.org", Kind: "corporate", Office: "HQ"},
			{Platform: "x", Handle: "not a handle!", Kind: "corporate", Office: "HQ"},
		}
		if err := st.ImportAccounts(ctx, f.adminA, old); err != nil {
			t.Fatal(err)
		}
		changed, skipped, err := CanonicalHandles(ctx, st)
		if err != nil || changed != 3 || skipped != 1 {
			t.Fatalf("CanonicalHandles = %d changed, %d skipped, %v; want 3, 1", changed, skipped, err)
		}
		want := map[string]string{"Haiti": "@UNOPS_Haiti", "Peru": "@UNOPS_Peru"}
		all, err := st.AllAccounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			if w, ok := want[a.Office]; ok && a.Handle != w {
				t.Errorf("%s: handle %q, want %q", a.Office, a.Handle, w)
			}
			if a.Platform == "facebook" && a.Handle != "UNOPS.org" {
				t.Errorf("facebook handle %q, want UNOPS.org", a.Handle)
			}
			if a.Office == "Peru" && a.HandleKey != "unops_peru" {
				t.Errorf("Peru's key %q, want unops_peru", a.HandleKey)
			}
		}
		// A second run finds nothing to do.
		if changed, _, err := CanonicalHandles(ctx, st); err != nil || changed != 0 {
			t.Errorf("second run changed %d (%v)", changed, err)
		}
		// And the registry finds the migrated account under any form.
		if _, err := st.AccountByHandleKey(ctx, "x", "unops_peru"); err != nil {
			t.Errorf("migrated account not found by its key: %v", err)
		}
	})
}

func TestServicePrecheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		if _, err := f.svc.Register(ctx, f.adminA, "en", haitiRequest()); err != nil {
			t.Fatal(err)
		}
		in := haitiRequest()
		in.Handle, in.DisplayName = "https://x.com/unops_haiti", "Haiti office"
		res, err := f.svc.Precheck(ctx, "en", in)
		if !errs.Is(err, errs.Conflict) || res == nil || len(res.Checks) == 0 {
			t.Fatalf("precheck of a duplicate: %v, %+v", err, res)
		}
		// The checks speak the asker's language.
		fr, _ := f.svc.Precheck(ctx, "fr", in)
		for i, c := range res.Checks {
			if fr == nil || len(fr.Checks) != len(res.Checks) || fr.Checks[i].Message == c.Message {
				t.Fatalf("French pre-checks %+v, English %+v", fr, res.Checks)
			}
		}
		in.Handle = "@UNOPS_HaitiNws"
		res, err = f.svc.Precheck(ctx, "en", in)
		if err != nil || res.Account.Handle != "@UNOPS_HaitiNws" || len(res.Overlaps) == 0 {
			t.Fatalf("precheck: %v, %+v", err, res)
		}
		if _, total, _ := f.svc.Store.Accounts(ctx, store.AccountFilter{}); total != 1 {
			t.Errorf("precheck stored %d accounts", total-1)
		}
	})
}

// TestRequestErrorsNeedAcknowledgement: error pre-checks are fixed or
// acknowledged with a reason, which the history keeps.
func TestRequestErrorsNeedAcknowledgement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		in := haitiRequest()
		in.DisplayName, in.Email = "Haiti office", "jean.dupont@gmail.com" // 4.3 and 4.4(d)
		_, err := f.svc.Request(ctx, f.managerA, f.manager, in, "  ")
		if !errors.Is(err, ErrUnacknowledged) || !strings.Contains(err.Error(), "4.3") || !strings.Contains(err.Error(), "4.4(d)") {
			t.Fatalf("errors without acknowledgement: %v", err)
		}
		if _, total, _ := f.svc.Store.Accounts(ctx, store.AccountFilter{}); total != 0 {
			t.Fatal("a refused request was stored")
		}
		res, err := f.svc.Request(ctx, f.managerA, f.manager, in, "The mailbox moves to unops.org next week.")
		if err != nil {
			t.Fatal(err)
		}
		hist, err := f.svc.Store.AccountEvents(ctx, res.Account.ID)
		if err != nil || len(hist) != 1 || !strings.Contains(hist[0].Reason, "The mailbox moves to unops.org next week.") ||
			!strings.Contains(hist[0].Reason, "4.4(d)") {
			t.Fatalf("history %+v %v", hist, err)
		}
	})
}
