package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/model"
)

// shoot saves a full-page PNG of the tab as dir/name.png.
func (e *browserEnv) shoot(t *testing.T, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(e.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// horizontalOverflow is how many CSS pixels the page is wider than the viewport.
const horizontalOverflow = `document.documentElement.scrollWidth - document.documentElement.clientWidth`

// tooWide names the replaced elements and tables wider than the viewport:
// these set their width from their content (a select from its longest
// option), and a grid or flex container without min-width 0 then grows
// with them, so they are the usual cause of sideways scrolling.
const tooWide = `(() => {
	const w = document.documentElement.clientWidth;
	return [...document.querySelectorAll("select, input, textarea, table, pre, img, video")]
		.filter(el => el.getBoundingClientRect().width > w)
		.map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
			" (" + Math.round(el.getBoundingClientRect().width) + " px)");
})()`

// a11yBasics lists what a page lacks of the accessibility basics: a language,
// a title, one h1, and a label (or ARIA name) for every visible form control.
const a11yBasics = `(() => {
	const out = [];
	if (!document.documentElement.lang) out.push("no lang on <html>");
	if (!document.title.trim()) out.push("empty <title>");
	const h1 = document.querySelectorAll("h1").length;
	if (h1 !== 1) out.push(h1 + " h1 elements");
	document.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(el => {
		if (el.getClientRects().length === 0) return; // not rendered, as a password manager's hidden username
		if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
			out.push("unlabelled " + el.tagName.toLowerCase() + (el.name ? "[name=" + el.name + "]" : ""));
	});
	return out;
})()`

// checkBasics reports the page's missing accessibility basics.
func (e *browserEnv) checkBasics(t *testing.T, path string) {
	t.Helper()
	missing, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](a11yBasics))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("%s: %s", path, m)
	}
}

// testScreenshots walks the main pages as an admin (who may see them all)
// and saves a screenshot of each, plus the check page at phone width.
func testScreenshots(t *testing.T, e *browserEnv) {
	dir := screenshotDir(t)
	t.Logf("screenshots in %s", dir)
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/signin"),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.shoot(t, dir, "signin")
	e.checkBasics(t, "/signin")
	e.signIn(t, model.RoleAdmin)

	for _, p := range []struct{ name, path, ready string }{
		{"dashboard", "/", "main"},
		{"accounts", "/accounts", "#accounts-table"},
		{"audit", "/audit", "#audit-table"},
		{"settings", "/settings", "#password-form"},
	} {
		err := chromedp.Do(e.ctx,
			chromedp.Navigate(e.base+p.path),
			chromedp.WaitVisible(chromedp.CSS(p.ready)),
		)
		if err != nil {
			t.Errorf("%s (%s): %v", p.name, p.path, err)
			continue
		}
		e.shoot(t, dir, p.name)
		e.checkBasics(t, p.path)
	}

	err = chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/check"),
		chromedp.WaitVisible(chromedp.ID("check-form")),
		chromedp.SendKeys(chromedp.ID("text"), phonePost+". Staying at the Hotel Serena, room 214, until Friday."),
	)
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(e.ctx,
		chromedp.Click(chromedp.ID("check-submit")),
		chromedp.WaitVisible(chromedp.ID("findings")),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.shoot(t, dir, "check")
	e.checkBasics(t, "/check")

	// A phone: 375 CSS pixels wide, as an iPhone SE or 8.
	err = chromedp.Do(e.ctx,
		chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.shoot(t, dir, "check-phone")
	over, err := chromedp.Run(e.ctx, chromedp.Evaluate[int](horizontalOverflow))
	if err != nil {
		t.Fatal(err)
	}
	if over > 0 {
		wide, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](tooWide))
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("at 375 px the check page is %d px wider than the screen (horizontal scrolling); too wide: %q", over, wide)
	}
}
