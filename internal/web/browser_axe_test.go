package web_test

// Accessibility measured with axe-core (Deque's rules engine, run inside the
// page): every page of the route table as every role that may open it, and
// the states that only appear after an action, in every language.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/web"
	"github.com/herald-gov/herald/internal/webhook"
)

// axeSource is axe.min.js: $HERALD_AXE_JS, else where .ci/run installs it
// (the npm package axe-core under the user's cache folder). Without it the
// test skips, except under CI, where a missing axe-core is a failure.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("HERALD_AXE_JS")
	if path == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		path = filepath.Join(cache, "herald", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		msg := fmt.Sprintf("axe-core not found (%v): run .ci/run, or npm install --prefix DIR axe-core and set HERALD_AXE_JS=DIR/node_modules/axe-core/axe.min.js", err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return string(src)
}

// axeIssue is one element that breaks one rule.
type axeIssue struct {
	Rule, Impact, Target, Help string
}

// axeRun runs axe on the whole document and returns the elements with
// violations of serious or critical impact.
const axeRun = `(async () => {
	const r = await axe.run(document, {resultTypes: ["violations"]});
	return r.violations.flatMap(v => v.nodes
		.filter(n => n.impact === "serious" || n.impact === "critical")
		.map(n => ({Rule: v.id, Impact: n.impact, Target: n.target.join(" "), Help: v.help})));
})()`

// axe reports every serious or critical violation on the tab's page, and a
// page whose <html lang> is not lang.
func (e *browserEnv) axe(t *testing.T, where, lang string) {
	t.Helper()
	issues, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]axeIssue](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("%s: run axe-core: %v", where, err)
		return
	}
	for _, is := range issues {
		t.Errorf("%s: %s (%s) at %s: %s", where, is.Rule, is.Impact, is.Target, is.Help)
	}
	got, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	if got != lang {
		t.Errorf("%s: <html lang=%q>, want %q", where, got, lang)
	}
}

// pageState is a page as one role sees it, maybe after some actions.
type pageState struct {
	name string     // how failures name it
	role model.Role // "" for nobody signed in
	path string     // without ?lang=
	// act, when set, runs after the page loaded and leaves the page in the
	// state to measure.
	act []chromedp.Action[chromedp.Void]
}

// notPages are the GET routes outside the API that answer no HTML page.
var notPages = []string{
	"GET /healthz", "GET /readyz", "GET /metrics", "GET /static/{file}",
	"GET /accounts.csv", "GET /audit/export.csv", "GET /registry.csv",
	"GET /drafts/{id}/images/{image}",
}

// routeStates is every page of the route table as every role that may open
// it (and nobody, for public pages), or with everyRole false once, as
// nobody for public pages and else as the most powerful role. ids gives the paths of the routes with
// a path value; a route missing from it is an error, so a new page cannot go
// unmeasured. Without ids, the routes with a path value are left out.
func routeStates(t *testing.T, ids map[string][]string, everyRole bool) []pageState {
	t.Helper()
	skip := map[string]bool{}
	for _, p := range notPages {
		skip[p] = true
	}
	var out []pageState
	for _, rt := range web.PageRoutes() {
		if skip[rt.Pattern] {
			delete(skip, rt.Pattern)
			continue
		}
		path := strings.TrimSuffix(strings.TrimPrefix(rt.Pattern, "GET "), "{$}")
		paths := []string{path}
		if strings.Contains(path, "{") {
			paths = ids[rt.Pattern]
			if len(paths) == 0 && ids != nil {
				t.Errorf("no page state for %s: give it a path in the axe test", rt.Pattern)
			}
		}
		for _, role := range append([]model.Role{""}, model.Roles...) {
			if !auth.Allowed(role, rt.Perm) {
				continue
			}
			for _, p := range paths {
				out = append(out, pageState{name: p, role: role, path: p})
			}
			if !everyRole {
				break
			}
		}
	}
	for p := range skip {
		t.Errorf("notPages names %s, which is not in the route table", p)
	}
	return out
}

// TestAxe measures every page state with axe-core in every language Herald
// speaks (?lang=): no violation of serious or critical impact, and <html
// lang> is the language. The first language (English) is measured as every
// role; the others, whose pages differ from it only in their words, once
// per page, which keeps the test within a few minutes.
func TestAxe(t *testing.T) {
	src := axeSource(t)
	browserCtx := startBrowser(t)
	for i, lang := range i18n.Languages() {
		t.Run(lang, func(t *testing.T) {
			// Each state has its own time limit (measure); this one only
			// bounds the whole walk on a very busy machine.
			e := newBrowserEnv(t, browserCtx, 60*browserTimeout, store.SQLite)
			// Empty lists first, then the same pages and the rest with one of everything.
			e.measure(t, src, lang, routeStates(t, nil, i == 0), "empty")
			ids := seedAxeStates(t, e)
			e.measure(t, src, lang, append(routeStates(t, ids, i == 0), actionStates(ids)...), "")
		})
	}
}

// measure visits each state in lang, as its role (one browser context per
// role, where every document gets axe-core, src, before its own scripts),
// and runs axe there.
func (e *browserEnv) measure(t *testing.T, src, lang string, states []pageState, suffix string) {
	t.Helper()
	start := time.Now()
	defer func() {
		t.Logf("%d page states %s in %v", len(states), suffix, time.Since(start).Round(time.Millisecond))
	}()
	tabs := map[model.Role]*browserEnv{}
	for _, st := range states {
		r := tabs[st.role]
		if r == nil {
			tab, cancel := chromedp.NewContext(e.ctx, chromedp.WithNewBrowserContext())
			t.Cleanup(cancel)
			cp := *e
			r = &cp
			r.ctx = tab
			err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
				_, err := cdp.Call(ctx, tt, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
				return err
			}))
			if err != nil {
				t.Fatal(err)
			}
			if st.role != "" {
				r.signIn(t, st.role)
			}
			tabs[st.role] = r
		}
		who := string(st.role)
		if who == "" {
			who = "nobody"
		}
		name := st.name + " as " + who
		if suffix != "" {
			name += " (" + suffix + ")"
		}
		r.measureOne(t, name, lang, e.base+withLang(st.path, lang), st.act)
	}
}

// measureOne loads url, runs act and axe, within browserTimeout.
func (e *browserEnv) measureOne(t *testing.T, name, lang, url string, act []chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, browserTimeout)
	defer cancel()
	one := *e
	one.ctx = ctx
	if err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(url)}, act...)...); err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	one.axe(t, name, lang)
}

// withLang adds ?lang= to path.
func withLang(path, lang string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + lang
	}
	return path + "?lang=" + lang
}

// seedAxeStates gives the demo organization one of everything a page can
// show: an account past its grace period, a request waiting and one sent
// back, a draft with findings and one in review, an answered question, a
// reported impostor. It returns the paths for the route table's path values.
func seedAxeStates(t *testing.T, e *browserEnv) map[string][]string {
	t.Helper()
	ctx := t.Context()
	chk := checktest.Default(t)
	svc := web.ServicesFor(t, e.store, chk)
	user := func(role model.Role) (*model.User, model.Actor) {
		u, err := e.store.UserByEmail(ctx, demo.Email(role))
		if err != nil {
			t.Fatal(err)
		}
		return u, model.Actor{UserID: u.ID, Email: u.Email}
	}
	manager, managerActor := user(model.RoleManager)
	reviewer, reviewerActor := user(model.RoleReviewer)
	staff, staffActor := user(model.RoleStaff)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	// The quiet account, past its grace period: closure proposed.
	now := time.Now().UTC()
	quiet := seedQuietAccount(t, e, now)
	_, err := svc.Monitor.Evaluate(ctx, now)
	must(err)
	_, err = svc.Monitor.Evaluate(ctx, now.AddDate(0, 0, chk.Pack().Parameters.Health.GraceDays+1))
	must(err)

	waiting, err := svc.Registry.Request(ctx, managerActor, manager, model.Account{Platform: "mastodon",
		Handle: "@unops_ghana@mastodon.social", ProfileURL: "https://mastodon.social/@unops_ghana", DisplayName: "UNOPS Ghana",
		Kind: model.KindCountryOffice, Office: "Ghana Country Office", Languages: []string{"en"}, Audience: "partners in Ghana",
		Purpose: "country office news", PostsPerWeek: 2, Email: "ghana.comms@unops.org", Contacts: []string{"Focal point", "Country director"}}, "")
	must(err)
	sentBack, err := svc.Registry.Request(ctx, managerActor, manager, model.Account{Platform: "bluesky",
		Handle: "@unops-chile.bsky.social", ProfileURL: "https://bsky.app/profile/unops-chile.bsky.social", DisplayName: "UNOPS Chile",
		Kind: model.KindCountryOffice, Office: "Chile Country Office", Languages: []string{"es"}, Audience: "socios en Chile",
		Purpose: "noticias de la oficina", PostsPerWeek: 2, Email: "chile.comms@unops.org", Contacts: []string{"Punto focal", "Directora de país"}}, "")
	must(err)
	_, err = svc.Registry.Decide(ctx, reviewerActor, reviewer, sentBack.Account.ID, "request-changes", "Name a second contact.")
	must(err)

	kenya, _, err := e.store.Accounts(ctx, store.AccountFilter{Query: "kenya"})
	must(err)
	if len(kenya) != 1 {
		t.Fatalf("demo Kenya account: %d found", len(kenya))
	}
	withFindings, err := svc.Review.Create(ctx, managerActor, manager, review.DraftInput{AccountID: kenya[0].ID,
		Text: "Call our field office on +254 712 345 678 for details about the new bridge."})
	must(err)
	var ticks []string
	for _, c := range chk.Pack().Checklist {
		ticks = append(ticks, c.ID)
	}
	inReview, err := svc.Review.Create(ctx, managerActor, manager, review.DraftInput{AccountID: kenya[0].ID,
		Text: "The new bridge in Kisumu opened today.", Checklist: ticks, Reticked: true})
	must(err)
	_, err = svc.Review.Submit(ctx, managerActor, manager, inReview.Draft.ID)
	must(err)

	q, err := svc.Review.Ask(ctx, staffActor, staff, review.AdviceInput{Question: "May I share our office's job posting from my own account?",
		Kind: "personal", Platform: "linkedin"})
	must(err)
	_, err = svc.Review.Answer(ctx, reviewerActor, reviewer, q.ID, "Yes: share the official post and add no comment on the selection.")
	must(err)

	rep, err := svc.Registry.ReportAccount(ctx, "x", "@UN0PS_es", "Pide dinero por empleos")
	must(err)

	// A webhook endpoint, then an event for its delivery log.
	admin, adminActor := user(model.RoleAdmin)
	ep, _, err := svc.Webhooks.AddEndpoint(ctx, adminActor, nil, webhook.NewEndpoint{URL: "https://tickets.example.org/herald",
		Description: "Ticketing", OwnerID: admin.ID})
	must(err)
	_, err = svc.Review.Ask(ctx, staffActor, staff, review.AdviceInput{Question: "May I repost the Kisumu bridge video?", Kind: "personal"})
	must(err)

	acc := id(quiet.ID)
	return map[string][]string{
		"GET /settings/webhooks/{id}":   {"/settings/webhooks/" + id(ep.ID)},
		"GET /accounts/{id}":            {"/accounts/" + acc},
		"GET /accounts/{id}/edit":       {"/accounts/" + acc + "/edit"},
		"GET /accounts/{id}/close":      {"/accounts/" + acc + "/close"},
		"GET /accounts/{id}/analytics":  {"/accounts/" + acc + "/analytics"},
		"GET /found/{id}/takedown-text": {"/found/" + id(rep.FoundID) + "/takedown-text"},
		"GET /requests/{id}":            {"/requests/" + id(waiting.Account.ID), "/requests/" + id(sentBack.Account.ID)},
		"GET /requests/{id}/edit":       {"/requests/" + id(sentBack.Account.ID) + "/edit"},
		"GET /drafts/{id}":              {"/drafts/" + id(withFindings.Draft.ID), "/drafts/" + id(inReview.Draft.ID)},
		"GET /drafts/{id}/edit":         {"/drafts/" + id(withFindings.Draft.ID) + "/edit"},
		"GET /advice/{id}":              {"/advice/" + id(q.ID)},
	}
}

// actionStates are the states reached by an action on a page: forms sent
// with errors (the browser's own checks turned off, so the server answers),
// results, the live check.
func actionStates(ids map[string][]string) []pageState {
	do := func(a ...chromedp.Action[chromedp.Void]) []chromedp.Action[chromedp.Void] { return a }
	// invalid sends form without the browser's checks and waits for sel.
	invalid := func(form, sel string) []chromedp.Action[chromedp.Void] {
		return do(discard(chromedp.Evaluate[bool](`(f => { f.noValidate = true; f.requestSubmit(); return true; })(document.getElementById(`+jsQuote(form)+`))`)),
			chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	return []pageState{
		{name: "sign-in with a wrong password", path: "/signin", act: do(
			chromedp.SendKeys(chromedp.ID("email"), demo.Email(model.RoleStaff)),
			chromedp.SendKeys(chromedp.ID("password"), "not the password"),
			chromedp.Submit(chromedp.ID("signin-form")),
			chromedp.WaitVisible(chromedp.CSS(".error")))},
		{name: "verify: an official account", path: "/verify?platform=x&handle=%40UNOPS", act: do(chromedp.WaitVisible(chromedp.ID("verify-result")))},
		{name: "verify: an unknown account", path: "/verify?platform=x&handle=%40UN0PS_es", act: do(chromedp.WaitVisible(chromedp.ID("verify-result")))},
		{name: "verify: a malformed handle", path: "/verify?platform=x&handle=%40%40%20no", act: do(chromedp.WaitVisible(chromedp.CSS(".error")))},
		{name: "check with results", role: model.RoleStaff, path: "/check", act: do(
			chromedp.SendKeys(chromedp.ID("text"), "Call me on +254 712 345 678, confidential figures inside."),
			chromedp.Submit(chromedp.ID("check-form")),
			chromedp.WaitVisible(chromedp.ID("results")))},
		{name: "check: empty text", role: model.RoleStaff, path: "/check", act: invalid("check-form", "#check-error")},
		{name: "live check with results", role: model.RoleManager, path: ids["GET /drafts/{id}/edit"][0], act: do(
			chromedp.SendKeys(chromedp.ID("text"), " Also write to jane.doe@example.com."),
			discard(chromedp.Poll[bool](`document.querySelectorAll("#live-findings li").length > 1`)))},
		{name: "new draft: no text", role: model.RoleManager, path: "/drafts/new", act: invalid("draft-form", "#draft-error")},
		{name: "new request: empty", role: model.RoleManager, path: "/requests/new", act: invalid("account-form", ".error")},
		{name: "advice: empty question", role: model.RoleStaff, path: "/advice", act: invalid("advice-form", ".error")},
		{name: "add user: no e-mail", role: model.RoleAdmin, path: "/settings/users", act: invalid("user-form", ".error")},
		{name: "password: wrong current one", role: model.RoleStaff, path: "/settings", act: invalid("password-form", ".error")},
		{name: "closure: checklist not ticked", role: model.RoleAdmin, path: ids["GET /accounts/{id}/close"][0], act: invalid("close-form", ".error")},
	}
}

// discard runs a and drops its value.
func discard[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := a(ctx, t)
		return err
	})
}
