package web

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// TestAPICheckReportBounded: "confidential " × 80,000 (1 MB, under the body
// limit) returned a 24 MB report. Now the report lists at most 200
// findings and counts the rest in truncated.
func TestAPICheckReportBounded(t *testing.T) {
	e := newTestEnv(t, nil)
	tok := e.token(model.RoleStaff)
	body, _ := json.Marshal(model.Draft{Text: strings.Repeat("confidential ", 80000)})
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/checks", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.200s", resp.StatusCode, out)
	}
	if len(out) > 256<<10 {
		t.Fatalf("report of %d bytes for a 1 MB post, want at most 256 KiB", len(out))
	}
	var rep model.Report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 || len(rep.Findings) > 200 || rep.Truncated < 79000 {
		t.Fatalf("%d findings, truncated %d", len(rep.Findings), rep.Truncated)
	}
}

// TestOpenAPIStatesBodyLimits: every request body in the OpenAPI document
// states the limit the server applies to its route.
func TestOpenAPIStatesBodyLimits(t *testing.T) {
	e := newTestEnv(t, nil)
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Max int64 `json:"x-max-body-bytes"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	code, body := e.browser().get("/api/v1/openapi.json")
	if err := json.Unmarshal([]byte(body), &doc); err != nil || code != http.StatusOK {
		t.Fatalf("openapi.json: %d %v", code, err)
	}
	limits := map[string]int64{} // the routes' own body limits
	for _, rt := range e.srv.routes {
		limits[rt.pattern] = rt.maxBody
	}
	n := 0
	param := regexp.MustCompile(`\{[^}]+\}`)
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.RequestBody == nil {
				continue
			}
			n++
			pattern := strings.ToUpper(method) + " " + path
			want := max(e.srv.cfg.MaxBodyBytes, limits[pattern], limits[param.ReplaceAllString(pattern, "{id}")])
			if op.RequestBody.Max != want {
				t.Errorf("%s: x-max-body-bytes %d, the server allows %d", pattern, op.RequestBody.Max, want)
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d request bodies found", n)
	}
}
