package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
)

func TestCredentialSet(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	key := strings.Repeat("ab", 32)
	const token = "mastodon-access-token-123"
	runWith := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
		return run(context.Background(), env, args), out.String(), errb.String()
	}
	if code, _, errs := runWith(token, "credential", "set", "--db", db, "--platform", "mastodon", "--token-file", "-"); code != 2 || !strings.Contains(errs, "secret-key") {
		t.Fatalf("without a key: exit %d, %q", code, errs)
	}
	code, out, errs := runWith(token+"\n", "credential", "set", "--db", db, "--secret-key", key, "--platform", "mastodon", "--account", "7", "--token-file", "-")
	if code != 0 || !strings.Contains(out, "account 7 on mastodon") || strings.Contains(out+errs, token) {
		t.Fatalf("set: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	c := &Config{DatabaseURL: db, SecretKey: key}
	m, closeStore, err := openMonitor(context.Background(), Env{Stderr: &bytes.Buffer{}}, c, connector.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	got, err := m.Credential(context.Background(), model.Account{ID: 7, Platform: "mastodon"})
	if err != nil || got != token {
		t.Fatalf("stored token reads back as %q, %v", got, err)
	}
	if got, _ := m.Credential(context.Background(), model.Account{ID: 8, Platform: "mastodon"}); got != "" {
		t.Fatalf("another account reads %q", got)
	}
}
