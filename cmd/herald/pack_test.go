package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

func TestPackTest(t *testing.T) {
	code, out, errOut := runCheckCmd(t, "", "pack", "test", "--overlay", "../../internal/check/testdata/builtins.yaml", "../../internal/policy/testdata/pack.yaml")
	if code != 0 || !strings.Contains(out, "8 rules") || !strings.Contains(out, "0 failed") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	// A pass example the rule fires on must fail the run, naming the rule.
	data, err := os.ReadFile("../../internal/policy/testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), `"We build roads"`, `"Corruption is everywhere"`, 1)
	path := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(path, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCheckCmd(t, "", "pack", "test", path)
	if code != 1 || !strings.Contains(out, "rule discretion.sensitive: should pass \"Corruption is everywhere\" but found \"Corruption\"") ||
		!strings.Contains(out, "broken.yaml:") {
		t.Fatalf("exit %d, stdout %q", code, out)
	}

	code, _, errOut = runCheckCmd(t, "", "pack", "test", filepath.Join(t.TempDir(), "none.yaml"))
	if code != 2 || errOut == "" {
		t.Fatalf("missing pack: exit %d", code)
	}
}

func TestPackTestDefault(t *testing.T) {
	if _, err := policy.Default(); err != nil {
		t.Fatalf("the default pack does not load: %v", err)
	}
	code, out, errOut := runCheckCmd(t, "", "pack", "test")
	if code != 0 {
		t.Fatalf("herald pack test on the default pack: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestPackShow(t *testing.T) {
	code, out, errOut := runCheckCmd(t, "", "pack", "show", "--pack", "../../internal/policy/testdata/pack.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"test-pack 0.1.0", "3.4(g)", "Safety", "safety.travel", "1 pattern", "factual.opinion", "project; all platforms", "in reply_to"} {
		if !strings.Contains(out, want) {
			t.Errorf("pack show lacks %q:\n%s", want, out)
		}
	}
}
