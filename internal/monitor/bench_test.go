package monitor

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// benchAccounts is 10,000 unless HERALD_BENCH_ACCOUNTS says otherwise.
func benchAccounts() int {
	if n, err := strconv.Atoi(os.Getenv("HERALD_BENCH_ACCOUNTS")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// BenchmarkEvaluate seeds N accounts × 1,000 posts (one post a day, so
// about 90 of them in the evaluation window; 1 in 5 without figures) and a
// follower snapshot a week over a year, then times one full evaluation.
// Run with -benchtime 1x: seeding 10 million posts takes minutes. The
// seeding time is reported apart (seed-s), outside the timed part.
func BenchmarkEvaluateFull(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			url := storetest.URL(b, dialect)
			s := storetest.OpenURL(b, url)
			asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
			n := benchAccounts()
			start := time.Now()
			seed(b, s, url, dialect, n, asOf)
			seeding := time.Since(start)
			m := newMonitor(b, Options{Store: s, Connectors: connector.Registry{}})
			b.ResetTimer()
			for b.Loop() {
				sum, err := m.Evaluate(ctx, asOf)
				if err != nil || sum.Evaluated != n {
					b.Fatalf("%+v %v", sum, err)
				}
			}
			b.ReportMetric(seeding.Seconds(), "seed-s")
		})
	}
}

// seed registers n accounts through the store, then writes their posts and
// profile snapshots with one INSERT ... SELECT per 500 accounts, generated
// in the database itself (a series of 1,000 days crossed with the accounts).
func seed(b *testing.B, s *store.Store, url, dialect string, n int, asOf time.Time) {
	const chunk = 500
	for lo := 0; lo < n; lo += chunk {
		var accs []model.Account
		for i := lo; i < min(lo+chunk, n); i++ {
			accs = append(accs, model.Account{Platform: []string{"x", "mastodon", "bluesky", "facebook"}[i%4],
				Handle: fmt.Sprintf("bench%05d", i), PostsPerWeek: float64(1 + i%10), CreatedAt: asOf.Add(-day(1200))})
		}
		addAccounts(b, s, accs...)
	}
	// t(days, hours) is asOf minus that much, in the dialect's stored form.
	t := func(days, hours string) string {
		sec := fmt.Sprintf("(%d - (%s) * 86400 - (%s) * 3600)", asOf.Unix(), days, hours)
		if dialect == store.Postgres {
			return "to_timestamp" + sec
		}
		return "strftime('%Y-%m-%dT%H:%M:%S', " + sec + ", 'unixepoch') || '.000000Z'"
	}
	series := func(n int) string {
		if dialect == store.Postgres {
			return fmt.Sprintf("generate_series(0, %d) AS g(j)", n-1)
		}
		return fmt.Sprintf("(WITH RECURSIVE g(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM g WHERE j < %d) SELECT j FROM g) AS g", n-1)
	}
	now := "'" + asOf.Format("2006-01-02T15:04:05.000000Z") + "'"
	for lo := 1; lo <= n; lo += chunk {
		where := fmt.Sprintf(" WHERE a.id BETWEEN %d AND %d", lo, lo+chunk-1)
		storetest.Exec(b, url, `INSERT INTO posts (account_id, external_id, posted_at, replies, reposts, likes, source, updated_at)
SELECT a.id, CAST(g.j AS TEXT), `+t("g.j", "a.id % 24")+`,
  CASE WHEN g.j % 5 = 0 THEN NULL ELSE g.j % 3 END, CASE WHEN g.j % 5 = 0 THEN NULL ELSE g.j % 7 END,
  CASE WHEN g.j % 5 = 0 THEN NULL ELSE g.j % 50 END, 'api', `+now+`
FROM accounts a CROSS JOIN `+series(1000)+where)
		storetest.Exec(b, url, `INSERT INTO account_profiles (account_id, fetched_at, followers)
SELECT a.id, `+t("7 * g.j", "0")+`, 5000 + g.j * 10 FROM accounts a CROSS JOIN `+series(52)+where)
	}
	if dialect == store.Postgres {
		storetest.Exec(b, url, "ANALYZE")
	}
}

// BenchmarkSyncRateLimited syncs N accounts (default 1,000, HERALD_BENCH_SYNC)
// spread over four fake Mastodon instances, through the real connector over
// HTTP. Each instance allows 15 requests per 100 ms window (announced in
// X-RateLimit-* headers) and answers every 10th request 429 whatever the
// budget. Short waits are slept in the connector, longer ones come back to
// the monitor, which pauses the instance and reschedules. Every account
// must end synced with all its posts and no failure: every 429 the servers
// sent was honoured, none dropped.
func BenchmarkSyncRateLimited(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("HERALD_BENCH_SYNC")); err == nil && v > 0 {
		n = v
	}
	const statuses = 5
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := storetest.Open(b, dialect)
				var fakes []*connectortest.Mastodon
				for range 4 {
					fakes = append(fakes, connectortest.NewMastodon(b, connectortest.MastodonOptions{Statuses: statuses,
						Budget: 15, Window: 100 * time.Millisecond, LimitEvery: 10, RetryAfter: 30 * time.Millisecond}))
				}
				var accs []model.Account
				for i := range n {
					user := fmt.Sprintf("office%04d", i)
					accs = append(accs, model.Account{Platform: "mastodon", Handle: user, ProfileURL: fakes[i%4].ProfileURL(user)})
				}
				addAccounts(b, s, accs...)
				m := newMonitor(b, Options{Store: s, Workers: 8, ConnectorConfig: connector.Config{
					BaseBackoff: 5 * time.Millisecond, MaxWait: 20 * time.Millisecond, Allow: benchAllow}})
				b.StartTimer()
				var total SyncStats
				for total.Synced < n {
					st, err := m.SyncDue(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if st.Failed > 0 {
						b.Fatalf("%d syncs failed", st.Failed)
					}
					total.Synced += st.Synced
					total.RateLimited += st.RateLimited
					if st.Claimed == 0 {
						time.Sleep(5 * time.Millisecond) // every instance is paused
					}
				}
				b.StopTimer()
				for _, a := range accs {
					st, err := m.SyncState(ctx, a.ID)
					if err != nil || st.LastSyncedAt == nil || st.ErrorCount != 0 {
						b.Fatalf("account %d: %+v %v", a.ID, st, err)
					}
					posts, err := s.Posts(ctx, a.ID, time.Now().Add(-day(30)), time.Now().Add(time.Hour))
					if err != nil || len(posts) != statuses {
						b.Fatalf("account %d: %d posts stored (%v)", a.ID, len(posts), err)
					}
				}
				var requests, tooMany int
				for _, f := range fakes {
					st := f.Stats()
					requests += st.Requests
					tooMany += st.TooMany
				}
				if tooMany == 0 {
					b.Fatal("the servers never rate-limited: the benchmark proved nothing")
				}
				b.ReportMetric(float64(requests), "requests")
				b.ReportMetric(float64(tooMany), "429s")
				b.ReportMetric(float64(total.RateLimited), "rescheduled")
				b.StartTimer()
			}
		})
	}
}
