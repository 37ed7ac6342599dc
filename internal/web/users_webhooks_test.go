package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/webhook"
)

// receiver is a webhook receiver answering the statuses given, then 200,
// and keeping what it got.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []http.Header
	bodies   []string
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.got, rc.bodies = append(rc.got, r.Header.Clone()), append(rc.bodies, string(body))
		status := http.StatusOK
		if len(rc.statuses) > 0 {
			status, rc.statuses = rc.statuses[0], rc.statuses[1:]
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// TestAPIWebhooks: an admin registers an endpoint through the API (the
// secret answered once), a request for an account is delivered to it
// signed, the failed first attempt is in the delivery log with its status,
// a redelivery succeeds; disable, enable and delete; a manager is refused.
func TestAPIWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), func(c *Config, _ *Services) { c.Outbound = testAllow })
		admin, manager := e.token(model.RoleAdmin), e.token(model.RoleManager)
		rc := newReceiver(t, http.StatusInternalServerError)

		if code, out := apiDo(t, e, "POST", "/api/v1/webhooks", manager, `{"url":"`+rc.URL+`"}`); code != http.StatusForbidden {
			t.Fatalf("manager registers: %d %v", code, out)
		}
		if code, out := apiDo(t, e, "POST", "/api/v1/webhooks", admin, `{"url":"`+rc.URL+`","event_types":["nope"]}`); code != http.StatusBadRequest {
			t.Errorf("unknown event type: %d %v", code, out)
		}
		code, ep := apiDo(t, e, "POST", "/api/v1/webhooks", admin,
			`{"url":"`+rc.URL+`/hook","description":"tickets","event_types":["request.created"]}`)
		secret, _ := ep["secret"].(string)
		if code != http.StatusCreated || !strings.HasPrefix(secret, "whsec_") || ep["owner"] != "admin@demo.herald.invalid" {
			t.Fatalf("register: %d %v", code, ep)
		}
		path := fmt.Sprintf("/api/v1/webhooks/%v", ep["id"])
		code, got := apiDo(t, e, "GET", path, admin, "")
		if _, shown := got["secret"]; code != http.StatusOK || shown || got["enabled"] != true {
			t.Fatalf("get: %d %v (the secret must not be shown again)", code, got)
		}
		if code, list := apiDo(t, e, "GET", "/api/v1/webhooks", admin, ""); code != 200 || len(list["items"].([]any)) != 1 {
			t.Fatalf("list: %d %v", code, list)
		}

		if code, out := apiDo(t, e, "POST", "/api/v1/account-requests", manager, spanishRequest); code != http.StatusCreated {
			t.Fatalf("request: %d %v", code, out)
		}
		hooks := e.srv.webhooks
		if _, err := hooks.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		code, log := apiDo(t, e, "GET", path+"/deliveries", admin, "")
		items, _ := log["items"].([]any)
		if code != 200 || len(items) != 1 {
			t.Fatalf("deliveries: %d %v", code, log)
		}
		d := items[0].(map[string]any)
		attempts := d["attempts"].([]any)
		if d["type"] != model.EventRequestCreated || d["state"] != model.DeliveryPending || len(attempts) != 1 ||
			attempts[0].(map[string]any)["status_code"].(float64) != 500 {
			t.Fatalf("delivery after a 500: %v", d)
		}
		rc.mu.Lock()
		h, body := rc.got[0], rc.bodies[0]
		rc.mu.Unlock()
		if err := webhook.Verify(secret, h, []byte(body), e.srv.cfg.Now(), 5*time.Minute); err != nil {
			t.Errorf("the delivery does not verify with the secret answered at registration: %v", err)
		}
		if code, out := apiDo(t, e, "POST", fmt.Sprintf("%s/deliveries/%v/redeliver", path, d["id"]), manager, ""); code != http.StatusForbidden {
			t.Errorf("manager redelivers: %d %v", code, out)
		}
		if code, out := apiDo(t, e, "POST", fmt.Sprintf("/api/v1/webhooks/999/deliveries/%v/redeliver", d["id"]), admin, ""); code != http.StatusNotFound {
			t.Errorf("redelivery through another endpoint: %d %v", code, out)
		}
		if code, out := apiDo(t, e, "POST", fmt.Sprintf("%s/deliveries/%v/redeliver", path, d["id"]), admin, ""); code != http.StatusAccepted {
			t.Fatalf("redeliver: %d %v", code, out)
		}
		if _, err := hooks.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		_, log = apiDo(t, e, "GET", path+"/deliveries", admin, "")
		d = log["items"].([]any)[0].(map[string]any)
		attempts = d["attempts"].([]any)
		if d["state"] != model.DeliveryDelivered || len(attempts) != 2 || attempts[1].(map[string]any)["status_code"].(float64) != 200 {
			t.Fatalf("after redelivery: %v", d)
		}

		if code, out := apiDo(t, e, "POST", path+"/disable", admin, ""); code != 200 || out["enabled"] != false ||
			!strings.Contains(out["disabled_reason"].(string), "admin@demo.herald.invalid") {
			t.Errorf("disable: %d %v", code, out)
		}
		if code, out := apiDo(t, e, "POST", path+"/enable", admin, ""); code != 200 || out["enabled"] != true || out["disabled_reason"] != nil {
			t.Errorf("enable: %d %v", code, out)
		}
		req, _ := http.NewRequest(http.MethodDelete, e.ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("delete: %v %v", resp, err)
		}
		resp.Body.Close()
		if code, _ := apiDo(t, e, "GET", path, admin, ""); code != http.StatusNotFound {
			t.Errorf("after delete: %d", code)
		}
	})
}

// TestWebhooksPages: an admin registers an endpoint on the settings page
// and sees its secret once, then the delivery log with the status codes
// and a redelivery; a manager is refused.
func TestWebhooksPages(t *testing.T) {
	e := newTestEnv(t, func(c *Config, _ string) { c.Outbound = testAllow })
	rc := newReceiver(t, http.StatusServiceUnavailable)
	if code, _ := e.signedIn(model.RoleManager).get("/settings/webhooks"); code != http.StatusForbidden {
		t.Errorf("manager: status %d, want 403", code)
	}
	b := e.signedIn(model.RoleAdmin)
	token := b.csrf("/settings/webhooks")
	resp := b.post("/settings/webhooks", url.Values{"csrf": {token}, "url": {"ftp://example.org"}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="webhook-error"`) {
		t.Fatalf("bad URL: %d", resp.StatusCode)
	}
	resp = b.post("/settings/webhooks", url.Values{"csrf": {token}, "url": {rc.URL}, "events": {"advice.asked"}})
	body := readBody(resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<code id="webhook-secret">whsec_`) {
		t.Fatalf("register: %d\n%s", resp.StatusCode, body)
	}
	_, list := b.get("/settings/webhooks")
	if strings.Contains(list, "whsec_") || !strings.Contains(list, rc.URL) || !strings.Contains(list, "<code>advice.asked</code>") {
		t.Fatalf("the list shows the secret again, or not the endpoint:\n%s", list)
	}
	eps, _ := e.srv.webhooks.Endpoints(context.Background())
	epPath := fmt.Sprintf("/settings/webhooks/%d", eps[0].ID)

	if code, out := apiDo(t, e, "POST", "/api/v1/advice", e.token(model.RoleStaff),
		`{"question":"May I post a photo of a school?","kind":"personal","platform":"x"}`); code != http.StatusCreated {
		t.Fatalf("ask: %d %v", code, out)
	}
	if _, err := e.srv.webhooks.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, page := b.get(epPath)
	if !strings.Contains(page, "<code>advice.asked</code>") || !strings.Contains(page, `<span class="status-code">503</span>`) {
		t.Fatalf("delivery log:\n%s", page)
	}
	ds, _ := e.srv.webhooks.Deliveries(context.Background(), eps[0].ID, "", 1)
	resp = b.post(fmt.Sprintf("%s/deliveries/%d/redeliver", epPath, ds[0].ID), url.Values{"csrf": {token}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("redeliver: %d", resp.StatusCode)
	}
	e.srv.webhooks.RunOnce(context.Background())
	if _, page = b.get(epPath); !strings.Contains(page, `<span class="status-code">200</span>`) {
		t.Errorf("no 200 after redelivery:\n%s", page)
	}
	for _, step := range []struct{ action, want string }{{"disable", "disabled: disabled by"}, {"enable", `id="disable-`}, {"delete", `id="webhooks-none"`}} {
		resp = b.post(fmt.Sprintf("%s/%s", epPath, step.action), url.Values{"csrf": {token}})
		if readBody(resp); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", step.action, resp.StatusCode)
		}
		if _, page = b.get("/settings/webhooks"); !strings.Contains(page, step.want) {
			t.Errorf("after %s, the list lacks %q:\n%s", step.action, step.want, page)
		}
	}
}
