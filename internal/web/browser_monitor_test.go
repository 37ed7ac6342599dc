package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

// seedQuietAccount gives the demo's Kyiv energy project account on X half a
// year of posts that thin out and stop 40 days before now, with follower
// snapshots, so it is at risk for no recent post.
func seedQuietAccount(t *testing.T, e *browserEnv, now time.Time) model.Account {
	t.Helper()
	ctx := t.Context()
	accs, _, err := e.store.Accounts(ctx, store.AccountFilter{Query: "Energy_UA"})
	if err != nil || len(accs) != 1 {
		t.Fatalf("demo account: %v (%d)", err, len(accs))
	}
	acc := accs[0]
	n := func(v int64) *int64 { return &v }
	var posts []model.Post
	for age, i := 40, 0; age <= 180; age, i = age+(age-30)/10+1, i+1 {
		posts = append(posts, model.Post{AccountID: acc.ID, Platform: acc.Platform, ExternalID: "p" + strconv.Itoa(i),
			URL: "https://x.com/UNOPS_Energy_UA/status/" + strconv.Itoa(1000+i), Text: "Update " + strconv.Itoa(i),
			PostedAt: now.AddDate(0, 0, -age), Replies: n(int64(i % 4)), Reposts: n(int64(2 + i%5)), Likes: n(int64(10 + 3*(i%6))), Source: "api"})
	}
	if err := e.store.UpsertPosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	for i, age := range []int{170, 120, 60, 10} {
		p := model.Profile{AccountID: acc.ID, Platform: acc.Platform, Handle: acc.Handle, Followers: n(int64(5200 - 150*i)), FetchedAt: now.AddDate(0, 0, -age)}
		if err := e.store.AddProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	return acc
}

// evaluatedQuietAccount seeds the quiet account and evaluates every account
// at now with the default pack, which finds it at risk; it returns the
// account, the monitor and the pack for later evaluations.
func evaluatedQuietAccount(t *testing.T, e *browserEnv, now time.Time) (model.Account, *monitor.Monitor, *policy.Pack) {
	t.Helper()
	acc := seedQuietAccount(t, e, now)
	pack, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := monitor.New(monitor.Options{Store: e.store, Pack: pack})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Evaluate(t.Context(), now); err != nil {
		t.Fatal(err)
	}
	return acc, m, pack
}

// testMonitor (TestBrowser/Monitor): an account that went quiet is found
// at risk with its reason on the dashboard; past the grace period its
// closure is proposed; the admin closes it with the checklist; /verify
// says closed since; the audit page shows the steps. Screenshots of the
// dashboard and the account page with its charts.
func testMonitor(t *testing.T, e *browserEnv) {
	ctx := t.Context()
	now := time.Now().UTC()
	acc, m, pack := evaluatedQuietAccount(t, e, now)
	id := strconv.FormatInt(acc.ID, 10)
	dir := screenshotDir(t)
	shot := func(name string) { e.shoot(t, dir, name) }

	e.signIn(t, model.RoleAdmin)
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.ID("at-risk-"+id))); err != nil {
		t.Fatalf("dashboard at-risk item: %v", err)
	}
	item := e.text(t, "#at-risk-"+id)
	if !strings.Contains(item, "at-risk") || !strings.Contains(item, "§ 4.6") || !strings.Contains(item, "closure will be proposed on") {
		t.Errorf("dashboard at-risk item: %q", item)
	}
	if e.count(t, "#at-risk-"+id+` li[data-code="no-recent-posts"]`) != 1 {
		t.Error("the dashboard does not give the reason no-recent-posts")
	}
	shot("dashboard")

	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/accounts/"+id), chromedp.WaitVisible(chromedp.ID("health"))); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "#chart-posts svg[role=img] title, #chart-engagement svg[role=img] title"); n < 2 {
		t.Errorf("account page charts: %d titled SVGs", n)
	}
	shot("account-health")

	// Past the grace period the monitor proposes closure.
	grace := pack.Parameters.Health.GraceDays
	if _, err := m.Evaluate(ctx, now.AddDate(0, 0, grace+1)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/accounts/"+id),
		chromedp.WaitVisible(chromedp.ID("account-close")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.text(t, "#d-status"); got != model.StatusClosureProposed {
		t.Fatalf("status past the grace period %q, want closure-proposed", got)
	}
	err = chromedp.Do(e.ctx,
		chromedp.Click(chromedp.ID("account-close")),
		chromedp.WaitVisible(chromedp.ID("close-form")),
		chromedp.Click(chromedp.ID("content_archived")),
		chromedp.Click(chromedp.ID("credentials_revoked")),
		chromedp.Click(chromedp.ID("removed_from_verification")),
		chromedp.SendKeys(chromedp.ID("close-reason"), "No post since the project's last phase; archive handed to the country office."),
	)
	if err != nil {
		t.Fatalf("fill the checklist: %v", err)
	}
	shot("closure")
	err = chromedp.Do(e.ctx, chromedp.Click(chromedp.ID("close-submit")), chromedp.WaitVisible(chromedp.ID("notice")))
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	if got := e.text(t, "#d-status"); got != model.StatusClosed {
		t.Errorf("status after closing %q", got)
	}
	if got := e.text(t, "#history"); !strings.Contains(got, "archive handed to the country office") || !strings.Contains(got, "closure-proposed → closed") {
		t.Errorf("history after closing: %q", got)
	}

	err = chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/verify"),
		chromedp.WaitVisible(chromedp.ID("verify-form")),
		chromedp.SetValue(chromedp.ID("platform"), acc.Platform),
		chromedp.SendKeys(chromedp.ID("handle"), acc.Handle),
		chromedp.Click(chromedp.ID("verify-submit")),
		chromedp.WaitVisible(chromedp.ID("verify-result")),
	)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if got := e.text(t, "#verify-result"); !strings.Contains(got, "closed since "+now.Format("2 January 2006")) {
		t.Errorf("verify after closing: %q", got)
	}

	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/audit"), chromedp.WaitVisible(chromedp.ID("audit-table"))); err != nil {
		t.Fatal(err)
	}
	audit := e.text(t, "#audit-table")
	for _, want := range []string{"active → at-risk", "at-risk → closure-proposed", "account.close"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	shot("audit")
}
