package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/web"
)

// do runs actions in the tab, failing the test with what was being done.
func (e *browserEnv) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(e.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitJS waits up to 15 s for the JavaScript condition js, across a
// navigation that an action may have started (evaluating fails while it runs).
func (e *browserEnv) waitJS(t *testing.T, what, js string) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var ok bool
		if ok, err = chromedp.Run(e.ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
	}
	t.Fatalf("%s: %s: not within 15 s (%v)", e.location(t), what, err)
}

// submit clicks the button with the id and waits for the next page to load.
func (e *browserEnv) submit(t *testing.T, what, id string) {
	t.Helper()
	e.do(t, what, chromedp.Evaluate[chromedp.Void](`window.heraldOldPage = true`), chromedp.Click(chromedp.ID(id)))
	e.waitJS(t, what, `!window.heraldOldPage && document.readyState === "complete"`)
}

// html is the page's whole markup as the browser has it.
func (e *browserEnv) html(t *testing.T) string {
	t.Helper()
	s, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// accountNamed is the registry account with the handle.
func accountNamed(t *testing.T, st *store.Store, handle string) model.Account {
	t.Helper()
	accs, _, err := st.Accounts(t.Context(), store.AccountFilter{Query: handle})
	for _, a := range accs {
		if a.Handle == handle {
			return a
		}
	}
	t.Fatalf("no account %s (%v)", handle, err)
	return model.Account{}
}

// testCSVUpdate (TestBrowser/CSVUpdate): an admin re-imports the export
// unchanged and is told nothing changes; then changes one account's
// office in the file, sees that field's change in the preview, confirms,
// and the registry has it.
func testCSVUpdate(t *testing.T, e *browserEnv) {
	e.signIn(t, model.RoleAdmin)
	e.do(t, "open the import", chromedp.Navigate(e.base+"/accounts/import"), chromedp.WaitVisible(chromedp.ID("import-form")))
	export, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`fetch("/accounts.csv").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(export, "@UNOPS") {
		t.Fatalf("export: %v\n%s", err, export)
	}
	preview := func(text string) {
		t.Helper()
		e.do(t, "open the import", chromedp.Navigate(e.base+"/accounts/import"), chromedp.WaitVisible(chromedp.ID("import-form")),
			chromedp.SetValue(chromedp.ID("csv"), text))
		e.submit(t, "preview", "import-submit")
	}
	preview(export)
	if e.count(t, `#import-rows tr[data-action="unchanged"]`) == 0 || e.count(t, `#import-rows tr[data-action="update"], #import-rows tr[data-action="add"]`) != 0 ||
		e.count(t, "#import-nothing") != 1 || e.count(t, "#import-commit") != 0 {
		t.Fatalf("re-importing the export changes something:\n%s", e.text(t, "#import-preview"))
	}

	rows, err := csv.NewReader(strings.NewReader(export)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	changed := ""
	for _, row := range rows[1:] {
		if strings.TrimLeft(row[col["handle"]], "'@") == "UNOPS" && row[col["platform"]] == "x" {
			changed = row[col["office"]]
			row[col["office"]] = "Geneva"
		}
	}
	if changed == "" {
		t.Fatalf("no @UNOPS row in the export:\n%s", export)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	preview(b.String())
	if n := e.count(t, `#import-rows tr[data-action="update"]`); n != 1 {
		t.Fatalf("%d rows to update, want 1:\n%s", n, e.text(t, "#import-preview"))
	}
	change := e.text(t, `#import-rows tr[data-action="update"] .changes`)
	if !strings.Contains(change, "office") || !strings.Contains(change, changed) || !strings.Contains(change, "Geneva") ||
		strings.Contains(change, "handle") {
		t.Errorf("the preview's change is %q, want office %s → Geneva only", change, changed)
	}
	e.submit(t, "confirm", "import-commit")
	if got := e.text(t, "#import-result"); !strings.Contains(got, "0 accounts added, 1 updated") {
		t.Errorf("result %q", got)
	}
	if acc := accountNamed(t, e.store, "@UNOPS"); acc.Office != "Geneva" {
		t.Errorf("office after the import %q", acc.Office)
	}
	preview(b.String())
	if e.count(t, "#import-nothing") != 1 {
		t.Errorf("importing the same file twice changes something:\n%s", e.text(t, "#import-preview"))
	}
}

// testClosureOptions (TestBrowser/ClosureOptions): on the closing page an
// admin drafts the farewell post (a draft for review pointing to the main
// account), then closes the account keeping its handle parked.
func testClosureOptions(t *testing.T, e *browserEnv) {
	acc := &model.Account{Platform: "x", Handle: "@UNOPS_Quiet", ProfileURL: "https://x.com/UNOPS_Quiet", DisplayName: "UNOPS Quiet project",
		Kind: model.KindProject, Office: "Peru", Status: model.StatusAtRisk}
	if err := e.store.CreateAccount(e.ctx, model.SystemActor("test"), acc); err != nil {
		t.Fatal(err)
	}
	main := accountNamed(t, e.store, "@UNOPS")
	closePage := fmt.Sprintf("%s/accounts/%d/close", e.base, acc.ID)
	e.signIn(t, model.RoleAdmin)
	e.do(t, "open the closing page", chromedp.Navigate(closePage), chromedp.WaitVisible(chromedp.ID("farewell-form")),
		chromedp.SetValue(chromedp.ID("main_account"), strconv.FormatInt(main.ID, 10)))
	e.submit(t, "draft the farewell", "farewell-submit")
	if got := e.text(t, "#draft-text"); !strings.Contains(got, "no longer updated") || !strings.Contains(got, "@UNOPS") {
		t.Errorf("farewell text %q", got)
	}
	if got := e.text(t, "#draft-status"); got != model.DraftDraft || e.count(t, "#draft-edit") != 1 {
		t.Errorf("the farewell is %q, not a draft to edit and send for review", got)
	}

	e.do(t, "close with the handle parked", chromedp.Navigate(closePage), chromedp.WaitVisible(chromedp.ID("close-form")),
		chromedp.Click(chromedp.ID("content_archived")), chromedp.Click(chromedp.ID("credentials_revoked")),
		chromedp.Click(chromedp.ID("removed_from_verification")), chromedp.Click(chromedp.ID("keep_parked")),
		chromedp.SendKeys(chromedp.ID("close-reason"), "The project ended; the farewell is posted."))
	e.submit(t, "close", "close-submit")
	if e.count(t, "#d-parked") != 1 {
		t.Error("the account page does not say the handle is kept parked")
	}
	got, err := e.store.Account(e.ctx, acc.ID)
	if err != nil || got.Status != model.StatusClosed || !got.HandleParked {
		t.Fatalf("after closing: %+v %v", got, err)
	}
}

// testCredentials (TestBrowser/Credentials): an admin stores a Mastodon
// token for an account, never sees it again, tests the connection against
// a local instance that replays a recorded account and checks the token,
// and revokes it.
func testCredentials(t *testing.T, e *browserEnv) {
	const secret = "masto-browser-token-never-shown"
	platform := web.NewRecordedMastodon(t, secret)
	cfg, svc, acc := web.CredentialsEnv(t, e.store, platform.Server)
	srv, err := web.New(cfg, e.store, svc)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e.base = ts.URL
	row := fmt.Sprintf("mastodon-%d", acc.ID)

	e.signIn(t, model.RoleAdmin)
	e.do(t, "store the token", chromedp.Navigate(e.base+"/settings/credentials"), chromedp.WaitVisible(chromedp.ID("credential-form")),
		chromedp.SetValue(chromedp.ID("cred-account"), strconv.FormatInt(acc.ID, 10)),
		chromedp.SendKeys(chromedp.ID("cred-token"), secret))
	e.submit(t, "store the token", "credential-submit")
	if e.count(t, "#credential-"+row) != 1 {
		t.Fatalf("the stored token is not listed")
	}
	if strings.Contains(e.html(t), secret) || e.count(t, "#credentials-disabled") != 0 {
		t.Fatal("the page shows the stored token back")
	}
	e.submit(t, "test the connection", "test-"+row)
	if got := e.text(t, "#notice"); !strings.Contains(got, "The connection works") || !strings.Contains(got, "accepts the token for publishing") {
		t.Errorf("after the test: %q", got)
	}
	if strings.Contains(e.html(t), secret) || !platform.Verified(secret) {
		t.Error("the test's page shows the token, or the instance was not asked whose it is")
	}
	// An approved draft on the account offers publishing while the token is stored.
	draft := approvedDraft(t, e, svc.Review, acc.ID)
	e.do(t, "open the approved draft", chromedp.Navigate(draft), chromedp.WaitVisible(chromedp.ID("draft-status")))
	if e.count(t, "#publish-submit") != 1 || e.count(t, "#publish-unconfigured") != 0 {
		t.Error("with a token stored the draft is not offered publishing")
	}
	e.do(t, "back to the credentials", chromedp.Navigate(e.base+"/settings/credentials"), chromedp.WaitVisible(chromedp.ID("revoke-"+row)))
	e.submit(t, "revoke", "revoke-"+row)
	if e.count(t, "#credentials-none") != 1 {
		t.Error("the page still lists a token")
	}
	// Without it the draft page says publishing is not set up and offers marking as published.
	e.do(t, "open the draft again", chromedp.Navigate(draft), chromedp.WaitVisible(chromedp.ID("draft-status")))
	if e.count(t, "#publish-submit") != 0 || e.count(t, "#publish-unconfigured") != 1 || e.count(t, "#mark-form") != 1 {
		t.Error("without a token the draft page does not offer the way to mark it published")
	}
	if set, err := svc.Monitor.CredentialSet(e.ctx, "mastodon", acc.ID); err != nil || set {
		t.Errorf("after revoking the token is stored: %v %v", set, err)
	}
}

// approvedDraft writes a draft on the account as the demo admin, has the
// demo reviewer approve it, and returns its page's address.
func approvedDraft(t *testing.T, e *browserEnv, svc *review.Service, accountID int64) string {
	t.Helper()
	user := func(role model.Role) *model.User {
		u, err := e.store.UserByEmail(e.ctx, demo.Email(role))
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	var ticks []string
	for _, c := range svc.Checker.Pack().Checklist {
		ticks = append(ticks, c.ID)
	}
	sys, admin := model.SystemActor("test"), user(model.RoleAdmin)
	dv, err := svc.Create(e.ctx, sys, admin, review.DraftInput{AccountID: accountID, Text: "The new bridge in Juba opened today.", Checklist: ticks})
	if err == nil {
		_, err = svc.Submit(e.ctx, sys, admin, dv.Draft.ID)
	}
	if err == nil {
		dv, err = svc.Decide(e.ctx, sys, user(model.RoleReviewer), dv.Draft.ID, review.Decision{Decision: "approve", Version: dv.Draft.Version})
	}
	if err != nil || dv.Draft.Status != model.DraftApproved {
		t.Fatalf("an approved draft: %v", err)
	}
	return fmt.Sprintf("%s/drafts/%d", e.base, dv.Draft.ID)
}

// testMarkPublished (TestBrowser/MarkPublished): an approved draft on X,
// where Herald does not post, is marked as published by hand: another
// account's post address is refused in words, the account's own is taken.
func testMarkPublished(t *testing.T, e *browserEnv) {
	acc := accountNamed(t, e.store, "@UNOPS")
	page := approvedDraft(t, e, &review.Service{Store: e.store, Checker: checktest.Default(t), DataDir: t.TempDir()}, acc.ID)
	e.signIn(t, model.RoleAdmin)
	mark := func(u string) {
		t.Helper()
		e.do(t, "open the draft", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("mark-form")),
			chromedp.SetValue(chromedp.ID("post_url"), u))
		e.submit(t, "mark as published", "mark-submit")
	}
	mark("https://x.com/UNOPS_es/status/1790000000000000001")
	if e.count(t, "#draft-error") != 1 || !strings.Contains(e.text(t, "#draft-error"), "post_url") || e.text(t, "#draft-status") != model.DraftApproved {
		t.Fatalf("another account's post: status %q, error %d", e.text(t, "#draft-status"), e.count(t, "#draft-error"))
	}
	mark("https://bsky.app/profile/unops.bsky.social/post/3k")
	if e.count(t, "#draft-error") != 1 || e.text(t, "#draft-status") != model.DraftApproved {
		t.Fatal("a post on another platform was taken")
	}
	const own = "https://x.com/UNOPS/status/1790000000000000002"
	mark(own)
	if e.text(t, "#draft-status") != model.DraftPublished || e.count(t, "#draft-error") != 0 {
		t.Fatalf("the account's own post: status %q", e.text(t, "#draft-status"))
	}
	if href := e.text(t, "#published-link"); href != own {
		t.Errorf("published link %q", href)
	}
}

// testReviewRoutes (TestBrowser/ReviewRoutes): an admin makes corporate
// drafts go to the office's lead and then the Communications Group, and
// names the office's lead, on the review page; a submitted draft's label
// says "step 1 of 2"; the lead approves and the draft shows who approved
// which step, the next one waiting.
func testReviewRoutes(t *testing.T, e *browserEnv) {
	acc := accountNamed(t, e.store, "@UNOPS")
	lead := demo.Email(model.RoleReviewer)
	e.signIn(t, model.RoleAdmin)
	e.do(t, "open the review settings", chromedp.Navigate(e.base+"/review"), chromedp.WaitVisible(chromedp.ID("route-form-corporate")),
		chromedp.SetValue(chromedp.ID("route-corporate-1"), model.ReviewerOfficeLead),
		chromedp.SetValue(chromedp.ID("route-corporate-2"), model.ReviewerCommunications))
	e.submit(t, "save the route", "route-submit-corporate")
	e.do(t, "name the lead", chromedp.WaitVisible(chromedp.ID("leads-form")),
		chromedp.SendKeys(chromedp.ID("leads-office"), acc.Office), chromedp.SendKeys(chromedp.ID("leads-emails"), lead))
	e.submit(t, "save the leads", "leads-submit")
	if got := e.text(t, "#leads-table"); !strings.Contains(got, acc.Office) || !strings.Contains(got, lead) {
		t.Fatalf("leads table %q", got)
	}

	chk := checktest.Default(t)
	svc := &review.Service{Store: e.store, Checker: chk, DataDir: t.TempDir()}
	author, err := e.store.UserByEmail(e.ctx, demo.Email(model.RoleAdmin))
	if err != nil {
		t.Fatal(err)
	}
	var ticks []string
	for _, c := range chk.Pack().Checklist {
		ticks = append(ticks, c.ID)
	}
	dv, err := svc.Create(e.ctx, model.SystemActor("test"), author, review.DraftInput{AccountID: acc.ID, Text: "The new bridge in Juba opened today.", Checklist: ticks})
	if err == nil {
		dv, err = svc.Submit(e.ctx, model.SystemActor("test"), author, dv.Draft.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	e.do(t, "sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("signin-form")))
	e.signIn(t, model.RoleReviewer)
	e.do(t, "open the draft", chromedp.Navigate(fmt.Sprintf("%s/drafts/%d", e.base, dv.Draft.ID)), chromedp.WaitVisible(chromedp.ID("decision-form")))
	if got := e.text(t, "#draft-step"); !strings.Contains(got, "step 1 of 2") || !strings.Contains(got, "lead") {
		t.Errorf("label before the first decision %q", got)
	}
	e.do(t, "approve", chromedp.Click(chromedp.ID("decision-approve")))
	e.submit(t, "record the decision", "decision-submit")
	if got := e.text(t, "#route-step-1"); !strings.Contains(got, "approved by "+lead) || !strings.Contains(got, "version 1") {
		t.Errorf("step 1 after the lead's approval: %q", got)
	}
	if got := e.text(t, "#draft-step"); !strings.Contains(got, "step 2 of 2") {
		t.Errorf("label after the first approval %q", got)
	}
	if e.count(t, "#route-step-2.route-current") != 1 || e.text(t, "#draft-status") != model.DraftInReview {
		t.Errorf("step 2 is not waiting: %q", e.text(t, "#route-steps"))
	}
}

// testNoDeadEnds (TestBrowser/NoDeadEnds): the dashboard counts only
// accounts in use and shows the others apart; an empty post is asked for
// text; the live counter counts characters, not bytes, and says how many
// remain; a project account request whose name and bio do not carry the
// organization's name is told 4.4(a), and one without an end date is
// advised under 4.6.
func testNoDeadEnds(t *testing.T, e *browserEnv) {
	for _, a := range []*model.Account{
		{Platform: "x", Handle: "@UNOPS_Asked", Kind: model.KindCorporate, Office: "HQ", Status: model.StatusRequested},
		{Platform: "x", Handle: "@UNOPS_Gone", Kind: model.KindCorporate, Office: "HQ", Status: model.StatusClosed},
	} {
		if err := e.store.CreateAccount(e.ctx, model.SystemActor("test"), a); err != nil {
			t.Fatal(err)
		}
	}
	inUse := 0
	for _, st := range []string{model.StatusActive, model.StatusAtRisk, model.StatusClosureProposed} {
		accs, _, err := e.store.Accounts(e.ctx, store.AccountFilter{Status: st})
		if err != nil {
			t.Fatal(err)
		}
		inUse += len(accs)
	}
	e.signIn(t, model.RoleAdmin)
	if got := e.text(t, "#account-count"); !strings.HasPrefix(got, fmt.Sprintf("%d institutional accounts in use", inUse)) {
		t.Errorf("dashboard count %q, want %d in use", got, inUse)
	}
	if got := e.text(t, "#account-apart"); !strings.Contains(got, "1 requested") || !strings.Contains(got, "1 closed") {
		t.Errorf("dashboard apart %q", got)
	}

	e.do(t, "check an empty post", chromedp.Navigate(e.base+"/check"), chromedp.WaitVisible(chromedp.ID("check-form")),
		chromedp.SetValue(chromedp.ID("account"), "kind:personal"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("text").removeAttribute("required")`))
	e.submit(t, "check", "check-submit")
	if html := e.html(t); !strings.Contains(html, "Write some text to check") || strings.Contains(html, "No findings") {
		t.Error("an empty post is not asked for text")
	}
	const accented = "Élan à Genève: ça marche" // 24 characters, 29 bytes
	e.do(t, "type accented text", chromedp.Navigate(e.base+"/check"), chromedp.WaitVisible(chromedp.ID("check-form")),
		chromedp.SetValue(chromedp.ID("account"), "kind:personal"), chromedp.SendKeys(chromedp.ID("text"), accented))
	e.waitJS(t, "the live counter", `document.getElementById("length-counter").textContent.includes("characters left")`)
	if got := e.text(t, "#length-counter"); !strings.HasPrefix(got, "24 / ") || !strings.Contains(got, "characters left") {
		t.Errorf("live counter %q, want 24 characters counted and those left", got)
	}

	e.do(t, "sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("signin-form")))
	e.signIn(t, model.RoleManager)
	fill := func(id, text string) chromedp.Action[chromedp.Void] { return chromedp.SendKeys(chromedp.ID(id), text) }
	e.do(t, "open the request form", chromedp.Navigate(e.base+"/requests/new"), chromedp.WaitVisible(chromedp.ID("account-form")),
		chromedp.SetValue(chromedp.ID("platform"), "x"))
	if e.count(t, "#project-fields:not([hidden])") != 0 {
		t.Error("the project fields show before the kind is chosen")
	}
	e.do(t, "choose a project account", chromedp.SetValue(chromedp.ID("kind"), "project"), chromedp.Evaluate[chromedp.Void](`document.getElementById("kind").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.ID("project_name")))
	for _, f := range [][2]string{{"handle", "@WellsForJuba"}, {"display_name", "Wells for Juba"}, {"bio", "Clean water in Juba."},
		{"office", "South Sudan"}, {"languages", "en"}, {"audience", "communities"}, {"purpose", "project news"}, {"posts_per_week", "2"},
		{"email", "wells@unops.org"}, {"contact1", "Ana Pérez"}, {"contact2", "Luis Gómez"}, {"project_name", "Wells for Juba"}} {
		e.do(t, "fill "+f[0], fill(f[0], f[1]))
	}
	e.waitJS(t, "the 4.4(a) pre-check", `document.getElementById("precheck").textContent.includes("4.4(a)")`)
	got := e.text(t, "#precheck")
	if !strings.Contains(got, "4.6") || !strings.Contains(strings.ToLower(got), "end date") {
		t.Errorf("pre-checks %q lack the 4.6 advice for the end date", got)
	}
}

// testDraftsForAtRisk (TestBrowser/DraftsForAtRisk): a manager writes a
// draft for an at-risk account in the editor (posting is how it recovers),
// and a draft for a project past its end date carries a warning citing 4.6.
func testDraftsForAtRisk(t *testing.T, e *browserEnv) {
	risky, ended := web.AtRiskAndEndedAccounts(t, e.store)
	e.signIn(t, model.RoleManager)
	for _, c := range []struct {
		acc  *model.Account
		text string
	}{
		{risky, "Our country office resumes its weekly updates on the water programme."},
		{ended, "Thank you for following the Wells project."},
	} {
		e.do(t, "open the editor for "+c.acc.Handle,
			chromedp.Navigate(e.base+"/drafts/new"),
			chromedp.WaitVisible(chromedp.ID("draft-form")),
			chromedp.SetValue(chromedp.ID("account"), fmt.Sprint(c.acc.ID)),
			chromedp.SendKeys(chromedp.ID("text"), c.text))
		e.submit(t, "save the draft for "+c.acc.Handle, "draft-save")
		path := strings.TrimSuffix(e.location(t), "/edit")
		if !strings.HasPrefix(path, "/drafts/") {
			t.Fatalf("after saving the draft for %s the browser is on %q:\n%s", c.acc.Handle, path, e.text(t, "main"))
		}
		e.do(t, "open the draft", chromedp.Navigate(e.base+path), chromedp.WaitVisible(chromedp.ID("draft-status")))
		warned := e.count(t, `[id="warning-draft.project_ended"]`) > 0
		if want := c.acc == ended; warned != want {
			t.Errorf("%s: ended-project warning shown %v, want %v", c.acc.Handle, warned, want)
		}
		if c.acc == ended {
			if got := e.text(t, `[id="warning-draft.project_ended"]`); !strings.Contains(got, "2020-06-30") || !strings.Contains(got, "4.6") {
				t.Errorf("the ended-project warning %q names neither the end date nor 4.6", got)
			}
		}
	}
}
