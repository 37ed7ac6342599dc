package web

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// docExample is a shell block of docs/API.md marked to run as a role,
// with the text block that follows it when the example says what it prints.
var docExample = regexp.MustCompile("(?s)<!-- example as ([a-z]+) -->\n```sh\n(.*?)```\n(?:\n```text\n(.*?)```\n)?")

// TestDocsAPIExamples runs the shell examples of docs/API.md, in order,
// against one server on SQLite and one on PostgreSQL. Each block marked
// <!-- example as ROLE --> runs under bash -e -o pipefail with HERALD_URL,
// HERALD_TOKEN (a token of the demo user of ROLE) and HERALD_DRAFT (a draft
// of the administrator's), in a folder the examples share, and must
// succeed (curl -f makes an HTTP error fail it, pipefail a failure anywhere
// in a pipeline); a text block right after it is what it must print.
func TestDocsAPIExamples(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the examples need %s: %v", tool, err)
		}
	}
	doc, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	type example struct {
		line               int
		role, script, want string
		wantsOutput        bool
	}
	var examples []example
	printing := 0
	for _, m := range docExample.FindAllStringSubmatchIndex(string(doc), -1) {
		ex := example{line: 1 + strings.Count(string(doc[:m[0]]), "\n"), role: string(doc[m[2]:m[3]]),
			script: string(doc[m[4]:m[5]]), wantsOutput: m[6] >= 0}
		if ex.wantsOutput {
			ex.want = string(doc[m[6]:m[7]])
			printing++
		}
		if !model.Role(ex.role).Valid() {
			t.Fatalf("docs/API.md:%d: unknown role %q", ex.line, ex.role)
		}
		examples = append(examples, ex)
	}
	if n := strings.Count(string(doc), "<!-- example as "); n != len(examples) {
		t.Fatalf("docs/API.md has %d example markers, %d of them before a sh block", n, len(examples))
	}
	if len(examples) < 25 || printing < 5 {
		t.Fatalf("docs/API.md has %d runnable examples, %d saying what they print; want at least 25, among them the tokens, lists, if-match, idempotency and rate-limit ones", len(examples), printing)
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		w := newDraftWorld(t, storetest.Open(t, dialect))
		tokens := map[string]string{}
		for _, role := range model.Roles {
			tokens[string(role)] = w.token(role)
		}
		code, out := apiDo(t, w.testEnv, "POST", "/api/v1/drafts", tokens[string(model.RoleAdmin)], fmt.Sprintf(`{"account_id":%d,"text":%q}`, w.hq.ID, cleanText))
		if code != 201 {
			t.Fatalf("draft: %d %v", code, out)
		}
		dir := t.TempDir()
		for _, ex := range examples {
			cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", ex.script)
			cmd.Dir = dir
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "HERALD_URL=" + w.ts.URL,
				"HERALD_TOKEN=" + tokens[ex.role], fmt.Sprintf("HERALD_DRAFT=%v", out["id"])}
			got, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("docs/API.md:%d (as %s) failed: %v\n%s\n--- output:\n%s", ex.line, ex.role, err, strings.TrimSpace(ex.script), got)
			}
			if ex.wantsOutput && string(got) != ex.want {
				t.Errorf("docs/API.md:%d (as %s) printed\n%s\nwant\n%s", ex.line, ex.role, got, ex.want)
			}
		}
	})
}
