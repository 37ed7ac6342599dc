package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// newEnvOn is newTestEnv on a given (migrated) store, so the registry's
// tests run on SQLite and PostgreSQL alike.
func newEnvOn(t *testing.T, st *store.Store, edit func(c *Config, svc *Services)) *testEnv {
	t.Helper()
	// The default pack: the registry's checks live in its account_rules.
	chk := checktest.Default(t)
	if err := demo.Seed(context.Background(), st, chk.Pack()); err != nil {
		t.Fatal(err)
	}
	cfg, svc := Config{Demo: true}, ServicesFor(t, st, chk)
	if edit != nil {
		edit(&cfg, &svc)
	}
	srv, err := New(cfg, st, svc)
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, st: st, srv: srv, ts: httptest.NewServer(srv.Handler())}
	t.Cleanup(e.ts.Close)
	return e
}

// spanishRequest asks for a Spanish-language account on X, close to the
// demo's @UNOPS_es.
const spanishRequest = `{"platform":"x","handle":"@UNOPS_es_news","profile_url":"https://x.com/UNOPS_es_news",
 "display_name":"UNOPS en español","bio":"Noticias de UNOPS en español","kind":"country-office","office":"Latin America",
 "languages":["es"],"audience":"Hispanohablantes","purpose":"Noticias de proyectos en español",
 "posts_per_week":5,"email":"latam.comms@unops.org","contacts":["Ana Pérez","Luis Gómez"],
 "managers":["manager@demo.herald.invalid"]}`

// TestAPIRequestFlow: request → decision → active through the API on both
// databases, the audit trail and the account's history showing each step.
func TestAPIRequestFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		manager, reviewer := e.token(model.RoleManager), e.token(model.RoleReviewer)

		code, out := apiDo(t, e, "POST", "/api/v1/account-requests", manager, spanishRequest)
		if code != http.StatusCreated {
			t.Fatalf("request: %d %v", code, out)
		}
		for _, k := range []string{"id", "status", "checks", "overlaps"} {
			if _, ok := out[k]; !ok {
				t.Errorf("request answer lacks %q: %v", k, out)
			}
		}
		id := int64(out["id"].(float64))
		ovs, _ := out["overlaps"].([]any)
		if len(ovs) == 0 {
			t.Fatalf("no overlaps for a Spanish account on X: %v", out)
		}
		first := ovs[0].(map[string]any)
		if !strings.EqualFold(first["handle"].(string), "@UNOPS_es") || first["id"] == nil || first["reasons"] == nil {
			t.Errorf("closest overlap %v, want @UNOPS_es with id and reasons", first)
		}
		for i := 1; i < len(ovs); i++ {
			if ovs[i].(map[string]any)["score"].(float64) > ovs[i-1].(map[string]any)["score"].(float64) {
				t.Errorf("overlaps not closest first: %v", ovs)
			}
		}
		decide := func(token, decision, comment string) (int, map[string]any) {
			body, _ := json.Marshal(map[string]string{"decision": decision, "comment": comment})
			return apiDo(t, e, "POST", fmt.Sprintf("/api/v1/account-requests/%d/decision", id), token, string(body))
		}
		// The requester cannot decide; a decision needs a comment.
		if code, out := decide(manager, "approve", "fine"); code != http.StatusForbidden {
			t.Errorf("manager deciding: %d %v, want 403", code, out)
		}
		admin := e.token(model.RoleAdmin)
		if code, out := decide(admin, "approve", " "); code != http.StatusBadRequest {
			t.Errorf("decision without comment: %d %v, want 400", code, out)
		}
		if code, out := decide(reviewer, "request-changes", "Say why @UNOPS_es is not enough."); code != http.StatusOK || out["status"] != model.StatusChangesRequested {
			t.Fatalf("request changes: %d %v", code, out)
		}
		// The requester edits and resubmits in the browser form.
		b := e.signedIn(model.RoleManager)
		form := url.Values{"csrf": {b.csrf(fmt.Sprintf("/requests/%d/edit", id))}, "platform": {"x"}, "handle": {"@UNOPS_es_news"},
			"display_name": {"UNOPS en español"}, "kind": {"country-office"}, "office": {"Latin America"}, "languages": {"es"},
			"audience": {"Periodistas"}, "purpose": {"Comunicados de prensa para periodistas, que @UNOPS_es no publica"},
			"posts_per_week": {"5"}, "email": {"latam.comms@unops.org"}, "contact1": {"Ana Pérez"}, "contact2": {"Luis Gómez"}}
		resp := b.post(fmt.Sprintf("/requests/%d/edit", id), form)
		if readBody(resp); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("resubmit: status %d", resp.StatusCode)
		}
		if code, out := decide(reviewer, "approve", "Press releases: a distinct audience."); code != http.StatusOK || out["status"] != model.StatusActive {
			t.Fatalf("approve: %d %v", code, out)
		}
		code, out = apiDo(t, e, "GET", fmt.Sprintf("/api/v1/accounts/%d", id), manager, "")
		if code != http.StatusOK || out["status"] != model.StatusActive || out["audience"] != "Periodistas" {
			t.Fatalf("account after approval: %d %v", code, out)
		}
		var steps []string
		for _, h := range out["history"].([]any) {
			steps = append(steps, h.(map[string]any)["to"].(string))
		}
		if got := strings.Join(steps, ","); !strings.Contains(got, "changes-requested,in-review,active") {
			t.Errorf("history %q lacks the steps", got)
		}
		events, err := e.st.AuditEvents(context.Background(), store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var trail []string
		for _, ev := range events {
			if ev.ObjectType == "account" && ev.ObjectID == fmt.Sprint(id) {
				trail = append(trail, ev.Action+" by "+ev.ActorEmail)
			}
		}
		for _, want := range []string{demo.Email(model.RoleManager), demo.Email(model.RoleReviewer)} {
			if !strings.Contains(strings.Join(trail, "; "), want) {
				t.Errorf("audit trail of the account %v lacks %s", trail, want)
			}
		}
		if len(trail) < 4 {
			t.Errorf("audit trail has %d events for the account (%v), want request, changes, resubmit, approve", len(trail), trail)
		}
		// The requester was told, in the application.
		if code, body := b.get("/notifications"); code != http.StatusOK || !strings.Contains(body, `id="notification-`) {
			t.Errorf("requester's notifications: %d", code)
		}
		// And the public registry says official.
		code, out = apiDo(t, e, "GET", "/api/v1/verify?platform=x&handle=https://x.com/unops_es_news", "", "")
		if code != http.StatusOK || out["official"] != true || out["office"] != "Latin America" {
			t.Errorf("verify after approval: %d %v", code, out)
		}
	})
}

func TestAPIRegisterAndList(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	body := `{"platform":"instagram","handle":"unops_haiti","display_name":"Haiti","kind":"country-office","office":"Haiti","email":"jean.dupont@gmail.com"}`
	if code, out := apiDo(t, e, "POST", "/api/v1/accounts", e.token(model.RoleManager), body); code != http.StatusForbidden {
		t.Errorf("manager registering: %d %v, want 403", code, out)
	}
	code, out := apiDo(t, e, "POST", "/api/v1/accounts", e.token(model.RoleAdmin), body)
	if code != http.StatusCreated || out["status"] != model.StatusActive {
		t.Fatalf("register: %d %v", code, out)
	}
	checks, _ := out["checks"].([]any)
	var clauses []string
	for _, c := range checks {
		clauses = append(clauses, c.(map[string]any)["clause"].(string))
	}
	if got := strings.Join(clauses, " "); !strings.Contains(got, "4.3") || !strings.Contains(got, "4.4(d)") {
		t.Errorf("checks of a display name without the org and a webmail address: %v", clauses)
	}
	if code, out := apiDo(t, e, "POST", "/api/v1/accounts", e.token(model.RoleAdmin), body); code != http.StatusConflict {
		t.Errorf("registering it twice: %d %v, want 409", code, out)
	}
	found := false
	for _, a := range apiList(t, e, "/api/v1/accounts?compliance=errors&limit=3", e.token(model.RoleStaff)) {
		found = found || a["handle"] == "@unops_haiti" // stored in its canonical form
	}
	if !found {
		t.Errorf("compliance=errors lacks the non-compliant account")
	}
	for _, a := range apiList(t, e, "/api/v1/accounts?compliance=clean&limit=3", e.token(model.RoleStaff)) {
		if a["handle"] == "@unops_haiti" {
			t.Errorf("compliance=clean lists a non-compliant account")
		}
	}
	if code, _ := apiDo(t, e, "GET", "/api/v1/accounts?compliance=maybe", e.token(model.RoleStaff), ""); code != http.StatusBadRequest {
		t.Errorf("unknown compliance: %d, want 400", code)
	}
}

// TestVerify asks about active, closed and unknown accounts in every
// handle form, through the API and the page, then exceeds the limit.
func TestVerify(t *testing.T) {
	e := newTestEnv(t, func(c *Config, _ string) { c.VerifyLimit = 1000 })
	ctx := context.Background()
	admin, _ := e.st.UserByEmail(ctx, demo.Email(model.RoleAdmin))
	reg := func(platform, handle, office string) int64 {
		res, err := e.srv.registry.Register(ctx, model.Actor{UserID: admin.ID, Email: admin.Email}, "en", model.Account{Platform: platform,
			Handle: handle, DisplayName: "UNOPS " + office, Kind: model.KindCountryOffice, Office: office, Email: "comms@unops.org"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Account.ID
	}
	reg("x", "@UNOPS_Verify", "Geneva")
	reg("mastodon", "@unops_verify@mastodon.social", "Nairobi")
	closed := reg("instagram", "unops_oldnews", "Lima")
	if _, err := e.srv.registry.Transition(ctx, model.Actor{UserID: admin.ID, Email: admin.Email}, closed, model.StatusClosed, "project ended"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		platform, handle string
		official         bool
		status           string
	}{
		{"x", "@UNOPS_Verify", true, "active"},
		{"x", "unops_verify", true, "active"},
		{"x", "https://x.com/UNOPS_Verify", true, "active"},
		{"", "https://twitter.com/unops_verify?lang=en", true, "active"},
		{"", "x.com/UNOPS_Verify", true, "active"},
		{"mastodon", "unops_verify@mastodon.social", true, "active"},
		{"mastodon", "@Unops_Verify@mastodon.social", true, "active"},
		{"", "https://mastodon.social/@unops_verify", true, "active"},
		{"instagram", "@unops_oldnews", false, "closed"},
		{"", "https://www.instagram.com/unops_oldnews/", false, "closed"},
		{"x", "@unops_fake1", false, "unknown"},
		{"", "https://x.com/someone_else", false, "unknown"},
		{"mastodon", "unops_verify@evil.example", false, "unknown"},
	} {
		q := url.Values{"platform": {tc.platform}, "handle": {tc.handle}}.Encode()
		code, out := apiDo(t, e, "GET", "/api/v1/verify?"+q, "", "")
		if code != http.StatusOK || out["official"] != tc.official || out["status"] != tc.status {
			t.Errorf("verify %s %q: %d %v, want official=%v status=%s", tc.platform, tc.handle, code, out, tc.official, tc.status)
		}
		if tc.status == "closed" && out["closed_at"] == nil {
			t.Errorf("verify %q: closed without closed_at", tc.handle)
		}
		status, body := e.browser().get("/verify?" + q)
		want := map[string]string{"active": "verify-official", "closed": "verify-closed", "unknown": "verify-unknown"}[tc.status]
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("/verify %s %q: status %d, want %s in the page", tc.platform, tc.handle, status, want)
		}
	}
	if code, out := apiDo(t, e, "GET", "/api/v1/verify?handle=nobody", "", ""); code != http.StatusBadRequest {
		t.Errorf("no platform and not a URL: %d %v, want 400", code, out)
	}
}

func TestVerifyThrottled(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	e := newTestEnv(t, func(c *Config, _ string) { c.VerifyLimit = 3; c.Now = func() time.Time { return now } })
	get := func(path string) *http.Response {
		resp, err := http.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		readBody(resp)
		return resp
	}
	// Page and API share the budget of one address.
	for i, p := range []string{"/api/v1/verify?platform=x&handle=a", "/verify?platform=x&handle=b", "/api/v1/verify?platform=x&handle=c"} {
		if resp := get(p); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, resp.StatusCode)
		}
	}
	for _, p := range []string{"/api/v1/verify?platform=x&handle=d", "/verify?platform=x&handle=e"} {
		resp := get(p)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" {
			t.Errorf("%s over the limit: status %d, Retry-After %q; want 429 and 60", p, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	// The empty form costs nothing; a new minute starts a new budget.
	if resp := get("/verify"); resp.StatusCode != http.StatusOK {
		t.Errorf("empty form while throttled: %d", resp.StatusCode)
	}
	now = now.Add(time.Minute)
	if resp := get("/api/v1/verify?platform=x&handle=f"); resp.StatusCode != http.StatusOK {
		t.Errorf("after a minute: %d", resp.StatusCode)
	}
}
