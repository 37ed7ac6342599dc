package webhook

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Go verifier in docs/API.md, compiled as an integrator would and run
// on the reference vector, a tampered body and a new signature of ours.
func TestDocsVerifier(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program; skipped with -short")
	}
	doc, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- verify.go")
	if !ok {
		t.Fatal("docs/API.md has no verify.go block")
	}
	_, rest, _ = strings.Cut(rest, "```go\n")
	snippet, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("unterminated go block")
	}
	dir := t.TempDir()
	ours, _ := NewSecret()
	sig, _ := Sign(ours, "msg_docs", testNow, []byte(`{"type":"x"}`))
	run := `package main

import (
	"fmt"
	"net/http"
	"time"
)

func check(secret, id string, unix int64, sig, body string, now time.Time) {
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", fmt.Sprint(unix))
	h.Set("webhook-signature", sig)
	fmt.Println(verifyHerald(secret, h, []byte(body), now))
}

func main() {
	at := time.Unix(` + vectorUnixText + `, 0)
	check("` + vectorSecret + `", "` + vectorID + `", at.Unix(), "` + vectorSig + `", ` + "`" + vectorBody + "`" + `, at)
	check("` + vectorSecret + `", "` + vectorID + `", at.Unix(), "` + vectorSig + `", ` + "`" + `{"test": 1}` + "`" + `, at)
	check("` + vectorSecret + `", "` + vectorID + `", at.Unix(), "` + vectorSig + `", ` + "`" + vectorBody + "`" + `, at.Add(time.Hour))
	check("` + ours + `", "msg_docs", ` + testNowText + `, "v1a,x ` + sig + `", ` + "`" + `{"type":"x"}` + "`" + `, time.Unix(` + testNowText + `, 0))
}
`
	for name, text := range map[string]string{"verify.go": snippet, "main.go": run, "go.mod": "module docs\n\ngo 1.22\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOPROXY=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	want := "<nil>\nno valid signature\ntimestamp too far from now\n<nil>\n"
	if string(out) != want {
		t.Fatalf("the documented verifier printed\n%s\nwant\n%s", out, want)
	}
}

// The example delivery in docs/API.md verifies with the example secret.
func TestDocsExampleDelivery(t *testing.T) {
	doc, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```http\n")
	if !ok {
		t.Fatal("docs/API.md has no example delivery")
	}
	block, _, _ := strings.Cut(rest, "```")
	lines := strings.Split(strings.TrimSpace(block), "\n")
	h := http.Header{}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, ": "); ok {
			h.Set(k, v)
		}
	}
	body := lines[len(lines)-1]
	unix, _ := strconv.ParseInt(h.Get(HeaderTimestamp), 10, 64)
	const secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	if !strings.Contains(string(doc), secret) {
		t.Fatal("the example secret is not in the docs")
	}
	if err := Verify(secret, h, []byte(body), time.Unix(unix, 0), time.Minute); err != nil {
		t.Fatalf("the example delivery does not verify: %v", err)
	}
}
