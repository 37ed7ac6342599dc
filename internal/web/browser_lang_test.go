package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// testLanguages shows the main pages in each language, chosen by ?lang=
// (the switcher's links): each page says its
// language in <html lang>, has its title and a known heading in it, and a
// screenshot of it is saved and not empty.
func testLanguages(t *testing.T, e *browserEnv) {
	dir := screenshotDir(t)
	pages := []struct {
		name, path, ready, title, heading, key string
		public                                 bool
	}{
		{"verify", "/verify", "#verify-form", "title.verify", "#about-h", "verify.about.title", true},
		{"registry", "/registry", "#registry-filter", "title.registry", "#report-h", "report.report_a_suspicious_account", true},
		{"signin", "/signin", "#signin-form", "title.signin", "#signin-submit", "signin.sign_in", true},
		{"dashboard", "/", "#reg-h", "title.dashboard", "#reg-h", "dashboard.registry", false},
		{"accounts", "/accounts", "#accounts-table", "title.accounts", "h1", "accounts.accounts", false},
		{"check", "/check", "#check-form", "title.check", "h1", "check.check_a_post", false},
		{"review", "/review", "main", "title.review_queue", "h1", "review_queue.review_queue", false},
		{"settings", "/settings", "#lang-form", "title.settings", "#lang-h", "settings.language", false},
	}
	// Public pages first: signed in, /signin would lead to the dashboard.
	signedIn := false
	for _, p := range pages {
		if !p.public && !signedIn {
			e.signIn(t, model.RoleAdmin)
			signedIn = true
		}
		for _, lang := range i18n.Languages() {
			err := chromedp.Do(e.ctx,
				chromedp.Navigate(e.base+p.path+"?lang="+lang),
				chromedp.WaitVisible(chromedp.CSS(p.ready)),
			)
			if err != nil {
				t.Errorf("%s in %s: %v", p.path, lang, err)
				continue
			}
			htmlLang, title := e.eval(t, `document.documentElement.lang`), e.eval(t, `document.title`)
			if htmlLang != lang {
				t.Errorf("%s?lang=%s: <html lang=%q>", p.path, lang, htmlLang)
			}
			if want := i18n.T(lang, "layout.herald", i18n.T(lang, p.title)); title != want {
				t.Errorf("%s in %s: title %q, want %q", p.path, lang, title, want)
			}
			if got, want := e.text(t, p.heading), i18n.T(lang, p.key); got != want {
				t.Errorf("%s in %s: %s says %q, want %q", p.path, lang, p.heading, got, want)
			}
			name := p.name + "-" + lang
			e.shoot(t, dir, name)
			if fi, err := os.Stat(filepath.Join(dir, name+".png")); err != nil || fi.Size() < 1000 {
				t.Errorf("screenshot %s is missing or empty: %v", name, err)
			}
		}
	}
	// The switcher is a plain link: following it changes the language.
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/check?lang=en"),
		chromedp.WaitVisible(chromedp.ID("lang-es")),
		chromedp.Click(chromedp.ID("lang-es")),
		chromedp.WaitVisible(chromedp.CSS(`#lang-es[aria-current="true"]`)),
	)
	if err != nil {
		t.Fatalf("the switcher's Español link: %v", err)
	}
	if got := e.eval(t, `document.documentElement.lang`); got != "es" {
		t.Errorf("after the switcher's Español link the page is in %q", got)
	}
}

// eval is the string a JavaScript expression gives in the tab.
func (e *browserEnv) eval(t *testing.T, expr string) string {
	t.Helper()
	s, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return s
}
