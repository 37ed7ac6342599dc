package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/idempotency"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
	"github.com/herald-gov/herald/internal/webhook"
)

// testWebhookKey seals the test servers' webhook secrets.
var testWebhookKey = []byte("0123456789abcdef0123456789abcdef")

// testEnv is a real server on a real SQLite file, seeded with the demo
// organization, behind an httptest server.
type testEnv struct {
	t   testing.TB
	srv *Server
	ts  *httptest.Server
	st  *store.Store
}

func testChecker(t testing.TB) *check.Checker {
	t.Helper()
	return checktest.Load(t, "testdata/pack.yaml")
}

func openTestStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "herald.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// ServicesFor builds every service on st with chk, as herald serve does,
// with images under a temporary folder, no publisher and no e-mail; tests
// replace the ones they need otherwise. (Exported for the web_test browser tests.)
func ServicesFor(tb testing.TB, st *store.Store, chk *check.Checker) Services {
	tb.Helper()
	n := notify.New(st, notify.SMTPConfig{}, nil)
	m, err := monitor.New(monitor.Options{Store: st, Pack: chk.Pack(), Notify: n})
	if err != nil {
		tb.Fatal(err)
	}
	return Services{Checker: chk, Registry: &registry.Service{Store: st, Pack: chk.Pack(), Notify: n}, Monitor: m,
		Review: &review.Service{Store: st, Checker: chk, Notify: n, DataDir: tb.TempDir()},
		Users:  &users.Service{Store: st}, Trail: &audit.Trail{Store: st}, Notifier: n,
		Webhooks: webhook.New(webhook.Options{Store: st, Key: testWebhookKey, Notify: n}),
		Idem:     &idempotency.Service{Store: st}}
}

// newTestEnv starts a server; edit adjusts the config before New.
func newTestEnv(t testing.TB, edit func(c *Config, baseURL string)) *testEnv {
	t.Helper()
	st := openTestStore(t)
	chk := testChecker(t)
	if err := demo.Seed(context.Background(), st, chk.Pack()); err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, st: st}
	var h http.Handler = http.NotFoundHandler()
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(e.ts.Close)
	cfg := Config{Demo: true}
	if edit != nil {
		edit(&cfg, e.ts.URL)
	}
	srv, err := New(cfg, st, ServicesFor(t, st, chk))
	if err != nil {
		t.Fatal(err)
	}
	e.srv, h = srv, srv.Handler()
	return e
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	*http.Client
	e *testEnv
}

func (e *testEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}, e: e}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches path and returns the status and body.
func (b *browser) get(path string) (int, string) {
	b.e.t.Helper()
	resp, err := b.Get(b.e.ts.URL + path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// csrf loads page and returns the CSRF token of its forms.
func (b *browser) csrf(page string) string {
	b.e.t.Helper()
	_, body := b.get(page)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.e.t.Fatalf("no CSRF token on %s", page)
	}
	return m[1]
}

// post submits a form as the browser would (same origin).
func (b *browser) post(path string, form url.Values) *http.Response {
	b.e.t.Helper()
	return b.postBody(path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// postBody sends body of contentType as the browser would (same origin).
func (b *browser) postBody(path, contentType string, body io.Reader) *http.Response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.ts.URL+path, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", b.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return resp
}

func readBody(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// signin signs the browser in with a password and checks it worked.
func (b *browser) signin(email, password string) *http.Response {
	b.e.t.Helper()
	token := b.csrf("/signin")
	return b.post("/signin", url.Values{"csrf": {token}, "email": {email}, "password": {password}})
}

// signinStatus signs in with a new browser and answers the status.
func (e *testEnv) signinStatus(email, password string) int {
	e.t.Helper()
	resp := e.browser().signin(email, password)
	readBody(resp)
	return resp.StatusCode
}

// signedIn returns a browser signed in as the demo user of role.
func (e *testEnv) signedIn(role model.Role) *browser {
	e.t.Helper()
	b := e.browser()
	resp := b.signin(demo.Email(role), demo.Password)
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign-in as %s: status %d", role, resp.StatusCode)
	}
	return b
}

// token creates an API token of full scope for the demo user of role.
func (e *testEnv) token(role model.Role) string {
	e.t.Helper()
	return e.scopedToken(role, model.ScopeFull)
}

// scopedToken creates an API token of scope for the demo user of role.
func (e *testEnv) scopedToken(role model.Role, scope string) string {
	e.t.Helper()
	u, err := e.st.UserByEmail(context.Background(), demo.Email(role))
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := (&users.Service{Store: e.st}).CreateToken(context.Background(), model.SystemActor("test"), u, users.TokenSpec{Name: "test", Scope: scope})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// session creates a session for the demo user of role directly in the
// store and returns its cookie value and CSRF token.
func (e *testEnv) session(role model.Role) (cookie, csrf string) {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.st.UserByEmail(ctx, demo.Email(role))
	if err != nil {
		e.t.Fatal(err)
	}
	cookie, csrf = auth.NewToken(), auth.NewToken()
	now := e.srv.cfg.Now()
	err = e.st.CreateSession(ctx, model.SystemActor("test"), model.Session{TokenHash: auth.HashToken(cookie), UserID: u.ID,
		CSRFToken: csrf, CreatedAt: now, ExpiresAt: now.Add(e.srv.cfg.SessionTTL)})
	if err != nil {
		e.t.Fatal(err)
	}
	return cookie, csrf
}
