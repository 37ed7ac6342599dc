package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/users"
)

// TestTokenScopes: a token's scope narrows its user's role and never widens
// it, and /api/v1/me shows the token with its last use.
func TestTokenScopes(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	check := `{"text":"Hello","platform":"x","account":{"kind":"corporate"}}`
	for _, c := range []struct {
		role             model.Role
		scope            string
		read, check, reg int
	}{
		{model.RoleAdmin, model.ScopeFull, 200, 200, 201},
		{model.RoleAdmin, model.ScopeReadOnly, 200, 403, 403},
		{model.RoleAdmin, model.ScopeChecksOnly, 403, 200, 403},
		{model.RoleStaff, model.ScopeFull, 200, 200, 403}, // the role does not register accounts
		{model.RoleAuditor, model.ScopeChecksOnly, 403, 403, 403},
	} {
		tok := e.scopedToken(c.role, c.scope)
		got := []int{}
		code, _ := apiDo(t, e, "GET", "/api/v1/accounts", tok, "")
		got = append(got, code)
		code, _ = apiDo(t, e, "POST", "/api/v1/checks", tok, check)
		got = append(got, code)
		code, out := apiDo(t, e, "POST", "/api/v1/accounts", tok, registerBody("@scope"+strings.ReplaceAll(c.scope, "-", "")+string(c.role)))
		got = append(got, code)
		if want := []int{c.read, c.check, c.reg}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("%s with a %s token: GET accounts, POST checks, POST accounts = %v, want %v (%v)", c.role, c.scope, got, want, out)
		}
		code, me := apiDo(t, e, "GET", "/api/v1/me", tok, "")
		tk, _ := me["token"].(map[string]any)
		if code != 200 || tk["scope"] != c.scope || tk["last_used_at"] == nil || tk["expires_at"] != nil {
			t.Errorf("%s %s: /api/v1/me %d %v", c.role, c.scope, code, me)
		}
	}
}

// TestTokenExpiry: a token works until its expiry, then is refused with a
// message that says so; expiries in the past are refused at creation.
func TestTokenExpiry(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnvOn(t, openTestStore(t), func(c *Config, _ *Services) { c.Now = clock })
	ctx := context.Background()
	u, err := e.st.UserByEmail(ctx, demo.Email(model.RoleStaff))
	if err != nil {
		t.Fatal(err)
	}
	svc := &users.Service{Store: e.st, Now: clock}
	exp, err := users.ParseExpiry("2026-12-06", now)
	if err != nil || !exp.Equal(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("ParseExpiry(2026-12-06) = %v, %v: want the end of that day", exp, err)
	}
	tok, err := svc.CreateToken(ctx, model.SystemActor("test"), u, users.TokenSpec{Name: "short", ExpiresAt: exp})
	if err != nil {
		t.Fatal(err)
	}
	if code, out := apiDo(t, e, "GET", "/api/v1/me", tok, ""); code != 200 || out["token"].(map[string]any)["expires_at"] != "2026-12-07T00:00:00Z" {
		t.Fatalf("before expiry: %d %v", code, out)
	}
	mu.Lock()
	now = *exp
	mu.Unlock()
	code, out := apiDo(t, e, "GET", "/api/v1/me", tok, "")
	if msg := out["error"].(map[string]any)["message"]; code != 401 || !strings.Contains(msg.(string), "expired") {
		t.Errorf("at expiry: %d %v, want 401 saying it expired", code, out)
	}
	past := now.Add(-time.Hour)
	if _, err := svc.CreateToken(ctx, model.SystemActor("test"), u, users.TokenSpec{Name: "old", ExpiresAt: &past}); err == nil {
		t.Error("a token expiring in the past was created")
	}
	for _, bad := range []string{"yesterday", "0d", "2026-13-01"} {
		if _, err := users.ParseExpiry(bad, now); err == nil {
			t.Errorf("ParseExpiry(%q) accepted", bad)
		}
	}
}

// TestTokenRevocationTwoInstances: two servers on one PostgreSQL database;
// a token revoked on one, or whose user is disabled or demoted there, is
// refused by the other on its next request.
func TestTokenRevocationTwoInstances(t *testing.T) {
	dbURL := storetest.URL(t, store.Postgres) // skips without HERALD_TEST_POSTGRES_URL
	e1 := newEnvOn(t, storetest.OpenURL(t, dbURL), nil)
	e2 := newEnvOn(t, storetest.OpenURL(t, dbURL), nil)
	tok := e1.token(model.RoleManager)
	for _, e := range []*testEnv{e1, e2, e2} { // twice: a cache would now hold it
		if code, out := apiDo(t, e, "GET", "/api/v1/me", tok, ""); code != 200 {
			t.Fatalf("before revocation: %d %v", code, out)
		}
	}
	_, me := apiDo(t, e1, "GET", "/api/v1/me", tok, "")
	id := int64(me["token"].(map[string]any)["id"].(float64))

	// Revoked through server 1's tokens page.
	b := e1.signedIn(model.RoleManager)
	resp := b.post("/settings/tokens/"+itoa(id)+"/revoke", url.Values{"csrf": {b.csrf("/settings/tokens")}})
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if code, out := apiDo(t, e2, "GET", "/api/v1/me", tok, ""); code != http.StatusUnauthorized {
		t.Errorf("revoked on server 1, used on server 2: %d %v, want 401", code, out)
	}

	// Demoted on server 1: server 2 applies the new role at once.
	tok = e1.token(model.RoleReviewer)
	if code, _ := apiDo(t, e2, "GET", "/api/v1/accounts", tok, ""); code != 200 {
		t.Fatalf("reviewer reads accounts: %d", code)
	}
	ctx := context.Background()
	rev, _ := e1.st.UserByEmail(ctx, demo.Email(model.RoleReviewer))
	admin, _ := e1.st.UserByEmail(ctx, demo.Email(model.RoleAdmin))
	if _, err := e1.srv.users.SetRole(ctx, model.SystemActor("test"), admin, rev.ID, model.RoleStaff); err != nil {
		t.Fatal(err)
	}
	if code, _ := apiDo(t, e2, "POST", "/api/v1/account-requests/1/decision", tok, `{"decision":"approve","comment":"x"}`); code != http.StatusForbidden {
		t.Errorf("demoted on server 1, deciding on server 2: %d, want 403", code)
	}
	if _, err := e1.srv.users.Disable(ctx, model.SystemActor("test"), admin, rev.ID); err != nil {
		t.Fatal(err)
	}
	if code, _ := apiDo(t, e2, "GET", "/api/v1/accounts", tok, ""); code != http.StatusUnauthorized {
		t.Errorf("disabled on server 1, used on server 2: %d, want 401", code)
	}
}

// TestTokensPage: the page creates a token with a scope and an expiry and
// lists them with the token's last use.
func TestTokensPage(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleManager)
	resp := b.post("/settings/tokens", url.Values{"csrf": {b.csrf("/settings/tokens")}, "name": {"chat bot"},
		"scope": {model.ScopeChecksOnly}, "expires": {"2099-01-31"}})
	body := readBody(resp)
	m := regexp.MustCompile(`id="new-token-value">([^<]+)<`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	if code, _ := apiDo(t, e, "GET", "/api/v1/accounts", m[1], ""); code != http.StatusForbidden {
		t.Errorf("checks-only token reading accounts: %d, want 403", code)
	}
	_, page := b.get("/settings/tokens")
	text := strings.Join(strings.Fields(visible(page)), " ")
	for _, want := range []string{"chat bot checks-only", "2099-02-01 00:00", "active"} {
		if !strings.Contains(text, want) {
			t.Errorf("tokens page lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "never active") {
		t.Errorf("last use not shown after the token was used:\n%s", text)
	}
	resp = b.post("/settings/tokens", url.Values{"csrf": {b.csrf("/settings/tokens")}, "name": {"x"}, "scope": {"admin"}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "scope must be one of") {
		t.Errorf("unknown scope: %d", resp.StatusCode)
	}
}
