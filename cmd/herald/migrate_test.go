package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// runHerald runs the command line in-process with the given environment.
func runHerald(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return vars[k] }}
	code = run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestMigrateCommand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		latest := binaryVersion(t)
		for i, c := range []struct {
			vars       map[string]string
			args       []string
			code       int
			out, inErr string
		}{
			{nil, []string{"migrate", "--db", url}, 0, fmt.Sprintf("schema migrated from version 0 to %d (%s)", latest, dialect), ""},
			{map[string]string{"HERALD_DATABASE_URL": url}, []string{"migrate"}, 0, fmt.Sprintf("schema up to date at version %d", latest), ""},
			{nil, []string{"migrate", "--db", url, "extra"}, 2, "", "unexpected argument"},
			{nil, []string{"migrate", "--nope"}, 2, "", "flag provided but not defined"},
			{nil, []string{"migrate", "-h"}, 0, "", "Usage: herald migrate"},
		} {
			code, out, errs := runHerald(t, c.vars, c.args...)
			if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errs, c.inErr) {
				t.Errorf("case %d %v: exit %d, stdout %q, stderr %q", i, c.args, code, out, errs)
			}
		}
		// A database migrated by a newer binary is refused.
		ins := "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future.sql', '2030-01-01T00:00:00.000000Z')"
		if dialect == store.Postgres {
			ins = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future.sql', now())"
		}
		storetest.Exec(t, url, ins)
		code, _, errs := runHerald(t, nil, "migrate", "--db", url)
		if code != 1 || !strings.Contains(errs, "newer than this binary") {
			t.Errorf("migrate on a newer schema: exit %d, stderr %q", code, errs)
		}
	})
}

// binaryVersion is the newest schema version this binary knows.
func binaryVersion(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, bin, err := st.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}
