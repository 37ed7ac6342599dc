package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
)

// testSignIn: an anonymous visit is sent to sign-in, a wrong password is
// refused, the right one lands on the dashboard with the user's name and role.
func testSignIn(t *testing.T, e *browserEnv) {
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if p := e.location(t); !strings.HasPrefix(p, "/signin") {
		t.Errorf("anonymous visit to / ended on %q, want the sign-in page", p)
	}
	if n := e.count(t, "#demo-banner"); n != 1 {
		t.Errorf("demo banner on sign-in page: %d, want 1", n)
	}

	err = chromedp.Do(e.ctx,
		chromedp.SendKeys(chromedp.ID("email"), demo.Email(model.RoleManager)),
		chromedp.SendKeys(chromedp.ID("password"), "not-the-password"),
		chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("signin-error")),
	)
	if err != nil {
		t.Fatalf("wrong password: %v", err)
	}
	if n := e.count(t, "#signout"); n != 0 {
		t.Fatal("a wrong password signed in")
	}

	e.signIn(t, model.RoleManager)
	if p := e.location(t); p != "/" {
		t.Errorf("after sign-in the browser is on %q, want the dashboard /", p)
	}
	header := e.text(t, "header")
	for _, want := range []string{demoUserName(model.RoleManager), string(model.RoleManager)} {
		if !strings.Contains(header, want) {
			t.Errorf("page header %q does not show %q", header, want)
		}
	}
	if cur := e.text(t, `#nav [aria-current="page"]`); cur != "Dashboard" {
		t.Errorf("current navigation item is %q, want Dashboard", cur)
	}
}

// phonePost has a Kenyan mobile number in running text: a 3.4(g) finding.
const (
	phonePost   = "Call our field office on +254 712 345 678 for details"
	phoneNumber = "+254 712 345 678"
)

// choosePlatform selects a platform as a user would, firing the change event.
func (e *browserEnv) choosePlatform(t *testing.T, platform string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.getElementById("platform");
		s.value = %s; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value; })()`, jsQuote(platform))
	got, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](js))
	if err != nil || got != platform {
		t.Fatalf("choose platform %q: got %q, %v", platform, got, err)
	}
}

// waitCounter waits until the live length counter starts with want.
func (e *browserEnv) waitCounter(t *testing.T, want string) {
	t.Helper()
	js := `document.getElementById("length-counter").textContent.trim().startsWith(` + jsQuote(want) + `)`
	if _, err := chromedp.Run(e.ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("length counter never showed %q (it shows %q): %v", want, e.text(t, "#length-counter"), err)
	}
}

// postText is the checked post as the results show it, without the
// numbered references to the findings that follow each mark.
func (e *browserEnv) postText(t *testing.T) string {
	t.Helper()
	s, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`(() => {
		const c = document.getElementById("checked-text").cloneNode(true);
		c.querySelectorAll("sup.ref").forEach(r => r.remove());
		return c.textContent; })()`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testCheckPost types a post with a phone number, watches the live counter,
// submits, and finds the number marked and paragraph 3.4(g) cited.
func testCheckPost(t *testing.T, e *browserEnv) {
	e.signIn(t, model.RoleStaff)
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/check"),
		chromedp.WaitVisible(chromedp.ID("check-form")),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.choosePlatform(t, "x")
	if err := chromedp.Do(e.ctx, chromedp.SendKeys(chromedp.ID("text"), phonePost)); err != nil {
		t.Fatal(err)
	}
	// ASCII text: X's weighted length is the number of characters.
	e.waitCounter(t, fmt.Sprintf("%d / 280 (x)", len(phonePost)))
	e.choosePlatform(t, "mastodon")
	e.waitCounter(t, fmt.Sprintf("%d / 500 (mastodon)", len(phonePost)))
	if err := chromedp.Do(e.ctx, chromedp.SendKeys(chromedp.ID("text"), "!")); err != nil {
		t.Fatal(err)
	}
	e.waitCounter(t, fmt.Sprintf("%d / 500 (mastodon)", len(phonePost)+1))
	// Back to the exact post on X for the full check.
	if err := chromedp.Do(e.ctx, chromedp.KeyEvent(kb.Backspace)); err != nil {
		t.Fatal(err)
	}
	e.choosePlatform(t, "x")

	err = chromedp.Do(e.ctx,
		chromedp.Click(chromedp.ID("check-submit")),
		chromedp.WaitVisible(chromedp.ID("results")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.postText(t); got != phonePost {
		t.Errorf("checked text %q, want the post %q", got, phonePost)
	}
	// The marks (a span may be split where findings overlap) together
	// must cover the whole number.
	marked, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll("#checked-text mark")].map(m => m.textContent).join("|")`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ReplaceAll(marked, "|", ""), phoneNumber) {
		t.Errorf("marked text %q does not cover the phone number %q", marked, phoneNumber)
	}
	findings := e.text(t, "#findings")
	if !strings.Contains(findings, "3.4(g)") {
		t.Errorf("findings list does not cite 3.4(g):\n%s", findings)
	}
	// The mark that starts a finding links to that finding in the list.
	linked, err := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`(() => {
		const m = [...document.querySelectorAll("#checked-text mark[id]")].find(m => m.textContent.includes("712"));
		if (!m) return false;
		const li = document.getElementById("finding-" + m.id.slice("mark-".length));
		return !!li && li.textContent.includes("3.4(g)"); })()`))
	if err != nil {
		t.Fatal(err)
	}
	if !linked {
		t.Error("the mark on the phone number does not correspond to a 3.4(g) item in #findings")
	}
	if v, err := chromedp.Run(e.ctx, chromedp.Value(chromedp.ID("text"))); err != nil || v != phonePost {
		t.Errorf("after the check the text field holds %q (%v), want the post", v, err)
	}
}

// testForbidden: staff may not read the audit trail.
func testForbidden(t *testing.T, e *browserEnv) {
	e.signIn(t, model.RoleStaff)
	resp, err := chromedp.Run(e.ctx, chromedp.NavigateResponse(e.base+"/audit"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusForbidden {
		t.Errorf("staff GET /audit: status %d, want 403", resp.Status)
	}
	if err := chromedp.Do(e.ctx, chromedp.WaitVisible(chromedp.ID("forbidden"))); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "#audit-table"); n != 0 {
		t.Error("the 403 page shows the audit table")
	}
	// The navigation offers staff no way there either.
	if n := e.count(t, `#nav a[href="/audit"]`); n != 0 {
		t.Error("staff navigation links to /audit")
	}
}

// testSignOut: after signing out, a protected page sends the browser to sign-in.
func testSignOut(t *testing.T, e *browserEnv) {
	e.signIn(t, model.RoleReviewer)
	err := chromedp.Do(e.ctx,
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
	)
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/check"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if p := e.location(t); !strings.HasPrefix(p, "/signin") {
		t.Errorf("after sign-out /check ended on %q, want the sign-in page", p)
	}
	if n := e.count(t, "#signout"); n != 0 {
		t.Error("a sign-out button is still shown after signing out")
	}
	// Going back shows no signed-in page from a live session either.
	err = chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.ID("signin-form")))
	if err != nil {
		t.Fatalf("dashboard after sign-out: %v", err)
	}
}

// hostileInputs are inputs that would run script if a page put them into HTML unescaped.
var hostileInputs = []string{
	`<img src=x onerror=alert(1)>`,
	`"><script>alert(1)</script>`,
	`</textarea><img src=x onerror=alert(2)>`,
}

// watchDialogs records and dismisses every JavaScript dialog the tab opens.
func (e *browserEnv) watchDialogs() func() []string {
	var mu sync.Mutex
	var seen []string
	events := chromedp.Events(e.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			seen = append(seen, ev.Message)
			mu.Unlock()
			chromedp.Call(e.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// injectedElements counts elements that only unescaped hostile input could create.
const injectedElements = `document.querySelectorAll('img[src="x"], img[onerror], [onerror], script:not([src])').length`

// testHostileText submits markup in the check form and as a user's name:
// it must come back as text, with no dialog and no element created.
func testHostileText(t *testing.T, e *browserEnv) {
	dialogs := e.watchDialogs()
	// A user whose name is hostile: the header shows it on every page.
	u := &model.User{Email: "hostile@example.invalid", Name: strings.Join(hostileInputs[:2], ""), Role: model.RoleStaff}
	hash, err := auth.HashPassword(demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	u.PasswordHash = hash
	if err := e.store.CreateUser(e.ctx, model.SystemActor("test"), u); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/signin"),
		chromedp.SendKeys(chromedp.ID("email"), u.Email),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("signout")),
		chromedp.Navigate(e.base+"/check"),
		chromedp.WaitVisible(chromedp.ID("check-form")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if h := e.text(t, "header"); !strings.Contains(h, u.Name) {
		t.Errorf("header %q does not show the user's name %q as text", h, u.Name)
	}

	post := "Hello " + strings.Join(hostileInputs, " and ") + " bye"
	// SetValue, not SendKeys: the live counter must also see the text, and
	// typing it character by character adds nothing here.
	err = chromedp.Do(e.ctx,
		chromedp.SetValue(chromedp.ID("text"), post),
		chromedp.SetValue(chromedp.ID("reply_to"), hostileInputs[1]),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("text").dispatchEvent(new Event("input", {bubbles: true}))`),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.waitCounter(t, fmt.Sprintf("%d / 280 (x)", len([]rune(post))))
	err = chromedp.Do(e.ctx,
		chromedp.Click(chromedp.ID("check-submit")),
		chromedp.WaitVisible(chromedp.ID("results")),
		// An image error handler would fire right after the image fails to load.
		chromedp.Sleep(300*time.Millisecond),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.postText(t); got != post {
		t.Errorf("checked text shows %q, want the submitted text %q verbatim", got, post)
	}
	if v, err := chromedp.Run(e.ctx, chromedp.Value(chromedp.ID("text"))); err != nil || v != post {
		t.Errorf("text field holds %q (%v), want %q", v, err, post)
	}
	if v, err := chromedp.Run(e.ctx, chromedp.Value(chromedp.ID("reply_to"))); err != nil || v != hostileInputs[1] {
		t.Errorf("reply field holds %q (%v), want %q", v, err, hostileInputs[1])
	}
	if n := e.count(t, "body *"); n == 0 {
		t.Fatal("empty page")
	}
	n, err := chromedp.Run(e.ctx, chromedp.Evaluate[int](injectedElements))
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d elements from the hostileInputs text exist in the DOM", n)
	}
	if d := dialogs(); len(d) > 0 {
		t.Errorf("JavaScript dialogs opened: %q", d)
	}
}

// testSkipLink: the first Tab reaches the skip link, and following it moves
// focus to the main content.
func testSkipLink(t *testing.T, e *browserEnv) {
	e.signIn(t, model.RoleStaff)
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/check"),
		chromedp.WaitVisible(chromedp.ID("check-form")),
		chromedp.KeyEvent(kb.Tab),
	)
	if err != nil {
		t.Fatal(err)
	}
	active := func() string {
		id, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if id := active(); id != "skip" {
		t.Fatalf("first Tab focused #%s, want the skip link #skip", id)
	}
	visible, err := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`(() => {
		const r = document.getElementById("skip").getBoundingClientRect();
		return r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if !visible {
		t.Error("the focused skip link is not visible on screen")
	}
	if err := chromedp.Do(e.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	js := `document.activeElement && document.activeElement.id === "main"`
	if _, err := chromedp.Run(e.ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("after Enter on the skip link focus is on #%s, want #main", active())
	}
	// The next Tab continues inside main: the first field of the form.
	if err := chromedp.Do(e.ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	inMain, err := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`document.getElementById("main").contains(document.activeElement)`))
	if err != nil {
		t.Fatal(err)
	}
	if !inMain {
		t.Errorf("Tab after the skip link went to #%s, outside main", active())
	}
}
