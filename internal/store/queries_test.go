package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1":                             "SELECT 1",
		"a = ? AND b = ?":                      "a = $1 AND b = $2",
		`x LIKE ? ESCAPE '\' AND y = '?' OR ?`: `x LIKE $1 ESCAPE '\' AND y = '?' OR $2`,
		`"odd?name" = ?`:                       `"odd?name" = $1`,
	} {
		if got := rebind(in); got != want {
			t.Errorf("rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQueriesLoad(t *testing.T) {
	for _, d := range []string{SQLite, Postgres} {
		q, err := loadQueries(d)
		if err != nil {
			t.Fatal(err)
		}
		files, _ := fs.Glob(queryFiles, "queries*.sql")
		want := 0
		for _, f := range files {
			data, _ := queryFiles.ReadFile(f)
			want += strings.Count("\n"+string(data), "\n-- name:")
		}
		if len(q) != want || want == 0 {
			t.Fatalf("%s: %d queries loaded, the query files name %d", d, len(q), want)
		}
		for name, text := range q {
			if d == Postgres && strings.Contains(text, "?") {
				t.Errorf("%s: query %s keeps a ?", d, name)
			}
			if strings.Contains(text, "-- name:") {
				t.Errorf("query %s runs into the next", name)
			}
		}
	}
}

// TestBrokenQueryFailsAtOpen checks that a query that does not fit the schema
// stops the store at start-up rather than at first use.
func TestBrokenQueryFailsAtOpen(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s.queries["broken"] = "SELECT no_such_column FROM users"
	if err := s.validate(ctx); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("validate = %v, want an error naming the broken query", err)
	}
}
