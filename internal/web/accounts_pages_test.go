package web

import (
	"bytes"
	"fmt"
	"html/template"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

// postFile submits a multipart form with one file field, as a browser would.
func (b *browser) postFile(path, field, name, content string, fields url.Values) *http.Response {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write([]byte(content))
	mw.Close()
	return b.postBody(path, mw.FormDataContentType(), &buf)
}

func countAccounts(t *testing.T, e *testEnv) int {
	t.Helper()
	_, n, err := e.st.Accounts(t.Context(), store.AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportPreviewCommit: a bad file shows each problem by line and writes
// nothing; a good one previews, commits all at once, and exports back.
func TestImportPreviewCommit(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	b := e.signedIn(model.RoleAdmin)
	before := countAccounts(t, e)
	bad := "platform,handle,kind,office\nx,@UNOPS_imp1,corporate,HQ\nx,@UNOPS_imp1,corporate,HQ\nnowhere,@a,corporate,HQ\n"
	resp := b.postFile("/accounts/import", "file", "bad.csv", bad, url.Values{"csrf": {b.csrf("/accounts/import")}})
	body := readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="problems"`) || strings.Contains(body, `id="import-commit"`) {
		t.Fatalf("bad file preview: %d\n%s", resp.StatusCode, body)
	}
	for _, line := range []string{"<td>3</td>", "<td>4</td>"} {
		if !strings.Contains(body, line) {
			t.Errorf("preview does not name %s", line)
		}
	}
	// Committing the bad file anyway writes nothing.
	resp = b.post("/accounts/import/commit", url.Values{"csrf": {b.csrf("/accounts/import")}, "csv": {bad}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Nothing was imported") {
		t.Errorf("commit of a bad file: %d", resp.StatusCode)
	}
	if n := countAccounts(t, e); n != before {
		t.Fatalf("a refused import wrote %d accounts", n-before)
	}
	good := "Platform,Handle,Kind,Office,Languages,Display Name\nx,@UNOPS_imp1,corporate,HQ,en;fr,UNOPS one\nmastodon,unops_imp2@mastodon.social,country-office,Kenya,en,UNOPS Kenya\n"
	resp = b.post("/accounts/import", url.Values{"csrf": {b.csrf("/accounts/import")}, "csv": {good}})
	body = readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="import-commit"`) || !strings.Contains(body, "@UNOPS_imp1") {
		t.Fatalf("good file preview: %d\n%s", resp.StatusCode, body)
	}
	if n := countAccounts(t, e); n != before {
		t.Fatal("the preview wrote accounts")
	}
	resp = b.post("/accounts/import/commit", url.Values{"csrf": {b.csrf("/accounts/import")}, "csv": {good}})
	if body := readBody(resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, "2 accounts added, 0 updated, 0 unchanged") {
		t.Fatalf("commit: %d\n%s", resp.StatusCode, body)
	}
	if n := countAccounts(t, e); n != before+2 {
		t.Errorf("commit wrote %d accounts, want 2", n-before)
	}
	// Export, then preview the export: every row is its account, unchanged.
	code, csvText := b.get("/accounts.csv?q=imp")
	if code != http.StatusOK || !strings.Contains(csvText, "@UNOPS_imp1") || strings.Count(strings.TrimSpace(csvText), "\n") != 2 {
		t.Fatalf("export: %d\n%s", code, csvText)
	}
	p, err := e.srv.registry.PreviewImport(t.Context(), strings.NewReader(csvText))
	if err != nil || len(p.Rows) != 2 {
		t.Fatalf("export does not read back: %v %+v", err, p)
	}
	for _, row := range p.Rows {
		if row.Account.Handle == "@UNOPS_imp1" && strings.Join(row.Account.Languages, ";") != "en;fr" {
			t.Errorf("export lost the languages: %+v", row.Account)
		}
	}
	resp = b.post("/accounts/import", url.Values{"csrf": {b.csrf("/accounts/import")}, "csv": {csvText}})
	body = readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="import-nothing"`) || strings.Contains(body, `id="import-commit"`) ||
		strings.Contains(body, "is already in the registry") {
		t.Fatalf("preview of an unchanged export: %d\n%s", resp.StatusCode, body)
	}
	// The export edited in a spreadsheet: a new display name (a line break
	// in it is refused: a display name is one line).
	edited := strings.Replace(csvText, "UNOPS one", "\"UNOPS one, and only\"", 1)
	resp = b.post("/accounts/import", url.Values{"csrf": {b.csrf("/accounts/import")}, "csv": {edited}})
	body = readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "1 to update") || !strings.Contains(body, "<strong>display_name</strong>: <del>UNOPS one</del>") {
		t.Fatalf("preview of an edited export: %d\n%s", resp.StatusCode, body)
	}
	resp = b.post("/accounts/import/commit", url.Values{"csrf": {b.csrf("/accounts/import")}, "csv": {edited}})
	if body := readBody(resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, "0 accounts added, 1 updated, 1 unchanged") {
		t.Fatalf("commit of the edited export: %d\n%s", resp.StatusCode, body)
	}
	if n := countAccounts(t, e); n != before+2 {
		t.Errorf("an update import added %d accounts", n-before-2)
	}
	if code, _ := e.signedIn(model.RoleReviewer).get("/accounts/import"); code != http.StatusForbidden {
		t.Errorf("reviewer on the import page: %d, want 403", code)
	}
}

// TestRegistryFormsEscapeHostileInput puts hostile text in every field of
// the new forms and checks it comes back escaped.
func TestRegistryFormsEscapeHostileInput(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	m := e.signedIn(model.RoleManager)
	fields := []string{"handle", "profile_url", "display_name", "bio", "office", "languages", "audience", "purpose",
		"email", "contact1", "contact2", "managers", "project_name", "project_keywords", "project_end_date", "platform", "kind", "posts_per_week"}
	form := url.Values{"csrf": {m.csrf("/requests/new")}}
	for _, f := range fields {
		form.Set(f, hostile)
	}
	resp := m.post("/requests/new", form)
	assertEscaped(t, "request form", readBody(resp))
	// A request that goes through, with hostile free text, then its pages.
	form = url.Values{"csrf": {m.csrf("/requests/new")}, "platform": {"x"}, "handle": {"@UNOPS_hostile"}, "kind": {"project"},
		"office": {hostile}, "display_name": {hostile}, "bio": {hostile}, "audience": {hostile}, "purpose": {hostile},
		"contact1": {hostile}, "contact2": {hostile}, "project_name": {hostile}, "project_keywords": {hostile},
		"email": {"a@unops.org"}, "languages": {"en"}, "posts_per_week": {"3"}, "profile_url": {"https://x.com/UNOPS_hostile"}}
	// Its error pre-checks (no organization name shown) need a reason first.
	resp = m.post("/requests/new", form)
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "acknowledgement") {
		t.Fatalf("request with error pre-checks and no reason: %d", resp.StatusCode)
	}
	form.Set("acknowledgement", hostile)
	resp = m.post("/requests/new", form)
	readBody(resp)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/requests/") {
		t.Fatalf("request with hostile text: %d", resp.StatusCode)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/requests/"), "?sent=1")
	r := e.signedIn(model.RoleReviewer)
	resp = r.post("/requests/"+id+"/decision", url.Values{"csrf": {r.csrf("/requests/" + id)}, "decision": {hostile}, "comment": {hostile}})
	assertEscaped(t, "decision", readBody(resp))
	a := e.signedIn(model.RoleAdmin)
	for _, p := range []string{"/requests", "/requests/" + id, "/accounts/" + id, "/accounts/" + id + "/edit", "/found",
		"/verify?platform=x&handle=" + url.QueryEscape(hostile), "/notifications", "/my-accounts-check"} {
		_, body := a.get(p)
		assertEscaped(t, p, body)
	}
	resp = a.post("/accounts/"+id+"/transition", url.Values{"csrf": {a.csrf("/accounts/" + id)}, "to": {hostile}, "reason": {hostile}})
	assertEscaped(t, "transition", readBody(resp))
	s := e.signedIn(model.RoleStaff)
	resp = s.post("/my-accounts-check", url.Values{"csrf": {s.csrf("/my-accounts-check")}, "platform": {hostile},
		"handle": {hostile}, "display_name": {hostile}, "bio": {hostile}, "work_use": {"1"}})
	body := readBody(resp)
	assertEscaped(t, "self-check", body)
	if !strings.Contains(body, `id="selfcheck-results"`) {
		t.Errorf("self-check gave no advice")
	}
	resp = a.post("/accounts/import", url.Values{"csrf": {a.csrf("/accounts/import")}, "csv": {"platform,handle,kind,office\n" + "x,\"" + strings.ReplaceAll(hostile, `"`, `""`) + "\",corporate,HQ\n"}})
	assertEscaped(t, "import preview", readBody(resp))
	found := "platform,handle,display name,url,followers\nx,unops_fake_" + "1,\"UNOPS " + strings.ReplaceAll(hostile, `"`, `""`) + "\",javascript:alert(1),12\n"
	resp = a.postFile("/found/import", "file", "found.csv", found, url.Values{"csrf": {a.csrf("/found")}})
	assertEscaped(t, "found import", readBody(resp))
}

// TestDuplicateRequestLinksTheAccount: a request for a handle the registry
// has, in another form, names the existing account with a link.
func TestDuplicateRequestLinksTheAccount(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	existing := accountByHandle(t, e, "Energy_UA")
	m := e.signedIn(model.RoleManager)
	form := url.Values{"csrf": {m.csrf("/requests/new")}, "platform": {"x"}, "handle": {"https://x.com/unops_energy_ua"},
		"kind": {"corporate"}, "office": {"HQ"}, "display_name": {"UNOPS"}}
	resp := m.post("/requests/new", form)
	body := readBody(resp)
	link := fmt.Sprintf(`<a href="/accounts/%d">/accounts/%d</a>`, existing.ID, existing.ID)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, link) || !strings.Contains(body, existing.Handle) {
		t.Fatalf("duplicate request: %d, want 409 with %s\n%s", resp.StatusCode, link, between(body, `id="form-error"`, "</p>"))
	}
}

// TestRequestPrecheckFragment: the request form's live pre-checks are a
// server-rendered fragment; filling the form stores nothing.
func TestRequestPrecheckFragment(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	m := e.signedIn(model.RoleManager)
	if _, page := m.get("/requests/new"); !strings.Contains(page, `data-precheck="/requests/precheck"`) || !strings.Contains(page, `id="precheck"`) {
		t.Fatal("the request form has no live pre-checks")
	}
	before := countAccounts(t, e)
	form := url.Values{"csrf": {m.csrf("/requests/new")}, "platform": {"x"}, "handle": {"@Kenya_Roads"},
		"kind": {"country-office"}, "office": {"Kenya"}, "display_name": {"Kenya Roads"}, "languages": {"en"}}
	resp := m.post("/requests/precheck", form)
	body := readBody(resp)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `id="checks"`) ||
		!strings.Contains(body, "4.3") || strings.Contains(body, `id="precheck-error"`) {
		t.Fatalf("pre-checks of a name without the organization's: %d\n%s", resp.StatusCode, body)
	}
	// A duplicate is named, with a link, before sending.
	existing := accountByHandle(t, e, "Energy_UA")
	form.Set("handle", "unops_energy_ua")
	body = readBody(m.post("/requests/precheck", form))
	if !strings.Contains(body, `id="precheck-error"`) || !strings.Contains(body, fmt.Sprintf(`<a href="/accounts/%d">`, existing.ID)) {
		t.Errorf("pre-checks of a duplicate:\n%s", body)
	}
	if n := countAccounts(t, e); n != before {
		t.Errorf("pre-checks stored %d accounts", n-before)
	}
	if code, _ := e.signedIn(model.RoleStaff).get("/requests/new"); code != http.StatusForbidden {
		t.Errorf("staff on the request form: %d", code)
	}
}

// TestRequestFormPostsPerWeek: the posting plan takes a decimal comma, as
// French and Spanish write it, and a plan that is not a number is shown
// again as typed, with the field named as the form names it.
func TestRequestFormPostsPerWeek(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	m := e.signedIn(model.RoleManager)
	m.getLang("/requests/new?lang=fr", "")
	form := url.Values{"csrf": {m.csrf("/requests/new")}, "platform": {"x"}, "handle": {"@UNOPS_Plan"},
		"kind": {"corporate"}, "office": {"HQ"}, "display_name": {"UNOPS Plan"}, "posts_per_week": {"2,5"}}
	body := readBody(m.post("/requests/precheck", form))
	if strings.Contains(body, `id="precheck-error"`) {
		t.Errorf("a plan of 2,5 posts a week is refused: %s", between(body, `id="precheck-error"`, "</p>"))
	}
	form.Set("posts_per_week", "deux")
	resp := m.post("/requests/new", form)
	body = readBody(resp)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `name="posts_per_week" inputmode="decimal" value="deux"`) ||
		!says(body, "fr", "errors.web.posts_per_week_must") || strings.Contains(body, "posts_per_week doit") {
		t.Errorf("a plan that is not a number: status %d, %s", resp.StatusCode, between(body, `id="form-error"`, "</p>"))
	}
}

// TestUnacknowledgedRequestInEachLanguage: a request refused for its error
// pre-checks lists them in the reader's language: the page's, or the API's
// Accept-Language.
func TestUnacknowledgedRequestInEachLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	var rule policy.AccountRule
	for _, r := range e.srv.checker.Pack().AccountRules {
		if r.ID == "account.email-missing" {
			rule = r
		}
	}
	m := e.signedIn(model.RoleManager)
	for _, lang := range []string{"fr", "es"} {
		m.getLang("/requests/new?lang="+lang, "")
		form := url.Values{"csrf": {m.csrf("/requests/new")}, "platform": {"x"}, "handle": {"@UNOPS_Ack_" + lang},
			"kind": {"corporate"}, "display_name": {"Ack"}}
		resp := m.post("/requests/new", form)
		msg := between(readBody(resp), `id="form-error"`, "</p>")
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(msg, template.HTMLEscapeString(rule.Message.In(lang))) ||
			strings.Contains(msg, template.HTMLEscapeString(rule.Message.In("en"))) {
			t.Errorf("page in %s: status %d, %s", lang, resp.StatusCode, msg)
		}
		code, _, out := apiReq(t, e, "POST", "/api/v1/account-requests", e.token(model.RoleManager),
			`{"platform":"x","handle":"@UNOPS_Ack_api","kind":"corporate","display_name":"Ack"}`, []string{"Accept-Language", lang})
		errObj, _ := out["error"].(map[string]any)
		if got, _ := errObj["message"].(string); code != http.StatusBadRequest || !strings.Contains(got, rule.Message.In(lang)) {
			t.Errorf("API in %s: %d %q", lang, code, got)
		}
	}
}

// TestStatusesInErrorsInEachLanguage: an error that names a status (a
// change of status the lifecycle does not allow) names it in the reader's
// language.
func TestStatusesInErrorsInEachLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	acc := accountByHandle(t, e, "UNOPS_fr")
	a := e.signedIn(model.RoleAdmin)
	path := fmt.Sprintf("/accounts/%d", acc.ID)
	resp := a.post(path+"/transition", url.Values{"csrf": {a.csrf(path)}, "to": {model.StatusClosureProposed}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("propose closure: %d", resp.StatusCode)
	}
	for _, lang := range []string{"fr", "es"} {
		a.getLang(path+"?lang="+lang, "")
		resp := a.post(path+"/transition", url.Values{"csrf": {a.csrf(path)}, "to": {model.StatusAtRisk}, "reason": {"why not"}})
		body := readBody(resp)
		want := i18n.T(lang, "errors.account.an_account_that_is", i18n.T(lang, "status.closure-proposed"), i18n.T(lang, "status.at-risk"))
		if resp.StatusCode < 400 || !strings.Contains(body, template.HTMLEscapeString(want)) {
			t.Errorf("%s: status %d, want %q in the page", lang, resp.StatusCode, want)
		}
	}
}

// TestStrategyFieldsInEachLanguage: the 4.2 pre-check names the fields a
// request leaves out as the form labels them, in the reader's language (the
// page's, or the API's Accept-Language), not by their API names.
func TestStrategyFieldsInEachLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	m := e.signedIn(model.RoleManager)
	for _, lang := range []string{"fr", "es"} {
		want := i18n.T(lang, "request.field.office") + ", " + i18n.T(lang, "request.field.languages") + ", " +
			i18n.T(lang, "request.field.audience")
		m.getLang("/requests/new?lang="+lang, "")
		form := url.Values{"csrf": {m.csrf("/requests/new")}, "platform": {"x"}, "handle": {"@UNOPS_Fields"},
			"kind": {"corporate"}, "display_name": {"UNOPS Fields"}, "purpose": {"news"}, "posts_per_week": {"3"},
			"contact1": {"Ana"}, "contact2": {"Luis"}}
		body := readBody(m.post("/requests/precheck", form))
		if !strings.Contains(body, template.HTMLEscapeString(want)) || strings.Contains(body, "office, languages") {
			t.Errorf("pre-checks in %s: want the fields named %q\n%s", lang, want, between(body, `id="checks"`, "</ul>"))
		}
		code, _, out := apiReq(t, e, "POST", "/api/v1/account-requests", e.token(model.RoleManager),
			`{"platform":"x","handle":"@UNOPS_Fields","kind":"corporate","display_name":"UNOPS Fields","email":"fields@unops.org",
			  "purpose":"news","posts_per_week":3,"contacts":["Ana","Luis"]}`, []string{"Accept-Language", lang})
		errObj, _ := out["error"].(map[string]any)
		if got, _ := errObj["message"].(string); code != http.StatusBadRequest || !strings.Contains(got, want) || strings.Contains(got, "office, languages") {
			t.Errorf("API in %s: %d %q, want the fields named %q", lang, code, got, want)
		}
	}
}

// TestOverlapReasonsInEachLanguage: why an existing account overlaps a
// request is said in the reader's language, languages named in it: on the
// form's live pre-checks (the page's language) and in the API's answer
// (Accept-Language).
func TestOverlapReasonsInEachLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	es := accountByHandle(t, e, "UNOPS_es")
	m := e.signedIn(model.RoleManager)
	for _, lang := range []string{"fr", "es"} {
		want := i18n.T(lang, "overlap.posts_in_on", "@UNOPS_es", i18n.T(lang, "overlap.language.es"), "X")
		m.getLang("/requests/new?lang="+lang, "")
		form := url.Values{"csrf": {m.csrf("/requests/new")}, "platform": {"x"}, "handle": {"@UNOPS_Lat_" + lang},
			"kind": {"corporate"}, "display_name": {"UNOPS América Latina"}, "languages": {"es"}, "office": {es.Office}}
		body := readBody(m.post("/requests/precheck", form))
		if got := between(body, `id="overlaps"`, "</ol>"); !strings.Contains(got, template.HTMLEscapeString(want)) || strings.Contains(got, "already") {
			t.Errorf("pre-checks in %s: overlaps %q, want %q", lang, got, want)
		}
		if score := between(body, `class="score"`, "</span>"); !strings.Contains(score, "0,") || strings.Contains(score, "0.") {
			t.Errorf("pre-checks in %s: overlap score %q, want a decimal comma", lang, score)
		}
		code, _, out := apiReq(t, e, "POST", "/api/v1/account-requests", e.token(model.RoleManager),
			`{"platform":"x","handle":"@UNOPS_Api_`+lang+`","kind":"corporate","display_name":"UNOPS América Latina",
			  "languages":["es"],"acknowledgement":"testing"}`, []string{"Accept-Language", lang})
		ovs, _ := out["overlaps"].([]any)
		var reasons []any
		for _, o := range ovs {
			if o := o.(map[string]any); o["id"] == float64(es.ID) {
				reasons, _ = o["reasons"].([]any)
			}
		}
		if code != http.StatusCreated || !slices.Contains(reasons, any(want)) {
			t.Errorf("API in %s: %d, reasons %q, want %q (%v)", lang, code, reasons, want, out["error"])
		}
	}
}
