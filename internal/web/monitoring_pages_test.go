package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// xAnalytics writes an X post-analytics export (current columns) with one
// post per given age in days before now; text is put in every post.
func xAnalytics(now time.Time, text string, ages ...int) string {
	var b strings.Builder
	b.WriteString("Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Replies,Reposts\n")
	for i, age := range ages {
		id := 1786000000000000000 + i
		d := now.AddDate(0, 0, -age).Format("Mon, Jan 02, 2006")
		fmt.Fprintf(&b, "%d,%q,%q,https://x.com/UNOPS_Energy_UA/status/%d,\"1,200\",14,40,1,0,0,2,3\n", id, d,
			strings.ReplaceAll(text, `"`, `""`), id)
	}
	return b.String()
}

// accountByHandle finds a demo account.
func accountByHandle(t *testing.T, e *testEnv, handle string) model.Account {
	t.Helper()
	accs, _, err := e.st.Accounts(t.Context(), store.AccountFilter{Query: handle})
	if err != nil || len(accs) != 1 {
		t.Fatalf("account %s: %v (%d found)", handle, err, len(accs))
	}
	return accs[0]
}

func accountStatus(t *testing.T, e *testEnv, id int64) string {
	t.Helper()
	acc, err := e.st.Account(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return acc.Status
}

// TestHealthAndClosureFlow, on both databases: a manager imports old
// posts for their account; the evaluation finds it at risk with its reason
// (API, dashboard, account page); past the grace period closure is
// proposed; the checklist must be complete; the admin closes it; /verify
// says closed since; the history and audit trail hold each step.
func TestHealthAndClosureFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		ctx := t.Context()
		now := time.Now().UTC()
		acc := accountByHandle(t, e, "Energy_UA")
		path := "/accounts/" + strconv.FormatInt(acc.ID, 10)
		admin := e.token(model.RoleAdmin)

		_, out := apiDo(t, e, "GET", "/api/v1/accounts/"+strconv.FormatInt(acc.ID, 10), admin, "")
		if h, ok := out["health"]; !ok || h != nil {
			t.Errorf("health before any evaluation: %v (present %v), want null", h, ok)
		}

		m := e.signedIn(model.RoleManager)
		csv := xAnalytics(now, "Solar mini-grids for hospitals", 60, 65, 70, 80, 85)
		resp := m.postFile(path+"/analytics", "file", "x.csv", csv, url.Values{"csrf": {m.csrf(path + "/analytics")}})
		body := readBody(resp)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="analytics-commit"`) || strings.Count(body, `class="post-text"`) != 5 {
			t.Fatalf("preview: %d\n%s", resp.StatusCode, body)
		}
		resp = m.post(path+"/analytics/commit", url.Values{"csrf": {m.csrf(path + "/analytics")}, "csv": {csv}})
		if body := readBody(resp); !strings.Contains(body, `id="analytics-result"`) || !strings.Contains(body, "5 posts imported") {
			t.Fatalf("commit: %d\n%s", resp.StatusCode, body)
		}

		sum, err := e.srv.monitor.Evaluate(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if sum.AtRisk == 0 {
			t.Fatalf("evaluation found nothing at risk: %+v", sum)
		}
		if got := accountStatus(t, e, acc.ID); got != model.StatusAtRisk {
			t.Fatalf("status after evaluation %q, want at-risk", got)
		}
		_, out = apiDo(t, e, "GET", "/api/v1/accounts/"+strconv.FormatInt(acc.ID, 10), admin, "")
		h, _ := out["health"].(map[string]any)
		if h == nil || h["state"] != "at-risk" || h["posts_90d"] != float64(5) || h["posts_30d"] != float64(0) || h["last_post_at"] == nil {
			t.Fatalf("API health %v", out["health"])
		}
		reasons, _ := h["reasons"].([]any)
		if len(reasons) == 0 || reasons[0].(map[string]any)["code"] != "no-recent-posts" || reasons[0].(map[string]any)["clause"] != "4.6" {
			t.Errorf("API reasons %v", reasons)
		}

		a := e.signedIn(model.RoleAdmin)
		_, dash := a.get("/")
		item := between(dash, fmt.Sprintf(`id="at-risk-%d"`, acc.ID), "</li>")
		if !strings.Contains(item, `data-code="no-recent-posts"`) || !strings.Contains(item, "closure will be proposed on") {
			t.Errorf("dashboard at-risk item: %q", item)
		}
		if !strings.Contains(dash, `<a href="/accounts?status=at-risk">at-risk</a></td><td class="num">`) {
			t.Error("dashboard has no status count for at-risk")
		}
		_, page := a.get(path)
		for _, want := range []string{`id="health-state"`, `id="chart-posts"`, `<svg`, `id="sync-state"`, `id="account-close"`, "(plan: about 13)"} {
			if !strings.Contains(page, want) {
				t.Errorf("account page lacks %q", want)
			}
		}
		if _, page := e.signedIn(model.RoleStaff).get(path); strings.Contains(page, `id="sync-state"`) || strings.Contains(page, `id="account-close"`) {
			t.Error("staff sees the sync state or the closing link")
		}

		// Past the grace period: closure proposed.
		grace := e.srv.checker.Pack().Parameters.Health.GraceDays
		if _, err := e.srv.monitor.Evaluate(ctx, now.AddDate(0, 0, grace+1)); err != nil {
			t.Fatal(err)
		}
		if got := accountStatus(t, e, acc.ID); got != model.StatusClosureProposed {
			t.Fatalf("status past the grace period %q, want closure-proposed", got)
		}

		// The generic status form may not close it.
		resp = a.post(path+"/transition", url.Values{"csrf": {a.csrf(path)}, "to": {model.StatusClosed}, "reason": {"quiet"}})
		if readBody(resp); resp.StatusCode != http.StatusBadRequest || accountStatus(t, e, acc.ID) != model.StatusClosureProposed {
			t.Errorf("closing through the status form: %d", resp.StatusCode)
		}
		// Farewell: a draft on the account pointing its followers to the
		// main account, which its author then sends for review.
		_, cpage := a.get(path + "/close")
		var mainID string
		if m := regexp.MustCompile(`id="main_account" name="main_account"><option value="(\d+)"`).FindStringSubmatch(cpage); m != nil {
			mainID = m[1]
		}
		if mainID == "" || !strings.Contains(cpage, `id="keep_parked"`) {
			t.Fatalf("closing page lacks the farewell or the parking option:\n%s", cpage)
		}
		resp = a.post(path+"/farewell", url.Values{"csrf": {a.csrf(path + "/close")}, "main_account": {strconv.FormatInt(acc.ID, 10)}})
		if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="farewell-error"`) ||
			!strings.Contains(body, "main_account") {
			t.Errorf("farewell pointing to itself: %d", resp.StatusCode)
		}
		resp = a.post(path+"/farewell", url.Values{"csrf": {a.csrf(path + "/close")}, "main_account": {mainID}})
		fbody := readBody(resp)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/drafts/") {
			t.Fatalf("farewell: %d %q %s", resp.StatusCode, loc, between(fbody, `id="farewell-error"`, "</p>"))
		}
		_, draft := a.get(loc)
		if !strings.Contains(draft, "no longer updated") || !strings.Contains(draft, acc.Handle) {
			t.Errorf("farewell draft page:\n%s", draft)
		}
		// An incomplete checklist closes nothing.
		closeForm := url.Values{"csrf": {a.csrf(path + "/close")}, "content_archived": {"1"}, "credentials_revoked": {"1"},
			"reason": {"Quiet since the project ended."}}
		resp = a.post(path+"/close", closeForm)
		if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="close-error"`) {
			t.Errorf("incomplete checklist: %d", resp.StatusCode)
		}
		if got := accountStatus(t, e, acc.ID); got != model.StatusClosureProposed {
			t.Fatalf("an incomplete checklist changed the status to %q", got)
		}
		closeForm.Set("removed_from_verification", "1")
		closeForm.Set("keep_parked", "1")
		resp = a.post(path+"/close", closeForm)
		if readBody(resp); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", resp.StatusCode)
		}
		if got := accountStatus(t, e, acc.ID); got != model.StatusClosed {
			t.Fatalf("status after closing %q", got)
		}
		_, v := apiDo(t, e, "GET", "/api/v1/verify?platform=x&handle="+url.QueryEscape(acc.Handle), "", "")
		if v["official"] != false || v["status"] != model.StatusClosed || v["closed_at"] == nil {
			t.Errorf("verify after closing: %v", v)
		}
		_, page = a.get(path)
		if !strings.Contains(page, `id="d-parked"`) {
			t.Error("the account page does not say the handle is kept parked")
		}
		if !strings.Contains(between(page, `id="history"`, "</table>"), "Quiet since the project ended.") {
			t.Error("the account's history lacks the closing reason")
		}
		_, audit := a.get("/audit?object=" + url.QueryEscape("account:"+strconv.FormatInt(acc.ID, 10)))
		for _, action := range []string{"activity.import", "account.close"} {
			if !strings.Contains(audit, action) {
				t.Errorf("audit trail lacks %s", action)
			}
		}
	})
}

// between is the part of s from the first from to the next to after it.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

// TestKeepOpen: keeping an account open needs a reason and makes it active.
func TestKeepOpen(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	acc := accountByHandle(t, e, "peru")
	path := "/accounts/" + strconv.FormatInt(acc.ID, 10)
	// No data at all, evaluated long after registration: at risk (no-data).
	if _, err := e.srv.monitor.Evaluate(t.Context(), time.Now().AddDate(0, 0, 40)); err != nil {
		t.Fatal(err)
	}
	if got := accountStatus(t, e, acc.ID); got != model.StatusAtRisk {
		t.Fatalf("status %q, want at-risk", got)
	}
	a := e.signedIn(model.RoleAdmin)
	resp := a.post(path+"/keep-open", url.Values{"csrf": {a.csrf(path + "/close")}, "reason": {"  "}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="keep-error"`) {
		t.Errorf("keep open without a reason: %d", resp.StatusCode)
	}
	resp = a.post(path+"/keep-open", url.Values{"csrf": {a.csrf(path + "/close")}, "reason": {"Analytics arrive next week."}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther || accountStatus(t, e, acc.ID) != model.StatusActive {
		t.Fatalf("keep open: %d, status %s", resp.StatusCode, accountStatus(t, e, acc.ID))
	}
	_, page := a.get(path + "?kept=1")
	if !strings.Contains(page, "Analytics arrive next week.") || !strings.Contains(page, `id="notice"`) {
		t.Error("the account page shows neither the reason nor the notice")
	}
}

// TestAnalyticsImportRules: bad rows are listed by line and nothing is
// written; a file of another platform is refused; a manager may import
// only for their own accounts.
func TestAnalyticsImportRules(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	now := time.Now().UTC()
	mine := accountByHandle(t, e, "Energy_UA")
	path := "/accounts/" + strconv.FormatInt(mine.ID, 10)
	m := e.signedIn(model.RoleManager)

	bad := xAnalytics(now, "fine", 3, 4) + "1786000000000000009,not a date,text,https://x.com/a/status/1,12,1,1,0,0,0,0,0\n"
	resp := m.postFile(path+"/analytics", "file", "x.csv", bad, url.Values{"csrf": {m.csrf(path + "/analytics")}})
	body := readBody(resp)
	if !strings.Contains(body, `id="problems"`) || !strings.Contains(body, "<td>4</td>") || strings.Contains(body, `id="analytics-commit"`) {
		t.Errorf("preview of a bad file: %d\n%s", resp.StatusCode, body)
	}
	resp = m.post(path+"/analytics/commit", url.Values{"csrf": {m.csrf(path + "/analytics")}, "csv": {bad}})
	if readBody(resp); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("commit of a bad file: %d, want 400", resp.StatusCode)
	}
	if _, out := apiDo(t, e, "GET", "/api/v1/accounts/"+strconv.FormatInt(mine.ID, 10), e.token(model.RoleAdmin), ""); out["health"] != nil {
		t.Errorf("health after a refused import: %v", out["health"])
	}
	if _, err := e.srv.monitor.Evaluate(t.Context(), now); err != nil {
		t.Fatal(err)
	}
	if rec, err := e.srv.monitor.Health(t.Context(), mine.ID); err != nil || rec.Result.Posts30d != 0 {
		t.Errorf("a refused file wrote posts: %+v %v", rec, err)
	}

	peru := accountByHandle(t, e, "peru") // Bluesky
	p := "/accounts/" + strconv.FormatInt(peru.ID, 10) + "/analytics"
	a := e.signedIn(model.RoleAdmin)
	resp = a.post(p, url.Values{"csrf": {a.csrf(p)}, "csv": {xAnalytics(now, "x", 1)}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "is on bluesky") {
		t.Errorf("an X file for a Bluesky account: %d", resp.StatusCode)
	}
	other := accountByHandle(t, e, "myanmar") // not the demo manager's
	if code, _ := m.get("/accounts/" + strconv.FormatInt(other.ID, 10) + "/analytics"); code != http.StatusForbidden {
		t.Errorf("manager on another account's analytics: %d, want 403", code)
	}
}

// TestMonitorPagesEscapeHostileInput: hostile text in an analytics file
// and in closing reasons comes back escaped.
func TestMonitorPagesEscapeHostileInput(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	acc := accountByHandle(t, e, "Energy_UA")
	path := "/accounts/" + strconv.FormatInt(acc.ID, 10)
	a := e.signedIn(model.RoleAdmin)
	csv := xAnalytics(time.Now().UTC(), hostile, 1, 2)
	resp := a.postFile(path+"/analytics", "file", "x.csv", csv, url.Values{"csrf": {a.csrf(path + "/analytics")}})
	assertEscaped(t, "analytics preview", readBody(resp))
	resp = a.post(path+"/analytics", url.Values{"csrf": {a.csrf(path + "/analytics")}, "csv": {hostile}})
	assertEscaped(t, "analytics error", readBody(resp))
	if _, err := e.srv.monitor.Evaluate(t.Context(), time.Now().AddDate(0, 0, 45)); err != nil {
		t.Fatal(err)
	}
	resp = a.post(path+"/close", url.Values{"csrf": {a.csrf(path + "/close")}, "reason": {hostile}, "content_archived": {"1"}})
	assertEscaped(t, "close", readBody(resp))
	resp = a.post(path+"/keep-open", url.Values{"csrf": {a.csrf(path + "/close")}, "reason": {hostile}})
	if readBody(resp); resp.StatusCode >= 500 {
		t.Fatalf("keep open: %d", resp.StatusCode)
	}
	for _, p := range []string{"/", path, path + "/close", path + "/analytics", "/audit"} {
		_, body := a.get(p)
		assertEscaped(t, p, body)
	}
}

// TestHealthAndHistoryInEachLanguage: an account's health state, its
// reasons and its status history are words of the page's language, not
// codes.
func TestHealthAndHistoryInEachLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	if _, err := e.srv.monitor.Evaluate(t.Context(), time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	acc := accountByHandle(t, e, "Energy_UA")
	if acc.Status != model.StatusAtRisk {
		t.Fatalf("%s is %s after the evaluation, want at-risk", acc.Handle, acc.Status)
	}
	a := e.signedIn(model.RoleAdmin)
	for _, lang := range []string{"fr", "es"} {
		_, page := a.getLang(fmt.Sprintf("/accounts/%d?lang=%s", acc.ID, lang), "")
		state := between(page, `id="health-state"`, `class="when"`)
		if !strings.Contains(state, ">"+i18n.T(lang, "health_state.at-risk")+"</span>: ") ||
			!strings.Contains(state, i18n.T(lang, "health_reason.project-ended")) {
			t.Errorf("%s: health state %q, want it at risk because its project ended", lang, state)
		}
		history := between(page, `id="history"`, "</table>")
		if want := i18n.T(lang, "status.active") + " → " + i18n.T(lang, "status.at-risk"); !strings.Contains(history, want) {
			t.Errorf("%s: history %q lacks %q", lang, history, want)
		}
	}
}

// TestHealthFiguresInEachLanguage: the figures in an account's health
// reasons are written as the page's language writes numbers (4 920,
// 0,00903 %), and a reason stored when its figures were text already
// written reads as it did.
func TestHealthFiguresInEachLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	acc, old := accountByHandle(t, e, "Energy_UA"), accountByHandle(t, e, "UNOPS_fr")
	now := time.Now().UTC()
	if err := e.st.SaveHealth(t.Context(), []store.HealthRow{
		{AccountID: acc.ID, State: "at-risk", EvaluatedAt: now, Reasons: `[{"code":"low-engagement","clause":"4.6",` +
			`"message":"Engagement is 0.00903% …","key":"low-engagement","args":[0.0000903,6,90,4920,0.0005]}]`},
		{AccountID: old.ID, State: "at-risk", EvaluatedAt: now, Reasons: `[{"code":"low-engagement","clause":"4.6",` +
			`"message":"Engagement is 0.00903% …","key":"low-engagement","args":["0.00903%","6","90","4920","0.05%"]}]`},
	}); err != nil {
		t.Fatal(err)
	}
	a := e.signedIn(model.RoleAdmin)
	for lang, want := range map[string][]string{
		"fr": {"0,00903\u00a0% des abonnés", "4\u00a0920 abonnés", "0,05\u00a0%."},
		"es": {"0,00903\u00a0% de los seguidores", "4.920 seguidores", "0,05\u00a0%."},
	} {
		_, page := a.getLang(fmt.Sprintf("/accounts/%d?lang=%s", acc.ID, lang), "")
		reasons := between(page, `class="reasons"`, "</ul>")
		for _, w := range want {
			if !strings.Contains(reasons, w) {
				t.Errorf("%s: health reasons %q lack %q", lang, reasons, w)
			}
		}
		_, page = a.getLang(fmt.Sprintf("/accounts/%d?lang=%s", old.ID, lang), "")
		if reasons := between(page, `class="reasons"`, "</ul>"); !strings.Contains(reasons, "0.00903%") || !strings.Contains(reasons, "4920") {
			t.Errorf("%s: a reason stored with its figures as text reads %q", lang, reasons)
		}
	}
}

// TestHealthFigureListInEachLanguage: the account page's figures (the
// plan, the engagement rate and its floor) are written the reader's way.
func TestHealthFigureListInEachLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	acc := accountByHandle(t, e, "Energy_UA")
	rate := 0.0123456
	if err := e.st.SaveHealth(t.Context(), []store.HealthRow{{AccountID: acc.ID, State: "healthy", EvaluatedAt: time.Now().UTC(),
		Reasons: "[]", Posts30d: 12, Posts90d: 40, EngagementRate: &rate}}); err != nil {
		t.Fatal(err)
	}
	a := e.signedIn(model.RoleAdmin)
	for lang, want := range map[string]string{
		"en": "1.23% of followers per post",
		"fr": "1,23\u00a0% des abonnés par publication",
		"es": "1,23\u00a0% de los seguidores por publicación",
	} {
		_, page := a.getLang(fmt.Sprintf("/accounts/%d?lang=%s", acc.ID, lang), "")
		got := between(page, `id="h-engagement">`, "</dd>")
		if !strings.Contains(got, want) {
			t.Errorf("%s: engagement %q, want %q", lang, got, want)
		}
		if lang != "en" && strings.ContainsAny(got, ".") {
			t.Errorf("%s: engagement %q has a decimal point", lang, got)
		}
	}
}

// TestAnalyticsImportOtherAccount: another account's export, posts whose
// addresses name another handle, is refused as a whole (page and API), so
// its posts never count as this account's activity.
func TestAnalyticsImportOtherAccount(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	now := time.Now().UTC()
	mine := accountByHandle(t, e, "Energy_UA")
	path := "/accounts/" + strconv.FormatInt(mine.ID, 10)
	other := strings.ReplaceAll(xAnalytics(now, "fine", 3, 4), "x.com/UNOPS_Energy_UA/", "x.com/UNOPS_fr/")
	m := e.signedIn(model.RoleManager)
	resp := m.postFile(path+"/analytics", "file", "x.csv", other, url.Values{"csrf": {m.csrf(path + "/analytics")}})
	body := readBody(resp)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "holds posts of unops_fr") || strings.Contains(body, `id="analytics-commit"`) {
		t.Errorf("preview of another account's file: %d\n%s", resp.StatusCode, body)
	}
	resp = m.post(path+"/analytics/commit", url.Values{"csrf": {m.csrf(path + "/analytics")}, "csv": {other}})
	if readBody(resp); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("commit of another account's file: %d, want 400", resp.StatusCode)
	}
	if posts, err := e.st.Posts(t.Context(), mine.ID, time.Time{}, now.Add(time.Hour)); err != nil || len(posts) != 0 {
		t.Errorf("another account's posts were imported: %v %d", err, len(posts))
	}
	// Its own export, with the handle in another case, is fine.
	own := strings.ReplaceAll(xAnalytics(now, "fine", 3, 4), "x.com/UNOPS_Energy_UA/", "twitter.com/unops_energy_ua/")
	resp = m.post(path+"/analytics/commit", url.Values{"csrf": {m.csrf(path + "/analytics")}, "csv": {own}})
	if body := readBody(resp); !strings.Contains(body, "2 posts imported") {
		t.Errorf("commit of the account's own file: %d\n%s", resp.StatusCode, body)
	}
}
