package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// Review routes set by an admin on the review page are the routes drafts
// follow; the label counts only the steps that run, names the optional one,
// and the draft page says who approved which step.
func TestReviewRoutesInTheUI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		w := newDraftWorld(t, storetest.Open(t, dialect))
		ctx := context.Background()
		admin := w.signedIn(model.RoleAdmin)
		token := admin.csrf("/review")
		if _, body := admin.get("/review"); !strings.Contains(body, `id="route-form-corporate"`) || !strings.Contains(body, `id="ttl-form"`) {
			t.Fatalf("the review page has no route or lifetime form for an admin")
		}
		if _, body := w.signedIn(model.RoleReviewer).get("/review"); strings.Contains(body, `id="review-settings"`) {
			t.Errorf("a reviewer sees the admin's review settings")
		}
		post := func(path string, form url.Values) (*http.Response, string) {
			form.Set("csrf", token)
			resp := admin.post(path, form)
			return resp, readBody(resp)
		}

		// Refusals name what is wrong.
		if resp, body := post("/review/routes", url.Values{"kind": {"corporate"}, "step1": {"communications:optional"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "first step") {
			t.Errorf("a route whose first step is optional: %d", resp.StatusCode)
		}
		if resp, body := post("/review/office-leads", url.Values{"office": {"Headquarters"}, "emails": {"nobody@example.invalid"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "nobody@example.invalid") {
			t.Errorf("an unknown lead: %d", resp.StatusCode)
		}
		if resp, _ := post("/review/approval-lifetime", url.Values{"hours": {"a week"}}); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a lifetime that is no number: %d", resp.StatusCode)
		}

		// Corporate drafts: the office's lead, then the Communications Group when asked for.
		if resp, _ := post("/review/routes", url.Values{"kind": {"corporate"}, "step1": {"office-lead"}, "step2": {"communications:optional"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save route: %d", resp.StatusCode)
		}
		if resp, _ := post("/review/office-leads", url.Values{"office": {"Headquarters"}, "emails": {w.otherManager.Email}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save leads: %d", resp.StatusCode)
		}
		if resp, _ := post("/review/approval-lifetime", url.Values{"hours": {"5"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save lifetime: %d", resp.StatusCode)
		}
		if ttl, err := w.srv.review.ApprovalTTL(ctx); err != nil || ttl != 5*time.Hour {
			t.Fatalf("approval lifetime: %v %v", ttl, err)
		}
		_, body := admin.get("/review")
		if !strings.Contains(body, `<option value="office-lead" selected>`) || !strings.Contains(body, `<option value="communications:optional" selected>`) ||
			!strings.Contains(body, w.otherManager.Email) || !strings.Contains(body, `value="5"`) {
			t.Errorf("the review page does not show the saved settings")
		}

		code, out := apiDo(t, w.testEnv, "POST", "/api/v1/drafts", w.token(model.RoleManager),
			fmt.Sprintf(`{"account_id":%d,"text":%q,"checklist":%s,"images":[]}`, w.hq.ID, cleanText, w.ticks()))
		if code != http.StatusCreated {
			t.Fatalf("create: %d %v", code, out)
		}
		path := fmt.Sprintf("/drafts/%d", int64(out["id"].(float64)))
		if code, out = apiDo(t, w.testEnv, "POST", "/api/v1"+path+"/submit", w.token(model.RoleManager), ""); code != http.StatusOK {
			t.Fatalf("submit: %d %v", code, out)
		}
		lead := w.signedInAs(w.otherManager)
		_, body = lead.get(path)
		if !strings.Contains(body, "step 1 of 1: the office&#39;s lead; then, only if an approver asks for it, an optional step for the Communications Group") {
			t.Errorf("the label does not tell the route's real steps:\n%s", between(body, `id="draft-step"`, "</dd>"))
		}
		if !strings.Contains(body, `id="escalate"`) {
			t.Fatalf("the lead is not offered the optional step")
		}
		resp := lead.post(path+"/decision", url.Values{"csrf": {lead.csrf(path)}, "version": {"1"}, "decision": {"approve"}, "escalate": {"1"}})
		if readBody(resp); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("lead's approval: %d", resp.StatusCode)
		}
		reviewer := w.signedIn(model.RoleReviewer)
		_, body = reviewer.get(path)
		if !strings.Contains(body, "step 2 of 2: the Communications Group") || strings.Contains(body, "then, only if") {
			t.Errorf("after escalation the label is wrong:\n%s", between(body, `id="draft-step"`, "</dd>"))
		}
		resp = reviewer.post(path+"/decision", url.Values{"csrf": {reviewer.csrf(path)}, "version": {"1"}, "decision": {"approve"}})
		if readBody(resp); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reviewer's approval: %d", resp.StatusCode)
		}
		_, body = admin.get(path)
		route := between(body, `id="route-steps"`, "</ol>")
		step1, step2 := between(route, `id="route-step-1"`, "</li>"), between(route, `id="route-step-2"`, "</li>")
		if !strings.Contains(body, `id="draft-status">approved<`) || !strings.Contains(step1, "approved by <span class=\"approver\">"+w.otherManager.Email) ||
			!strings.Contains(step2, "approved by <span class=\"approver\">reviewer@") {
			t.Errorf("the route does not say who approved which step:\n%s", route)
		}
	})
}
