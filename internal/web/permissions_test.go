package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/model"
)

// routePath turns a route pattern into a path a request can use.
func routePath(s *Server, pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.ReplaceAll(path, "{$}", "")
	path = strings.ReplaceAll(path, "{id}", "999999")
	path = strings.ReplaceAll(path, "{delivery}", "999999")
	path = strings.ReplaceAll(path, "{image}", "0123abcd")
	css, _ := s.assets.url("app.css")
	path = strings.ReplaceAll(path, "/static/{file}", css)
	return method, path
}

func TestEveryRouteHasAPermission(t *testing.T) {
	e := newTestEnv(t, nil)
	if len(e.srv.routes) == 0 {
		t.Fatal("empty route table")
	}
	for _, rt := range e.srv.routes {
		if rt.perm == "" || !auth.Known(rt.perm) {
			t.Errorf("route %q has no known permission (%q)", rt.pattern, rt.perm)
		}
		if rt.handler == nil {
			t.Errorf("route %q has no handler", rt.pattern)
		}
	}
}

// TestPermissionMatrix runs every route as every role and as nobody, and
// every API route with a token of every role and scope: allowed (role ∩
// scope) means anything but 401/403; denied means 403 (API and UI) or, for
// nobody, 401 (API) or a redirect to the sign-in page (UI).
func TestPermissionMatrix(t *testing.T) {
	e := newTestEnv(t, nil)
	tokens := map[model.Role]string{}
	scoped := map[model.Role]map[string]string{}
	for _, role := range model.Roles {
		tokens[role] = e.token(role)
		scoped[role] = map[string]string{}
		for _, scope := range model.TokenScopes {
			scoped[role][scope] = e.scopedToken(role, scope)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, rt := range e.srv.routes {
		method, path := routePath(e.srv, rt.pattern)
		for _, role := range append([]model.Role{""}, model.Roles...) {
			req, _ := http.NewRequest(method, e.ts.URL+path, nil)
			if unsafeMethod(method) {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if role == "" && unsafeMethod(method) && !rt.isAPI() {
				anon := auth.NewToken()
				req.AddCookie(&http.Cookie{Name: csrfCookie, Value: anon})
				req.Header.Set("X-CSRF-Token", anon)
			}
			if role != "" {
				if rt.isAPI() {
					req.Header.Set("Authorization", "Bearer "+tokens[role])
				} else {
					// A fresh session per request: some routes (sign-out) end it.
					cookie, csrf := e.session(role)
					req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
					req.Header.Set("X-CSRF-Token", csrf)
				}
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			code, loc := resp.StatusCode, resp.Header.Get("Location")
			allowed := auth.Allowed(role, rt.perm)
			who := string(role)
			if who == "" {
				who = "anonymous"
			}
			switch {
			case allowed && (code == http.StatusForbidden || rt.isAPI() && code == http.StatusUnauthorized):
				t.Errorf("%s as %s: status %d, want allowed", rt.pattern, who, code)
			case allowed:
			case role == "" && rt.isAPI() && code != http.StatusUnauthorized:
				t.Errorf("%s as %s: status %d, want 401", rt.pattern, who, code)
			case role == "" && !rt.isAPI() && !(code == http.StatusSeeOther && strings.HasPrefix(loc, "/signin")):
				t.Errorf("%s as %s: status %d (Location %q), want a redirect to /signin", rt.pattern, who, code, loc)
			case role != "" && code != http.StatusForbidden:
				t.Errorf("%s as %s: status %d, want 403", rt.pattern, who, code)
			}
		}
		if !rt.isAPI() || rt.perm == auth.Public {
			continue
		}
		for _, role := range model.Roles {
			for _, scope := range model.TokenScopes {
				req, _ := http.NewRequest(method, e.ts.URL+path, nil)
				req.Header.Set("Authorization", "Bearer "+scoped[role][scope])
				if unsafeMethod(method) {
					req.Header.Set("Content-Type", "application/json")
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				allowed := auth.Allowed(role, rt.perm) && auth.ScopeAllows(scope, rt.perm, method)
				switch code := resp.StatusCode; {
				case allowed && (code == http.StatusForbidden || code == http.StatusUnauthorized):
					t.Errorf("%s as %s with a %s token: status %d, want allowed", rt.pattern, role, scope, code)
				case !allowed && code != http.StatusForbidden:
					t.Errorf("%s as %s with a %s token: status %d, want 403", rt.pattern, role, scope, code)
				}
			}
		}
	}
}
