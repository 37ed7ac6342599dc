package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

func TestCSRF(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleStaff)
	token := b.csrf("/check")
	form := func(tok string) url.Values {
		return url.Values{"csrf": {tok}, "text": {"hello"}, "account": {"kind:personal"}}
	}
	send := func(f url.Values, hdr map[string]string) int {
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/check", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readBody(resp)
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name string
		form url.Values
		hdr  map[string]string
		want int
	}{
		{"no token", form(""), nil, http.StatusForbidden},
		{"wrong token", form(wrongToken(token)), nil, http.StatusForbidden},
		{"cross-site fetch", form(token), map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"foreign origin", form(token), map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"valid", form(token), map[string]string{"Origin": e.ts.URL, "Sec-Fetch-Site": "same-origin"}, http.StatusOK},
	} {
		if got := send(tc.form, tc.hdr); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
	// Sign-in form without the pre-session cookie's token.
	anon := e.browser()
	resp := anon.post("/signin", url.Values{"email": {demo.Email(model.RoleAdmin)}, "password": {demo.Password}})
	if readBody(resp); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without CSRF token: status %d, want 403", resp.StatusCode)
	}
}

// wrongToken changes the first character of token (a random token starts
// with "x" one time in 64, so a fixed replacement would sometimes be right).
func wrongToken(token string) string {
	if token[0] == 'x' {
		return "y" + token[1:]
	}
	return "x" + token[1:]
}

const hostile = `<script>alert(1)</script>"><img src=x onerror=alert(2)> ' onmouseover='alert(3) javascript:alert(4)`

func assertEscaped(t *testing.T, where, body string) {
	t.Helper()
	for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`, "onerror=alert(2)>"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: unescaped %q in the page", where, bad)
		}
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	acc := &model.Account{Platform: "x", Handle: "@evil" + hostile, DisplayName: hostile, ProfileURL: "javascript:alert(5)",
		Kind: model.KindCountryOffice, Office: hostile, Status: model.StatusActive}
	if err := e.st.CreateAccount(ctx, model.SystemActor("test"), acc); err != nil {
		t.Fatal(err)
	}
	u, _ := e.st.UserByEmail(ctx, demo.Email(model.RoleAdmin))
	u.Name = hostile
	if err := e.st.UpdateUser(ctx, model.SystemActor("test"), u); err != nil {
		t.Fatal(err)
	}
	b := e.signedIn(model.RoleAdmin)
	for _, p := range []string{"/", "/accounts", "/accounts?q=" + url.QueryEscape(hostile), "/check", "/audit", "/settings", "/settings/tokens"} {
		code, body := b.get(p)
		if code != http.StatusOK {
			t.Errorf("%s: status %d", p, code)
		}
		assertEscaped(t, p, body)
	}
	resp := b.post("/check", url.Values{"csrf": {b.csrf("/check")}, "text": {"Confidential " + hostile + " confidential"},
		"account": {"kind:personal"}, "reply_to": {hostile}})
	body := readBody(resp)
	assertEscaped(t, "check result", body)
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(body, `<mark class="finding sev-error" id="mark-1"`) {
		t.Errorf("check result lacks the escaped text or its marks:\n%s", body)
	}
	resp = b.post("/settings/tokens", url.Values{"csrf": {b.csrf("/settings/tokens")}, "name": {hostile}})
	assertEscaped(t, "token list", readBody(resp))
}

func TestCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		name       string
		trust      bool
		proto      string
		wantSecure bool
	}{
		{"plain http", false, "", false},
		{"proxy header ignored", false, "https", false},
		{"trusted proxy https", true, "https", true},
		{"trusted proxy http", true, "http", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, func(c *Config, _ string) { c.TrustProxy = tc.trust })
			b := e.browser()
			token := b.csrf("/signin")
			f := url.Values{"csrf": {token}, "email": {demo.Email(model.RoleStaff)}, "password": {demo.Password}}
			req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/signin", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			resp, err := b.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			readBody(resp)
			var c *http.Cookie
			for _, x := range resp.Cookies() {
				if x.Name == sessionCookie {
					c = x
				}
			}
			if c == nil {
				t.Fatalf("no session cookie (status %d)", resp.StatusCode)
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.wantSecure || c.Path != "/" {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Secure=%v", c, tc.wantSecure)
			}
		})
	}
}

func sessionValue(t *testing.T, b *browser) string {
	t.Helper()
	u, _ := url.Parse(b.e.ts.URL)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	return ""
}

func TestSessionRotation(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleStaff)
	first := sessionValue(t, b)
	// Signing in again in the same browser gives a new token and ends the old one.
	resp := b.post("/signin", url.Values{"csrf": {b.csrf("/")}, "email": {demo.Email(model.RoleStaff)}, "password": {demo.Password}})
	readBody(resp)
	second := sessionValue(t, b)
	if first == "" || second == "" || first == second {
		t.Fatalf("session token not rotated at sign-in: %q then %q", first, second)
	}
	old := e.browser()
	u, _ := url.Parse(e.ts.URL)
	old.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: first}})
	if code, _ := old.get("/"); code != http.StatusSeeOther {
		t.Errorf("old session still works: status %d", code)
	}
	// A password change rotates this session and ends the others.
	other := e.signedIn(model.RoleStaff)
	resp = b.post("/settings/password", url.Values{"csrf": {b.csrf("/settings")}, "current": {demo.Password},
		"new": {"a much longer password"}, "confirm": {"a much longer password"}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("password change: status %d", resp.StatusCode)
	}
	if third := sessionValue(t, b); third == second || third == "" {
		t.Error("session not rotated at password change")
	}
	if code, _ := b.get("/"); code != http.StatusOK {
		t.Errorf("this browser signed out by its own password change: %d", code)
	}
	if code, _ := other.get("/"); code != http.StatusSeeOther {
		t.Errorf("other session survived the password change: status %d", code)
	}
	// Sign-out ends the session.
	resp = b.post("/signout", url.Values{"csrf": {b.csrf("/")}})
	readBody(resp)
	if code, _ := b.get("/"); code != http.StatusSeeOther {
		t.Errorf("still signed in after sign-out: %d", code)
	}
}

func TestLoginThrottling(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.browser()
	email := demo.Email(model.RoleReviewer)
	var unknownBody string
	for i := range 5 {
		resp := b.signin(email, "wrong password")
		body := readBody(resp)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Wrong e-mail or password.") {
			t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
		}
	}
	resp := b.signin("nobody@example.org", "wrong password")
	unknownBody = readBody(resp)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(unknownBody, "Wrong e-mail or password.") {
		t.Errorf("unknown e-mail answered differently: %d", resp.StatusCode)
	}
	resp = b.signin(email, demo.Password)
	body := readBody(resp)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed sign-in attempts") {
		t.Fatalf("sixth attempt with the right password: status %d, want 429 with a message", resp.StatusCode)
	}
	events, err := e.st.AuditEvents(context.Background(), store.AuditFilter{ActionPrefix: "session.signin-failed"})
	if err != nil || len(events) != 6 {
		t.Errorf("failed sign-ins audited: %d events, %v; want 6", len(events), err)
	}
	// Another account from the same address still signs in.
	if resp := b.signin(demo.Email(model.RoleStaff), demo.Password); readBody(resp) != "" && resp.StatusCode != http.StatusSeeOther {
		t.Errorf("other account refused: %d", resp.StatusCode)
	}
}

func TestTokenRevocation(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleManager)
	resp := b.post("/settings/tokens", url.Values{"csrf": {b.csrf("/settings/tokens")}, "name": {"ci"}})
	body := readBody(resp)
	i := strings.Index(body, `id="new-token-value">`)
	if i < 0 {
		t.Fatalf("no new token shown:\n%s", body)
	}
	token := body[i+len(`id="new-token-value">`):]
	token = token[:strings.Index(token, "<")]
	me := func() int {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readBody(resp)
		return resp.StatusCode
	}
	if code := me(); code != http.StatusOK {
		t.Fatalf("new token refused: %d", code)
	}
	toks, _ := e.st.Tokens(context.Background(), 0)
	var id int64
	for _, tk := range toks {
		if tk.Name == "ci" {
			id = tk.ID
		}
	}
	// Another user cannot revoke it.
	other := e.signedIn(model.RoleStaff)
	resp = other.post("/settings/tokens/"+itoa(id)+"/revoke", url.Values{"csrf": {other.csrf("/settings/tokens")}})
	if readBody(resp); resp.StatusCode != http.StatusNotFound || me() != http.StatusOK {
		t.Fatalf("another user's revoke: status %d", resp.StatusCode)
	}
	resp = b.post("/settings/tokens/"+itoa(id)+"/revoke", url.Values{"csrf": {b.csrf("/settings/tokens")}})
	readBody(resp)
	if code := me(); code != http.StatusUnauthorized {
		t.Fatalf("revoked token: status %d, want 401", code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSecurityHeaders(t *testing.T) {
	e := newTestEnv(t, nil)
	css, _ := e.srv.assets.url("app.css")
	for _, p := range []string{"/signin", "/nope", "/api/v1/nope", "/healthz", css} {
		resp, err := http.Get(e.ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		readBody(resp)
		h := resp.Header
		if h.Get("Content-Security-Policy") != csp || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Request-Id") == "" {
			t.Errorf("%s: security headers missing: %v", p, h)
		}
		if p == css && !strings.Contains(h.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", p, h.Get("Cache-Control"))
		}
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	resp, _ := http.DefaultClient.Do(req)
	readBody(resp)
	if resp.Header.Get("X-Request-Id") != "abc-123" {
		t.Errorf("X-Request-Id not honoured: %q", resp.Header.Get("X-Request-Id"))
	}
}

func TestPanicRecovered(t *testing.T) {
	e := newTestEnv(t, nil)
	h := e.srv.outer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError || strings.Contains(body, "secret detail") || strings.Contains(body, "goroutine") {
		t.Fatalf("panic: status %d, body %s", rec.Code, body)
	}
}
