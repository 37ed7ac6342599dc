package monitor

import (
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestImportAnalyticsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		acc := addAccounts(t, s, model.Account{Platform: "x", Handle: "imported"})[0]
		m := newMonitor(t, Options{Store: s, Connectors: connector.Registry{}})
		at := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
		good := []model.Post{
			{ExternalID: "1", PostedAt: at, Likes: ptr(3), Views: ptr(100)},
			{ExternalID: "2", PostedAt: at.Add(time.Hour)},
		}
		bad := append(append([]model.Post{}, good...), model.Post{ExternalID: "", PostedAt: at})
		if _, err := m.ImportAnalytics(ctx, admin(), acc.ID, bad); !errs.Is(err, errs.Invalid) {
			t.Fatalf("bad row: %v", err)
		}
		if got, _ := s.Posts(ctx, acc.ID, at.Add(-time.Hour), at.Add(2*time.Hour)); len(got) != 0 {
			t.Fatalf("half-written import: %+v", got)
		}
		if _, err := m.ImportAnalytics(ctx, admin(), 999, good); !errs.Is(err, errs.NotFound) {
			t.Fatalf("unknown account: %v", err)
		}
		if n, err := m.ImportAnalytics(ctx, admin(), acc.ID, good); err != nil || n != 2 {
			t.Fatalf("import: %d %v", n, err)
		}
		// A re-import updates figures it knows and keeps the ones it does not.
		again := []model.Post{{ExternalID: "1", PostedAt: at, Likes: ptr(5)}}
		if _, err := m.ImportAnalytics(ctx, admin(), acc.ID, again); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Posts(ctx, acc.ID, at.Add(-time.Hour), at.Add(2*time.Hour))
		if len(got) != 2 || *got[0].Likes != 5 || *got[0].Views != 100 || got[0].Source != "analytics" ||
			got[1].Likes != nil || got[1].Views != nil || got[1].Replies != nil {
			t.Fatalf("posts %+v", got)
		}
		if evs, _ := s.AuditEvents(ctx, store.AuditFilter{ActionPrefix: "activity.import"}); len(evs) != 2 {
			t.Fatalf("%d import events, want 2", len(evs))
		}
	})
}
