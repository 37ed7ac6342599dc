// Package storetest gives tests a fresh database of each dialect: a SQLite
// file in the test's temporary folder, or a PostgreSQL database created on
// HERALD_TEST_POSTGRES_URL's server and dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/testutil"
)

// Dialects are the dialects every store test runs on.
var Dialects = []string{store.SQLite, store.Postgres}

// Each runs fn as a subtest named for each dialect; the PostgreSQL one is
// skipped, with a message, without HERALD_TEST_POSTGRES_URL.
func Each(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// URL returns the URL of a new, empty database of dialect for tb alone.
func URL(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == store.SQLite {
		return "sqlite:" + filepath.Join(tb.TempDir(), "herald.db")
	}
	base := testutil.PostgresURL(tb)
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("HERALD_TEST_POSTGRES_URL: %v", err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	name := "herald_test_" + randomHex(6)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			tb.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// Open returns a migrated store on a new database of dialect, closed when tb ends.
func Open(tb testing.TB, dialect string) *store.Store {
	tb.Helper()
	return OpenURL(tb, URL(tb, dialect))
}

// OpenURL opens and migrates the database at url, closing it when tb ends.
func OpenURL(tb testing.TB, url string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, url)
	if err != nil {
		tb.Fatalf("open %s: %v", url, err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate %s: %v", url, err)
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
