package web

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/media/mediatest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// The API's operations that mirror the UI's (issue 15, item 1), each
// through the real server on SQLite and PostgreSQL, each with a refusal of
// a role the route table does not allow.

// apiSend sends body of contentType and returns the answer's status and bytes.
func apiSend(t *testing.T, e *testEnv, method, path, token, contentType string, body io.Reader) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// multipartFile is a multipart body with one file field.
func multipartFile(field, name string, content []byte) (string, io.Reader) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(content)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

// expectAPI sends a JSON request and fails unless the status is want.
func expectAPI(t *testing.T, e *testEnv, want int, method, path, token, body string) map[string]any {
	t.Helper()
	code, out := apiDo(t, e, method, path, token, body)
	if code != want {
		t.Fatalf("%s %s: %d, want %d: %v", method, path, code, want, out)
	}
	return out
}

func idOf(out map[string]any) string { return strconv.FormatInt(int64(out["id"].(float64)), 10) }

func TestAPIPack(t *testing.T) {
	e := newTestEnv(t, nil)
	out := expectAPI(t, e, http.StatusOK, "GET", "/api/v1/pack", e.token(model.RoleAuditor), "")
	p := e.srv.checker.Pack()
	if out["id"] != p.Pack.ID || out["version"] != p.Pack.Version {
		t.Errorf("pack %v %v, want %s %s", out["id"], out["version"], p.Pack.ID, p.Pack.Version)
	}
	clauses, rules, checklist := out["clauses"].([]any), out["rules"].([]any), out["checklist"].([]any)
	if len(clauses) != len(p.Clauses) || len(rules) != len(p.Rules) || len(checklist) != len(p.Checklist) {
		t.Fatalf("pack answer: %d clauses, %d rules, %d checklist items; want %d, %d, %d",
			len(clauses), len(rules), len(checklist), len(p.Clauses), len(p.Rules), len(p.Checklist))
	}
	if c := clauses[0].(map[string]any); c["id"] != p.Clauses[0].ID || c["title"].(map[string]any)["en"] != p.Clauses[0].Title.In("en") {
		t.Errorf("first clause %v, want %s %s", c, p.Clauses[0].ID, p.Clauses[0].Title.In("en"))
	}
	if code, _ := apiDo(t, e, "GET", "/api/v1/pack", "", ""); code != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", code)
	}
}

// TestAPIRequestsParity: get a request, ask for changes, resubmit it.
func TestAPIRequestsParity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		manager, reviewer, staff := e.token(model.RoleManager), e.token(model.RoleReviewer), e.token(model.RoleStaff)
		id := idOf(expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/account-requests", manager, spanishRequest))
		got := expectAPI(t, e, http.StatusOK, "GET", "/api/v1/account-requests/"+id, reviewer, "")
		if got["handle"] != "@UNOPS_es_news" || got["requested_by"] != demo.Email(model.RoleManager) ||
			len(got["overlaps"].([]any)) == 0 || len(got["history"].([]any)) == 0 {
			t.Fatalf("request: %v", got)
		}
		expectAPI(t, e, http.StatusForbidden, "GET", "/api/v1/account-requests/"+id, staff, "")
		expectAPI(t, e, http.StatusOK, "POST", "/api/v1/account-requests/"+id+"/decision", reviewer,
			`{"decision":"request-changes","comment":"Say which office runs it."}`)
		resubmitted := strings.Replace(spanishRequest, `"office":"Latin America"`, `"office":"Latin America and Caribbean"`, 1)
		expectAPI(t, e, http.StatusForbidden, "POST", "/api/v1/account-requests/"+id+"/resubmit", reviewer, resubmitted)
		got = expectAPI(t, e, http.StatusOK, "POST", "/api/v1/account-requests/"+id+"/resubmit", manager, resubmitted)
		if got["office"] != "Latin America and Caribbean" || got["status"] == model.StatusChangesRequested {
			t.Errorf("after resubmission: %v", got)
		}
	})
}

// TestAPIDraftsParity: comments, versions, images (multipart), mark published.
func TestAPIDraftsParity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		w := newDraftWorld(t, storetest.Open(t, dialect))
		e := w.testEnv
		manager, reviewer, staff := e.token(model.RoleManager), e.token(model.RoleReviewer), e.token(model.RoleStaff)
		id := idOf(expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/drafts", manager,
			fmt.Sprintf(`{"account_id":%d,"text":%q,"checklist":%s}`, w.hq.ID, riskyText, w.ticks())))
		path := "/api/v1/drafts/" + id

		expectAPI(t, e, http.StatusForbidden, "POST", path+"/comments", staff, `{"body":"no"}`)
		start, end := strings.Index(riskyText, "+254"), strings.Index(riskyText, " for")
		c := expectAPI(t, e, http.StatusCreated, "POST", path+"/comments", reviewer,
			fmt.Sprintf(`{"body":"No personal numbers (3.4(g)).","start":%d,"end":%d}`, start, end))
		if c["kind"] != model.DraftEventComment || c["actor"] != demo.Email(model.RoleReviewer) || c["start"].(float64) != float64(start) {
			t.Errorf("comment: %v", c)
		}
		list := expectAPI(t, e, http.StatusOK, "GET", path+"/comments", manager, "")
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["comment"] != "No personal numbers (3.4(g))." {
			t.Errorf("comments: %v", list)
		}

		_, h, _ := apiReq(t, e, "GET", path, manager, "", nil)
		if code, _, out := apiReq(t, e, "PUT", path, manager, fmt.Sprintf(`{"text":%q,"checklist":%s}`, cleanText, w.ticks()),
			[]string{"If-Match", h.Get("ETag")}); code != http.StatusOK {
			t.Fatalf("edit: %d %v", code, out)
		}
		vs := expectAPI(t, e, http.StatusOK, "GET", path+"/versions", reviewer, "")["items"].([]any)
		if len(vs) != 2 || vs[0].(map[string]any)["text"] != riskyText || vs[1].(map[string]any)["text"] != cleanText {
			t.Errorf("versions: %v", vs)
		}

		photo := mediatest.JPEG(t, image.NewRGBA(image.Rect(0, 0, 8, 8)), 90)
		ct, body := multipartFile("image", "bridge.jpg", photo)
		if code, _, b := apiSend(t, e, "POST", path+"/images", reviewer, ct, body); code != http.StatusForbidden {
			t.Errorf("reviewer uploads: %d %s", code, b)
		}
		ct, body = multipartFile("image", "bridge.jpg", photo)
		if code, _, b := apiSend(t, e, "POST", path+"/images", manager, ct, body); code != http.StatusCreated {
			t.Fatalf("upload: %d %s", code, b)
		}
		if code, _, b := apiSend(t, e, "POST", path+"/images", manager, "application/json", strings.NewReader("{}")); code != http.StatusBadRequest {
			t.Errorf("upload without a file: %d %s", code, b)
		}
		imgs := expectAPI(t, e, http.StatusOK, "GET", path+"/images", reviewer, "")["items"].([]any)
		if len(imgs) != 1 || imgs[0].(map[string]any)["name"] != "bridge.jpg" {
			t.Fatalf("images: %v", imgs)
		}
		imgURL := imgs[0].(map[string]any)["url"].(string)
		if code, h, b := apiSend(t, e, "GET", imgURL, reviewer, "", nil); code != http.StatusOK || h.Get("Content-Type") != "image/jpeg" || len(b) == 0 {
			t.Errorf("GET %s: %d %s, %d bytes", imgURL, code, h.Get("Content-Type"), len(b))
		}
		if code, _, _ := apiSend(t, e, "GET", imgURL, staff, "", nil); code != http.StatusForbidden {
			t.Errorf("staff reads the image: %d", code)
		}

		expectAPI(t, e, http.StatusOK, "POST", path+"/submit", manager, "")
		d := expectAPI(t, e, http.StatusOK, "GET", path, reviewer, "")
		expectAPI(t, e, http.StatusOK, "POST", path+"/decision", reviewer,
			fmt.Sprintf(`{"decision":"approve","version":%v}`, d["version"]))
		expectAPI(t, e, http.StatusForbidden, "POST", path+"/mark-published", reviewer, `{"url":"https://example.org/p/1"}`)
		url := w.masto.URL + "/@hq/1"
		d = expectAPI(t, e, http.StatusOK, "POST", path+"/mark-published", manager, `{"url":"`+url+`"}`)
		if d["status"] != model.DraftPublished || d["published_url"] != url {
			t.Errorf("marked published: %v", d)
		}
	})
}

// TestAPIAdviceParity: the thread and its answers.
func TestAPIAdviceParity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		staff, reviewer, auditor := e.token(model.RoleStaff), e.token(model.RoleReviewer), e.token(model.RoleAuditor)
		id := idOf(expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/advice", staff,
			`{"question":"May I share our director's post?","kind":"personal","platform":"x"}`))
		expectAPI(t, e, http.StatusForbidden, "POST", "/api/v1/advice/"+id+"/answers", auditor, `{"body":"x"}`)
		a := expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/advice/"+id+"/answers", reviewer, `{"body":"Yes, with a comment of your own."}`)
		if a["author"] != demo.Email(model.RoleReviewer) {
			t.Errorf("answer: %v", a)
		}
		q := expectAPI(t, e, http.StatusOK, "GET", "/api/v1/advice/"+id, staff, "")
		if q["asker"] != demo.Email(model.RoleStaff) || len(q["answers"].([]any)) != 1 || q["first_answer_at"] == nil {
			t.Errorf("thread: %v", q)
		}
		expectAPI(t, e, http.StatusOK, "GET", "/api/v1/advice/"+id, auditor, "")
	})
}

// TestAPIFoundParity: triage and takedown of a reported impersonation.
func TestAPIFoundParity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		reviewer, staff := e.token(model.RoleReviewer), e.token(model.RoleStaff)
		expectAPI(t, e, http.StatusAccepted, "POST", "/api/v1/reports", "", `{"platform":"x","handle":"@UN0PS_Help","note":"asks for fees"}`)
		var id string
		for _, it := range expectAPI(t, e, http.StatusOK, "GET", "/api/v1/found", reviewer, "")["items"].([]any) {
			if f := it.(map[string]any); strings.TrimPrefix(f["handle"].(string), "@") == "UN0PS_Help" {
				id = idOf(f)
			}
		}
		if id == "" {
			t.Fatal("the report is not in the triage queue")
		}
		expectAPI(t, e, http.StatusForbidden, "POST", "/api/v1/found/"+id+"/triage", staff, `{"action":"impersonation"}`)
		expectAPI(t, e, http.StatusBadRequest, "POST", "/api/v1/found/"+id+"/triage", reviewer, `{"action":"befriend"}`)
		f := expectAPI(t, e, http.StatusOK, "POST", "/api/v1/found/"+id+"/triage", reviewer, `{"action":"impersonation","reason":"fee scam"}`)
		if f["state"] != model.FoundImpersonation {
			t.Errorf("after triage: %v", f)
		}
		rep := expectAPI(t, e, http.StatusOK, "GET", "/api/v1/found/"+id+"/takedown-text", reviewer, "")
		if !strings.Contains(rep["text"].(string), "UN0PS_Help") {
			t.Errorf("takedown text: %v", rep)
		}
		f = expectAPI(t, e, http.StatusOK, "POST", "/api/v1/found/"+id+"/takedown", reviewer, `{"takedown":"submitted","note":"form sent"}`)
		if f["takedown_state"] != model.TakedownSubmitted {
			t.Errorf("after takedown: %v", f)
		}
	})
}

// TestAPIUsersAndTokens: an admin manages users; everyone their own tokens.
func TestAPIUsersAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		admin, manager, staff := e.token(model.RoleAdmin), e.token(model.RoleManager), e.token(model.RoleStaff)
		expectAPI(t, e, http.StatusForbidden, "GET", "/api/v1/users", manager, "")
		expectAPI(t, e, http.StatusForbidden, "POST", "/api/v1/users", manager, `{"email":"x@unops.org","name":"X","role":"staff"}`)
		u := expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/users", admin, `{"email":"Nuevo@unops.org","name":"Nuevo","role":"staff"}`)
		if u["email"] != "nuevo@unops.org" || len(u["password"].(string)) < 12 {
			t.Fatalf("new user: %v", u)
		}
		path := "/api/v1/users/" + idOf(u)
		if got := expectAPI(t, e, http.StatusOK, "POST", path+"/role", admin, `{"role":"manager"}`); got["role"] != "manager" {
			t.Errorf("role: %v", got)
		}
		if got := expectAPI(t, e, http.StatusOK, "POST", path+"/disable", admin, ""); got["disabled_at"] == nil {
			t.Errorf("disable: %v", got)
		}
		if got := expectAPI(t, e, http.StatusOK, "POST", path+"/enable", admin, ""); got["disabled_at"] != nil {
			t.Errorf("enable: %v", got)
		}
		if got := expectAPI(t, e, http.StatusOK, "POST", path+"/reset-password", admin, ""); got["password"] == u["password"] || got["password"] == "" {
			t.Errorf("reset: %v", got)
		}
		users := expectAPI(t, e, http.StatusOK, "GET", "/api/v1/users", admin, "")["items"].([]any)
		if len(users) != len(model.Roles)+1 {
			t.Errorf("%d users listed, want %d", len(users), len(model.Roles)+1)
		}
		for _, it := range users {
			if _, ok := it.(map[string]any)["password"]; ok {
				t.Errorf("a password in the list: %v", it)
			}
		}

		expectAPI(t, e, http.StatusForbidden, "GET", "/api/v1/tokens", e.token(model.RoleAuditor), "")
		tok := expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/tokens", staff, `{"name":"chat bot"}`)
		value := tok["token"].(string)
		expectAPI(t, e, http.StatusOK, "GET", "/api/v1/me", value, "")
		mine := expectAPI(t, e, http.StatusOK, "GET", "/api/v1/tokens", staff, "")["items"].([]any)
		if len(mine) != 2 || mine[1].(map[string]any)["name"] != "chat bot" || mine[1].(map[string]any)["token"] != nil {
			t.Errorf("tokens: %v", mine)
		}
		if code, _, b := apiSend(t, e, "POST", "/api/v1/tokens/"+idOf(tok)+"/revoke", manager, "", nil); code != http.StatusNotFound {
			t.Errorf("another user's token revoked: %d %s", code, b)
		}
		if code, _, b := apiSend(t, e, "POST", "/api/v1/tokens/"+idOf(tok)+"/revoke", staff, "", nil); code != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", code, b)
		}
		expectAPI(t, e, http.StatusUnauthorized, "GET", "/api/v1/me", value, "")
	})
}

// TestAPIAuditEvents: the trail filtered and paged, and its CSV export.
func TestAPIAuditEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		auditor := e.token(model.RoleAuditor)
		expectAPI(t, e, http.StatusForbidden, "GET", "/api/v1/audit-events", e.token(model.RoleManager), "")
		for range 3 {
			expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/advice", e.token(model.RoleStaff), `{"question":"Q?","kind":"personal"}`)
		}
		q := "/api/v1/audit-events?action=advice.&limit=2"
		page := expectAPI(t, e, http.StatusOK, "GET", q, auditor, "")
		items := page["items"].([]any)
		if len(items) != 2 || page["next_cursor"] == nil || !strings.HasPrefix(items[0].(map[string]any)["action"].(string), "advice.") {
			t.Fatalf("first page: %v", page)
		}
		next := expectAPI(t, e, http.StatusOK, "GET", q+"&cursor="+page["next_cursor"].(string), auditor, "")
		rest := next["items"].([]any)
		if len(rest) != 1 || next["next_cursor"] != nil ||
			rest[0].(map[string]any)["seq"].(float64) >= items[1].(map[string]any)["seq"].(float64) {
			t.Errorf("second page: %v", next)
		}
		expectAPI(t, e, http.StatusBadRequest, "GET", "/api/v1/audit-events?since=yesterday", auditor, "")
		code, h, csv := apiSend(t, e, "GET", "/api/v1/audit-events.csv?action=advice.", auditor, "", nil)
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || strings.Count(string(csv), "advice.ask") != 3 {
			t.Errorf("export: %d %s\n%s", code, h.Get("Content-Type"), csv)
		}
		if code, _, _ := apiSend(t, e, "GET", "/api/v1/audit-events.csv", e.token(model.RoleStaff), "", nil); code != http.StatusForbidden {
			t.Errorf("staff export: %d", code)
		}
	})
}

// TestAPIMonitoringParity: an analytics import previewed then committed,
// then the account evaluated under 4.6.
func TestAPIMonitoringParity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		acc := accountByHandle(t, e, "Energy_UA")
		path := "/api/v1/accounts/" + strconv.FormatInt(acc.ID, 10)
		manager, staff, admin := e.token(model.RoleManager), e.token(model.RoleStaff), e.token(model.RoleAdmin)
		csv := []byte(xAnalytics(time.Now(), "Solar panels for Kharkiv hospitals", 200, 210, 220))

		ct, body := multipartFile("file", "x.csv", csv)
		if code, _, b := apiSend(t, e, "POST", path+"/analytics", staff, ct, body); code != http.StatusForbidden {
			t.Errorf("staff previews: %d %s", code, b)
		}
		ct, body = multipartFile("file", "x.csv", csv)
		code, _, b := apiSend(t, e, "POST", path+"/analytics", manager, ct, body)
		if code != http.StatusOK || strings.Count(string(b), `"external_id"`) != 3 || !strings.Contains(string(b), `"problems":[]`) {
			t.Fatalf("preview: %d %s", code, b)
		}
		bad := append(bytes.Clone(csv), "1786000000000000009,not a date,x,https://x.com/a/status/9,1,1,1,1,1,1,1,1\n"...)
		ct, body = multipartFile("file", "x.csv", bad)
		if code, _, b := apiSend(t, e, "POST", path+"/analytics/commit", manager, ct, body); code != http.StatusBadRequest ||
			!strings.Contains(string(b), `"problems":[{"line":5`) {
			t.Errorf("commit of a file with a problem: %d %s", code, b)
		}
		ct, body = multipartFile("file", "x.csv", csv)
		if code, _, b := apiSend(t, e, "POST", path+"/analytics/commit", manager, ct, body); code != http.StatusOK || string(b) != "{\"imported\":3}\n" {
			t.Fatalf("commit: %d %s", code, b)
		}

		expectAPI(t, e, http.StatusForbidden, "POST", path+"/evaluate", manager, "")
		ev := expectAPI(t, e, http.StatusOK, "POST", path+"/evaluate", admin, "")
		h := ev["health"].(map[string]any)
		if ev["status"] != model.StatusAtRisk || h["state"] != "at-risk" || ev["at_risk_since"] == nil {
			t.Errorf("evaluation of an account silent for 200 days: %v", ev)
		}
		expectAPI(t, e, http.StatusNotFound, "POST", "/api/v1/accounts/999999/evaluate", admin, "")

		// Every monitored account at once, as the dashboard's "evaluate all".
		expectAPI(t, e, http.StatusForbidden, "POST", "/api/v1/accounts/evaluate", manager, "")
		all := expectAPI(t, e, http.StatusOK, "POST", "/api/v1/accounts/evaluate", admin, "")
		if n, _ := all["evaluated"].(float64); n < 1 || all["at_risk"].(float64) < 1 {
			t.Errorf("evaluate all: %v, want at least the silent account judged at risk", all)
		}
	})
}

// ids are the ids of list items, in order.
func ids(items []map[string]any) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = int64(it["id"].(float64))
	}
	return out
}

// TestAPIListsParity: requests, drafts, the review queue, advice and users
// listed a page at a time, each in its page's order, with the UI's refusals.
func TestAPIListsParity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		manager, reviewer, staff, admin := e.token(model.RoleManager), e.token(model.RoleReviewer), e.token(model.RoleStaff), e.token(model.RoleAdmin)

		var requests []int64
		for _, h := range []string{"news", "jobs", "bids"} {
			body := strings.NewReplacer("UNOPS_es_news", "UNOPS_es_"+h).Replace(spanishRequest)
			out := expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/account-requests", manager, body)
			requests = append(requests, int64(out["id"].(float64)))
		}
		all := ids(apiList(t, e, "/api/v1/account-requests?limit=1&status=requested", reviewer))
		if len(all) < 3 || !slices.Equal(all[len(all)-3:], requests) {
			t.Errorf("requests, oldest first: %v, want to end with %v", all, requests)
		}
		expectAPI(t, e, http.StatusForbidden, "GET", "/api/v1/account-requests", staff, "")
		expectAPI(t, e, http.StatusBadRequest, "GET", "/api/v1/account-requests?status=active", reviewer, "")

		acc := accountByHandle(t, e, "Energy_UA")
		var ticks []string
		for _, c := range e.srv.checker.Pack().Checklist {
			ticks = append(ticks, `"`+c.ID+`"`)
		}
		var drafts []int64
		for i := range 3 {
			out := expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/drafts", manager, fmt.Sprintf(
				`{"account_id":%d,"text":"Solar power reached %d more clinics this month.","checklist":[%s]}`, acc.ID, i+2, strings.Join(ticks, ",")))
			drafts = append(drafts, int64(out["id"].(float64)))
			expectAPI(t, e, http.StatusOK, "POST", fmt.Sprintf("/api/v1/drafts/%d/submit", drafts[i]), manager, "")
		}
		if got := ids(apiList(t, e, "/api/v1/drafts?limit=2", manager)); !slices.Equal(got, []int64{drafts[2], drafts[1], drafts[0]}) {
			t.Errorf("drafts, newest first: %v, want %v reversed", got, drafts)
		}
		expectAPI(t, e, http.StatusForbidden, "GET", "/api/v1/drafts", staff, "")
		queue := apiList(t, e, fmt.Sprintf("/api/v1/review-queue?limit=1&account=%d", acc.ID), reviewer)
		if got := ids(queue); !slices.Equal(got, drafts) || queue[0]["handle"] != acc.Handle {
			t.Errorf("queue, oldest submission first: %v, want %v", got, drafts)
		}
		expectAPI(t, e, http.StatusForbidden, "GET", "/api/v1/review-queue", staff, "")

		var asked []int64
		for range 3 {
			asked = append(asked, int64(expectAPI(t, e, http.StatusCreated, "POST", "/api/v1/advice", staff, `{"question":"Q?","kind":"personal"}`)["id"].(float64)))
		}
		slices.Reverse(asked)
		if got := ids(apiList(t, e, "/api/v1/advice?limit=2", staff)); !slices.Equal(got, asked) {
			t.Errorf("advice, newest first: %v, want %v", got, asked)
		}
		if got := ids(apiList(t, e, "/api/v1/advice?unanswered=1", reviewer)); len(got) < 3 {
			t.Errorf("reviewer's unanswered advice: %v", got)
		}

		users := ids(apiList(t, e, "/api/v1/users?limit=2", admin))
		if len(users) != len(model.Roles) || !slices.IsSorted(users) {
			t.Errorf("users: %v", users)
		}
		expectAPI(t, e, http.StatusBadRequest, "GET", "/api/v1/users?cursor=x", admin, "")
	})
}

// TestAPIAccountPatch: an update needs If-Match with the last ETag; the
// fields sent change, the others stay.
func TestAPIAccountPatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		admin := e.token(model.RoleAdmin)
		acc := accountByHandle(t, e, "Energy_UA")
		path := "/api/v1/accounts/" + strconv.FormatInt(acc.ID, 10)
		_, h, before := apiReq(t, e, "GET", path, admin, "", nil)
		etag := h.Get("ETag")
		if code, _, out := apiReq(t, e, "PATCH", path, admin, `{"audience":"Engineers in Ukraine"}`, nil); code != http.StatusPreconditionRequired {
			t.Errorf("without If-Match: %d %v", code, out)
		}
		if code, _, out := apiReq(t, e, "PATCH", path, e.token(model.RoleManager), `{"audience":"x"}`, []string{"If-Match", etag}); code != http.StatusForbidden {
			t.Errorf("manager: %d %v", code, out)
		}
		code, h2, out := apiReq(t, e, "PATCH", path, admin, `{"audience":"Engineers in Ukraine","posts_per_week":4}`, []string{"If-Match", etag})
		if code != http.StatusOK || out["audience"] != "Engineers in Ukraine" || out["posts_per_week"].(float64) != 4 ||
			out["purpose"] != before["purpose"] || out["handle"] != before["handle"] || h2.Get("ETag") == etag {
			t.Fatalf("patch: %d %v (ETag %s → %s)", code, out, etag, h2.Get("ETag"))
		}
		if code, _, out := apiReq(t, e, "PATCH", path, admin, `{"audience":"Someone else"}`, []string{"If-Match", etag}); code != http.StatusPreconditionFailed {
			t.Errorf("stale If-Match: %d %v", code, out)
		}
		if code, _, out := apiReq(t, e, "PATCH", path, admin, `{"status":"closed"}`, []string{"If-Match", h2.Get("ETag")}); code != http.StatusBadRequest {
			t.Errorf("status through PATCH: %d %v", code, out)
		}
	})
}
