package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recordedServer answers every request with a recorded platform answer.
func recordedServer(t *testing.T, file string) string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("../../internal/connector/testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestDiscoverOnce(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	masto, bsky := recordedServer(t, "mastodon_search.json"), recordedServer(t, "bluesky_search.json")
	args := []string{"discover", "--once", "--db", db, "--outbound-allow", "127.0.0.1",
		"--discovery-mastodon", masto, "--connector-urls", "bluesky=" + bsky}
	code, out, errOut := runHerald(t, nil, args...)
	if code != 0 || !strings.Contains(out, "accounts queued for triage") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// Without registered accounts, every account carrying the name is queued:
	// three on Mastodon (the suspended one left out), two on Bluesky.
	if !strings.Contains(out, "; 5 accounts queued") {
		t.Errorf("stdout %q: want 5 accounts queued", out)
	}
	code, out, _ = runHerald(t, nil, args...)
	if code != 0 || !strings.HasPrefix(out, "0 searches") {
		t.Errorf("again at once: exit %d, %q; want nothing due", code, out)
	}
	code, _, errOut = runHerald(t, nil, "discover", "--once", "--db", db, "--discovery-mastodon", "http://mastodon.example")
	if code != 2 || !strings.Contains(errOut, "--discovery-mastodon") {
		t.Errorf("a plain-http instance: exit %d, stderr %q; want usage error 2", code, errOut)
	}
}

func TestDiscoverConfig(t *testing.T) {
	code, out, errOut := runHerald(t, map[string]string{"HERALD_DISCOVER": "true", "HERALD_DISCOVERY_MASTODON": "mastodon.social"}, "config")
	if code != 0 || !strings.Contains(out, "discover             true") || !strings.Contains(out, "discovery-mastodon   mastodon.social") {
		t.Errorf("config: exit %d, %q, %q", code, out, errOut)
	}
	if code, _, _ := runHerald(t, map[string]string{"HERALD_DISCOVER": "maybe"}, "config"); code != 2 {
		t.Errorf("HERALD_DISCOVER=maybe: exit %d, want 2", code)
	}
}
