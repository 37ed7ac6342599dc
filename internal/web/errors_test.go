package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// leak matches what a person must never read in an error message: a Go
// package's prefix ("store: not found") or a database driver's words.
var leak = regexp.MustCompile(`\b(store|publish|registry|review|monitor|web|auth|users|audit|notify|connector|errs|model|policy|check|health|sql|sqlite|pgx|pgconn|json|strconv|oidc|demo):\s|SQLSTATE|(?i:constraint|duplicate key|violates|no rows in result set)|%!|\(MISSING\)`)

var tags = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)

// visible is the text of an HTML page a person reads.
func visible(body string) string {
	return html.UnescapeString(tags.ReplaceAllString(body, " "))
}

// TestErrorMessages reaches every error path it can through the API and
// the pages, on SQLite and PostgreSQL, and fails when a message shown to a
// person carries a package prefix or driver text, when a status and its
// API code disagree with the one mapping, or when an unexpected error
// shows more than a reference.
func TestErrorMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		w := newDraftWorld(t, storetest.Open(t, dialect))
		ctx := context.Background()
		manager, reviewer, admin := w.token(model.RoleManager), w.token(model.RoleReviewer), w.token(model.RoleAdmin)
		staff, auditor, other := w.token(model.RoleStaff), w.token(model.RoleAuditor), w.tokenFor(w.otherManager)
		reached := map[int]bool{}

		api := func(wantStatus int, method, path, token, body string, header ...string) map[string]any {
			t.Helper()
			code, _, out := apiReq(t, w.testEnv, method, path, token, body, header)
			if code < 400 {
				return out
			}
			reached[code] = true
			e, _ := out["error"].(map[string]any)
			msg, _ := e["message"].(string)
			if e == nil || msg == "" {
				t.Errorf("%s %s: %d without an error message: %v", method, path, code, out)
				return out
			}
			if leak.MatchString(msg) {
				t.Errorf("%s %s: message %q shows internals", method, path, msg)
			}
			if _, want := httpStatusOfCode(e["code"]); want != code {
				t.Errorf("%s %s: status %d with code %v (the mapping says %d)", method, path, code, e["code"], want)
			}
			if wantStatus != 0 && code != wantStatus {
				t.Errorf("%s %s: status %d (%q), want %d", method, path, code, msg, wantStatus)
			}
			return out
		}

		// Bad requests of every shape.
		api(400, "POST", "/api/v1/checks", staff, `{"text": "a",`)
		api(400, "POST", "/api/v1/checks", staff, `{"text":"a","colour":"red"}`)
		api(400, "POST", "/api/v1/checks", staff, `{"text":5}`)
		api(400, "POST", "/api/v1/checks", staff, ``)
		api(400, "POST", "/api/v1/checks", staff, `{"text":"a"} 1`)
		api(400, "POST", "/api/v1/checks", staff, `{"text":"a","account":{"kind":"moon"}}`)
		api(401, "GET", "/api/v1/me", "", "")
		api(401, "GET", "/api/v1/me", "hrld_nope", "")
		api(403, "POST", "/api/v1/checks", auditor, `{"text":"a"}`)
		api(404, "GET", "/api/v1/nothing", staff, "")
		api(405, "DELETE", "/api/v1/me", staff, "")
		api(400, "GET", "/api/v1/accounts?limit=x", staff, "")
		api(400, "GET", "/api/v1/accounts?sort=sideways", staff, "")
		api(400, "GET", "/api/v1/accounts?compliance=maybe", staff, "")
		api(404, "GET", "/api/v1/accounts/999999", staff, "")
		api(404, "GET", "/api/v1/accounts/abc", staff, "")
		api(400, "GET", "/api/v1/verify", "", "")
		api(400, "GET", "/api/v1/verify?platform=x&handle=not%20a%20handle!", "", "")
		api(400, "GET", "/api/v1/verify?platform=myspace&handle=x", "", "")

		// The registry: bad handles, duplicates, decisions refused.
		api(400, "POST", "/api/v1/accounts", admin, `{"platform":"x","handle":"no spaces allowed","kind":"corporate"}`)
		acc := fmt.Sprintf(`{"platform":"x","handle":"@errtest","kind":"corporate","display_name":"UNOPS","office":"HQ","email":"comms@unops.org","purpose":"p","audience":"a","languages":["en"],"posts_per_week":3}`)
		api(0, "POST", "/api/v1/accounts", admin, acc)
		api(409, "POST", "/api/v1/accounts", admin, acc)
		// A request with error pre-checks (no second contact) is refused
		// until acknowledged.
		api(400, "POST", "/api/v1/account-requests", manager, strings.Replace(acc, "@errtest", "@errtest2", 1))
		reqAcc := strings.Replace(acc, `"posts_per_week":3}`, `"posts_per_week":3,"acknowledgement":"testing the error paths"}`, 1)
		req := api(0, "POST", "/api/v1/account-requests", manager, strings.Replace(reqAcc, "@errtest", "@errtest2", 1))
		reqID := fmt.Sprint(req["id"])
		api(0, "POST", "/api/v1/account-requests", manager, reqAcc)
		api(400, "POST", "/api/v1/account-requests/"+reqID+"/decision", reviewer, `{"decision":"reject","comment":"  "}`)
		api(400, "POST", "/api/v1/account-requests/"+reqID+"/decision", reviewer, `{"decision":"shrug","comment":"?"}`)
		api(404, "POST", "/api/v1/account-requests/999999/decision", reviewer, `{"decision":"approve","comment":"ok"}`)
		api(0, "POST", "/api/v1/account-requests/"+reqID+"/decision", reviewer, `{"decision":"approve","comment":"ok"}`)
		api(409, "POST", "/api/v1/account-requests/"+reqID+"/decision", reviewer, `{"decision":"approve","comment":"again"}`)
		own := api(0, "POST", "/api/v1/account-requests", admin, strings.Replace(reqAcc, "@errtest", "@errtest3", 1))
		api(403, "POST", fmt.Sprintf("/api/v1/account-requests/%v/decision", own["id"]), admin, `{"decision":"approve","comment":"mine"}`)

		// Drafts: not found, forbidden, stale, incomplete, unapproved.
		api(404, "POST", "/api/v1/drafts", manager, `{"account_id":999999,"text":"x"}`)
		api(400, "POST", "/api/v1/drafts", manager, `{"text":"x"}`)
		api(403, "POST", "/api/v1/drafts", other, fmt.Sprintf(`{"account_id":%d,"text":%q}`, w.hq.ID, cleanText))
		api(400, "POST", "/api/v1/drafts", manager, fmt.Sprintf(`{"account_id":%d,"text":%q,"images":[{"name":"a.jpg","data":"***"}]}`, w.hq.ID, cleanText))
		api(415, "POST", "/api/v1/drafts", manager, fmt.Sprintf(`{"account_id":%d,"text":%q,"images":[{"name":"a.gif","data":"R0lGODlhAQABAAAAACw="}]}`, w.hq.ID, cleanText))
		d := api(201, "POST", "/api/v1/drafts", manager, fmt.Sprintf(`{"account_id":%d,"text":%q}`, w.hq.ID, riskyText))
		draft := fmt.Sprintf("/api/v1/drafts/%v", d["id"])
		api(404, "GET", "/api/v1/drafts/999999", manager, "")
		api(404, "GET", draft, other, "")
		api(422, "POST", draft+"/submit", manager, "")
		api(428, "PUT", draft, manager, fmt.Sprintf(`{"text":%q,"checklist":%s}`, cleanText, w.ticks()))
		api(412, "PUT", draft, manager, fmt.Sprintf(`{"text":%q,"checklist":%s}`, cleanText, w.ticks()), "If-Match", `"stale"`)
		_, h, _ := apiReq(t, w.testEnv, "GET", draft, manager, "", nil)
		api(0, "PUT", draft, manager, fmt.Sprintf(`{"text":%q,"checklist":%s}`, riskyText, w.ticks()), "If-Match", h.Get("ETag"))
		api(409, "POST", draft+"/publish", manager, "")
		api(0, "POST", draft+"/submit", manager, "")
		api(403, "POST", draft+"/decision", manager, `{"decision":"approve","comment":"mine","override":true}`)
		api(409, "POST", draft+"/decision", reviewer, `{"decision":"approve","version":2}`)
		api(422, "POST", draft+"/decision", reviewer, `{"decision":"reject","version":2}`)
		api(409, "POST", draft+"/decision", reviewer, `{"decision":"approve","comment":"ok","version":1}`)
		api(400, "POST", "/api/v1/advice", staff, `{"text":"","kind":"nope"}`)
		api(400, "POST", "/api/v1/checks", staff, `{"text":"caf\ud800"}`)

		// Closing, platform credentials and review settings.
		hq := fmt.Sprintf("/api/v1/accounts/%d", w.hq.ID)
		api(409, "POST", hq+"/keep-open", admin, `{"reason":"busy"}`)
		api(409, "POST", hq+"/farewell", admin, `{}`)
		api(403, "POST", hq+"/close", manager, `{"reason":"quiet"}`)
		api(404, "POST", "/api/v1/accounts/999999/propose-closure", admin, `{"reason":"quiet"}`)
		api(400, "POST", hq+"/propose-closure", admin, `{"reason":" "}`)
		api(0, "POST", hq+"/propose-closure", admin, `{"reason":"quiet"}`)
		api(400, "POST", hq+"/close", admin, `{"content_archived":true,"reason":"quiet"}`)
		api(400, "POST", hq+"/farewell", admin, fmt.Sprintf(`{"main_account":%d}`, w.hq.ID))
		api(409, "POST", "/api/v1/credentials", admin, `{"platform":"x","token":"t"}`) // no secret key
		api(400, "POST", "/api/v1/credentials", admin, `{"token":"t"}`)
		api(404, "POST", "/api/v1/credentials/revoke", admin, `{"platform":"x"}`)
		api(409, "POST", "/api/v1/credentials/test", admin, `{"platform":"youtube"}`)
		api(404, "POST", "/api/v1/credentials/test", admin, `{"account_id":999999}`)
		api(428, "PATCH", "/api/v1/review-settings", admin, `{"approval_lifetime_hours":5}`)
		_, h, _ = apiReq(t, w.testEnv, "GET", "/api/v1/review-settings", admin, "", nil)
		for _, bad := range []string{`{"approval_lifetime_hours":0}`, `{"routes":{"moon":[{"who":"communications"}]}}`,
			`{"routes":{"project":[{"who":"communications","optional":true}]}}`, `{"office_leads":{"HQ":["nobody@example.org"]}}`,
			`{"office_leads":{" ":[]}}`, `{"service_levels":{"corporate":0}}`} {
			api(400, "PATCH", "/api/v1/review-settings", admin, bad, "If-Match", h.Get("ETag"))
		}

		// Pages: the same errors as a person sees them.
		page := func(wantStatus int, b *browser, method, path string, form url.Values) {
			t.Helper()
			var code int
			var body string
			if method == "GET" {
				code, body = b.get(path)
			} else {
				if form == nil {
					form = url.Values{}
				}
				form.Set("csrf", b.csrf("/"))
				resp := b.post(path, form)
				code, body = resp.StatusCode, readBody(resp)
			}
			if code < 400 {
				return
			}
			reached[code] = true
			if text := visible(body); leak.MatchString(text) {
				t.Errorf("%s %s: the page shows internals: %q", method, path, leak.FindString(text))
			}
			if wantStatus != 0 && code != wantStatus {
				t.Errorf("%s %s: status %d, want %d", method, path, code, wantStatus)
			}
		}
		adminB, managerB, reviewerB := w.signedIn(model.RoleAdmin), w.signedIn(model.RoleManager), w.signedIn(model.RoleReviewer)
		page(404, adminB, "GET", "/accounts/999999", nil)
		page(404, adminB, "GET", "/requests/999999", nil)
		page(404, adminB, "GET", "/drafts/999999", nil)
		page(404, adminB, "GET", "/advice/999999", nil)
		page(404, adminB, "GET", "/nothing/here", nil)
		page(400, adminB, "GET", "/audit?from=yesterday", nil)
		page(400, adminB, "GET", "/accounts?sort=sideways", nil)
		page(400, adminB, "POST", "/settings/users", url.Values{"name": {"X"}, "email": {"nope"}, "role": {"staff"}})
		page(409, adminB, "POST", "/settings/users", url.Values{"name": {"X"}, "email": {demo.Email(model.RoleStaff)}, "role": {"staff"}})
		me, err := w.st.UserByEmail(ctx, demo.Email(model.RoleAdmin))
		if err != nil {
			t.Fatal(err)
		}
		page(403, adminB, "POST", fmt.Sprintf("/settings/users/%d/disable", me.ID), nil)
		page(404, adminB, "POST", "/settings/users/999999/enable", nil)
		page(400, managerB, "POST", "/settings/password", url.Values{"current": {"wrong"}, "new": {"a"}, "confirm": {"a"}})
		page(403, managerB, "GET", fmt.Sprintf("/requests/%v", own["id"]), nil)
		page(400, reviewerB, "POST", "/requests/"+reqID+"/decision", url.Values{"decision": {"reject"}})
		page(400, adminB, "POST", fmt.Sprintf("/accounts/%d/close", w.hq.ID), url.Values{"reason": {"quiet"}})
		page(404, adminB, "POST", "/settings/tokens/999999/revoke", nil)
		page(0, managerB, "POST", fmt.Sprintf("/accounts/%d/analytics", w.otherOffice.ID), nil)
		page(400, adminB, "POST", "/accounts/import/commit", url.Values{"csv": {"platform,handle,kind\nx,not a handle!,corporate\n"}})
		page(400, adminB, "POST", "/accounts/import", url.Values{"csv": {"handle\n"}})
		page(400, adminB, "POST", fmt.Sprintf("/accounts/%d/analytics", w.hq.ID), url.Values{"csv": {"no,analytics,here\n1,2,3\n"}})
		page(400, adminB, "POST", "/settings/credentials", url.Values{"platform": {"x"}, "token": {" "}})
		page(409, adminB, "POST", "/settings/credentials", url.Values{"platform": {"x"}, "token": {"t"}})
		page(404, adminB, "POST", "/settings/credentials/revoke", url.Values{"platform": {"x"}})
		page(409, adminB, "POST", "/settings/credentials/test", url.Values{"platform": {"youtube"}})
		page(400, adminB, "POST", "/review/approval-lifetime", url.Values{"hours": {"0"}})
		page(400, adminB, "POST", "/review/routes", url.Values{"kind": {"project"}, "step1": {"the boss"}})
		page(400, adminB, "POST", "/review/routes", url.Values{"kind": {"project"}})
		page(400, adminB, "POST", "/review/office-leads", url.Values{"office": {"HQ"}, "emails": {"nobody@example.org"}})
		page(400, adminB, "POST", "/review/service-levels", url.Values{"corporate": {"soon"}})
		page(409, adminB, "POST", fmt.Sprintf("/accounts/%d/farewell", w.otherOffice.ID), url.Values{"main_account": {fmt.Sprint(w.hq.ID)}})
		page(400, adminB, "POST", fmt.Sprintf("/accounts/%d/keep-open", w.hq.ID), url.Values{"reason": {" "}})

		for _, code := range []int{400, 401, 403, 404, 405, 409, 412, 415, 422, 428} {
			if !reached[code] {
				t.Errorf("no error path with status %d was reached", code)
			}
		}
	})
}

var allKinds = []errs.Kind{errs.Invalid, errs.NotFound, errs.Conflict, errs.Forbidden, errs.Unauthorized,
	errs.Unprocessable, errs.TooMany, errs.Unavailable, errs.Internal, errs.TooLarge, errs.Unsupported, errs.MethodNotAllowed,
	errs.PreconditionRequired, errs.PreconditionFailed}

// httpStatusOfCode inverts httpStatus for an API code.
func httpStatusOfCode(code any) (string, int) {
	for _, k := range allKinds {
		if status, c := httpStatus(k); c == code {
			return c, status
		}
	}
	return "", 0
}

// TestUnexpectedErrorShowsReference: an error nobody expected (here, the
// database is closed) is logged with the request id, and the person sees
// only "Something went wrong (reference ID)", on a page and in the API.
func TestUnexpectedErrorShowsReference(t *testing.T) {
	var logs bytes.Buffer
	st := openTestStore(t)
	e := newEnvOn(t, st, func(c *Config, _ *Services) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	b, tok := e.signedIn(model.RoleAdmin), e.token(model.RoleAdmin)
	b.csrf("/")                                                            // loads the session before the store goes away
	if code, _ := apiDo(t, e, "GET", "/api/v1/me", tok, ""); code != 200 { // caches the token
		t.Fatalf("me: %d", code)
	}
	st.Close()
	req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/accounts", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	want := `"message":"Something went wrong (reference ` + id + `)."`
	if resp.StatusCode != 500 || id == "" || !strings.Contains(string(body), want) {
		t.Fatalf("API: %d %s; want 500 with %s", resp.StatusCode, body, want)
	}
	if leak.Match(body) {
		t.Errorf("API 500 shows internals: %s", body)
	}
	if !strings.Contains(logs.String(), "request_id="+id) || !strings.Contains(logs.String(), "closed") {
		t.Errorf("the log lacks the request id %s or the cause:\n%s", id, logs.String())
	}
}
