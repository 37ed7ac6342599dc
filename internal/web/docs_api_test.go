package web

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestDocsAPIExamples runs each shell example of docs/API.md marked
// "<!-- api-example: NAME -->" with bash against a real server, on SQLite
// and PostgreSQL, and compares what it prints with the text block after it.
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
	type example struct{ name, script, want string }
	var examples []example
	for _, part := range strings.Split(string(doc), "<!-- api-example: ")[1:] {
		name, rest, _ := strings.Cut(part, " -->")
		_, rest, ok1 := strings.Cut(rest, "```sh\n")
		script, rest, ok2 := strings.Cut(rest, "```")
		_, rest, ok3 := strings.Cut(rest, "```text\n")
		want, _, ok4 := strings.Cut(rest, "```")
		if !ok1 || !ok2 || !ok3 || !ok4 {
			t.Fatalf("example %s: want a sh block, then a text block", name)
		}
		examples = append(examples, example{name, script, want})
	}
	if len(examples) < 5 {
		t.Fatalf("docs/API.md has %d examples, want the tokens, lists, if-match, idempotency and rate-limit ones", len(examples))
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		w := newDraftWorld(t, storetest.Open(t, dialect))
		admin := w.token(model.RoleAdmin)
		code, out := apiDo(t, w.testEnv, "POST", "/api/v1/drafts", admin, fmt.Sprintf(`{"account_id":%d,"text":%q}`, w.hq.ID, cleanText))
		if code != 201 {
			t.Fatalf("draft: %d %v", code, out)
		}
		for _, ex := range examples {
			cmd := exec.Command("bash", "-eo", "pipefail", "-c", ex.script)
			cmd.Env = append(os.Environ(), "HERALD_URL="+w.ts.URL, "HERALD_TOKEN="+admin, fmt.Sprintf("HERALD_DRAFT=%v", out["id"]))
			got, err := cmd.CombinedOutput()
			if err != nil || string(got) != ex.want {
				t.Errorf("example %s: %v; printed\n%s\nwant\n%s", ex.name, err, got, ex.want)
			}
		}
	})
}
