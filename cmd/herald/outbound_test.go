package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

func TestConfigShowsOutboundAllow(t *testing.T) {
	var stdout, stderr bytes.Buffer
	vars := map[string]string{"HERALD_OUTBOUND_ALLOW": "127.0.0.1, ::1,idp.internal,10.9.0.0/16",
		"HERALD_AUDIT_KEY": strings.Repeat("7e", 32), "HERALD_SECRET_KEY_PREVIOUS": strings.Repeat("8f", 32)}
	env := Env{Stdout: &stdout, Stderr: io.Discard, Getenv: func(k string) string { return vars[k] }}
	if code := run(context.Background(), env, []string{"config"}); code != 0 {
		t.Fatalf("config: exit %d", code)
	}
	if want := "outbound-allow       idp.internal,127.0.0.1,::1,10.9.0.0/16"; !strings.Contains(stdout.String(), want) {
		t.Errorf("config lacks %q:\n%s", want, stdout.String())
	}
	if out := stdout.String(); strings.Contains(out, "7e7e") || strings.Contains(out, "8f8f") ||
		!strings.Contains(out, "audit-key            REDACTED") || !strings.Contains(out, "secret-key-previous  REDACTED") {
		t.Errorf("config shows a key or lacks the audit settings:\n%s", out)
	}
	env = Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := run(context.Background(), env, []string{"config", "--outbound-allow", "http://x"}); code != 2 || !strings.Contains(stderr.String(), "outbound allow list") {
		t.Errorf("bad allow list: exit %d, %s", code, stderr.String())
	}
}
