package monitor

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// The case, through the real Mastodon connector: an account
// registered today, created on its instance three years ago, whose last post
// was 200 days ago, is at risk from its first sync, citing 4.6.
func TestFirstSyncOldQuietAccountAtRisk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		now := time.Now().UTC().Truncate(time.Second)
		lastPost := now.Add(-day(200))
		f := connectortest.NewMastodon(t, connectortest.MastodonOptions{Statuses: 60, Now: lastPost, PageCap: 20,
			Created: now.AddDate(-3, 0, 0)})
		accs := addAccounts(t, s, model.Account{Platform: "mastodon", Handle: "quiet", ProfileURL: f.ProfileURL("quiet"), PostsPerWeek: 1})
		m := newMonitor(t, Options{Store: s, Now: func() time.Time { return now },
			ConnectorConfig: connector.Config{BaseBackoff: time.Millisecond, Allow: benchAllow}})
		r, err := m.SyncOnce(ctx, accs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		// A year back: every status (200 to 259 days old) in three pages.
		if r.Posts != 60 || f.Stats().Fetched["quiet"] != 3 {
			t.Fatalf("first sync stored %d posts from %d pages, want 60 from 3", r.Posts, f.Stats().Fetched["quiet"])
		}
		profiles, err := s.Profiles(ctx, accs[0].ID, now.Add(-day(1)), now.Add(time.Hour))
		if err != nil || len(profiles) != 1 {
			t.Fatalf("profiles %v %+v", err, profiles)
		}
		if p := profiles[0]; p.CreatedAt == nil || !p.CreatedAt.Equal(now.AddDate(-3, 0, 0).Truncate(24*time.Hour)) ||
			p.LastPostAt == nil || !p.LastPostAt.Equal(lastPost) || p.PostCount == nil || *p.PostCount != 60 {
			t.Errorf("platform facts stored: %+v", p)
		}
		rec, sum, err := m.EvaluateAccount(ctx, accs[0].ID, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		res := rec.Result
		if res.State != health.StateAtRisk || len(res.Reasons) == 0 || res.Reasons[0].Code != health.CodeNoRecentPosts ||
			res.Reasons[0].Clause != "4.6" || !strings.Contains(res.Reasons[0].Message, "200 days ago") {
			t.Fatalf("first evaluation %+v", res)
		}
		if sum.AtRisk != 1 || sum.Transitions["active→at-risk"] != 1 {
			t.Errorf("summary %+v", sum)
		}
		acc, _ := s.Account(ctx, accs[0].ID)
		if acc.Status != model.StatusAtRisk {
			t.Errorf("status %s, want at-risk", acc.Status)
		}
		// A later sync reads from a week before the last one: one page.
		m.o.Now = func() time.Time { return now.Add(6 * time.Hour) }
		if _, err := m.SyncOnce(ctx, accs[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := f.Stats().Fetched["quiet"]; n != 4 {
			t.Errorf("the second sync read %d pages, want 1", n-3)
		}
	})
}

// Quiet for longer than the back-fill: no post is read, and the platform's
// own last post date tells.
func TestFirstSyncPlatformLastPost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		now := time.Now().UTC().Truncate(time.Second)
		f := connectortest.NewMastodon(t, connectortest.MastodonOptions{Statuses: 5, Now: now.Add(-day(400)), Created: now.AddDate(-3, 0, 0)})
		accs := addAccounts(t, s, model.Account{Platform: "mastodon", Handle: "silent", ProfileURL: f.ProfileURL("silent")})
		m := newMonitor(t, Options{Store: s, Now: func() time.Time { return now },
			ConnectorConfig: connector.Config{BaseBackoff: time.Millisecond, Allow: benchAllow}})
		if r, err := m.SyncOnce(ctx, accs[0].ID); err != nil || r.Posts != 0 {
			t.Fatalf("%+v %v", r, err)
		}
		rec, _, err := m.EvaluateAccount(ctx, accs[0].ID, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if res := rec.Result; res.State != health.StateAtRisk || res.LastPostAt == nil || !res.LastPostAt.Equal(now.Add(-day(400))) ||
			!strings.Contains(res.Reasons[0].Message, "400 days ago") || !strings.Contains(res.Reasons[0].Message, "as the platform reports") {
			t.Fatalf("evaluation %+v", res)
		}
	})
}

// The first sync's back-fill stops at the connectors' page cap.
func TestFirstSyncBoundedByPages(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	now := time.Now().UTC().Truncate(time.Second)
	f := connectortest.NewMastodon(t, connectortest.MastodonOptions{Statuses: 300, Now: now, PageCap: 10})
	accs := addAccounts(t, s, model.Account{Platform: "mastodon", Handle: "busy", ProfileURL: f.ProfileURL("busy")})
	m := newMonitor(t, Options{Store: s, Now: func() time.Time { return now },
		ConnectorConfig: connector.Config{BaseBackoff: time.Millisecond, MaxPages: 4, Allow: benchAllow}})
	r, err := m.SyncOnce(ctx, accs[0].ID)
	if err != nil || r.Posts != 40 || f.Stats().Fetched["busy"] != 4 {
		t.Fatalf("%d posts from %d pages (%v), want 40 from 4", r.Posts, f.Stats().Fetched["busy"], err)
	}
}

func TestSyncSince(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	recent, old := now.Add(-day(1)), now.Add(-day(400))
	for _, tc := range []struct {
		name string
		last *time.Time
		want time.Time
	}{
		{"first sync back-fills a year", nil, now.Add(-day(365))},
		{"later sync: a week before the last", &recent, recent.Add(-day(7))},
		{"long unsynced: the lookback at most", &old, now.Add(-day(120))},
	} {
		if got := syncSince(tc.last, now, day(365), day(120)); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Evaluate now: an account with no data at all is unknown, never healthy,
// and stays active while young; other statuses are refused.
func TestEvaluateAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		accs := addAccounts(t, s,
			model.Account{Platform: "x", Handle: "fresh"},
			model.Account{Platform: "x", Handle: "asked", Status: model.StatusRequested})
		m := newMonitor(t, Options{Store: s, Connectors: connector.Registry{}})
		now := time.Now().UTC()
		rec, sum, err := m.EvaluateAccount(ctx, accs[0].ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Result.State != health.StateUnknown || len(rec.Result.Reasons) != 1 || rec.Result.Reasons[0].Code != health.CodeNoDataYet ||
			!strings.Contains(rec.Result.Reasons[0].Message, "What to do") || sum.Unknown != 1 || len(sum.Transitions) != 0 {
			t.Fatalf("unknown account: %+v %+v", rec.Result, sum)
		}
		stored, err := m.Health(ctx, accs[0].ID)
		if err != nil || stored.Result.State != health.StateUnknown {
			t.Errorf("stored %+v %v", stored, err)
		}
		unknown, total, err := m.Unknown(ctx, 10, 0)
		if err != nil || total != 1 || len(unknown) != 1 || unknown[0].Account.ID != accs[0].ID {
			t.Errorf("unknown list %+v (total %d) %v", unknown, total, err)
		}
		if atRisk, total, err := m.AtRisk(ctx, 10, 0); err != nil || total != 0 || len(atRisk) != 0 {
			t.Errorf("an unknown account is listed at risk: %+v %v", atRisk, err)
		}
		// Past the time an account may go without data, it is at risk.
		rec, sum, err = m.EvaluateAccount(ctx, accs[0].ID, now.Add(day(31)))
		if err != nil || rec.Result.State != health.StateUnknown || rec.Result.Reasons[0].Code != health.CodeNoData ||
			sum.Transitions["active→at-risk"] != 1 {
			t.Fatalf("unknown for 31 days: %+v %+v %v", rec, sum, err)
		}
		if _, _, err := m.EvaluateAccount(ctx, accs[1].ID, now); !errors.Is(err, ErrNotMonitored) {
			t.Errorf("requested account: %v", err)
		}
		if _, _, err := m.EvaluateAccount(ctx, 99999, now); !errs.Is(err, errs.NotFound) {
			t.Errorf("missing account: %v", err)
		}
	})
}
