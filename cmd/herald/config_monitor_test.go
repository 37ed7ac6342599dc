package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// TestConfigMonitorSecrets: herald config shows which monitor secrets are
// set, never their values, and bad settings are usage errors that do not
// echo a token.
func TestConfigMonitorSecrets(t *testing.T) {
	vars := map[string]string{
		"HERALD_SECRET_KEY":       "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"HERALD_X_BEARER_TOKEN":   "xbearer-s3cret",
		"HERALD_YOUTUBE_API_KEY":  "yt-s3cret",
		"HERALD_CONNECTOR_TOKENS": "facebook=fb-s3cret,linkedin=li-s3cret",
		"HERALD_CONNECTOR_URLS":   "bluesky=http://127.0.0.1:9001/,x=https://x.test/2",
		"HERALD_SYNC_INTERVAL":    "2h",
		"HERALD_SYNC_MAX_PAGES":   "50",
	}
	var stdout bytes.Buffer
	env := Env{Stdout: &stdout, Stderr: io.Discard, Getenv: func(k string) string { return vars[k] }}
	if code := run(context.Background(), env, []string{"config"}); code != 0 {
		t.Fatalf("config: exit %d", code)
	}
	out := stdout.String()
	for _, secret := range []string{"s3cret", "0123456789abcdef"} {
		if strings.Contains(out, secret) {
			t.Errorf("config shows a secret (%s):\n%s", secret, out)
		}
	}
	for _, want := range []string{"facebook=REDACTED,linkedin=REDACTED", "http://127.0.0.1:9001/", "2h0m0s", "sync                 true"} {
		if !strings.Contains(out, want) {
			t.Errorf("config lacks %q:\n%s", want, out)
		}
	}

	c, err := parseConfig("serve", env, nil)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := c.ConnectorConfig()
	if err != nil || cc.BlueskyBaseURL != "http://127.0.0.1:9001" || cc.XBaseURL != "https://x.test/2" ||
		cc.Tokens["facebook"] != "fb-s3cret" || cc.XBearerToken != "xbearer-s3cret" || cc.MaxPages != 50 {
		t.Errorf("connector config %+v, %v", cc, err)
	}
	if c, err := parseConfig("serve", env, []string{"--demo"}); err != nil || c.Sync {
		t.Errorf("--demo without --sync: sync %v, %v", c != nil && c.Sync, err)
	}
	if c, err := parseConfig("serve", env, []string{"--demo", "--sync"}); err != nil || !c.Sync {
		t.Errorf("--demo --sync: %v", err)
	}

	for _, tc := range []struct{ args []string }{
		{[]string{"--secret-key", "tooshort"}},
		{[]string{"--connector-tokens", "bare-s3cret-token"}},
		{[]string{"--connector-tokens", "myspace=s3cret"}},
		{[]string{"--connector-urls", "x=ftp://x.test"}},
		{[]string{"--sync-interval", "10s"}},
		{[]string{"--sync-max-pages", "0"}},
		{[]string{"--sync-max-pages", "5000"}},
	} {
		var stderr bytes.Buffer
		env := Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
		if code := run(context.Background(), env, append([]string{"config"}, tc.args...)); code != 2 {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		if strings.Contains(stderr.String(), "s3cret") {
			t.Errorf("%v: the error shows the token: %s", tc.args, stderr.String())
		}
	}
}
