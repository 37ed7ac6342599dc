package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/auth/oidctest"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

func apiDo(t *testing.T, e *testEnv, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	code, _, out := apiReq(t, e, method, path, token, body, nil)
	return code, out
}

// apiReq is apiDo with headers to send (pairs of name and value), and the
// answer's headers.
func apiReq(t *testing.T, e *testEnv, method, path, token, body string, header []string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("%s %s: body is not JSON: %v", method, path, err)
		}
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header, out
}

// apiList follows a list's cursors from path and returns every item.
func apiList(t *testing.T, e *testEnv, path, token string) []map[string]any {
	t.Helper()
	var items []map[string]any
	u, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	for next := path; ; {
		code, out := apiDo(t, e, "GET", next, token, "")
		page, ok := out["items"].([]any)
		if code != http.StatusOK || !ok {
			t.Fatalf("GET %s: %d %v", next, code, out)
		}
		for _, it := range page {
			items = append(items, it.(map[string]any))
		}
		c, _ := out["next_cursor"].(string)
		if c == "" {
			return items
		}
		q := u.Query()
		q.Set("cursor", c)
		u.RawQuery = q.Encode()
		next = u.String()
	}
}

// TestAPICheckWithoutPlatform: a draft that names no platform is counted in
// code points with a limit of 0 and no length finding, as the Report
// contract says (docs/ARCHITECTURE.md), unlike the web page, which defaults
// to x; openapi.json says so to clients.
func TestAPICheckWithoutPlatform(t *testing.T) {
	e := newTestEnv(t, nil)
	text := strings.Repeat("é", 300)
	code, rep := apiDo(t, e, "POST", "/api/v1/checks", e.token(model.RoleStaff), `{"text":"`+text+`"}`)
	p, _ := rep["platform"].(map[string]any)
	if code != http.StatusOK || p["name"] != "" || p["length"] != float64(300) || p["limit"] != float64(0) {
		t.Fatalf("check without platform: %d, platform %v; want length 300 in code points, limit 0", code, p)
	}
	for _, f := range rep["findings"].([]any) {
		if rule := f.(map[string]any)["rule"].(string); strings.HasPrefix(rule, "platform.") {
			t.Errorf("finding %s on a draft with no platform", rule)
		}
	}
	_, doc := apiDo(t, e, "GET", "/api/v1/openapi.json", "", "")
	draft := doc["components"].(map[string]any)["schemas"].(map[string]any)["Draft"].(map[string]any)
	desc, _ := draft["properties"].(map[string]any)["platform"].(map[string]any)["description"].(string)
	if !strings.Contains(desc, "code points") || !strings.Contains(desc, "limit is 0") {
		t.Errorf("openapi.json's Draft.platform does not say what a draft without a platform gets: %q", desc)
	}
}

func TestAPIChecks(t *testing.T) {
	e := newTestEnv(t, func(c *Config, _ string) { c.MaxBodyBytes = 4096 })
	tok := e.token(model.RoleStaff)
	code, rep := apiDo(t, e, "POST", "/api/v1/checks", tok,
		`{"id":"d1","text":"Confidential: we help helpless victims","platform":"x","account":{"kind":"personal"}}`)
	if code != http.StatusOK || rep["id"] != "d1" {
		t.Fatalf("check: %d %v", code, rep)
	}
	findings, _ := rep["findings"].([]any)
	var clauses []string
	for _, f := range findings {
		clauses = append(clauses, f.(map[string]any)["clause"].(string))
	}
	slices.Sort(clauses)
	if !slices.Equal(clauses, []string{"3.4(f)", "3.4(h)"}) {
		t.Errorf("clauses %v, want 3.4(f) and 3.4(h)", clauses)
	}
	for _, tc := range []struct {
		name, token, body string
		status            int
		code, msg         string
	}{
		{"invalid JSON", tok, `{"text": "a",`, 400, "invalid", "invalid JSON"},
		{"unknown field", tok, `{"text":"a","colour":"red"}`, 400, "invalid", `"colour"`},
		{"wrong type", tok, `{"text":5}`, 400, "invalid", "text"},
		{"two objects", tok, `{"text":"a"}{"text":"b"}`, 400, "invalid", "one JSON object"},
		{"empty", tok, ``, 400, "invalid", "empty"},
		{"images", tok, `{"text":"a","images":["/etc/passwd"]}`, 400, "invalid", "images"},
		{"empty text", tok, `{"text":" \n ","platform":"x"}`, 400, "invalid", "text: write some text"},
		{"unknown platform", tok, `{"text":"a","platform":"myspace"}`, 400, "invalid", "myspace"},
		{"too large", tok, `{"text":"` + strings.Repeat("a", 5000) + `"}`, 413, "too_large", "4\u00a0KiB"},
		{"no token", "", `{"text":"a"}`, 401, "unauthorized", "Bearer"},
		{"bad token", "hrld_nope", `{"text":"a"}`, 401, "unauthorized", "unknown"},
		{"auditor", e.token(model.RoleAuditor), `{"text":"a"}`, 403, "forbidden", "auditor"},
	} {
		code, out := apiDo(t, e, "POST", "/api/v1/checks", tc.token, tc.body)
		errObj, _ := out["error"].(map[string]any)
		if code != tc.status || errObj == nil || errObj["code"] != tc.code || !strings.Contains(errObj["message"].(string), tc.msg) {
			t.Errorf("%s: %d %v; want %d %s containing %q", tc.name, code, out, tc.status, tc.code, tc.msg)
		}
	}
	if code, out := apiDo(t, e, "GET", "/api/v1/nothing", tok, ""); code != 404 || out["error"] == nil {
		t.Errorf("unknown API route: %d %v", code, out)
	}
}

func TestAPIAccounts(t *testing.T) {
	e := newTestEnv(t, nil)
	tok := e.token(model.RoleAuditor)
	code, out := apiDo(t, e, "GET", "/api/v1/accounts?limit=2&sort=handle", tok, "")
	accs, _ := out["items"].([]any)
	if code != 200 || len(accs) != 2 || out["next_cursor"] == nil {
		t.Fatalf("accounts: %d %v", code, out)
	}
	if all := apiList(t, e, "/api/v1/accounts?limit=2&sort=handle", tok); len(all) < 8 {
		t.Errorf("accounts two at a time: %d, want 8 or more", len(all))
	}
	if corp := apiList(t, e, "/api/v1/accounts?kind=corporate", tok); len(corp) != 3 {
		t.Errorf("corporate accounts: %d, want 3 (@UNOPS, @UNOPS_es, @UNOPS_fr)", len(corp))
	}
	for _, q := range []string{"limit=0", "limit=x", "limit=201", "cursor=x", "sort=evil"} {
		if code, _ := apiDo(t, e, "GET", "/api/v1/accounts?"+q, tok, ""); code != 400 {
			t.Errorf("?%s: status %d, want 400", q, code)
		}
	}
}

// newOIDCEnv is a test environment signing people in through a local
// identity provider, closed when t ends, whose group "cg" maps to reviewers.
func newOIDCEnv(t *testing.T) (*testEnv, *oidctest.IdP) {
	t.Helper()
	idp := oidctest.Start(t)
	e := newTestEnv(t, func(c *Config, base string) {
		c.Outbound = testAllow
		c.OIDC = auth.OIDCConfig{Issuer: idp.URL, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
			RedirectURL: base + "/auth/oidc/callback", RoleMap: map[string]model.Role{"cg": model.RoleReviewer}}
	})
	return e, idp
}

func TestOIDCSignIn(t *testing.T) {
	e, idp := newOIDCEnv(t)
	idp.SignInAs(oidctest.User{Subject: "s-42", Email: "Rosa@unops.org", Name: "Rosa <b>R</b>", Groups: []string{"all", "cg"}})
	b := e.browser()
	// Follow the redirects through the provider, as a browser would.
	b.CheckRedirect = nil
	code, body := b.get("/auth/oidc/login")
	if code != http.StatusOK || !strings.Contains(body, "<h1>Dashboard</h1>") || !strings.Contains(body, "Rosa &lt;b&gt;R&lt;/b&gt;") {
		t.Fatalf("after single sign-on: %d\n%s", code, body)
	}
	u, err := e.st.UserByOIDCSubject(context.Background(), idp.URL+"|s-42")
	if err != nil || u.Role != model.RoleReviewer || u.Email != "rosa@unops.org" {
		t.Fatalf("user created at first sign-in: %+v, %v", u, err)
	}
	// A callback whose state does not match this browser is refused.
	other := e.browser()
	code, _ = other.get("/auth/oidc/callback?code=x&state=y")
	if code != http.StatusUnauthorized {
		t.Errorf("forged callback: status %d, want 401", code)
	}
	// A user whose groups map to no role is refused.
	idp.SignInAs(oidctest.User{Subject: "s-43", Email: "x@unops.org", Groups: []string{"finance"}})
	third := e.browser()
	third.CheckRedirect = nil
	if code, _ := third.get("/auth/oidc/login"); code != http.StatusUnauthorized {
		t.Errorf("unmapped user: status %d, want 401", code)
	}
}

// TestAPIErrorsSayWhatToSend: a refused body says what to send in the
// client's terms: the missing field by name, the unknown account by id,
// JSON types (object, number) rather than Go's.
func TestAPIErrorsSayWhatToSend(t *testing.T) {
	e := newTestEnv(t, nil)
	staff, manager := e.token(model.RoleStaff), e.token(model.RoleManager)
	for _, tc := range []struct {
		name, token, path, body string
		status                  int
		msg                     string
	}{
		{"draft without account_id", manager, "/api/v1/drafts", `{"text":"Hello"}`, 400, "account_id"},
		{"draft of an unknown account", manager, "/api/v1/drafts", `{"account_id":9999,"text":"Hello"}`, 404, "9999"},
		{"account as a string", staff, "/api/v1/checks", `{"text":"a","account":"personal"}`, 400, `"account" must be a JSON object, not a JSON string`},
		{"account_id as a string", manager, "/api/v1/drafts", `{"account_id":"4","text":"Hello"}`, 400, `"account_id" must be a JSON number, not a JSON string`},
		{"an array for the body", staff, "/api/v1/checks", `[1]`, 400, "the request body must be a JSON object, not a JSON array"},
	} {
		code, out := apiDo(t, e, "POST", tc.path, tc.token, tc.body)
		errObj, _ := out["error"].(map[string]any)
		if msg, _ := errObj["message"].(string); code != tc.status || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: %d %v; want %d containing %q", tc.name, code, out, tc.status, tc.msg)
		}
	}
}

// TestAPIWrongMethodNamesTheRightOne: a route called with a method it does
// not take says which methods it takes, rather than that it does not exist.
func TestAPIWrongMethodNamesTheRightOne(t *testing.T) {
	e := newTestEnv(t, nil)
	for lang, accept := range map[string]string{"en": "", "fr": "fr", "es": "es"} {
		code, header, out := apiReq(t, e, "GET", "/api/v1/checks", e.token(model.RoleStaff), "", []string{"Accept-Language", accept})
		errObj, _ := out["error"].(map[string]any)
		msg, _ := errObj["message"].(string)
		if code != http.StatusMethodNotAllowed || header.Get("Allow") != "POST" ||
			msg != i18n.T(lang, "errors.web.method_not_allowed", "GET", "/api/v1/checks", "POST") {
			t.Errorf("GET /api/v1/checks in %s: %d, Allow %q, %q", lang, code, header.Get("Allow"), msg)
		}
	}
}
