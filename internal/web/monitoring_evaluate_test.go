package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// Evaluate now: an admin judges one account or all at once; a demo account
// without any data comes out unknown, never healthy.
func TestEvaluateNow(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	acc := accountByHandle(t, e, "peru")
	path := "/accounts/" + strconv.FormatInt(acc.ID, 10)
	a := e.signedIn(model.RoleAdmin)
	resp := a.post(path+"/evaluate", url.Values{"csrf": {a.csrf(path)}})
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), path+"?evaluated=1") {
		t.Fatalf("evaluate one: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	rec, err := e.srv.monitor.Health(t.Context(), acc.ID)
	if err != nil || rec.Result.State != "unknown" {
		t.Fatalf("after evaluate now: %+v %v", rec, err)
	}
	if _, body := a.get(path); !strings.Contains(body, "no-data-yet") || !strings.Contains(body, "What to do") {
		t.Errorf("the account page does not show the unknown state with what to do")
	}
	resp = a.post("/accounts/evaluate", url.Values{"csrf": {a.csrf(path)}})
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "evaluated=") {
		t.Fatalf("evaluate all: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
