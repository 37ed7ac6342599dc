package web_test

// The main journeys with the keyboard alone: Tab, Shift+Tab, Enter, Space,
// arrows and typed text, as key events; never a click. Every stop of the
// focus on the way must show a focus indicator.

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// TestKeyboard walks each main journey in a fresh server and browser context.
func TestKeyboard(t *testing.T) {
	browserCtx := startBrowser(t)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *browserEnv)
	}{
		{"Request", kbRequest},
		{"DraftReview", kbDraftReview},
		{"Advice", kbAdvice},
		{"Closure", kbClosure},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newBrowserEnv(t, browserCtx, 6*browserTimeout, store.SQLite))
		})
	}
}

// focusProblem describes the focused element and what is wrong with how it
// shows its focus ("" when it is visible, on screen and ringed).
const focusProblem = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return ["", "nothing has the focus"];
	const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
		(el.textContent.trim() ? " “" + el.textContent.trim().slice(0, 40) + "”" : "");
	const s = getComputedStyle(el);
	const r = el.getBoundingClientRect();
	if (!el.matches(":focus-visible")) return [name, "not :focus-visible"];
	if ((s.outlineStyle === "none" || parseFloat(s.outlineWidth) < 2) && s.boxShadow === "none") return [name, "no focus indicator"];
	if (r.width < 1 || r.height < 1 || r.bottom < 0 || r.top > innerHeight) return [name, "not on screen"];
	return [name, ""];
})()`

// key presses keys (kb names or text) on whatever has the focus.
func (e *browserEnv) key(t *testing.T, keys string, opts ...chromedp.KeyOption) {
	t.Helper()
	if err := chromedp.Do(e.ctx, chromedp.KeyEvent(keys, opts...)); err != nil {
		t.Fatalf("key %q: %v", keys, err)
	}
}

// focused reports whether the focused element matches the CSS selector sel,
// and checks that it shows its focus.
func (e *browserEnv) focused(t *testing.T, sel string) bool {
	t.Helper()
	got, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](focusProblem))
	if err != nil {
		t.Fatal(err)
	}
	if got[1] != "" {
		t.Errorf("%s: focus on %s: %s", e.location(t), got[0], got[1])
	}
	ok, err := chromedp.Run(e.ctx, chromedp.Evaluate[bool](
		`!!document.activeElement && document.activeElement.matches(`+jsQuote(sel)+`)`))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// tabTo presses Tab (Shift+Tab with back) until sel has the focus.
func (e *browserEnv) tabTo(t *testing.T, sel string, back ...bool) {
	t.Helper()
	var opts []chromedp.KeyOption
	if len(back) > 0 && back[0] {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	for range 150 {
		e.key(t, kb.Tab, opts...)
		if e.focused(t, sel) {
			return
		}
	}
	t.Fatalf("%s: 150 presses of Tab did not reach %s", e.location(t), sel)
}

// choose moves the focused select to the option whose value is value with
// the arrow keys.
func (e *browserEnv) choose(t *testing.T, value string) {
	t.Helper()
	val := func() string {
		v, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.activeElement.value`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for prev := ""; val() != prev; {
		prev = val()
		e.key(t, kb.ArrowUp)
	}
	for range 100 {
		if val() == value {
			return
		}
		e.key(t, kb.ArrowDown)
	}
	t.Fatalf("%s: the arrow keys do not reach option %q", e.location(t), value)
}

// present is the JavaScript condition that sel matches an element.
func present(sel string) string { return `!!document.querySelector(` + jsQuote(sel) + `)` }

// kbSignIn signs in as the demo user of role through the form, with the keyboard.
func (e *browserEnv) kbSignIn(t *testing.T, role model.Role) {
	t.Helper()
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/signin"), chromedp.WaitVisible(chromedp.ID("signin-form"))); err != nil {
		t.Fatal(err)
	}
	e.tabTo(t, "#email")
	e.key(t, demo.Email(role))
	e.tabTo(t, "#password")
	e.key(t, demo.Password+kb.Enter)
	e.waitJS(t, "signed in", present("#signout"))
}

// kbSignOut signs out with the keyboard.
func (e *browserEnv) kbSignOut(t *testing.T) {
	t.Helper()
	e.tabTo(t, "#signout")
	e.key(t, kb.Enter)
	e.waitJS(t, "signed out", present("#signin-form"))
}

// follow tabs to the link sel and follows it with Enter.
func (e *browserEnv) follow(t *testing.T, sel, wait string) {
	t.Helper()
	e.tabTo(t, sel)
	e.key(t, kb.Enter)
	e.waitJS(t, "after following "+sel, present(wait))
}

// kbRequest: a manager requests a country office account.
func kbRequest(t *testing.T, e *browserEnv) {
	e.kbSignIn(t, model.RoleManager)
	e.follow(t, `#nav a[href="/requests"]`, "#request-new")
	e.follow(t, "#request-new", "#account-form")
	e.tabTo(t, "#platform")
	e.choose(t, "mastodon")
	e.key(t, kb.Tab)
	if !e.focused(t, "#handle") {
		t.Fatal("Tab from the platform does not lead to the handle")
	}
	e.key(t, "@unops_ghana@mastodon.social")
	e.key(t, kb.Tab)
	e.choose(t, model.KindCountryOffice)
	for _, f := range []struct{ id, text string }{
		{"profile_url", "https://mastodon.social/@unops_ghana"},
		{"display_name", "UNOPS Ghana"},
		{"office", "Ghana Country Office"},
		{"languages", "en"},
		{"audience", "partners and public in Ghana"},
		{"purpose", "Country office news; no existing account covers Ghana."},
		{"posts_per_week", "3"},
		{"email", "ghana.comms@unops.org"},
		{"contact1", "Ama Mensah"},
		{"contact2", "Kofi Boateng"},
	} {
		e.tabTo(t, "#"+f.id)
		e.key(t, f.text)
	}
	// Back up with Shift+Tab to correct the posting plan.
	e.tabTo(t, "#posts_per_week", true)
	e.key(t, kb.Backspace+"2")
	e.tabTo(t, "#account-submit")
	e.key(t, kb.Enter)
	e.waitJS(t, "request sent", present("#request-sent"))
	body := e.text(t, "main")
	for _, want := range []string{"@unops_ghana@mastodon.social", model.StatusRequested, "Ama Mensah"} {
		if !strings.Contains(body, want) {
			t.Errorf("the request page does not show %q", want)
		}
	}
	got, _, err := e.store.Accounts(t.Context(), store.AccountFilter{Query: "unops_ghana"})
	if err != nil || len(got) != 1 || got[0].PostsPerWeek != 2 || got[0].Kind != model.KindCountryOffice {
		t.Errorf("stored request %+v (%v), want one country office posting twice a week", got, err)
	}
}

// kbDraftReview: a manager writes a draft, hears its findings, ticks the
// checklist and sends it for review; a reviewer asks for changes.
func kbDraftReview(t *testing.T, e *browserEnv) {
	acc := &model.Account{Platform: "mastodon", Handle: "@hq@mastodon.social", ProfileURL: "https://mastodon.social/@hq",
		DisplayName: "Headquarters", Kind: model.KindCorporate, Office: "Headquarters",
		Managers: []string{demo.Email(model.RoleManager)}, Status: model.StatusActive}
	if err := e.store.CreateAccount(t.Context(), model.SystemActor("test"), acc); err != nil {
		t.Fatal(err)
	}
	e.kbSignIn(t, model.RoleManager)
	e.follow(t, `#nav a[href="/drafts"]`, "#draft-new")
	e.follow(t, "#draft-new", "#draft-form")
	e.tabTo(t, "#account")
	e.choose(t, strconv.FormatInt(acc.ID, 10))
	e.key(t, kb.Tab)
	if !e.focused(t, "#text") {
		t.Fatal("Tab from the account does not lead to the text")
	}
	e.key(t, "Call our field office on "+phoneNumber+" for details about the new bridge.")
	e.waitJS(t, "live findings", `document.querySelectorAll("#live-findings li").length > 0`)

	// The live check speaks through its summary alone, politely, and only
	// when the findings change.
	live, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](`[
		document.getElementById("live-summary").getAttribute("aria-live") || "",
		...[...document.querySelectorAll("[aria-live], [role=status], [role=alert]")]
			.filter(r => r.contains(document.getElementById("live-findings")) || r.contains(document.getElementById("live-marks")))
			.map(r => r.id || r.tagName)]`))
	if err != nil {
		t.Fatal(err)
	}
	if live[0] != "polite" || len(live) > 1 {
		t.Errorf("live summary aria-live=%q; live regions around the findings: %q", live[0], live[1:])
	}
	if got := e.text(t, "#live-summary"); !strings.Contains(got, "error") {
		t.Errorf("live summary %q does not count the error", got)
	}
	if _, err := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`window.summaryChanges = 0;
		new MutationObserver(m => window.summaryChanges += m.length).observe(document.getElementById("live-summary"),
			{childList: true, characterData: true, subtree: true}); true`)); err != nil {
		t.Fatal(err)
	}
	before := e.text(t, "#length-counter")
	e.key(t, " Thanks")
	e.waitJS(t, "the counter after more text", `document.getElementById("length-counter").textContent !== `+jsQuote(before))
	if n, err := chromedp.Run(e.ctx, chromedp.Evaluate[int](`window.summaryChanges`)); err != nil || n != 0 {
		t.Errorf("the live summary changed %d times (%v) though the findings did not", n, err)
	}

	n := e.count(t, `#checklist input[type=checkbox]`)
	if n == 0 {
		t.Fatal("no checklist in the editor")
	}
	for i := range n {
		e.tabTo(t, fmt.Sprintf(`#checklist .check-item:nth-of-type(%d) input`, i+1))
		e.key(t, " ")
	}
	if got := e.count(t, `#checklist input:checked`); got != n {
		t.Fatalf("Space ticked %d of %d checklist items", got, n)
	}
	e.tabTo(t, "#draft-save")
	e.key(t, kb.Enter)
	e.waitJS(t, "saved", present("#image-form"))
	e.follow(t, "#draft-view", "#draft-submit")
	e.tabTo(t, "#draft-submit")
	e.key(t, kb.Enter)
	e.waitJS(t, "sent for review", present("#draft-sent"))
	if got := e.text(t, "#draft-status"); got != model.DraftInReview {
		t.Fatalf("status after sending %q", got)
	}
	draftPath, _, _ := strings.Cut(e.location(t), "?")
	e.kbSignOut(t)

	e.kbSignIn(t, model.RoleReviewer)
	e.follow(t, `#nav a[href="/review"]`, "#queue-table")
	id := strings.TrimPrefix(draftPath, "/drafts/")
	e.follow(t, "#queue-link-"+id, "#decision-form")
	// Tab enters the radio group on its first button; the arrow moves to
	// and selects the next one.
	e.tabTo(t, "#decision-approve")
	e.key(t, kb.ArrowDown)
	if !e.focused(t, "#decision-request-changes:checked") {
		t.Fatal("ArrowDown in the decision group does not select “Ask for changes”")
	}
	e.tabTo(t, "#decision-comment")
	e.key(t, "Please leave out the phone number.")
	e.tabTo(t, "#decision-submit")
	e.key(t, kb.Enter)
	e.waitJS(t, "changes requested", `(document.getElementById("draft-status") || {}).textContent === "changes-requested"`)
	if got := e.text(t, "#timeline"); !strings.Contains(got, "Please leave out the phone number.") {
		t.Errorf("the timeline lacks the reviewer's comment: %q", got)
	}
}

// kbAdvice: staff ask the Communications Group; a reviewer answers.
func kbAdvice(t *testing.T, e *browserEnv) {
	const question = "May I share our office's job posting from my own account?"
	e.kbSignIn(t, model.RoleStaff)
	e.follow(t, `#nav a[href="/advice"]`, "#advice-form")
	e.tabTo(t, "#advice-text")
	e.key(t, "We are hiring engineers in Nairobi!")
	e.key(t, kb.Tab)
	if !e.focused(t, "#question") {
		t.Fatal("Tab from the post does not lead to the question")
	}
	e.key(t, question)
	e.tabTo(t, "#kind")
	e.choose(t, "personal")
	e.tabTo(t, "#advice-submit")
	e.key(t, kb.Enter)
	e.waitJS(t, "question sent", present("#advice-sent"))
	if got := e.text(t, "#advice-question"); got != question {
		t.Errorf("question shown %q", got)
	}
	path, _, _ := strings.Cut(e.location(t), "?")
	e.kbSignOut(t)

	e.kbSignIn(t, model.RoleReviewer)
	e.follow(t, `#nav a[href="/advice"]`, "#advice-list")
	e.follow(t, `#advice-list a[href="`+path+`"]`, "#answer-form")
	e.tabTo(t, "#answer-body")
	e.key(t, "Yes: share the official post and add no comment on the selection.")
	e.tabTo(t, "#answer-submit")
	e.key(t, kb.Enter)
	e.waitJS(t, "answered", present("#answers li"))
	if got := e.text(t, "#answers"); !strings.Contains(got, "share the official post") || !strings.Contains(got, demo.Email(model.RoleReviewer)) {
		t.Errorf("answers %q", got)
	}
}

// kbClosure: an admin closes an account at risk with the checklist.
func kbClosure(t *testing.T, e *browserEnv) {
	acc, _, _ := evaluatedQuietAccount(t, e, time.Now().UTC())
	id := strconv.FormatInt(acc.ID, 10)
	e.kbSignIn(t, model.RoleAdmin)
	e.follow(t, "#at-risk-link-"+id, "#account-close")
	if got := e.text(t, "#d-status"); got != model.StatusAtRisk {
		t.Fatalf("status %q, want at-risk", got)
	}
	e.follow(t, "#account-close", "#close-form")
	for _, box := range []string{"content_archived", "credentials_revoked", "removed_from_verification"} {
		e.tabTo(t, "#"+box)
		e.key(t, " ")
	}
	e.tabTo(t, "#close-reason")
	e.key(t, "No post for six weeks; the archive went to the country office.")
	e.tabTo(t, "#close-submit")
	e.key(t, kb.Enter)
	e.waitJS(t, "closed", `(document.getElementById("d-status") || {}).textContent === "closed"`)
	if got := e.text(t, "#history"); !strings.Contains(got, "the archive went to the country office") {
		t.Errorf("history after closing: %q", got)
	}
}
