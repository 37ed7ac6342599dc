package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestSigninFlood: 30 parallel wrong passwords for one account from one
// address. Each attempt is counted before its password is hashed, so at
// most 5 are checked and the rest are refused with 429; the account's
// owner then still signs in from another address.
func TestSigninFlood(t *testing.T) {
	e := newTestEnv(t, func(c *Config, _ string) { c.TrustProxy = true })
	signinFlood(t, e, e)
}

// TestSigninFloodTwoInstances: the same against two servers on one
// PostgreSQL database, the attempts spread over both.
func TestSigninFloodTwoInstances(t *testing.T) {
	url := storetest.URL(t, store.Postgres) // skips without HERALD_TEST_POSTGRES_URL
	trust := func(c *Config, _ *Services) { c.TrustProxy = true }
	e1 := newEnvOn(t, storetest.OpenURL(t, url), trust)
	e2 := newEnvOn(t, storetest.OpenURL(t, url), trust)
	signinFlood(t, e1, e2)
}

func signinFlood(t *testing.T, e1, e2 *testEnv) {
	email := demo.Email(model.RoleReviewer)
	attacker := e1.browser()
	token := attacker.csrf("/signin")
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := e1
			if i%2 == 1 {
				e = e2
			}
			form := url.Values{"csrf": {token}, "email": {email}, "password": {"wrong password"}}
			req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("X-Forwarded-For", "203.0.113.66")
			// The CSRF cookie belongs to e1's host; both servers are on 127.0.0.1.
			req.AddCookie(&http.Cookie{Name: csrfCookie, Value: token})
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			readBody(resp)
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusUnauthorized] > 5 || statuses[http.StatusTooManyRequests] < 25 {
		t.Fatalf("30 parallel wrong passwords: statuses %v; want at most 5 × 401 and the rest 429", statuses)
	}
	owner := e2.browser()
	token = owner.csrf("/signin")
	form := url.Values{"csrf": {token}, "email": {email}, "password": {demo.Password}}
	req, _ := http.NewRequest(http.MethodPost, e2.ts.URL+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", "192.0.2.10")
	resp, err := owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner from another address after the flood: status %d, want 303", resp.StatusCode)
	}
}

// TestSigninNextStaysOnSite: the page to return to after sign-in is kept
// only when it is a plain path on this site. "/\t/evil.example/x" (sent as
// next=/%09/evil.example/x) was kept, and browsers drop the tab and go to
// //evil.example/x.
func TestSigninNextStaysOnSite(t *testing.T) {
	e := newTestEnv(t, nil)
	for next, want := range map[string]string{
		"/\t/evil.example/x":      "/",
		"/\\evil.example":         "/",
		"//evil.example":          "/",
		"https://evil.example":    "/",
		"/accounts?status=active": "/accounts?status=active",
	} {
		b := e.browser()
		token := b.csrf("/signin")
		resp := b.post("/signin", url.Values{"csrf": {token}, "email": {demo.Email(model.RoleStaff)},
			"password": {demo.Password}, "next": {next}})
		readBody(resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("next %q: status %d, Location %q; want 303 to %q", next, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	// The sign-in page's hidden field gets the cleaned value too.
	if _, body := e.browser().get("/signin?next=/%09/evil.example/x"); strings.Contains(body, "evil.example") {
		t.Error("the sign-in page carries the foreign next")
	}
}

// TestWeakPasswordRefused: "aaaaaaaaaaaa" has 12 characters and was
// accepted; the settings page now refuses it, a listed password and one
// containing the user's name, each saying why.
func TestWeakPasswordRefused(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleStaff)
	u, err := e.st.UserByEmail(context.Background(), demo.Email(model.RoleStaff))
	if err != nil {
		t.Fatal(err)
	}
	first := strings.Fields(u.Name)[0]
	for pw, why := range map[string]string{
		"aaaaaaaaaaaa":                      "repeats one character",
		"password1234":                      "list of common and breached passwords",
		strings.ToLower(first) + "-is-me-1": "must not contain your e-mail address or name",
	} {
		resp := b.post("/settings/password", url.Values{"csrf": {b.csrf("/settings")}, "current": {demo.Password},
			"new": {pw}, "confirm": {pw}})
		body := readBody(resp)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, why) {
			t.Errorf("new password %q: status %d, want 400 saying %q", pw, resp.StatusCode, why)
		}
	}
}
