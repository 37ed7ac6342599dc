package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs "herald serve" in-process on port 0 and returns its base
// URL, its stdout so far, and a stop function that waits for a clean exit.
func startServe(t *testing.T, db string, extra ...string) (base string, stdout *bytes.Buffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stdout = &bytes.Buffer{}
	env := Env{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: pw, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)
	go func() { done <- run(ctx, env, args); pw.Close() }()
	lines := bufio.NewScanner(pr)
	re := regexp.MustCompile(`^listening on (http://\S+)$`)
	for lines.Scan() {
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("server did not start (exit %d)", <-done)
	}
	go io.Copy(io.Discard, pr)
	return base, stdout, func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited with %d", code)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	}
}

func TestServeFirstRun(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	base, out, stop := startServe(t, db)
	resp, err := http.Get(base + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()
	stop()
	if !regexp.MustCompile(`password: \S{20}\n`).MatchString(out.String()) || !strings.Contains(out.String(), FirstAdminEmail) {
		t.Fatalf("first run printed no one-time password:\n%s", out)
	}
	_, out, stop = startServe(t, db)
	stop()
	if strings.Contains(out.String(), "password") {
		t.Fatalf("second run printed a password again:\n%s", out)
	}
}

func TestUserAddAndTokenCreate(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "h.db")
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("a long enough password\n"), 0o600)
	var stdout, stderr bytes.Buffer
	env := Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	ctx := context.Background()
	if code := run(ctx, env, []string{"user", "add", "--db", db, "--email", "Ana@unops.org", "--name", "Ana", "--role", "reviewer", "--password-file", pw}); code != 0 {
		t.Fatalf("user add: %d %s", code, stderr.String())
	}
	if code := run(ctx, env, []string{"user", "add", "--db", db, "--email", "ana@unops.org", "--name", "Ana", "--role", "staff"}); code != 2 {
		t.Errorf("duplicate user add: exit %d, want 2", code)
	}
	if code := run(ctx, env, []string{"user", "add", "--db", db, "--email", "b@unops.org", "--name", "B", "--role", "king"}); code != 2 {
		t.Errorf("bad role: exit %d, want 2", code)
	}
	stdout.Reset()
	if code := run(ctx, env, []string{"token", "create", "--db", db, "--email", "ana@unops.org"}); code != 0 {
		t.Fatalf("token create: %d %s", code, stderr.String())
	}
	token := strings.TrimSpace(stdout.String())
	if !strings.HasPrefix(token, "hrld_") || strings.Count(stdout.String(), "\n") != 1 {
		t.Fatalf("token create printed %q, want the token alone", stdout.String())
	}
	for _, bad := range [][]string{{"--scope", "admin"}, {"--expires", "soon"}, {"--expires", "2001-01-01"}} {
		if code := run(ctx, env, append([]string{"token", "create", "--db", db, "--email", "ana@unops.org"}, bad...)); code != 2 {
			t.Errorf("token create %v: exit %d, want 2", bad, code)
		}
	}
	stdout.Reset()
	if code := run(ctx, env, []string{"token", "create", "--db", db, "--email", "ana@unops.org", "--scope", "read-only", "--expires", "30d"}); code != 0 {
		t.Fatalf("token create --scope --expires: %d %s", code, stderr.String())
	}
	readOnly := strings.TrimSpace(stdout.String())
	base, _, stop := startServe(t, db)
	defer stop()
	get := func(token string) (int, string) {
		req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(body)
	}
	if code, body := get(token); code != 200 || !strings.Contains(body, `"role":"reviewer"`) || !strings.Contains(body, `"scope":"full"`) {
		t.Fatalf("me: %d %s", code, body)
	}
	if code, body := get(readOnly); code != 200 || !strings.Contains(body, `"scope":"read-only"`) || strings.Contains(body, `"expires_at":null`) {
		t.Fatalf("me with the read-only token: %d %s", code, body)
	}
}

func TestConfigRedactsSecrets(t *testing.T) {
	var stdout bytes.Buffer
	env := Env{Stdout: &stdout, Stderr: io.Discard, Getenv: func(k string) string {
		return map[string]string{"HERALD_ADDR": "0.0.0.0:9000", "HERALD_DATABASE_URL": "postgres://herald:s3cret@db/herald",
			"HERALD_OIDC_CLIENT_SECRET": "topsecret", "HERALD_OIDC_ISSUER": "https://id.example", "HERALD_OIDC_CLIENT_ID": "h",
			"HERALD_OIDC_REDIRECT_URL": "https://h/cb"}[k]
	}}
	if code := run(context.Background(), env, []string{"config", "--addr", "127.0.0.1:1"}); code != 0 {
		t.Fatalf("config: exit %d", code)
	}
	out := stdout.String()
	if strings.Contains(out, "s3cret") || strings.Contains(out, "topsecret") || !strings.Contains(out, "127.0.0.1:1") ||
		!strings.Contains(out, "REDACTED") || !strings.Contains(out, "https://id.example") {
		t.Fatalf("config output:\n%s", out)
	}
}
