package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// BenchmarkReviewQueuePage renders /review for the demo reviewer with
// 10,000 drafts waiting (half at the Communications Group's step, a third
// with a 3.4(g) error), through the whole handler chain: session, guard,
// queue query, filters, template. p95-ms is the 95th percentile of one page.
func BenchmarkReviewQueuePage(b *testing.B) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			url := storetest.URL(b, dialect)
			st := storetest.OpenURL(b, url)
			chk := checktest.Default(b)
			if err := demo.Seed(ctx, st, chk.Pack()); err != nil {
				b.Fatal(err)
			}
			srv, err := New(Config{Demo: true}, st, ServicesFor(b, st, chk))
			if err != nil {
				b.Fatal(err)
			}
			accs, _, err := st.Accounts(ctx, store.AccountFilter{Limit: 1000})
			if err != nil {
				b.Fatal(err)
			}
			lo, hi := accs[0].ID, accs[0].ID
			for _, a := range accs {
				lo, hi = min(lo, a.ID), max(hi, a.ID)
			}
			author, err := st.UserByEmail(ctx, demo.Email(model.RoleManager))
			if err != nil {
				b.Fatal(err)
			}
			storetest.Exec(b, url, fmt.Sprintf(`WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < 10000)
INSERT INTO drafts (account_id, author_id, text, platform, checklist, version, status, step, step_who, office,
    report_version, report_pack, errors, warnings, created_at, updated_at, submitted_at)
SELECT %d + x %% %d, %d, 'Draft number ' || x || ': the new bridge opens today.', 'mastodon', '[]', 1, 'in-review', 1,
    CASE WHEN x %% 2 = 0 THEN 'communications' ELSE 'office-lead' END, 'Office ' || (x %% 19),
    1, 'unops@1.0.0', x %% 3, x %% 2, '2025-03-01T09:00:00.000000Z', '2025-03-01T09:00:00.000000Z',
    '2025-03-01T09:00:00.000000Z' FROM cnt`, lo, hi-lo+1, author.ID))
			storetest.Exec(b, url, `INSERT INTO draft_clauses (draft_id, clause) SELECT id, '3.4(g)' FROM drafts WHERE errors > 0`)
			storetest.Exec(b, url, `ANALYZE`)

			e := &testEnv{t: b, st: st, srv: srv}
			cookie, _ := e.session(model.RoleReviewer)
			h := srv.Handler()
			for _, c := range []struct{ name, query string }{
				{"first", ""}, {"office", "?office=Office+3"}, {"clause", "?clause=3.4(g)"}, {"page40", "?page=40"},
			} {
				b.Run(c.name, func(b *testing.B) {
					var ds []time.Duration
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, "/review"+c.query, nil)
						req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
						rec := httptest.NewRecorder()
						t0 := time.Now()
						h.ServeHTTP(rec, req)
						ds = append(ds, time.Since(t0))
						if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="queue-table"`) {
							b.Fatalf("%s: %d", c.name, rec.Code)
						}
					}
					slices.Sort(ds)
					b.ReportMetric(float64(ds[len(ds)*95/100])/1e6, "p95-ms")
				})
			}
		})
	}
}
