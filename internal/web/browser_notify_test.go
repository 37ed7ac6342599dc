package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/model"
)

// testForYou (TestBrowser/ForYou): a staff member asks the Communications
// Group through the advice form; a reviewer who signs in next finds the
// question at the top of the dashboard, under "Waiting for you", and the
// header's bell counts the notice; the link opens the thread; the
// notifications page shows the keyed message.
func testForYou(t *testing.T, e *browserEnv) {
	const question = "May I post the photo of our Juba engineers at the bridge opening?"
	e.signIn(t, model.RoleStaff)
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/advice"),
		chromedp.WaitVisible(chromedp.ID("advice-form")),
		chromedp.SendKeys(chromedp.ID("question"), question),
		chromedp.Click(chromedp.ID("advice-submit")),
		chromedp.WaitNotPresent(chromedp.ID("advice-form")),
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
	)
	if err != nil {
		t.Fatalf("ask as staff: %v", err)
	}
	e.signIn(t, model.RoleReviewer)
	first, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](
		`document.querySelector("main h2") ? document.querySelector("main h2").id : ""`))
	if err != nil || first != "for-you-h" {
		t.Fatalf("the dashboard's first section is %q, want Waiting for you (%v)", first, err)
	}
	if got := e.text(t, "#for-you-advice-list"); !strings.Contains(got, question) {
		t.Fatalf("waiting for you lists %q", got)
	}
	if got := e.text(t, "#unread-count"); got == "" || got == "0" {
		t.Errorf("the bell counts %q unread", got)
	}
	err = chromedp.Do(e.ctx,
		chromedp.Click(chromedp.CSS("#for-you-advice-list a")),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if p := e.location(t); !strings.HasPrefix(p, "/advice/") {
		t.Fatalf("the link opened %s", p)
	}
	err = chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notifications-list")))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.text(t, "#notifications-list"); !strings.Contains(got, "asks the Communications Group for advice.") {
		t.Errorf("notifications page shows %q", got)
	}
}
