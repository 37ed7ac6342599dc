package review_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// fillQueue adds n drafts in review (a third of them with a 3.4(g)
// finding, offices spread over 20 accounts) in one statement.
func fillQueue(b *testing.B, f *fixture, url string, n int) {
	accounts := []int64{f.corp.ID}
	for i := range 19 {
		a := &model.Account{Platform: "mastodon", Handle: fmt.Sprintf("office%d@example.org", i), Kind: model.KindCountryOffice,
			Office: fmt.Sprintf("Office %d", i), Status: model.StatusActive}
		if err := f.st.CreateAccount(f.ctx, model.SystemActor("bench"), a); err != nil {
			b.Fatal(err)
		}
		accounts = append(accounts, a.ID)
	}
	lo, hi := slices.Min(accounts), slices.Max(accounts)
	storetest.Exec(b, url, fmt.Sprintf(`WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < %d)
INSERT INTO drafts (account_id, author_id, text, platform, checklist, version, status, step, step_who, office,
    report_version, report_pack, errors, warnings, created_at, updated_at, submitted_at)
SELECT %d + x %% %d, %d, 'draft text', 'mastodon', '[]', 1, 'in-review', 1,
    CASE WHEN x %% 2 = 0 THEN 'communications' ELSE 'office-lead' END, 'Office ' || (x %% 19),
    1, 'unops@1.0.0', x %% 3, 0, '2025-03-01T09:00:00.000000Z', '2025-03-01T09:00:00.000000Z',
    '2025-03-01T09:00:00.000000Z' FROM cnt`, n, lo, hi-lo+1, f.author.ID))
	storetest.Exec(b, url, `INSERT INTO draft_clauses (draft_id, clause) SELECT id, '3.4(g)' FROM drafts WHERE errors > 0`)
	storetest.Exec(b, url, `ANALYZE`)
}

// BenchmarkQueue10k pages the reviewer queue with 10,000 drafts waiting;
// p95-ms is the 95th percentile of one Queue call (count + page).
func BenchmarkQueue10k(b *testing.B) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		b.Run(dialect, func(b *testing.B) {
			url := storetest.URL(b, dialect)
			st := storetest.OpenURL(b, url)
			f := newFixtureStore(b, st)
			fillQueue(b, f, url, 10000)
			rev := f.reviewer // the Communications Group's steps: half the drafts
			for _, c := range []struct {
				name string
				q    review.QueueFilter
			}{{"all", review.QueueFilter{}}, {"office", review.QueueFilter{Office: "Office 3"}},
				{"clause", review.QueueFilter{Clause: "3.4(g)"}}, {"page40", review.QueueFilter{Offset: 2000}},
				{"account", review.QueueFilter{AccountID: f.corp.ID}}} {
				b.Run(c.name, func(b *testing.B) {
					var ds []time.Duration
					for b.Loop() {
						t0 := time.Now()
						items, n, err := f.svc.Queue(f.ctx, rev, c.q)
						ds = append(ds, time.Since(t0))
						if err != nil || n == 0 || len(items) == 0 {
							b.Fatal(err, n)
						}
					}
					slices.Sort(ds)
					b.ReportMetric(float64(ds[len(ds)*95/100])/1e6, "p95-ms")
				})
			}
		})
	}
}
