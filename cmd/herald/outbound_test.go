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
	vars := map[string]string{"HERALD_OUTBOUND_ALLOW": "127.0.0.1, ::1,idp.internal,10.9.0.0/16"}
	env := Env{Stdout: &stdout, Stderr: io.Discard, Getenv: func(k string) string { return vars[k] }}
	if code := run(context.Background(), env, []string{"config"}); code != 0 {
		t.Fatalf("config: exit %d", code)
	}
	if want := "outbound-allow       idp.internal,127.0.0.1,::1,10.9.0.0/16"; !strings.Contains(stdout.String(), want) {
		t.Errorf("config lacks %q:\n%s", want, stdout.String())
	}
	env = Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := run(context.Background(), env, []string{"config", "--outbound-allow", "http://x"}); code != 2 || !strings.Contains(stderr.String(), "outbound allow list") {
		t.Errorf("bad allow list: exit %d, %s", code, stderr.String())
	}
}
