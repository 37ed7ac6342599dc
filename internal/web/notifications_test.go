package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
)

// TestNotificationsAPI: a question for the Communications Group reaches a
// reviewer in the API with its kind, message and link; marking it read is
// the reviewer's alone; bad parameters are refused naming them.
func TestNotificationsAPI(t *testing.T) {
	e := newTestEnv(t, nil)
	staff, rev, admin := e.token(model.RoleStaff), e.token(model.RoleReviewer), e.token(model.RoleAdmin)
	code, q := apiDo(t, e, "POST", "/api/v1/advice", staff, `{"question":"May I share the field photo?","text":"Our team in Juba"}`)
	if code != http.StatusCreated {
		t.Fatalf("ask: %d %v", code, q)
	}
	link := fmt.Sprintf("/advice/%v", q["id"])
	find := func(doc map[string]any) map[string]any {
		items, ok := doc["items"].([]any)
		if !ok {
			t.Fatalf("no items list: %v", doc)
		}
		for _, it := range items {
			if m := it.(map[string]any); m["link"] == link {
				return m
			}
		}
		return nil
	}
	code, doc := apiDo(t, e, "GET", "/api/v1/notifications", rev, "")
	n := find(doc)
	if code != http.StatusOK || n == nil || n["kind"] != "advice" || n["key"] != "advice.new" || n["read"] != false ||
		n["message"] != demo.Email(model.RoleStaff)+" asks the Communications Group for advice." || n["created_at"] == "" {
		t.Fatalf("reviewer's notifications: %d %v", code, doc)
	}
	id := n["id"]
	read := func(token string) int {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/notifications/%v/read", e.ts.URL, id), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := read(admin); c != http.StatusNotFound {
		t.Fatalf("admin marking the reviewer's notification: %d", c)
	}
	if c := read(rev); c != http.StatusNoContent {
		t.Fatalf("mark read: %d", c)
	}
	if _, doc := apiDo(t, e, "GET", "/api/v1/notifications?unread=true", rev, ""); find(doc) != nil {
		t.Fatalf("read notification still unread: %v", doc)
	}
	if _, doc := apiDo(t, e, "GET", "/api/v1/notifications", rev, ""); find(doc) == nil || find(doc)["read"] != true {
		t.Fatalf("read notification: %v", doc)
	}
	for _, p := range []string{"?limit=0", "?limit=x", "?unread=maybe"} {
		code, doc := apiDo(t, e, "GET", "/api/v1/notifications"+p, rev, "")
		msg, _ := doc["error"].(map[string]any)["message"].(string)
		if code != http.StatusBadRequest || !strings.Contains(msg, strings.Split(strings.TrimPrefix(p, "?"), "=")[0]) {
			t.Errorf("%s: %d %v", p, code, doc)
		}
	}
}

// TestDashboardForYou: the reviewer's dashboard starts with what waits for
// them; the counts keep requests and closed accounts apart.
func TestDashboardForYou(t *testing.T) {
	e := newTestEnv(t, nil)
	code, q := apiDo(t, e, "POST", "/api/v1/advice", e.token(model.RoleStaff), `{"question":"Can I post the <b>budget</b>?"}`)
	if code != http.StatusCreated {
		t.Fatalf("ask: %d %v", code, q)
	}
	_, body := e.signedIn(model.RoleReviewer).get("/")
	forYou := strings.Index(body, `id="for-you"`)
	if forYou < 0 || forYou > strings.Index(body, `id="at-risk"`) || forYou > strings.Index(body, `id="account-count"`) {
		t.Fatalf("the dashboard does not start with what waits for the reviewer:\n%s", body)
	}
	for _, want := range []string{fmt.Sprintf(`id="for-you-advice-%v"`, q["id"]), "Can I post the &lt;b&gt;budget&lt;/b&gt;?",
		`id="for-you-queue"`, `id="waiting-h"`, `id="account-apart"`} {
		if !strings.Contains(body, want) {
			t.Errorf("reviewer's dashboard lacks %s", want)
		}
	}
	// Staff review nothing and answer nothing: no queue, no advice list.
	_, body = e.signedIn(model.RoleStaff).get("/")
	if !strings.Contains(body, `id="for-you-none"`) || strings.Contains(body, `id="for-you-advice"`) {
		t.Errorf("staff dashboard:\n%s", body)
	}
}

// TestNotifySettings: the e-mail choice is saved per person; an unknown one
// is refused on the page, naming the choices.
func TestNotifySettings(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleManager)
	token := b.csrf("/settings")
	resp := b.post("/settings/notifications", url.Values{"csrf": {token}, "email": {"digest"}})
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	u, err := e.st.UserByEmail(context.Background(), demo.Email(model.RoleManager))
	if err != nil {
		t.Fatal(err)
	}
	if mode, err := e.st.NotifyMode(context.Background(), u.ID); err != nil || mode != model.NotifyDigest {
		t.Fatalf("mode %q, %v", mode, err)
	}
	if _, body := b.get("/settings?notifications=1"); !strings.Contains(body, `id="notify-digest" checked`) {
		t.Errorf("settings page does not show the choice:\n%s", body)
	}
	resp = b.post("/settings/notifications", url.Values{"csrf": {token}, "email": {"weekly"}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="notify-error"`) ||
		!strings.Contains(body, "immediate, digest or off") {
		t.Fatalf("weekly: %d\n%s", resp.StatusCode, body)
	}
}

// TestServiceLevelsForm: an admin sets the hours a review step may wait on
// the review page; a bad number is refused naming the kind.
func TestServiceLevelsForm(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleAdmin)
	token := b.csrf("/review")
	resp := b.post("/review/service-levels", url.Values{"csrf": {token}, "corporate": {"6"}, "project": {"72"}})
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	_, body := b.get("/review")
	for _, want := range []string{`id="sla-corporate" name="corporate" min="1" max="720" value="6"`,
		`id="sla-project" name="project" min="1" max="720" value="72"`, `id="sla-country-office" name="country-office" min="1" max="720" value="48"`} {
		if !strings.Contains(body, want) {
			t.Errorf("review page lacks %s", want)
		}
	}
	resp = b.post("/review/service-levels", url.Values{"csrf": {token}, "corporate": {"a day"}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "service level of corporate accounts") {
		t.Fatalf("bad hours: %d\n%s", resp.StatusCode, body)
	}
	if _, body := e.signedIn(model.RoleReviewer).get("/review"); strings.Contains(body, `id="sla-form"`) {
		t.Error("a reviewer is offered the service levels form")
	}
}
