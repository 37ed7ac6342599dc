package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/model"
)

// testImpostor (TestBrowser/Impostor): someone without an account reports
// @UN0PS_es from the public directory; a reviewer finds it in the triage
// queue with its score and the account it imitates, confirms it as an
// impersonation and gets the text to send X.
func testImpostor(t *testing.T, e *browserEnv) {
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/registry"),
		chromedp.WaitVisible(chromedp.ID("registry-table")),
		chromedp.SetValue(chromedp.ID("report-platform"), "x"),
		chromedp.SendKeys(chromedp.ID("report-handle"), "@UN0PS_es"),
		chromedp.SendKeys(chromedp.ID("report-note"), "Pide dinero por empleos"),
		chromedp.Click(chromedp.ID("report-submit")),
		chromedp.WaitVisible(chromedp.ID("report-sent")),
	)
	if err != nil {
		t.Fatalf("report from the directory: %v", err)
	}
	if got := e.text(t, "#registry-table"); !strings.Contains(got, "@UNOPS_es") {
		t.Errorf("the directory does not list @UNOPS_es: %q", got)
	}

	e.signIn(t, model.RoleReviewer)
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/found"), chromedp.WaitVisible(chromedp.ID("found-table"))); err != nil {
		t.Fatalf("open the queue: %v", err)
	}
	row, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](
		`([...document.querySelectorAll('#found-table tbody tr')].find(r => r.textContent.includes('UN0PS_es')) || {id: ''}).id`))
	if err != nil || row == "" {
		t.Fatalf("@UN0PS_es not in the queue (%v)", err)
	}
	id := strings.TrimPrefix(row, "found-")
	if got := e.text(t, "#"+row+" .lookalike"); !strings.Contains(got, "score") || !strings.Contains(got, "imitates @UNOPS") {
		t.Errorf("queue row shows %q, want a score and the imitated account", got)
	}
	if got := e.text(t, "#"+row+" .reports"); got != "1" {
		t.Errorf("report count %q, want 1", got)
	}
	err = chromedp.Do(e.ctx,
		chromedp.SetValue(chromedp.ID("action-"+id), "impersonation"),
		chromedp.SendKeys(chromedp.ID("reason-"+id), "asks for money for jobs"),
		chromedp.Click(chromedp.ID("triage-"+id)),
		chromedp.WaitVisible(chromedp.ID("takedown-text")),
	)
	if err != nil {
		t.Fatalf("confirm as impersonation: %v", err)
	}
	text, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.getElementById('takedown-text').value`))
	if err != nil || !strings.Contains(text, "UN0PS_es") || !strings.Contains(text, "imitating our official account @UNOPS") {
		t.Errorf("report text %q (%v)", text, err)
	}
	if n := e.count(t, `#takedown-form-link[href="https://help.x.com/forms/impersonation"]`); n != 1 {
		t.Errorf("no link to X's impersonation form")
	}
}
