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
	_, body := a.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "no-data-yet") || !strings.Contains(body, "What to do") {
		t.Errorf("the account page does not show the unknown state with what to do")
	}
	if !strings.Contains(body, `id="evaluate-now"`) || !strings.Contains(body, "Evaluated now under policy 4.6") {
		t.Errorf("the account page has no evaluate-now button or does not say it evaluated")
	}
	_, dash := a.get("/")
	if !strings.Contains(dash, `id="evaluate-all"`) || !strings.Contains(dash, `id="unknown-`+strconv.FormatInt(acc.ID, 10)+`"`) ||
		!strings.Contains(dash, "What to do") {
		t.Errorf("the dashboard lacks the evaluate-all button or the unknown account with what to do")
	}
	resp = a.post("/accounts/evaluate", url.Values{"csrf": {a.csrf(path)}})
	readBody(resp)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "evaluated=") {
		t.Fatalf("evaluate all: %d %q", resp.StatusCode, loc)
	}
	q, _ := url.ParseQuery(loc[strings.Index(loc, "?")+1:])
	if _, dash = a.get(loc); !strings.Contains(dash, "Evaluated now under policy 4.6: "+q.Get("evaluated")+" accounts, "+q.Get("at_risk")+" at risk, "+q.Get("unknown")+" unknown") {
		t.Errorf("the dashboard does not say what evaluate all found (%s)", loc)
	}
	if q.Get("unknown") == "0" {
		t.Errorf("evaluate all found no unknown account, though %s has no data", acc.Handle)
	}
	// Those who may not evaluate see no button.
	m := e.signedIn(model.RoleManager)
	if _, body := m.get("/"); strings.Contains(body, `id="evaluate-all"`) {
		t.Errorf("a manager sees the evaluate-all button")
	}
	if _, body := m.get(path); strings.Contains(body, `id="evaluate-now"`) {
		t.Errorf("a manager sees the evaluate-now button")
	}
}
