package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/publish"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// apiText sends body to the API and returns the status and the body as text.
func apiText(t *testing.T, e *testEnv, method, path, token, body string) (int, string) {
	t.Helper()
	code, _, b := apiSend(t, e, method, path, token, "application/json", strings.NewReader(body))
	return code, string(b)
}

func TestLoneSurrogate(t *testing.T) {
	for _, c := range []struct {
		body  string
		at    int
		found bool
	}{
		{`{"text":"a\ud800b"}`, 10, true},
		{`{"text":"\udc00"}`, 9, true},
		{`{"text":"ok","b":"x\uD83D"}`, 19, true},
		{`{"text":"\ud83d\ude00 \u00e9"}`, 0, false}, // a pair and a plain escape
		{`{"text":"\\ud800"}`, 0, false},             // an escaped backslash, then text
		{`{"\ud800":1}`, 2, true},
		{`{"text":"\ud800\u0041"}`, 9, true}, // a high half followed by no low half
		{`{"text":"\ud800`, 9, true},
	} {
		at, found := loneSurrogate([]byte(c.body))
		if found != c.found || at != c.at {
			t.Errorf("%s: at %d found %v, want %d %v", c.body, at, found, c.at, c.found)
		}
	}
}

// TestAPIRefusesLoneSurrogate: a lone surrogate escape would be stored as
// U+FFFD; the API refuses it with 400 naming the field, and takes a pair.
func TestAPIRefusesLoneSurrogate(t *testing.T) {
	e := newTestEnv(t, nil)
	tok := e.token(model.RoleStaff)
	code, doc := apiDo(t, e, "POST", "/api/v1/checks", tok, `{"text":"caf\ud800 au lait","platform":"x","account":{"kind":"personal"}}`)
	msg, _ := doc["error"].(map[string]any)["message"].(string)
	if code != http.StatusBadRequest || !strings.Contains(msg, `"text"`) || !strings.Contains(msg, `\ud800`) {
		t.Fatalf("a lone surrogate: %d %v", code, doc)
	}
	code, doc = apiDo(t, e, "POST", "/api/v1/advice", tok, `{"question":"ok?","text":"fine","account_id":1,"x":"\udfff"}`)
	msg, _ = doc["error"].(map[string]any)["message"].(string)
	if code != http.StatusBadRequest || !strings.Contains(msg, `"x"`) {
		t.Fatalf("a lone low surrogate: %d %v", code, doc)
	}
	if code, doc = apiDo(t, e, "POST", "/api/v1/checks", tok, `{"text":"Thanks \ud83d\ude4f","platform":"x","account":{"kind":"personal"}}`); code != http.StatusOK {
		t.Fatalf("a surrogate pair: %d %v", code, doc)
	}
}

// TestAPIMatchesUIPermissions: each operation the API adds beside a page
// needs the page's permission.
func TestAPIMatchesUIPermissions(t *testing.T) {
	e := newTestEnv(t, nil)
	perm := map[string]string{}
	for _, rt := range e.srv.routes {
		perm[rt.pattern] = string(rt.perm)
	}
	for api, ui := range map[string]string{
		"POST /api/v1/accounts/{id}/close":           "POST /accounts/{id}/close",
		"POST /api/v1/accounts/{id}/keep-open":       "POST /accounts/{id}/keep-open",
		"POST /api/v1/accounts/{id}/farewell":        "POST /accounts/{id}/farewell",
		"POST /api/v1/accounts/{id}/propose-closure": "POST /accounts/{id}/transition",
		"GET /api/v1/credentials":                    "GET /settings/credentials",
		"POST /api/v1/credentials":                   "POST /settings/credentials",
		"POST /api/v1/credentials/test":              "POST /settings/credentials/test",
		"POST /api/v1/credentials/revoke":            "POST /settings/credentials/revoke",
		"GET /api/v1/review-settings":                "POST /review/routes",
		"PATCH /api/v1/review-settings":              "POST /review/service-levels",
	} {
		if perm[api] == "" || perm[api] != perm[ui] {
			t.Errorf("%s needs %q, the page's %s %q", api, perm[api], ui, perm[ui])
		}
	}
}

// TestAPIClosure: propose closure, keep open, draft the farewell post and
// close with the checklist and the handle kept parked, on both databases.
func TestAPIClosure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		ctx := context.Background()
		acc := &model.Account{Platform: "x", Handle: "@UNOPS_Closing", ProfileURL: "https://x.com/UNOPS_Closing", DisplayName: "UNOPS Closing",
			Kind: model.KindProject, Office: "Peru", Status: model.StatusActive}
		if err := e.st.CreateAccount(ctx, model.SystemActor("test"), acc); err != nil {
			t.Fatal(err)
		}
		admin, staff := e.token(model.RoleAdmin), e.token(model.RoleStaff)
		path := "/api/v1/accounts/" + strconv.FormatInt(acc.ID, 10)

		if code, _ := apiDo(t, e, "POST", path+"/propose-closure", staff, `{"reason":"quiet"}`); code != http.StatusForbidden {
			t.Errorf("staff proposing closure: %d", code)
		}
		if code, doc := apiDo(t, e, "POST", path+"/keep-open", admin, `{"reason":"busy"}`); code != http.StatusConflict {
			t.Errorf("keeping an active account open: %d %v", code, doc)
		}
		code, doc := apiDo(t, e, "POST", path+"/propose-closure", admin, `{"reason":"The project ended in June."}`)
		if code != http.StatusOK || doc["status"] != model.StatusClosureProposed {
			t.Fatalf("propose closure: %d %v", code, doc)
		}
		if code, doc = apiDo(t, e, "POST", path+"/keep-open", admin, `{"reason":" "}`); code != http.StatusBadRequest {
			t.Errorf("keep open without a reason: %d %v", code, doc)
		}
		if code, doc = apiDo(t, e, "POST", path+"/keep-open", admin, `{"reason":"A second phase starts."}`); code != http.StatusOK || doc["status"] != model.StatusActive {
			t.Fatalf("keep open: %d %v", code, doc)
		}
		if code, doc = apiDo(t, e, "POST", path+"/farewell", admin, `{}`); code != http.StatusConflict {
			t.Errorf("a farewell on an active account: %d %v", code, doc)
		}
		apiDo(t, e, "POST", path+"/propose-closure", admin, `{"reason":"Quiet again."}`)

		// The farewell post: a draft pointing to the main account, sent for review like any other.
		code, doc = apiDo(t, e, "POST", path+"/farewell", admin, `{}`)
		if code != http.StatusCreated || doc["status"] != model.DraftDraft || !strings.Contains(doc["text"].(string), "no longer updated") {
			t.Fatalf("farewell: %d %v", code, doc)
		}
		draftID := strconv.FormatInt(int64(doc["id"].(float64)), 10)
		if code, doc = apiDo(t, e, "POST", path+"/farewell", admin, `{"main_account":`+strconv.FormatInt(acc.ID, 10)+`}`); code != http.StatusBadRequest ||
			!strings.Contains(doc["error"].(map[string]any)["message"].(string), "main_account") {
			t.Errorf("a farewell pointing to itself: %d %v", code, doc)
		}
		if _, doc = apiDo(t, e, "GET", "/api/v1/drafts/"+draftID, admin, ""); doc["can"].(map[string]any)["submit"] != true {
			t.Errorf("the farewell cannot be sent for review: %v", doc)
		}

		// The checklist: the first missing item named in words; then closed, handle parked.
		code, doc = apiDo(t, e, "POST", path+"/close", admin, `{"content_archived":true,"reason":"Ended."}`)
		msg, _ := doc["error"].(map[string]any)["message"].(string)
		if code != http.StatusBadRequest || !strings.Contains(msg, "credentials are not revoked") {
			t.Errorf("an incomplete checklist: %d %v", code, doc)
		}
		code, doc = apiDo(t, e, "POST", path+"/close", admin,
			`{"content_archived":true,"credentials_revoked":true,"removed_from_verification":true,"keep_handle_parked":true,"reason":"Ended."}`)
		if code != http.StatusOK || doc["status"] != model.StatusClosed || doc["handle_parked"] != true {
			t.Fatalf("close: %d %v", code, doc)
		}
		if _, doc = apiDo(t, e, "GET", path, admin, ""); doc["handle_parked"] != true {
			t.Errorf("the account does not say its handle is parked: %v", doc)
		}
		if code, _ = apiDo(t, e, "POST", path+"/close", admin,
			`{"content_archived":true,"credentials_revoked":true,"removed_from_verification":true,"reason":"Again."}`); code != http.StatusConflict {
			t.Errorf("closing twice: %d", code)
		}
	})
}

// RecordedMastodon is a Mastodon instance for tests of the credentials:
// the recorded unops_news account and its statuses to read, and the
// token-checking poster (verify_credentials) of that account; it notes the
// Authorization header of each request.
type RecordedMastodon struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
}

// NewRecordedMastodon answers as unops_news, accepting token. (Exported for the browser tests.)
func NewRecordedMastodon(t *testing.T, token string) *RecordedMastodon {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile("../connector/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rec := &connectortest.MastodonRecording{Account: read("mastodon_account.json")}
	if err := json.Unmarshal(read("mastodon_statuses.json"), &rec.Statuses); err != nil {
		t.Fatal(err)
	}
	reader := connectortest.NewMastodon(t, connectortest.MastodonOptions{Recorded: rec})
	poster := connectortest.NewMastodonPoster(t, token, "unops_news")
	p := &RecordedMastodon{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.auths = append(p.auths, r.URL.Path+" "+r.Header.Get("Authorization"))
		p.mu.Unlock()
		if r.URL.Path == "/api/v1/accounts/verify_credentials" {
			poster.Config.Handler.ServeHTTP(w, r)
			return
		}
		reader.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

// Verified reports whether the platform was asked who token belongs to.
func (p *RecordedMastodon) Verified(token string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Contains(p.auths, "/api/v1/accounts/verify_credentials Bearer "+token)
}

// CredentialsEnv is a server whose monitor stores tokens and reads
// Mastodon over loopback, and whose publisher posts with those tokens, on
// st seeded with the demo, with the recorded account registered. (Exported
// for the browser tests.)
func CredentialsEnv(t *testing.T, st *store.Store, p *httptest.Server) (Config, Services, *model.Account) {
	t.Helper()
	chk := checktest.Default(t)
	svc := ServicesFor(t, st, chk)
	m, err := monitor.New(monitor.Options{Store: st, Pack: chk.Pack(), SecretKey: bytes.Repeat([]byte{7}, 32),
		Backfill:        5 * 365 * 24 * time.Hour, // the recording is from 2024
		ConnectorConfig: connector.Config{Allow: testAllow, BaseBackoff: time.Millisecond, MaxRetries: 1}})
	if err != nil {
		t.Fatal(err)
	}
	svc.Monitor = m
	svc.Review.Publisher = publish.New(publish.Config{Credentials: publish.CredentialsFunc(m.Credential), Allow: testAllow})
	acc := &model.Account{Platform: "mastodon", Handle: "@unops_news@" + strings.TrimPrefix(p.URL, "http://"), ProfileURL: p.URL + "/@unops_news",
		DisplayName: "UNOPS News", Kind: model.KindCorporate, Office: "Headquarters", Managers: []string{demo.Email(model.RoleManager)},
		Status: model.StatusActive}
	if err := st.CreateAccount(context.Background(), model.SystemActor("test"), acc); err != nil {
		t.Fatal(err)
	}
	return Config{Demo: true}, svc, acc
}

func credentialsEnv(t *testing.T, dialect, token string) (*testEnv, *RecordedMastodon, *model.Account) {
	t.Helper()
	st := storetest.Open(t, dialect)
	p := NewRecordedMastodon(t, token)
	if err := demo.Seed(context.Background(), st, checktest.Default(t).Pack()); err != nil {
		t.Fatal(err)
	}
	cfg, svc, acc := CredentialsEnv(t, st, p.Server)
	srv, err := New(cfg, st, svc)
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, st: st, srv: srv, ts: httptest.NewServer(srv.Handler())}
	t.Cleanup(e.ts.Close)
	return e, p, acc
}

// TestAPICredentials: set, test against the recorded platform, list and
// revoke a token; its value never comes back.
func TestAPICredentials(t *testing.T) {
	const secret = "masto-token-never-shown"
	storetest.Each(t, func(t *testing.T, dialect string) {
		e, p, acc := credentialsEnv(t, dialect, secret)
		admin := e.token(model.RoleAdmin)
		target := `"account_id":` + strconv.FormatInt(acc.ID, 10)

		if code, body := apiText(t, e, "POST", "/api/v1/credentials", admin, `{`+target+`,"token":"  "}`); code != http.StatusBadRequest || !strings.Contains(body, "token") {
			t.Errorf("a blank token: %d %s", code, body)
		}
		code, body := apiText(t, e, "POST", "/api/v1/credentials", admin, `{`+target+`,"token":"`+secret+`"}`)
		if code != http.StatusOK || strings.Contains(body, secret) || !strings.Contains(body, `"platform":"mastodon"`) {
			t.Fatalf("set: %d %s", code, body)
		}
		code, body = apiText(t, e, "GET", "/api/v1/credentials", admin, "")
		if code != http.StatusOK || strings.Contains(body, secret) || !strings.Contains(body, `"next_cursor":null`) || !strings.Contains(body, `"account_id":`+strconv.FormatInt(acc.ID, 10)) {
			t.Fatalf("list: %d %s", code, body)
		}
		code, body = apiText(t, e, "POST", "/api/v1/credentials/test", admin, `{`+target+`}`)
		var res credentialTest
		json.Unmarshal([]byte(body), &res)
		if code != http.StatusOK || res.Posts == 0 || !res.Publishing || res.AccountID != acc.ID || strings.Contains(body, secret) {
			t.Fatalf("test: %d %s", code, body)
		}
		if !p.Verified(secret) {
			t.Error("the platform was not asked whose the stored token is")
		}
		// A wrong token: the test says the platform refused it.
		apiText(t, e, "POST", "/api/v1/credentials", admin, `{`+target+`,"token":"stale"}`)
		if code, body = apiText(t, e, "POST", "/api/v1/credentials/test", admin, `{`+target+`}`); code != http.StatusServiceUnavailable ||
			!strings.Contains(body, "refused the token (HTTP 401)") {
			t.Errorf("a wrong token: %d %s", code, body)
		}
		if code, body = apiText(t, e, "POST", "/api/v1/credentials/test", admin, `{`+target+`,"token":"x"}`); code != http.StatusBadRequest {
			t.Errorf("a test with a token in the body: %d %s", code, body)
		}
		// A platform-wide token for a platform with no account to try it on.
		apiText(t, e, "POST", "/api/v1/credentials", admin, `{"platform":"youtube","token":"t"}`)
		if code, body = apiText(t, e, "POST", "/api/v1/credentials/test", admin, `{"platform":"youtube"}`); code != http.StatusConflict || !strings.Contains(body, "no active account on youtube") {
			t.Errorf("a test with no account: %d %s", code, body)
		}
		if code, body = apiText(t, e, "POST", "/api/v1/credentials/revoke", admin, `{`+target+`}`); code != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", code, body)
		}
		if code, body = apiText(t, e, "POST", "/api/v1/credentials/revoke", admin, `{`+target+`}`); code != http.StatusNotFound || !strings.Contains(body, "no token is stored") {
			t.Errorf("revoking twice: %d %s", code, body)
		}
		if code, body = apiText(t, e, "POST", "/api/v1/credentials", e.token(model.RoleManager), `{`+target+`,"token":"x"}`); code != http.StatusForbidden {
			t.Errorf("a manager setting a token: %d %s", code, body)
		}
	})
}

// TestAPIReviewSettings: an admin reads and changes the route, the leads,
// the approval lifetime and the service levels; a refused part stores nothing.
func TestAPIReviewSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		admin := e.token(model.RoleAdmin)
		code, hdr, doc := apiReq(t, e, "GET", "/api/v1/review-settings", admin, "", nil)
		routes, _ := doc["routes"].(map[string]any)
		if code != http.StatusOK || len(routes) != 3 || doc["approval_lifetime_hours"] != float64(72) || hdr.Get("ETag") == "" {
			t.Fatalf("defaults: %d %v", code, doc)
		}
		lead := demo.Email(model.RoleReviewer)
		change := `{"routes":{"project":[{"who":"communications"},{"who":"office-lead","optional":true}]},
			"office_leads":{"Peru":["` + strings.ToUpper(lead) + `"]},"approval_lifetime_hours":48,"service_levels":{"project":12}}`
		if code, _, _ = apiReq(t, e, "PATCH", "/api/v1/review-settings", admin, change, nil); code != http.StatusPreconditionRequired {
			t.Errorf("a patch without If-Match: %d", code)
		}
		etag := hdr.Get("ETag")
		code, hdr, doc = apiReq(t, e, "PATCH", "/api/v1/review-settings", admin, change, []string{"If-Match", etag})
		if code != http.StatusOK || hdr.Get("ETag") == etag {
			t.Fatalf("patch: %d %v", code, doc)
		}
		steps := doc["routes"].(map[string]any)["project"].([]any)
		leads := doc["office_leads"].(map[string]any)["Peru"].([]any)
		if len(steps) != 2 || steps[0].(map[string]any)["who"] != "communications" || steps[1].(map[string]any)["optional"] != true ||
			len(leads) != 1 || leads[0] != lead || doc["approval_lifetime_hours"] != float64(48) || doc["service_levels"].(map[string]any)["project"] != float64(12) {
			t.Errorf("after the patch: %v", doc)
		}
		if code, _, _ = apiReq(t, e, "PATCH", "/api/v1/review-settings", admin, `{"approval_lifetime_hours":24}`, []string{"If-Match", etag}); code != http.StatusPreconditionFailed {
			t.Errorf("a patch with a stale ETag: %d", code)
		}
		etag = hdr.Get("ETag")
		// A refused part (a first step that is optional) leaves the lifetime as it was.
		for _, bad := range []string{
			`{"approval_lifetime_hours":24,"routes":{"corporate":[{"who":"communications","optional":true}]}}`,
			`{"approval_lifetime_hours":24,"office_leads":{"Peru":["nobody@example.org"]}}`,
			`{"approval_lifetime_hours":24,"service_levels":{"personal":5}}`,
			`{"approval_lifetime_hours":0}`,
			`{"approval_lifetime_hours":24,"routes":{"project":[{"who":"the boss"}]}}`,
			`{"approval_lifetime_hours":24,"ttl":5}`,
		} {
			code, _, doc := apiReq(t, e, "PATCH", "/api/v1/review-settings", admin, bad, []string{"If-Match", etag})
			msg, _ := doc["error"].(map[string]any)["message"].(string)
			if code != http.StatusBadRequest || msg == "" {
				t.Errorf("%s: %d %v", bad, code, doc)
			}
		}
		if _, doc = apiDo(t, e, "GET", "/api/v1/review-settings", admin, ""); doc["approval_lifetime_hours"] != float64(48) {
			t.Errorf("a refused patch changed the lifetime: %v", doc)
		}
		if code, _, _ = apiReq(t, e, "PATCH", "/api/v1/review-settings", e.token(model.RoleReviewer), `{"approval_lifetime_hours":24}`, []string{"If-Match", etag}); code != http.StatusForbidden {
			t.Errorf("a reviewer changing the settings: %d", code)
		}
	})
}

// apiForm sends form to the API with token and returns the status and the body as text.
func apiForm(t *testing.T, e *testEnv, path, token string, form url.Values) (int, string) {
	t.Helper()
	code, _, b := apiSend(t, e, "POST", path, token, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	return code, string(b)
}

// TestAPIImportUpdates: through the API, re-importing the export changes
// nothing; an edited field is previewed as old → new, then written; a file
// with a problem writes nothing. On both databases.
func TestAPIImportUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		admin := e.token(model.RoleAdmin)
		_, export := e.signedIn(model.RoleAdmin).get("/accounts.csv")
		var pv apiImportPreview
		code, body := apiForm(t, e, "/api/v1/accounts/import", admin, url.Values{"csv": {export}})
		if err := json.Unmarshal([]byte(body), &pv); err != nil || code != http.StatusOK || len(pv.Rows) == 0 ||
			pv.Counts["unchanged"] != len(pv.Rows) || len(pv.Problems) != 0 {
			t.Fatalf("the export's preview: %d %s", code, body)
		}
		if code, body = apiForm(t, e, "/api/v1/accounts/import/commit", admin, url.Values{"csv": {export}}); code != http.StatusOK ||
			body != `{"added":0,"unchanged":`+strconv.Itoa(len(pv.Rows))+`,"updated":0}`+"\n" {
			t.Fatalf("re-importing the export: %d %s", code, body)
		}
		edited := strings.Replace(export, "socialmedia@unops.org", "press@unops.org", 1)
		code, body = apiForm(t, e, "/api/v1/accounts/import", admin, url.Values{"csv": {edited}})
		pv = apiImportPreview{}
		json.Unmarshal([]byte(body), &pv)
		var upd *apiImportRow
		for i := range pv.Rows {
			if pv.Rows[i].Action == "update" {
				upd = &pv.Rows[i]
			}
		}
		if code != http.StatusOK || pv.Counts["update"] != 1 || upd == nil || upd.AccountID == 0 || len(upd.Changes) != 1 ||
			upd.Changes[0] != (registry.FieldChange{Field: "email", From: "socialmedia@unops.org", To: "press@unops.org"}) {
			t.Fatalf("the edited file's preview: %d %s", code, body)
		}
		if code, body = apiForm(t, e, "/api/v1/accounts/import/commit", admin, url.Values{"csv": {edited}}); code != http.StatusOK || !strings.Contains(body, `"updated":1`) {
			t.Fatalf("commit: %d %s", code, body)
		}
		if acc, err := e.st.Account(t.Context(), upd.AccountID); err != nil || acc.Email != "press@unops.org" {
			t.Errorf("after the import: %+v %v", acc, err)
		}
		bad := edited + "x,not a handle!,corporate,HQ\n"
		if code, body = apiForm(t, e, "/api/v1/accounts/import/commit", admin, url.Values{"csv": {strings.Replace(bad, "press@", "news@", 1)}}); code != http.StatusBadRequest ||
			!strings.Contains(body, `"problems":[{"line"`) {
			t.Fatalf("a file with a problem: %d %s", code, body)
		}
		if acc, _ := e.st.Account(t.Context(), upd.AccountID); acc.Email != "press@unops.org" {
			t.Errorf("a refused file changed the e-mail to %q", acc.Email)
		}
		if code, _ = apiForm(t, e, "/api/v1/accounts/import", e.token(model.RoleManager), url.Values{"csv": {export}}); code != http.StatusForbidden {
			t.Errorf("a manager previewing an import: %d", code)
		}
	})
}
