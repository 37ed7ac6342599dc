package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// register adds an active account straight to the registry as the demo
// admin and returns its id.
func (e *testEnv) register(a model.Account) int64 {
	e.t.Helper()
	ctx := context.Background()
	admin, err := e.st.UserByEmail(ctx, demo.Email(model.RoleAdmin))
	if err != nil {
		e.t.Fatal(err)
	}
	if a.Kind == "" {
		a.Kind, a.Email = model.KindCountryOffice, "comms@unops.org"
	}
	res, err := e.srv.registry.Register(ctx, model.Actor{UserID: admin.ID, Email: admin.Email}, "en", a)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.Account.ID
}

// publicGet fetches path without sign-in, with optional headers.
func publicGet(t *testing.T, e *testEnv, path string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

type directoryPage struct {
	Items []struct {
		Platform, Handle, Status, Kind, Office string
		ProfileURL                             string   `json:"profile_url"`
		DisplayName                            string   `json:"display_name"`
		Languages                              []string `json:"languages"`
		VerifiedSince                          *string  `json:"verified_since"`
		ClosedSince                            *string  `json:"closed_since"`
	}
	NextCursor *string `json:"next_cursor"`
}

func getDirectory(t *testing.T, e *testEnv, query string) directoryPage {
	t.Helper()
	resp, body := publicGet(t, e, "/api/v1/registry"+query, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api/v1/registry%s: %d %s", query, resp.StatusCode, body)
	}
	var p directoryPage
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPublicDirectory(t *testing.T) {
	e := newTestEnv(t, func(c *Config, _ string) { c.VerifyLimit = 1000 })
	ctx := context.Background()
	e.register(model.Account{Platform: "x", Handle: "@UNOPS_Lima", ProfileURL: "https://x.com/UNOPS_Lima", DisplayName: "UNOPS Perú",
		Office: "Lima Office", Languages: []string{"es"}})
	closed := e.register(model.Account{Platform: "instagram", Handle: "unops_oldnews", DisplayName: "UNOPS old news", Office: "Geneva"})
	admin, _ := e.st.UserByEmail(ctx, demo.Email(model.RoleAdmin))
	if _, err := e.srv.registry.Transition(ctx, model.Actor{UserID: admin.ID, Email: admin.Email}, closed, model.StatusClosed, "project ended"); err != nil {
		t.Fatal(err)
	}
	// A request is not public.
	if _, err := e.srv.registry.Request(ctx, model.Actor{UserID: admin.ID, Email: admin.Email}, admin,
		model.Account{Platform: "x", Handle: "@UNOPS_secret_plan", DisplayName: "Secret", Kind: model.KindProject,
			Office: "Geneva", Email: "comms@unops.org"}, ""); err != nil {
		t.Logf("request (only to prove requests stay hidden): %v", err)
	}

	all := getDirectory(t, e, "?limit=200")
	var lima, old bool
	for _, it := range all.Items {
		if strings.Contains(it.Handle, "secret") {
			t.Errorf("a request is in the public directory: %+v", it)
		}
		if it.VerifiedSince == nil || it.Languages == nil {
			t.Errorf("item lacks verified_since or languages: %+v", it)
		}
		switch it.Handle {
		case "@UNOPS_Lima":
			lima = it.Status == "active" && it.ProfileURL == "https://x.com/UNOPS_Lima" && it.Office == "Lima Office" &&
				it.Kind == model.KindCountryOffice && len(it.Languages) == 1 && it.Languages[0] == "es"
		case "unops_oldnews", "@unops_oldnews":
			old = it.Status == "closed" && it.ClosedSince != nil
		}
	}
	if !lima || !old {
		t.Fatalf("directory lacks the active or the closed account (lima %v, closed %v): %+v", lima, old, all.Items)
	}
	if all.NextCursor != nil {
		t.Errorf("one page of everything has a next cursor %q", *all.NextCursor)
	}

	// Filters.
	for q, want := range map[string]string{"?platform=x&language=es": "@UNOPS_Lima", "?office=lima+office": "@UNOPS_Lima", "?q=peru": "@UNOPS_Lima"} {
		p := getDirectory(t, e, q)
		if len(p.Items) == 0 {
			t.Errorf("%s: nothing", q)
		}
		found := false
		for _, it := range p.Items {
			found = found || it.Handle == want
			if strings.Contains(q, "platform=x") && it.Platform != "x" {
				t.Errorf("%s: %s on %s", q, it.Handle, it.Platform)
			}
		}
		if !found {
			t.Errorf("%s: %s not listed: %+v", q, want, p.Items)
		}
	}
	if p := getDirectory(t, e, "?kind=no-such-kind"); len(p.Items) != 0 {
		t.Errorf("unknown kind listed %d accounts", len(p.Items))
	}

	// Pages of 2 walk the whole directory once, and a cursor keeps its place
	// when an account is added before it.
	var seen []string
	cursor := ""
	for i := 0; ; i++ {
		p := getDirectory(t, e, "?limit=2&cursor="+url.QueryEscape(cursor))
		if len(p.Items) > 2 {
			t.Fatalf("limit 2 gave %d", len(p.Items))
		}
		for _, it := range p.Items {
			seen = append(seen, it.Platform+" "+it.Handle)
		}
		if i == 0 {
			e.register(model.Account{Platform: "bluesky", Handle: "aaa-unops.bsky.social", DisplayName: "UNOPS early", Office: "Geneva"})
		}
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
	}
	if len(seen) != len(all.Items) {
		t.Errorf("pages gave %d accounts, the directory has %d: %v", len(seen), len(all.Items), seen)
	}
	for i := range seen {
		if i < len(all.Items) && seen[i] != all.Items[i].Platform+" "+all.Items[i].Handle {
			t.Errorf("page order differs at %d: %s, want %s", i, seen[i], all.Items[i].Platform+" "+all.Items[i].Handle)
		}
	}
	for _, q := range []string{"?limit=0", "?limit=x", "?cursor=%21%21"} {
		if resp, _ := publicGet(t, e, "/api/v1/registry"+q, nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, resp.StatusCode)
		}
	}

	// ETag and caching.
	resp, _ := publicGet(t, e, "/api/v1/registry", nil)
	etag := resp.Header.Get("ETag")
	if etag == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Fatalf("no ETag or Cache-Control: %v", resp.Header)
	}
	if resp, _ := publicGet(t, e, "/api/v1/registry", map[string]string{"If-None-Match": etag}); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", resp.StatusCode)
	}
	e.register(model.Account{Platform: "x", Handle: "@UNOPS_New", DisplayName: "UNOPS new", Office: "Geneva"})
	if resp, _ := publicGet(t, e, "/api/v1/registry", map[string]string{"If-None-Match": etag}); resp.StatusCode != http.StatusOK {
		t.Errorf("If-None-Match after a change: %d, want 200", resp.StatusCode)
	}

	// CSV.
	resp, body := publicGet(t, e, "/registry.csv", nil)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
		t.Fatalf("CSV: %d %v", resp.StatusCode, resp.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) < 3 || rows[0][0] != "platform" || rows[0][8] != "verified_since" {
		t.Fatalf("CSV: %v %v", err, rows)
	}
	if !strings.Contains(body, "UNOPS Perú") || strings.Contains(body, "secret") {
		t.Errorf("CSV content wrong:\n%s", body)
	}

	// The page, without sign-in, names the organization.
	resp, body = publicGet(t, e, "/registry?platform=x", nil)
	org := e.srv.checker.Pack().Organization.FullName
	if resp.StatusCode != 200 || !strings.Contains(body, "UNOPS_Lima") || !strings.Contains(body, org) || strings.Contains(body, "old news") {
		t.Errorf("/registry?platform=x: %d, org %q\n%s", resp.StatusCode, org, body)
	}
	if _, body = publicGet(t, e, "/registry?platform=instagram", nil); !strings.Contains(body, "closed since") {
		t.Errorf("/registry does not show the closed account as closed since")
	}
}

func TestPublicDirectoryRateLimited(t *testing.T) {
	e := newTestEnv(t, func(c *Config, _ string) { c.VerifyLimit = 2 })
	for i, path := range []string{"/api/v1/registry", "/registry.csv", "/registry"} {
		resp, _ := publicGet(t, e, path, nil)
		want := http.StatusOK
		if i == 2 {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want {
			t.Errorf("%s (request %d): %d, want %d", path, i+1, resp.StatusCode, want)
		}
	}
	if resp, _ := publicGet(t, e, "/api/v1/registry", nil); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("over the limit: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// foundItem is one entry of GET /api/v1/found.
type foundItem struct {
	ID             int64
	Platform       string
	Handle         string
	Source         string
	LookalikeScore *float64 `json:"lookalike_score"`
	Imitates       *struct {
		ID       int64
		Platform string
		Handle   string
	}
	Reasons     []string
	ReportCount int `json:"report_count"`
}

func foundQueue(t *testing.T, e *testEnv, token string) []foundItem {
	t.Helper()
	req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/found", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Items []foundItem }
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api/v1/found: %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

func findFound(items []foundItem, handle string) *foundItem {
	for i := range items {
		if strings.EqualFold(strings.TrimPrefix(items[i].Handle, "@"), strings.TrimPrefix(handle, "@")) {
			return &items[i]
		}
	}
	return nil
}

// TestPublicReportReachesTriage is issue 16's acceptance test: a public
// report of @UN0PS_Kenya lands in the triage queue naming @UNOPSKenya with
// a high score, on both databases.
func TestPublicReportReachesTriage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		kenya := e.register(model.Account{Platform: "x", Handle: "@UNOPSKenya", ProfileURL: "https://x.com/UNOPSKenya",
			DisplayName: "UNOPS Kenya", Office: "Kenya Country Office"})
		for _, body := range []string{
			`{"platform":"x","handle":"@UN0PS_Kenya","note":"asks for application fees","contact":"reporter@example.org"}`,
			`{"url":"https://x.com/UN0PS_Kenya","note":"same again"}`,
			// The honeypot: answered alike, dropped.
			`{"platform":"x","handle":"@UNOPS_Kenya_bot","website":"http://spam.example"}`,
		} {
			if code, out := apiDo(t, e, "POST", "/api/v1/reports", "", body); code != http.StatusAccepted || out["status"] != "received" {
				t.Fatalf("report %s: %d %v", body, code, out)
			}
		}
		if code, out := apiDo(t, e, "POST", "/api/v1/reports", "", `{"platform":"x"}`); code != http.StatusBadRequest {
			t.Errorf("report without a handle: %d %v", code, out)
		}
		if code, _ := apiDo(t, e, "POST", "/api/v1/reports", "", `{"platform":"x","handle":"a","contact":"`+strings.Repeat("c", 300)+`"}`); code != http.StatusBadRequest {
			t.Errorf("report with a 300-byte contact: %d", code)
		}

		items := foundQueue(t, e, e.token(model.RoleReviewer))
		f := findFound(items, "UN0PS_Kenya")
		if f == nil {
			t.Fatalf("@UN0PS_Kenya not in the triage queue: %+v", items)
		}
		if f.Imitates == nil || f.Imitates.ID != kenya || !strings.EqualFold(strings.TrimPrefix(f.Imitates.Handle, "@"), "UNOPSKenya") {
			t.Errorf("@UN0PS_Kenya imitates %+v, want @UNOPSKenya (%d)", f.Imitates, kenya)
		}
		if f.LookalikeScore == nil || *f.LookalikeScore < 0.7 || len(f.Reasons) == 0 {
			t.Errorf("@UN0PS_Kenya: score %v, reasons %v; want a high score with reasons", f.LookalikeScore, f.Reasons)
		}
		if f.ReportCount != 2 || f.Source != model.FoundSourceReport {
			t.Errorf("@UN0PS_Kenya: %d reports from %q, want 2 from report", f.ReportCount, f.Source)
		}
		if findFound(items, "UNOPS_Kenya_bot") != nil {
			t.Errorf("a report with the honeypot filled reached the queue")
		}
		// Staff may not read the queue.
		req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/found", nil)
		req.Header.Set("Authorization", "Bearer "+e.token(model.RoleStaff))
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("staff reads the queue: %v %v", resp.StatusCode, err)
		}
	})
}

func TestPublicReportRateLimited(t *testing.T) {
	e := newTestEnv(t, func(c *Config, _ string) { c.ReportLimit = 2 })
	for i := range 3 {
		code, out := apiDo(t, e, "POST", "/api/v1/reports", "", `{"platform":"x","handle":"@UNOPS_fake`+string(rune('a'+i))+`"}`)
		want := http.StatusAccepted
		if i == 2 {
			want = http.StatusTooManyRequests
		}
		if code != want {
			t.Errorf("report %d: %d %v, want %d", i+1, code, out, want)
		}
	}
}

// TestReportFormAndTriagePages: the public form on /verify and /registry
// (CSRF, honeypot), then the triage page: score, imitated account, reasons
// and count; confirm shows the platform's report; start a request prefills
// the request form.
func TestReportFormAndTriagePages(t *testing.T) {
	e := newTestEnv(t, func(c *Config, _ string) { c.VerifyLimit = 1000 })
	kenya := e.register(model.Account{Platform: "x", Handle: "@UNOPSKenya", ProfileURL: "https://x.com/UNOPSKenya",
		DisplayName: "UNOPS Kenya", Office: "Kenya Country Office"})
	anon := e.browser()
	for _, from := range []string{"verify", "registry"} {
		token := anon.csrf("/" + from)
		resp := anon.post("/report", url.Values{"csrf": {token}, "from": {from}, "platform": {"x"}, "handle": {"@UN0PS_Kenya"},
			"note": {"asks for fees"}, "contact": {"secret-reporter@example.org"}, "website": {""}})
		body := readBody(resp)
		if resp.StatusCode != 200 || !strings.Contains(body, `id="report-sent"`) {
			t.Fatalf("report from /%s: %d\n%s", from, resp.StatusCode, body)
		}
		if strings.Contains(body, "secret-reporter") {
			t.Errorf("the contact shows on the public page")
		}
	}
	token := anon.csrf("/verify")
	resp := anon.post("/report", url.Values{"csrf": {token}, "platform": {"x"}, "handle": {"@UNOPS_honeypot"}, "website": {"x"}})
	if body := readBody(resp); resp.StatusCode != 200 || !strings.Contains(body, `id="report-sent"`) {
		t.Errorf("honeypot report: %d", resp.StatusCode)
	}
	resp = anon.post("/report", url.Values{"platform": {"x"}, "handle": {"@UNOPS_nocsrf"}})
	if readBody(resp); resp.StatusCode != http.StatusForbidden {
		t.Errorf("report without CSRF token: %d, want 403", resp.StatusCode)
	}
	resp = anon.post("/report", url.Values{"csrf": {token}, "platform": {"x"}, "handle": {""}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="report-error"`) {
		t.Errorf("empty report: %d", resp.StatusCode)
	}

	rev := e.signedIn(model.RoleAdmin)
	items := foundQueue(t, e, e.token(model.RoleAdmin))
	f := findFound(items, "UN0PS_Kenya")
	if f == nil || f.ReportCount != 2 {
		t.Fatalf("queue: %+v", items)
	}
	if findFound(items, "UNOPS_honeypot") != nil || findFound(items, "UNOPS_nocsrf") != nil {
		t.Errorf("a dropped report reached the queue: %+v", items)
	}
	_, page := rev.get("/found")
	for _, want := range []string{`href="/accounts/` + itoa(kenya) + `" class="imitates">@UNOPSKenya`, "score 0.", `<td class="reports">2</td>`, f.Reasons[0]} {
		if !strings.Contains(page, want) {
			t.Errorf("/found lacks %q", want)
		}
	}
	id := itoa(f.ID)
	csrfTok := rev.csrf("/found")
	resp = rev.post("/found/"+id+"/triage", url.Values{"csrf": {csrfTok}, "action": {"impersonation"}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "found-error") {
		t.Errorf("confirm without a reason: %d", resp.StatusCode)
	}
	resp = rev.post("/found/"+id+"/triage", url.Values{"csrf": {csrfTok}, "action": {"impersonation"}, "reason": {"fees scam"}})
	body := readBody(resp)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="takedown-text"`) || !strings.Contains(body, "https://help.x.com/forms/impersonation") ||
		!strings.Contains(body, "imitating our official account @UNOPSKenya") {
		t.Errorf("confirm: %d\n%s", resp.StatusCode, body)
	}
	if code, body := rev.get("/found/" + id + "/takedown-text"); code != 200 || !strings.Contains(body, `id="takedown-text"`) {
		t.Errorf("takedown text again: %d", code)
	}

	// Start a request from another report: the form is prefilled.
	resp2 := anon.post("/report", url.Values{"csrf": {token}, "platform": {"x"}, "handle": {"https://x.com/UNOPSKenyaJobs"}})
	if body := readBody(resp2); resp2.StatusCode != 200 || !strings.Contains(body, `id="report-sent"`) {
		t.Fatalf("second report: %d\n%s", resp2.StatusCode, body)
	}
	g := findFound(foundQueue(t, e, e.token(model.RoleAdmin)), "UNOPSKenyaJobs")
	if g == nil {
		t.Fatal("second report not queued")
	}
	resp = rev.post("/found/"+itoa(g.ID)+"/triage", url.Values{"csrf": {csrfTok}, "action": {"start-request"}})
	readBody(resp)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || loc != "/requests/new?found="+itoa(g.ID) {
		t.Fatalf("start request: %d to %q", resp.StatusCode, loc)
	}
	if code, body := rev.get(loc); code != 200 || !strings.Contains(body, "https://x.com/UNOPSKenyaJobs") {
		t.Errorf("request form not prefilled: %d", code)
	}
}

// TestRefusedReportKeepsItsFields: a report refused for a missing handle
// comes back with what the reporter typed, their contact included, so that
// only the handle is left to give.
func TestRefusedReportKeepsItsFields(t *testing.T) {
	e := newTestEnv(t, nil)
	anon := e.browser()
	for _, from := range []string{"verify", "registry"} {
		resp := anon.post("/report", url.Values{"csrf": {anon.csrf("/" + from)}, "from": {from}, "platform": {"x"}, "handle": {""},
			"note": {"asks for fees"}, "contact": {"reporter@example.org"}})
		body := readBody(resp)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="report-error"`) ||
			!strings.Contains(body, ">asks for fees</textarea>") || !strings.Contains(body, `value="reporter@example.org"`) {
			t.Errorf("refused report from /%s: status %d, the note or the contact is lost", from, resp.StatusCode)
		}
	}
}

// TestFoundQueueStatesInEachLanguage: the queue names a found account's
// state and its takedown's in the page's language, and the takedown form
// still sends the state's code.
func TestFoundQueueStatesInEachLanguage(t *testing.T) {
	e := newTestEnv(t, nil)
	anon := e.browser()
	resp := anon.post("/report", url.Values{"csrf": {anon.csrf("/verify")}, "platform": {"x"}, "handle": {"@UN0PS_Fees"}})
	if readBody(resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("report: %d", resp.StatusCode)
	}
	f := findFound(foundQueue(t, e, e.token(model.RoleAdmin)), "UN0PS_Fees")
	if f == nil {
		t.Fatal("the report is not queued")
	}
	rev := e.signedIn(model.RoleReviewer)
	resp = rev.post("/found/"+itoa(f.ID)+"/triage", url.Values{"csrf": {rev.csrf("/found")}, "action": {"impersonation"}, "reason": {"fees scam"}})
	if readBody(resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	for _, lang := range []string{"fr", "es"} {
		_, body := rev.getLang("/found?state=impersonation&lang="+lang, "")
		row := between(body, `id="found-`+itoa(f.ID)+`"`, "</tr>")
		state := i18n.T(lang, "found_state.impersonation")
		takedown := i18n.T(lang, "found.takedown", i18n.T(lang, "takedown_state.requested"))
		if !strings.Contains(row, template.HTMLEscapeString(state)+": fees scam") || !strings.Contains(row, template.HTMLEscapeString(takedown)) ||
			!strings.Contains(row, `<option value="removed">`+template.HTMLEscapeString(i18n.T(lang, "takedown_state.removed"))+`</option>`) {
			t.Errorf("%s: the row does not name its states in %s:\n%s", lang, lang, row)
		}
	}
	resp = rev.post("/found/"+itoa(f.ID)+"/takedown", url.Values{"csrf": {rev.csrf("/found")}, "takedown": {"removed"}})
	if readBody(resp); resp.StatusCode >= 400 {
		t.Errorf("takedown removed: %d", resp.StatusCode)
	}
	_, body := rev.getLang("/found?state=impersonation&lang=en", "")
	if row := between(body, `id="found-`+itoa(f.ID)+`"`, "</tr>"); !strings.Contains(row, "<br>takedown removed</td>") {
		t.Errorf("after the takedown form:\n%s", row)
	}
}

// TestLookalikeReasonsInEachLanguage: why a found account looks like the
// organization's is said in the reader's language, on the triage page (the
// page's language) and in GET /api/v1/found (Accept-Language), while a row
// stored before reasons had keys (plain English strings) shows as it is and
// the takedown report to the platform stays in English.
func TestLookalikeReasonsInEachLanguage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "herald.db")
	st, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, st, nil)
	e.register(model.Account{Platform: "x", Handle: "@UNOPSKenya", ProfileURL: "https://x.com/UNOPSKenya",
		DisplayName: "UNOPS Kenya", Office: "Kenya Country Office"})
	for _, h := range []string{"@UN0PS_Kenya", "@UNOPS_Kenya_Old"} {
		if code, out := apiDo(t, e, "POST", "/api/v1/reports", "", `{"platform":"x","handle":"`+h+`"}`); code != http.StatusAccepted {
			t.Fatalf("report %s: %d %v", h, code, out)
		}
	}
	const old = "an old reason, written in English"
	storetest.Exec(t, "sqlite:"+path, `UPDATE found_accounts SET lookalike_reasons = ? WHERE handle LIKE '%Old'`, `["`+old+`"]`)

	m := e.signedIn(model.RoleReviewer)
	for lang, want := range map[string]string{
		"en": "handle @UN0PS_Kenya reads as @UNOPSKenya (same letters once look-alike characters, case and separators are set aside)",
		"fr": "l’identifiant @UN0PS_Kenya se lit @UNOPSKenya (mêmes lettres une fois écartés les caractères qui se ressemblent, la casse et les séparateurs)",
		"es": i18n.T("es", "lookalike.handle_reads_as", "UN0PS_Kenya", "@UNOPSKenya"),
	} {
		_, body := m.getLang("/found?lang="+lang, "")
		for _, s := range []string{want, old} {
			if !strings.Contains(body, template.HTMLEscapeString(s)) {
				t.Errorf("/found in %s does not show %q", lang, s)
			}
		}
		if lang != "en" && strings.Contains(body, "reads as") {
			t.Errorf("/found in %s shows the English reason", lang)
		}
		code, _, out := apiReq(t, e, "GET", "/api/v1/found", e.token(model.RoleReviewer), "", []string{"Accept-Language", lang})
		items, _ := out["items"].([]any)
		got := map[string][]any{}
		for _, it := range items {
			it := it.(map[string]any)
			got[strings.TrimPrefix(it["handle"].(string), "@")], _ = it["reasons"].([]any)
		}
		if code != http.StatusOK || !slices.Contains(got["UN0PS_Kenya"], any(want)) || !slices.Equal(got["UNOPS_Kenya_Old"], []any{old}) {
			t.Errorf("API in %s: %d, reasons %q, want %q and the old %q", lang, code, got, want, old)
		}
	}
	if es := i18n.T("es", "lookalike.handle_reads_as", "UN0PS_Kenya", "@UNOPSKenya"); !strings.HasPrefix(es, "el identificador @UN0PS_Kenya") {
		t.Errorf("the Spanish reason is %q", es)
	}

	// The takedown report goes to the platform: in English whatever the
	// page's language.
	items := foundQueue(t, e, e.token(model.RoleReviewer))
	f := findFound(items, "UN0PS_Kenya")
	if f == nil {
		t.Fatal("@UN0PS_Kenya is not in the queue")
	}
	code, _, out := apiReq(t, e, "GET", "/api/v1/found/"+itoa(f.ID)+"/takedown-text", e.token(model.RoleReviewer), "", []string{"Accept-Language", "fr"})
	if text, _ := out["text"].(string); code != http.StatusOK || !strings.Contains(text, "- Handle @UN0PS_Kenya reads as @UNOPSKenya (same letters") {
		t.Errorf("takedown text in fr: %d %v, want the English reason", code, out)
	}
}
