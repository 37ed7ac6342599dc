package web_test

// End-to-end tests in a real browser (Debian's chromium through chromedp)
// against the whole application on a loopback HTTP server and a SQLite file.
// One browser serves every subtest; each subtest gets its own server,
// database and browser context (separate cookies), and a time limit.

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/web"
)

// browserTimeout bounds each subtest (and the browser's start), so a page that never loads fails
// instead of hanging the run.
const browserTimeout = 30 * time.Second

// findBrowser returns the path of a Chromium binary, or "" when none is installed.
func findBrowser() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowser starts one headless browser and runs every browser scenario
// as a subtest (go test -run Browser ./internal/web/).
func TestBrowser(t *testing.T) {
	browserCtx := startBrowser(t)

	for _, tc := range []struct {
		name  string
		run   func(*testing.T, *browserEnv)
		limit time.Duration
		// bothDBs runs the workflow once per database (PostgreSQL when
		// HERALD_TEST_POSTGRES_URL is set); the rest runs on SQLite.
		bothDBs bool
	}{
		{"SignIn", testSignIn, browserTimeout, false},
		{"CheckPost", testCheckPost, browserTimeout, false},
		{"Forbidden", testForbidden, browserTimeout, false},
		{"SignOut", testSignOut, browserTimeout, false},
		{"HostileText", testHostileText, browserTimeout, false},
		{"SkipLink", testSkipLink, browserTimeout, false},
		{"Registry", testRegistry, 2 * browserTimeout, true},
		{"Monitor", testMonitor, 2 * browserTimeout, true},
		{"EvaluateNow", testEvaluateNow, browserTimeout, true},
		{"Review", testReview, 3 * browserTimeout, true},
		{"ForYou", testForYou, browserTimeout, true},
		{"Impostor", testImpostor, 2 * browserTimeout, true},
		{"CSVUpdate", testCSVUpdate, browserTimeout, true},
		{"ClosureOptions", testClosureOptions, browserTimeout, true},
		{"Credentials", testCredentials, browserTimeout, true},
		{"MarkPublished", testMarkPublished, browserTimeout, true},
		{"DraftsForAtRisk", testDraftsForAtRisk, browserTimeout, true},
		{"ReviewRoutes", testReviewRoutes, browserTimeout, true},
		{"NoDeadEnds", testNoDeadEnds, 2 * browserTimeout, true},
		// Seven full-page PNGs take a while on a busy machine.
		{"Screenshots", testScreenshots, 2 * browserTimeout, false},
		// Eight pages in three languages, each with a screenshot.
		{"Languages", testLanguages, 5 * browserTimeout, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.bothDBs {
				tc.run(t, newBrowserEnv(t, browserCtx, tc.limit, store.SQLite))
				return
			}
			storetest.Each(t, func(t *testing.T, dialect string) {
				tc.run(t, newBrowserEnv(t, browserCtx, tc.limit, dialect))
			})
		})
	}
}

// startBrowser starts the headless browser that a test's subtests share, and
// skips the test with -short or when no Chromium is installed. The browser
// ends with the test.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are slow; skipped with -short")
	}
	path := findBrowser()
	if path == "" {
		t.Skip("no chromium or chromium-browser on PATH: install Debian's chromium (apt-get install chromium) to run the browser tests")
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	// The first action starts the browser; the browser then lives as long
	// as browserCtx, so the start is timed here rather than by a context.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browserCtx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start %s: %v", path, err)
		}
	case <-time.After(browserTimeout):
		cancelAlloc()
		t.Fatalf("%s did not start within %v", path, browserTimeout)
	}
	return browserCtx
}

// browserEnv is one subtest's world: a fresh server and a browser tab in
// its own browser context.
type browserEnv struct {
	base    string          // the server's URL, no trailing slash
	ctx     context.Context // the tab; ends at the subtest's time limit
	store   *store.Store
	dialect string
}

func newBrowserEnv(t *testing.T, browserCtx context.Context, limit time.Duration, dialect string) *browserEnv {
	t.Helper()
	timeoutCtx, cancelTimeout := context.WithTimeout(browserCtx, limit)
	t.Cleanup(cancelTimeout)
	st, base := startBrowserServer(t, timeoutCtx, dialect)
	tab, cancelTab := chromedp.NewContext(timeoutCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab)
	return &browserEnv{base: base, ctx: tab, store: st, dialect: dialect}
}

// startBrowserServer runs the application in-process on a fresh database of
// the dialect (a SQLite file in the test's directory, or a new PostgreSQL
// database), seeded with the demo organization (one user per role, a few
// registry accounts).
func startBrowserServer(t *testing.T, ctx context.Context, dialect string) (*store.Store, string) {
	t.Helper()
	st := storetest.Open(t, dialect)
	chk := checktest.Default(t)
	if err := demo.Seed(ctx, st, chk.Pack()); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Demo: true}, st, web.ServicesFor(t, st, chk))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return st, ts.URL
}

// demoUserName is the name internal/demo gives the demo user of role.
func demoUserName(role model.Role) string {
	r := string(role)
	return "Demo " + strings.ToUpper(r[:1]) + r[1:]
}

// signIn signs in through the password form as the demo user of role and
// waits for the dashboard.
func (e *browserEnv) signIn(t *testing.T, role model.Role) {
	t.Helper()
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/signin"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
		chromedp.SendKeys(chromedp.ID("email"), demo.Email(role)),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("signout")),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", role, err)
	}
}

// location is the tab's current URL path.
func (e *browserEnv) location(t *testing.T) string {
	t.Helper()
	p, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// text is the rendered text of the element sel selects.
func (e *browserEnv) text(t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(e.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// count is the number of elements that match a CSS selector, now.
func (e *browserEnv) count(t *testing.T, sel string) int {
	t.Helper()
	n, err := chromedp.Run(e.ctx, chromedp.Evaluate[int](
		`document.querySelectorAll(`+jsQuote(sel)+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// jsQuote quotes s as a JavaScript string literal.
func jsQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

// screenshotDir is where screenshots go: $HERALD_SCREENSHOTS when set, else
// the test's artifact directory (kept with go test -artifacts -outputdir DIR).
func screenshotDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("HERALD_SCREENSHOTS"); d != "" {
		d = filepath.Join(d, strings.ReplaceAll(t.Name(), "/", "_"))
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.ArtifactDir()
}
