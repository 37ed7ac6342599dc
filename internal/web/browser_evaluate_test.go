package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/model"
)

// testEvaluateNow (TestBrowser/EvaluateNow): an admin evaluates every
// account from the dashboard, sees what was found and the accounts without
// data under "Health unknown" with what to do, then evaluates one account
// from its page.
func testEvaluateNow(t *testing.T, e *browserEnv) {
	e.signIn(t, model.RoleAdmin)
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.ID("evaluate-all")),
		chromedp.Click(chromedp.ID("evaluate-all")), chromedp.WaitVisible(chromedp.ID("notice"))); err != nil {
		t.Fatalf("evaluate all: %v", err)
	}
	if got := e.text(t, "#notice"); !strings.Contains(got, "Evaluated now under policy 4.6") {
		t.Errorf("dashboard notice after evaluate all: %q", got)
	}
	if e.count(t, "#unknown-list > li") == 0 {
		t.Fatal("no account is listed under Health unknown, though the demo's accounts have no data")
	}
	if got := e.text(t, "#unknown-list > li"); !strings.Contains(got, "What to do") {
		t.Errorf("the unknown account does not say what to do: %q", got)
	}
	if err := chromedp.Do(e.ctx, chromedp.Click(chromedp.CSS("#unknown-list > li a")), chromedp.WaitVisible(chromedp.ID("evaluate-now")),
		chromedp.Click(chromedp.ID("evaluate-now")), chromedp.WaitVisible(chromedp.ID("notice"))); err != nil {
		t.Fatalf("evaluate one: %v", err)
	}
	if got := e.text(t, "#health-state"); !strings.Contains(got, "unknown") {
		t.Errorf("account health after evaluate now: %q", got)
	}
}
