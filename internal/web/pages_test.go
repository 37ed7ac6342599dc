package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

func TestHighlight(t *testing.T) {
	text := "Très confidential, call +1 555"
	f := func(start, end int, sev string) model.Finding {
		return model.Finding{Start: start, End: end, Severity: sev}
	}
	for _, tc := range []struct {
		name     string
		findings []model.Finding
		want     string
	}{
		{"none", nil, "Très confidential, call +1 555"},
		{"one", []model.Finding{f(6, 18, "error")},
			`Très <mark class="finding sev-error" id="mark-1" data-findings="1">confidential</mark><sup class="ref"><a href="#finding-1" aria-label="finding 1, error">1</a></sup>, call +1 555`},
		{"overlap", []model.Finding{f(0, 18, "advice"), f(6, 18, "error")},
			`<mark class="finding sev-advice" id="mark-1" data-findings="1">Très </mark>` +
				`<mark class="finding sev-error" id="mark-2" data-findings="1 2">confidential</mark>` +
				`<sup class="ref"><a href="#finding-1" aria-label="finding 1, advice">1</a></sup>` +
				`<sup class="ref"><a href="#finding-2" aria-label="finding 2, error">2</a></sup>, call +1 555`},
		{"whole post and bad spans ignored", []model.Finding{f(0, 0, "error"), f(3, 4, "error"), f(20, 999, "error"), f(-1, 2, "error")},
			"Très confidential, call +1 555"},
	} {
		if got := string(highlight("en", text, tc.findings)); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	if got := string(highlight("en", "<b>&", []model.Finding{f(0, 3, "error")})); !strings.Contains(got, "&lt;b&gt;</mark>") || !strings.HasSuffix(got, "&amp;") {
		t.Errorf("not escaped: %s", got)
	}
}

func FuzzHighlight(f *testing.F) {
	f.Add("héllo <wörld>", 1, 4, 2, 9)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		out := string(highlight("en", text, []model.Finding{{Start: a, End: b, Severity: "error"}, {Start: c, End: d, Severity: "x"}}))
		if strings.Contains(out, "<script") {
			t.Fatal("unescaped markup")
		}
	})
}

func TestCheckPage(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleStaff)
	code, body := b.get("/check")
	if code != 200 || !strings.Contains(body, `id="check-form"`) || !strings.Contains(body, "@UNOPS_fr on x") {
		t.Fatalf("check page: %d", code)
	}
	resp := b.post("/check", url.Values{"csrf": {b.csrf("/check")}, "text": {"We help helpless victims. Confidential."},
		"account": {"kind:personal"}, "platform": {"mastodon"}})
	body = readBody(resp)
	for _, want := range []string{
		`<mark class="finding sev-warning" id="mark-1" data-findings="1">helpless victims</mark>`,
		`<mark class="finding sev-error" id="mark-2" data-findings="2">Confidential</mark>`,
		`<li id="finding-2" class="finding sev-error">`, "§ 3.4(f) Confidentiality", "Remove the marking.",
		"Length 39 of 500 characters on mastodon", "Demo mode",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("check result lacks %q", want)
		}
	}
	// The live counter's JSON endpoint counts on the server.
	token := b.csrf("/check")
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/check/preview",
		strings.NewReader(url.Values{"text": {"confidential"}, "account": {"kind:personal"}, "platform": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", token)
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body = readBody(resp)
	if resp.StatusCode != 200 || !strings.Contains(body, `"length":12`) || !strings.Contains(body, `"limit":280`) {
		t.Errorf("preview: %d %s", resp.StatusCode, body)
	}
}

func TestAuditPageAndExport(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleAuditor)
	code, body := b.get("/audit?action=session.")
	if code != 200 || !strings.Contains(body, "session.signin") || strings.Contains(body, "user.create") {
		t.Fatalf("filtered audit page: %d", code)
	}
	code, body = b.get("/audit?actor=" + url.QueryEscape("system:demo") + "&object=user")
	if code != 200 || !strings.Contains(body, "user.create") {
		t.Errorf("audit by actor and object: %d", code)
	}
	if code, _ := b.get("/audit?since=yesterday"); code != 400 {
		t.Errorf("bad date: %d", code)
	}
	code, body = b.get("/audit/export.csv?action=user.")
	if code != 200 || !strings.HasPrefix(body, "seq,at,actor_id") || strings.Count(body, "user.create") != 5 {
		t.Errorf("CSV export: %d\n%s", code, body)
	}
	code, body = b.get("/audit?action=audit.export")
	if code != http.StatusOK || !strings.Contains(body, "exported 5 events") {
		t.Errorf("export not audited")
	}
	if code, _ := e.signedIn(model.RoleStaff).get("/audit"); code != http.StatusForbidden {
		t.Errorf("staff on /audit: %d, want 403", code)
	}
}

func TestMetrics(t *testing.T) {
	e := newTestEnv(t, nil)
	e.signedIn(model.RoleStaff).post("/check", url.Values{})
	if code, out := apiDo(t, e, "POST", "/api/v1/checks", e.token(model.RoleStaff), `{"text":"confidential"}`); code != http.StatusOK {
		t.Fatalf("check: %d %v", code, out)
	}
	_, body := e.browser().get("/metrics")
	for _, want := range []string{`herald_http_requests_total{code="200",route="POST /api/v1/checks"} 1`,
		`herald_checks_total 1`, `herald_findings_total{clause="3.4(f)"} 1`, `herald_http_request_duration_seconds_bucket{route="GET /signin"`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// BenchmarkAccountsPage renders a page of the Accounts list over 10,000
// accounts, filtered and sorted as a user would.
func BenchmarkAccountsPage(b *testing.B) {
	e := newTestEnv(b, nil)
	ctx := context.Background()
	platforms := []string{"x", "mastodon", "bluesky", "linkedin", "facebook"}
	for i := range 10_000 {
		a := &model.Account{Platform: platforms[i%5], Handle: fmt.Sprintf("@office_%05d", i), DisplayName: fmt.Sprintf("UNOPS Office %d", i),
			Kind: model.KindCountryOffice, Office: fmt.Sprintf("Office %d", i%120), Status: model.StatusActive}
		if err := e.st.CreateAccount(ctx, model.SystemActor("bench"), a); err != nil {
			b.Fatal(err)
		}
	}
	cookie, _ := e.session(model.RoleStaff)
	h := e.srv.Handler()
	for _, q := range []string{"?page=37", "?q=office_0999&sort=name", "?platform=mastodon&sort=-created&page=10"} {
		b.Run(q, func(b *testing.B) {
			var ds []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/accounts"+q, nil)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
				rec := httptest.NewRecorder()
				t0 := time.Now()
				h.ServeHTTP(rec, req)
				ds = append(ds, time.Since(t0))
				if rec.Code != 200 {
					b.Fatalf("status %d", rec.Code)
				}
			}
			// Issue 3's target is a 95th percentile, which ns/op does not show.
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)*95/100])/1e6, "p95-ms")
		})
	}
}

// TestCheckAgainstAnotherUsersRequest: the check page lists only the
// accounts its user may see, and refuses an id it does not list, so that a
// pending request of someone else is neither revealed nor used.
func TestCheckAgainstAnotherUsersRequest(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	code, out := apiDo(t, e, "POST", "/api/v1/account-requests", e.token(model.RoleManager), spanishRequest)
	if code != http.StatusCreated {
		t.Fatalf("request: %d %v", code, out)
	}
	id := fmt.Sprintf("id:%v", out["id"])
	staff := e.signedIn(model.RoleStaff)
	if _, body := staff.get("/check"); strings.Contains(body, `value="`+id+`"`) {
		t.Fatalf("staff is offered %s, someone else's request", id)
	}
	resp := staff.post("/check", url.Values{"csrf": {staff.csrf("/check")}, "account": {id}, "text": {"Hello"}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || strings.Contains(body, `id="results"`) {
		t.Errorf("staff checks against someone else's request: %d", resp.StatusCode)
	}
	manager := e.signedIn(model.RoleManager)
	resp = manager.post("/check", url.Values{"csrf": {manager.csrf("/check")}, "account": {id}, "text": {"Hello"}})
	if body := readBody(resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="results"`) {
		t.Errorf("the requester checks against their own request: %d", resp.StatusCode)
	}
}
