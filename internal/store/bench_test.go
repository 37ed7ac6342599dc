package store_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// bulkAccounts inserts n accounts past the store, in one transaction, so that
// the benchmark's set-up takes seconds rather than n audited commits. Their
// values spread over the filters as seedAccounts's do.
func bulkAccounts(b *testing.B, url string, n int) {
	b.Helper()
	driver, dsn, ph := "sqlite", strings.TrimPrefix(url, "sqlite:"), "?"
	if strings.HasPrefix(url, "postgres") {
		driver, dsn = "pgx", url
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	cols := "platform, handle, display_name, kind, office, status, languages, search, created_at, updated_at"
	var marks []string
	for i := range 10 {
		if driver == "pgx" {
			ph = fmt.Sprint("$", i+1)
		}
		marks = append(marks, ph)
	}
	st, err := tx.Prepare("INSERT INTO accounts (" + cols + ") VALUES (" + strings.Join(marks, ", ") + ")")
	if err != nil {
		b.Fatal(err)
	}
	platforms := []string{"x", "mastodon", "bluesky", "facebook", "instagram"}
	kinds := []string{model.KindCorporate, model.KindCountryOffice, model.KindProject}
	offices := []string{"Juba", "Nairobi", "Geneva", "Bogotá", "Dakar", "Amman", "Dhaka", "Lima"}
	statuses := []string{model.StatusActive, model.StatusRequested, model.StatusAtRisk, model.StatusClosed}
	t := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		at := any(t.Add(time.Duration(i) * time.Minute))
		if driver == "sqlite" {
			at = at.(time.Time).Format("2006-01-02T15:04:05.000000Z")
		}
		handle, name := fmt.Sprintf("@acct%05d", i), fmt.Sprintf("Account %d of %s", i, offices[i%8])
		search := strings.ToLower(handle + "\n" + name + "\n" + offices[i%8])
		if _, err := st.Exec(platforms[i%5], handle, name, kinds[i%3], offices[i%8], statuses[i%4], `["en"]`, search, at, at); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// Statistics, as a database in use has them (SQLite: PRAGMA optimize).
	if _, err := db.Exec("ANALYZE accounts"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAccounts reads a page of 50 out of 10,000 accounts, as the
// Accounts page does, for several filters and sorts.
func BenchmarkAccounts(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			url := storetest.URL(b, dialect)
			s := storetest.OpenURL(b, url)
			bulkAccounts(b, url, 10_000)
			for _, c := range []struct {
				name string
				f    store.AccountFilter
			}{
				{"first-page", store.AccountFilter{Limit: 50}},
				{"status/page-40", store.AccountFilter{Status: model.StatusActive, Offset: 2000, Limit: 50}},
				{"platform+kind/newest", store.AccountFilter{Platform: "x", Kind: model.KindProject, Sort: "-updated", Limit: 50}},
				{"search/office", store.AccountFilter{Query: "juba", Sort: "-created", Offset: 100, Limit: 50}},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						accs, total, err := s.Accounts(ctx, c.f)
						if err != nil || len(accs) != 50 || total < 50 {
							b.Fatalf("%d rows of %d: %v", len(accs), total, err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkAppendAudit appends events one by one (each a committed, synced
// transaction) and from parallel writers.
func BenchmarkAppendAudit(b *testing.B) {
	e := model.AuditEvent{ActorID: 1, ActorEmail: "bench@example.org", Addr: "192.0.2.1",
		Action: "bench.event", ObjectType: "bench", ObjectID: "1", Summary: "a summary of a typical length for an event"}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			s := storetest.Open(b, dialect)
			b.Run("serial", func(b *testing.B) {
				for b.Loop() {
					if err := s.AppendAudit(ctx, e); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.SetParallelism(4)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := s.AppendAudit(ctx, e); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		})
	}
}
