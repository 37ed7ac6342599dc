package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestCredentialRotate: tokens set under an old key are re-encrypted under
// the new one by herald credential rotate; during the change the old key
// is given as previous; afterwards the new key alone reads them.
func TestCredentialRotate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.URL(t, dialect)
		oldKey, newKey := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
		runWith := func(stdin string, env map[string]string, args ...string) (int, string, string) {
			var out, errb bytes.Buffer
			e := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
			return run(context.Background(), e, args), out.String(), errb.String()
		}
		if code, _, errs := runWith("", nil, "migrate", "--db", db); code != 0 {
			t.Fatal(errs)
		}
		for _, acc := range []string{"7", "0"} {
			if code, _, errs := runWith("tok-"+acc, map[string]string{"HERALD_SECRET_KEY": oldKey}, "credential", "set", "--db", db,
				"--platform", "x", "--account", acc, "--token-file", "-"); code != 0 {
				t.Fatalf("set: %d %s", code, errs)
			}
		}
		// A webhook endpoint's secret is sealed with the same key.
		if code, _, errs := runWith("", nil, "user", "add", "--db", db, "--email", "ops@unops.org", "--name", "Ops", "--role", "admin"); code != 0 {
			t.Fatal(errs)
		}
		code, out, errs := runWith("", map[string]string{"HERALD_SECRET_KEY": oldKey}, "webhook", "add", "--db", db,
			"--url", "https://hooks.example.org/h", "--owner", "ops@unops.org")
		if code != 0 {
			t.Fatalf("webhook add: %d %s", code, errs)
		}
		secret := out[strings.Index(out, "whsec_"):]
		secret = secret[:strings.IndexByte(secret, '\n')]
		// The new key alone cannot rotate: nothing changes.
		if code, _, errs := runWith("", map[string]string{"HERALD_SECRET_KEY": newKey}, "credential", "rotate", "--db", db); code != 1 || !strings.Contains(errs, "nothing rotated") {
			t.Fatalf("rotate without the previous key: exit %d, %q", code, errs)
		}
		env := map[string]string{"HERALD_SECRET_KEY": newKey, "HERALD_SECRET_KEY_PREVIOUS": "00" + strings.Repeat("11", 31) + "," + oldKey}
		code, out, errs = runWith("", env, "credential", "rotate", "--db", db)
		if code != 0 || !strings.Contains(out, "re-encrypted 2 stored tokens and 1 webhook secrets") || strings.Contains(out+errs, "tok-") {
			t.Fatalf("rotate: exit %d, %q %q", code, out, errs)
		}
		m, closeStore, err := openMonitor(context.Background(), Env{Stderr: &bytes.Buffer{}}, &Config{DatabaseURL: db, SecretKey: newKey}, connector.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer closeStore()
		for id, want := range map[int64]string{7: "tok-7", 8: "tok-0"} {
			if got, err := m.Credential(context.Background(), model.Account{ID: id, Platform: "x"}); err != nil || got != want {
				t.Errorf("account %d after rotation, new key alone: %q, %v; want %q", id, got, err, want)
			}
		}
		hooks, hst, err := openWebhooks(context.Background(), &Config{DatabaseURL: db, SecretKey: newKey})
		if err != nil {
			t.Fatal(err)
		}
		defer hst.Close()
		if got, err := hooks.Secret(context.Background(), 1); err != nil || got != secret {
			t.Errorf("webhook secret after rotation, new key alone: %q, %v; want %q", got, err, secret)
		}
		if code, _, _ := runWith("", map[string]string{"HERALD_SECRET_KEY": newKey, "HERALD_SECRET_KEY_PREVIOUS": "short"}, "credential", "rotate", "--db", db); code != 2 {
			t.Errorf("a malformed previous key: exit %d, want 2", code)
		}
	})
}
