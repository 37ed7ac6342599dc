package web

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// docExample is a shell block of docs/API.md marked to run as a role.
var docExample = regexp.MustCompile("(?s)<!-- example as ([a-z]+) -->\n```sh\n(.*?)```")

// TestAPIDocExamples runs the curl examples of docs/API.md, in order,
// against a demo server: each block marked <!-- example as ROLE --> runs
// under bash -e -o pipefail with HERALD_URL and HERALD_TOKEN (a token of the demo user of
// ROLE) and must succeed; curl -f makes an HTTP error fail it, and
// pipefail a failure anywhere in a pipeline.
func TestAPIDocExamples(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the examples need %s: %v", tool, err)
		}
	}
	doc, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := docExample.FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 10 {
		t.Fatalf("docs/API.md has %d runnable examples, want at least 10", len(blocks))
	}
	e := newTestEnv(t, nil)
	tokens := map[string]string{}
	dir := t.TempDir()
	for i, b := range blocks {
		role, script := b[1], b[2]
		if !model.Role(role).Valid() {
			t.Fatalf("example %d: unknown role %q", i+1, role)
		}
		if tokens[role] == "" {
			tokens[role] = e.token(model.Role(role))
		}
		cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "HERALD_URL=" + e.ts.URL, "HERALD_TOKEN=" + tokens[role]}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("example %d (as %s) failed: %v\n%s\n--- output:\n%s", i+1, role, err, strings.TrimSpace(script), out)
		}
	}
}
