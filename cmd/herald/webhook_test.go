package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/webhook"
)

// An administrator registers an endpoint from the command line, the
// service delivers through the guarded outbound client (loopback allowed
// only by --outbound-allow), and the deliveries are listed and redelivered.
func TestWebhookCommands(t *testing.T) {
	ctx := context.Background()
	db := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	key := strings.Repeat("cd", 32)
	cmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
		return run(ctx, env, args), out.String(), errb.String()
	}
	var mu sync.Mutex
	var secret string
	var verified, refused int
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := webhook.Verify(secret, r.Header, body, time.Now(), time.Minute); err != nil {
			refused++
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		verified++
	}))
	defer recv.Close()

	if code, _, e := cmd("user", "add", "--db", db, "--email", "ops@unops.org", "--name", "Ops", "--role", "admin"); code != 0 {
		t.Fatalf("user add: %d %s", code, e)
	}
	if code, _, e := cmd("webhook", "add", "--db", db, "--url", recv.URL, "--owner", "ops@unops.org"); code != 2 || !strings.Contains(e, "secret-key") {
		t.Fatalf("without a key: %d %q", code, e)
	}
	// A loopback receiver over plain http is refused unless allowed.
	if code, _, e := cmd("webhook", "add", "--db", db, "--secret-key", key, "--url", recv.URL, "--owner", "ops@unops.org"); code != 2 || !strings.Contains(e, "https") {
		t.Fatalf("loopback without allow: %d %q", code, e)
	}
	if code, _, e := cmd("webhook", "add", "--db", db, "--secret-key", key, "--outbound-allow", "127.0.0.1", "--url", recv.URL,
		"--owner", "ops@unops.org", "--events", "request.created,nope"); code != 2 || !strings.Contains(e, "nope") {
		t.Fatalf("unknown event: %d %q", code, e)
	}
	code, out, e := cmd("webhook", "add", "--db", db, "--secret-key", key, "--outbound-allow", "127.0.0.1", "--url", recv.URL,
		"--owner", "ops@unops.org", "--events", "request.created")
	if code != 0 {
		t.Fatalf("webhook add: %d %s", code, e)
	}
	secret = regexp.MustCompile(`signing secret: (whsec_\S+)`).FindStringSubmatch(out)[1]

	c := &Config{DatabaseURL: db, SecretKey: key, OutboundAllow: "127.0.0.1"}
	svc, st, err := openWebhooks(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acc := &model.Account{Platform: "x", Handle: "@unops_new", Kind: "corporate", Status: model.StatusRequested}
	if err := st.CreateAccount(ctx, cliActor, acc); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	if verified != 1 || refused != 0 {
		t.Fatalf("receiver verified %d, refused %d", verified, refused)
	}
	code, out, e = cmd("webhook", "list", "--db", db, "--secret-key", key)
	if code != 0 || !strings.Contains(out, recv.URL) || !strings.Contains(out, "request.created") {
		t.Fatalf("list: %d %q %s", code, out, e)
	}
	code, out, e = cmd("webhook", "list", "--db", db, "--secret-key", key, "--endpoint", "1")
	if code != 0 || !strings.Contains(out, "delivered") || !strings.Contains(out, " 200 ") {
		t.Fatalf("list deliveries: %d %q %s", code, out, e)
	}
	if code, _, e := cmd("webhook", "redeliver", "--db", db, "--secret-key", key, "99"); code != 2 || !strings.Contains(e, "no delivery 99") {
		t.Fatalf("redeliver unknown: %d %q", code, e)
	}
	if code, _, e := cmd("webhook", "redeliver", "--db", db, "--secret-key", key, "1"); code != 0 {
		t.Fatalf("redeliver: %d %s", code, e)
	}
	if n, err := svc.RunOnce(ctx); err != nil || n != 1 || verified != 2 {
		t.Fatalf("redelivery: %d attempts, %v, %d verified", n, err, verified)
	}
}
