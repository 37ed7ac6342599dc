package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/publish"
	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/web"
)

// startReviewServer is startBrowserServer with a review service that
// publishes to stub, and a corporate Mastodon account on it that the demo
// manager manages (reviewed by the Communications Group: the demo reviewer).
func startReviewServer(t *testing.T, ctx context.Context, stub *connectortest.MastodonPoster, dialect string) (string, *model.Account) {
	t.Helper()
	st := storetest.Open(t, dialect)
	chk := checktest.Default(t)
	if err := demo.Seed(ctx, st, chk.Pack()); err != nil {
		t.Fatal(err)
	}
	acc := &model.Account{Platform: "mastodon", Handle: "@hq@" + strings.TrimPrefix(stub.URL, "http://"), ProfileURL: stub.URL + "/@hq",
		DisplayName: "Headquarters", Kind: model.KindCorporate, Office: "Headquarters",
		Managers: []string{demo.Email(model.RoleManager)}, Status: model.StatusActive}
	if err := st.CreateAccount(ctx, model.SystemActor("test"), acc); err != nil {
		t.Fatal(err)
	}
	svc := &review.Service{Store: st, Checker: chk, DataDir: t.TempDir(),
		Publisher: publish.New(publish.Config{Allow: extTestAllow, Credentials: publish.CredentialsFunc(
			func(context.Context, model.Account) (string, error) { return "stub-token", nil })})}
	services := web.ServicesFor(t, st, chk)
	services.Review = svc
	srv, err := web.New(web.Config{Demo: true}, st, services)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL, acc
}

// testReview (TestBrowser/Review): a manager writes a draft and sees its
// findings as they type, ticks the checklist and submits; a reviewer asks
// for changes; the manager edits and resubmits; the reviewer approves; the
// manager publishes to a local Mastodon-compatible server and the draft
// links to the post. Screenshots of the editor and the review page.
func testReview(t *testing.T, e *browserEnv) {
	stub := connectortest.NewMastodonPoster(t, "stub-token", "hq")
	base, acc := startReviewServer(t, e.ctx, stub, e.dialect)
	e.base = base
	dir := screenshotDir(t)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(e.ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	signOut := func() {
		t.Helper()
		run("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("signin-form")))
	}
	e.signIn(t, model.RoleManager)
	run("open the editor",
		chromedp.Navigate(base+"/drafts/new"),
		chromedp.WaitVisible(chromedp.ID("draft-form")),
		chromedp.SetValue(chromedp.ID("account"), fmt.Sprint(acc.ID)),
		chromedp.SendKeys(chromedp.ID("text"), "Call our field office on +254 712 345 678 for details about the new bridge."),
	)
	e.waitJS(t, "live findings", `document.querySelectorAll("#live-marks mark.sev-error").length > 0 &&
		document.getElementById("length-counter").textContent.includes("/ 500 (mastodon)")`)
	if got := e.text(t, "#live-findings"); !strings.Contains(got, "3.4(g)") {
		t.Errorf("live findings %q do not cite 3.4(g)", got)
	}
	n := e.count(t, `#checklist input[type=checkbox]`)
	if n == 0 {
		t.Fatal("no checklist items in the editor")
	}
	for i := 0; i < n; i++ {
		run("tick the checklist", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#checklist .check-item:nth-of-type(%d) input`, i+1))))
	}
	e.shoot(t, dir, "draft-editor")
	run("save", chromedp.Click(chromedp.ID("draft-save")), chromedp.WaitVisible(chromedp.ID("image-form")))
	path := strings.TrimSuffix(e.location(t), "/edit")
	if !strings.HasPrefix(path, "/drafts/") {
		t.Fatalf("after saving the browser is on %q", path)
	}
	id := strings.TrimPrefix(path, "/drafts/")
	run("submit", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.ID("draft-submit")),
		chromedp.Click(chromedp.ID("draft-submit")), chromedp.WaitVisible(chromedp.ID("draft-sent")))
	if got := e.text(t, "#draft-status"); got != model.DraftInReview {
		t.Fatalf("status after submitting %q", got)
	}
	if e.count(t, "#decision-form") != 0 {
		t.Error("the author is offered the decision form")
	}
	signOut()

	e.signIn(t, model.RoleReviewer)
	run("open the queue", chromedp.Navigate(base+"/review"), chromedp.WaitVisible(chromedp.ID("queue-table")),
		chromedp.Click(chromedp.ID("queue-link-"+id)), chromedp.WaitVisible(chromedp.ID("decision-form")))
	if e.count(t, "#draft-text mark.sev-error") == 0 || e.count(t, "#override") != 1 {
		t.Error("the review page does not mark the error finding or offer the override")
	}
	e.shoot(t, dir, "review-page")
	run("ask for changes",
		chromedp.Click(chromedp.ID("decision-request-changes")),
		chromedp.SendKeys(chromedp.ID("decision-comment"), "Please leave out the phone number."),
		chromedp.Click(chromedp.ID("decision-submit")))
	// The old page has the same elements: wait for the new status.
	e.waitJS(t, "changes requested", `(document.getElementById("draft-status") || {}).textContent === "changes-requested"`)
	signOut()

	e.signIn(t, model.RoleManager)
	run("edit and resubmit",
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.ID("draft-edit")),
		chromedp.Click(chromedp.ID("draft-edit")),
		chromedp.WaitVisible(chromedp.ID("draft-form")),
		chromedp.SetValue(chromedp.ID("text"), "The new bridge opened today. Read how it was built on our website."),
		chromedp.Click(chromedp.ID("draft-save")),
		// The text changed, so the ticks given for the old one were cleared.
		chromedp.WaitVisible(chromedp.ID("ticks-reset")),
		chromedp.WaitVisible(chromedp.ID("diff-text")),
		chromedp.Click(chromedp.ID("draft-edit")),
		chromedp.WaitVisible(chromedp.ID("draft-form")))
	for i := 0; i < n; i++ {
		run("tick the checklist again", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#checklist .check-item:nth-of-type(%d) input`, i+1))))
	}
	run("save and resubmit",
		chromedp.Click(chromedp.ID("draft-save")),
		chromedp.WaitVisible(chromedp.ID("draft-submit")),
		chromedp.Click(chromedp.ID("draft-submit")),
		chromedp.WaitVisible(chromedp.ID("draft-sent")))
	if got := e.text(t, "#timeline"); !strings.Contains(got, "Please leave out the phone number.") || !strings.Contains(got, "Asked for changes") {
		t.Errorf("the author's timeline lacks the reviewer's request: %q", got)
	}
	signOut()

	e.signIn(t, model.RoleReviewer)
	run("approve",
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.ID("decision-form")),
		chromedp.Click(chromedp.ID("decision-approve")),
		chromedp.Click(chromedp.ID("decision-submit")),
		chromedp.WaitVisible(chromedp.ID("draft-expires")))
	if got := e.text(t, "#draft-status"); got != model.DraftApproved {
		t.Fatalf("status after approval %q", got)
	}
	signOut()

	e.signIn(t, model.RoleManager)
	run("publish",
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.ID("publish-submit")),
		chromedp.Click(chromedp.ID("publish-submit")),
		chromedp.WaitVisible(chromedp.ID("published-link")))
	href, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.getElementById("published-link").href`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(href, stub.URL+"/@hq/") {
		t.Errorf("the published draft links to %q, want the post on %s", href, stub.URL)
	}
	posts := stub.Texts()
	if len(posts) != 1 || !strings.HasPrefix(posts[0], "The new bridge opened today.") {
		t.Errorf("the platform got %q, want the approved text once", posts)
	}
}
