package registry

import (
	"context"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestDirectory: accounts in use are listed as active since their
// activation; a closed one as closed for public_closed_days (default 365),
// then no more; requests never.
func TestDirectory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		clock := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
		f.svc.Now = func() time.Time { return clock }
		haiti, err := f.svc.Register(ctx, f.adminA, "en", haitiRequest())
		if err != nil {
			t.Fatal(err)
		}
		lima := haitiRequest()
		lima.Handle, lima.DisplayName, lima.Office, lima.Languages = "@UNOPS_Lima", "UNOPS Perú", "Lima", []string{"es"}
		limaRes, err := f.svc.Register(ctx, f.adminA, "en", lima)
		if err != nil {
			t.Fatal(err)
		}
		req := haitiRequest()
		req.Handle, req.Office = "@UNOPS_Plan", "Geneva"
		if _, err := f.svc.Request(ctx, f.managerA, f.manager, req, ""); err != nil {
			t.Logf("request: %v", err)
		}
		// An approved request is verified since its approval, not since it
		// was asked for.
		asked := haitiRequest()
		asked.Handle, asked.DisplayName, asked.Office, asked.Languages = "@UNOPS_Quito", "UNOPS Ecuador", "Quito", []string{"es"}
		askedRes, err := f.svc.Request(ctx, f.managerA, f.manager, asked, "")
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // the store stamps with its own clock
		if _, err := f.svc.Decide(ctx, f.reviewerA, f.reviewer, askedRes.Account.ID, "approve", "a distinct audience"); err != nil {
			t.Fatal(err)
		}
		clock = clock.AddDate(0, 1, 0)
		if _, err := f.svc.Transition(ctx, f.adminA, limaRes.Account.ID, model.StatusClosed, "office moved"); err != nil {
			t.Fatal(err)
		}
		list := func(flt DirectoryFilter) map[string]DirectoryEntry {
			t.Helper()
			es, err := f.svc.Directory(ctx, flt)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]DirectoryEntry{}
			for _, e := range es {
				out[e.Handle] = e
			}
			return out
		}
		clock = clock.AddDate(0, 0, 300)
		got := list(DirectoryFilter{})
		h, l, q := got["@UNOPS_Haiti"], got["@UNOPS_Lima"], got["@UNOPS_Quito"]
		if q.VerifiedSince == nil || !q.VerifiedSince.After(askedRes.Account.CreatedAt) {
			t.Errorf("Quito verified since %v, want after its request of %v", q.VerifiedSince, askedRes.Account.CreatedAt)
		}
		delete(got, "@UNOPS_Quito")
		if len(got) != 2 || h.Status != "active" || l.Status != "closed" || l.ClosedSince == nil {
			t.Fatalf("after 300 days: %+v", got)
		}
		// The store stamps the account's history with its own clock.
		if h.VerifiedSince == nil || !h.VerifiedSince.Equal(haiti.Account.CreatedAt) || h.ID != haiti.Account.ID {
			t.Errorf("Haiti verified since %v, want its registration %v", h.VerifiedSince, haiti.Account.CreatedAt)
		}
		if got := list(DirectoryFilter{Language: "ht", Query: "haiti"}); len(got) != 1 {
			t.Errorf("language ht and haiti: %v", got)
		}
		if got := list(DirectoryFilter{Query: "peru"}); len(got) != 1 {
			t.Errorf("query peru (folded): %v", got)
		}
		if got := list(DirectoryFilter{Office: "lima"}); len(got) != 1 {
			t.Errorf("office lima (closed 300 days ago): %v", got)
		}
		if got := list(DirectoryFilter{Platform: "instagram"}); len(got) != 0 {
			t.Errorf("instagram: %v", got)
		}
		clock = clock.AddDate(0, 0, 70)
		if got := list(DirectoryFilter{Office: "haiti"}); len(got) != 1 || got["@UNOPS_Haiti"].Status != "active" {
			t.Errorf("after 370 days closed: %+v", got)
		}
		if got := list(DirectoryFilter{Office: "lima"}); len(got) != 0 {
			t.Errorf("closed 370 days ago and still listed: %+v", got)
		}
	})
}
