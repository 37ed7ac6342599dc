package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/model"
)

// testRegistry (TestBrowser/Registry): a manager requests an account (its
// handle typed without the @, stored as @handle) and
// sees its pre-checks and overlaps at once, and cannot approve it; a
// reviewer approves it with a comment; the account is active and /verify
// says official.
func testRegistry(t *testing.T, e *browserEnv) {
	e.signIn(t, model.RoleManager)
	fill := func(id, text string) chromedp.Action[chromedp.Void] { return chromedp.SendKeys(chromedp.ID(id), text) }
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/requests/new"),
		chromedp.WaitVisible(chromedp.ID("account-form")),
		chromedp.SetValue(chromedp.ID("platform"), "x"),
		chromedp.SetValue(chromedp.ID("kind"), "country-office"),
		fill("handle", "UNOPS_es_news"), // typed without its @: stored in the one canonical form
		fill("display_name", "UNOPS en español"),
		fill("office", "Latin America"),
		fill("languages", "es"),
		fill("audience", "Hispanohablantes"),
		fill("purpose", "Noticias de proyectos en español"),
		fill("posts_per_week", "5"),
		fill("email", "latam.comms@unops.org"),
		fill("contact1", "Ana Pérez"),
		fill("contact2", "Luis Gómez"),
		// The pre-checks and overlaps appear as the form is filled.
		chromedp.WaitVisible(chromedp.CSS("#precheck #overlaps")),
	)
	if err != nil {
		t.Fatalf("fill the request form: %v", err)
	}
	if got := e.text(t, "#precheck"); !strings.Contains(got, "@UNOPS_es") {
		t.Errorf("live overlaps %q, want @UNOPS_es", got)
	}
	err = chromedp.Do(e.ctx,
		chromedp.Click(chromedp.ID("account-submit")),
		chromedp.WaitVisible(chromedp.ID("request-sent")),
	)
	if err != nil {
		t.Fatalf("request the account: %v", err)
	}
	path := e.location(t)
	if !strings.HasPrefix(path, "/requests/") {
		t.Fatalf("after the request the browser is on %q", path)
	}
	reqPath := strings.TrimSuffix(path, "?sent=1")
	if n := e.count(t, "#checks, #checks-clean"); n != 1 {
		t.Errorf("pre-checks not shown (%d)", n)
	}
	if got := e.text(t, "#overlap-1"); !strings.Contains(got, "Consider posting through @UNOPS_es") {
		t.Errorf("closest overlap %q, want @UNOPS_es", got)
	}
	if e.count(t, "#decision-form") != 0 || e.count(t, "#own-request") != 1 {
		t.Error("the requester is offered the decision form on their own request")
	}

	err = chromedp.Do(e.ctx, chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("signin-form")))
	if err != nil {
		t.Fatal(err)
	}
	e.signIn(t, model.RoleReviewer)
	err = chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+reqPath),
		chromedp.WaitVisible(chromedp.ID("decision-form")),
		chromedp.Click(chromedp.ID("decision-approve")),
		chromedp.SendKeys(chromedp.ID("comment"), "A distinct audience: news for Spanish speakers."),
		chromedp.Click(chromedp.ID("decision-submit")),
		chromedp.WaitVisible(chromedp.ID("request-account")),
	)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	if got := e.text(t, "#request-status"); got != model.StatusActive {
		t.Errorf("status after approval %q, want active", got)
	}
	if got := e.text(t, "#history"); !strings.Contains(got, "A distinct audience") {
		t.Errorf("history %q lacks the comment", got)
	}
	if got := accountNamed(t, e.store, "@UNOPS_es_news"); got.Status != model.StatusActive {
		t.Errorf("the approved account is stored as %q with status %q", got.Handle, got.Status)
	}
	if got := e.text(t, "main"); !strings.Contains(got, "@UNOPS_es_news") {
		t.Errorf("the request page does not show the canonical handle @UNOPS_es_news:\n%s", got)
	}

	err = chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/verify"),
		chromedp.WaitVisible(chromedp.ID("verify-form")),
		chromedp.SendKeys(chromedp.ID("handle"), "https://x.com/unops_es_news"),
		chromedp.Click(chromedp.ID("verify-submit")),
		chromedp.WaitVisible(chromedp.ID("verify-result")),
	)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if got := e.text(t, "#verify-answer"); got != "Official account" {
		t.Errorf("/verify says %q, want Official account", got)
	}
}
