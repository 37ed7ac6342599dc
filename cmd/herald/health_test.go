package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// herald health evaluate --account ID judges one account and prints its
// result: a fresh account without data is unknown, with what to do.
func TestHealthEvaluateAccount(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	c := &Config{DatabaseURL: db}
	st, err := openStore(context.Background(), c.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	accs := []model.Account{{Platform: "x", Handle: "fresh", Kind: model.KindCorporate, Status: model.StatusActive}}
	if err := st.ImportAccounts(context.Background(), model.Actor{UserID: 1, Email: "admin@unops.org"}, accs); err != nil {
		t.Fatal(err)
	}
	st.Close()
	runWith := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
		return run(context.Background(), env, args), out.String(), errb.String()
	}
	code, out, errs := runWith("health", "evaluate", "--db", db, "--account", "1")
	if code != 0 || !strings.Contains(out, "account 1: unknown") || !strings.Contains(out, "no-data-yet (4.6)") ||
		!strings.Contains(out, "What to do") || !strings.Contains(out, "1 unknown") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, _, errs := runWith("health", "evaluate", "--db", db, "--account", "42"); code != 1 || !strings.Contains(errs, "account 42") {
		t.Errorf("missing account: exit %d, %q", code, errs)
	}
	if code, out, _ := runWith("health", "evaluate", "--db", db); code != 0 || !strings.Contains(out, "evaluated 1 accounts") {
		t.Errorf("all: exit %d, %q", code, out)
	}
}
