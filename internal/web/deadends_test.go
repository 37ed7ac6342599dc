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
	"github.com/herald-gov/herald/internal/store"
)

// AtRiskAndEndedAccounts adds two accounts of the demo manager's: one at
// risk, one for a project past its end date. (Exported for the web_test
// browser tests.)
func AtRiskAndEndedAccounts(tb testing.TB, st *store.Store) (risky, ended *model.Account) {
	tb.Helper()
	mgr := demo.Email(model.RoleManager)
	risky = &model.Account{Platform: "mastodon", Handle: "quiet@example.org", Kind: model.KindCountryOffice,
		Office: "Quiet", Managers: []string{mgr}, Status: model.StatusAtRisk}
	ended = &model.Account{Platform: "mastodon", Handle: "wells@example.org", Kind: model.KindProject, Office: "Quiet",
		Managers: []string{mgr}, Status: model.StatusActive, Project: &model.Project{Name: "Wells", EndDate: "2020-06-30"}}
	for _, a := range []*model.Account{risky, ended} {
		if err := st.CreateAccount(context.Background(), model.SystemActor("test"), a); err != nil {
			tb.Fatal(err)
		}
	}
	return risky, ended
}

// TestDraftsForAtRiskAndEndedProjects: an account at risk gets drafts in the
// editor (posting is how it recovers); a draft for a project account past
// its end date is shown with a warning citing 4.6.
func TestDraftsForAtRiskAndEndedProjects(t *testing.T) {
	e := newTestEnv(t, nil)
	risky, ended := AtRiskAndEndedAccounts(t, e.st)
	b := e.signedIn(model.RoleManager)
	if _, body := b.get("/drafts/new"); !strings.Contains(body, fmt.Sprintf(`<option value="%d"`, risky.ID)) {
		t.Fatalf("the editor offers no at-risk account:\n%s", body)
	}
	token := b.csrf("/drafts/new")
	resp := b.post("/drafts/new", url.Values{"csrf": {token}, "account": {fmt.Sprint(ended.ID)}, "text": {"Thank you for following the Wells project."}})
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft for the ended project: %d", resp.StatusCode)
	}
	_, body := b.get(resp.Header.Get("Location"))
	if !strings.Contains(body, `id="warning-draft.project_ended"`) || !strings.Contains(body, "ended on 2020-06-30") ||
		!strings.Contains(body, "§ 4.6") {
		t.Fatalf("no 4.6 warning on the draft page:\n%s", body)
	}
}

// TestCheckEmptyPost: an empty post is asked for text, never told "No findings".
func TestCheckEmptyPost(t *testing.T) {
	e := newTestEnv(t, nil)
	b := e.signedIn(model.RoleStaff)
	token := b.csrf("/check")
	resp := b.post("/check", url.Values{"csrf": {token}, "text": {"  \n "}, "account": {"kind:personal"}})
	body := readBody(resp)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Write some text to check") || strings.Contains(body, "No findings") {
		t.Fatalf("empty post: %d\n%s", resp.StatusCode, body)
	}
}
