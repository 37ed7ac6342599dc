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
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/users"
)

// TestAPIMustChangePassword (issue 10, item 7): a user whose one-time
// password is not changed yet is refused by the API too, with a 403 that
// says what to do, not only redirected on the web.
func TestAPIMustChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		ctx := context.Background()
		svc := &users.Service{Store: e.st}
		u, otp, err := svc.Add(ctx, model.SystemActor("test"), users.NewUser{Name: "New Person", Email: "new@example.org", Role: model.RoleStaff})
		if err != nil || otp == "" {
			t.Fatalf("Add: %v, one-time %q", err, otp)
		}
		tok, err := svc.CreateToken(ctx, model.SystemActor("test"), u, users.TokenSpec{Name: "made before the first sign-in"})
		if err != nil {
			t.Fatal(err)
		}
		status, body := apiDo(t, e, http.MethodGet, "/api/v1/me", tok, "")
		msg := fmt.Sprint(body["error"])
		if status != http.StatusForbidden || !strings.Contains(msg, "Change your password first") {
			t.Errorf("API with a one-time password: %d %v, want 403 telling to change the password first", status, body)
		}
		if status, _ := apiDo(t, e, http.MethodGet, "/api/v1/me", e.token(model.RoleStaff), ""); status != http.StatusOK {
			t.Errorf("API with a changed password: %d, want 200", status)
		}
	})
}

// TestResetPasswordStopsTokensAtOnce (issue 10, item 7): after an
// administrator resets a user's password on the Users page, that user's API
// token is refused at the next request, even one served from the cache.
func TestResetPasswordStopsTokensAtOnce(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	tok := e.token(model.RoleManager)
	if status, _ := apiDo(t, e, http.MethodGet, "/api/v1/me", tok, ""); status != http.StatusOK {
		t.Fatalf("token before the reset: %d", status) // and now cached
	}
	mgr, err := e.st.UserByEmail(context.Background(), demo.Email(model.RoleManager))
	if err != nil {
		t.Fatal(err)
	}
	admin := e.signedIn(model.RoleAdmin)
	resp := admin.post(fmt.Sprintf("/settings/users/%d/reset-password", mgr.ID), url.Values{"csrf": {admin.csrf("/settings/users")}})
	if body := readBody(resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("reset: %d %s", resp.StatusCode, body)
	}
	if status, _ := apiDo(t, e, http.MethodGet, "/api/v1/me", tok, ""); status != http.StatusUnauthorized {
		t.Errorf("token after the reset: %d, want 401", status)
	}
}

// TestChangePasswordRevokesOwnTokens (issue 10, item 7): changing one's
// password on the Settings page revokes one's API tokens at once.
func TestChangePasswordRevokesOwnTokens(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	tok := e.token(model.RoleStaff)
	if status, _ := apiDo(t, e, http.MethodGet, "/api/v1/me", tok, ""); status != http.StatusOK {
		t.Fatalf("token before the change: %d", status)
	}
	b := e.signedIn(model.RoleStaff)
	const newPw = "an entirely new passphrase"
	resp := b.post("/settings/password", url.Values{"csrf": {b.csrf("/settings")}, "current": {demo.Password}, "new": {newPw}, "confirm": {newPw}})
	if body := readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d %s", resp.StatusCode, body)
	}
	if status, _ := apiDo(t, e, http.MethodGet, "/api/v1/me", tok, ""); status != http.StatusUnauthorized {
		t.Errorf("token after the change: %d, want 401", status)
	}
}

// TestPendingRequestsHiddenFromAccounts (issue 10, item 8): someone else's
// request is not readable through the account pages, the accounts API or
// the CSV export; its requester and the reviewers still see it.
func TestPendingRequestsHiddenFromAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, storetest.Open(t, dialect), nil)
		code, out := apiDo(t, e, http.MethodPost, "/api/v1/account-requests", e.token(model.RoleManager), spanishRequest)
		if code != http.StatusCreated {
			t.Fatalf("request: %d %v", code, out)
		}
		id := int64(out["id"].(float64))
		const secret = "UNOPS_es_news"
		for _, c := range []struct {
			role model.Role
			sees bool
		}{{model.RoleStaff, false}, {model.RoleManager, true}, {model.RoleReviewer, true}} {
			tok := e.token(c.role)
			code, body := apiDo(t, e, http.MethodGet, fmt.Sprintf("/api/v1/accounts/%d", id), tok, "")
			if want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[c.sees]; code != want {
				t.Errorf("%s: GET /api/v1/accounts/%d: %d %v, want %d", c.role, id, code, body, want)
			}
			if got := strings.Contains(fmt.Sprint(apiList(t, e, "/api/v1/accounts?limit=200", tok)), secret); got != c.sees {
				t.Errorf("%s: the accounts API lists the request: %v, want %v", c.role, got, c.sees)
			}
			b := e.signedIn(c.role)
			for _, path := range []string{"/accounts.csv", "/accounts?q=news", "/check"} {
				if _, page := b.get(path); strings.Contains(page, secret) != c.sees {
					t.Errorf("%s: %s shows the request: %v, want %v", c.role, path, !c.sees, c.sees)
				}
			}
			if status, _ := b.get(fmt.Sprintf("/accounts/%d", id)); (status == http.StatusOK) != c.sees {
				t.Errorf("%s: the request's account page: %d", c.role, status)
			}
		}
	})
}

// TestAPIDraftForRequestRefused (issue 10, item 11): the API refuses a
// draft for an account still a request, with the review service's message.
func TestAPIDraftForRequestRefused(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	manager := e.token(model.RoleManager)
	code, out := apiDo(t, e, http.MethodPost, "/api/v1/account-requests", manager, spanishRequest)
	if code != http.StatusCreated {
		t.Fatalf("request: %d %v", code, out)
	}
	body := fmt.Sprintf(`{"account_id":%d,"text":"Hola."}`, int64(out["id"].(float64)))
	code, out = apiDo(t, e, http.MethodPost, "/api/v1/drafts", manager, body)
	if msg := fmt.Sprint(out["error"]); code != http.StatusConflict || !strings.Contains(msg, "only for approved accounts") {
		t.Errorf("draft for a request: %d %v, want 409 saying drafts need an approved account", code, out)
	}
}

// TestAccountFieldsValidatedAtEveryDoor (issue 10, item 12): the API and
// the edit form refuse the fields the review found stored, with a 400 that
// names the field, and store nothing.
func TestAccountFieldsValidatedAtEveryDoor(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	manager := e.token(model.RoleManager)
	for _, c := range []struct{ field, from, to string }{
		{"profile_url", `"https://x.com/UNOPS_es_news"`, `"javascript:alert(1)//x.com/UNOPS_es_news"`},
		{"posts_per_week", `5`, `-5`},
		{"posts_per_week", `5`, `1e308`},
		{"display_name", `"UNOPS en español"`, `"` + strings.Repeat("U", 900<<10) + `"`},
	} {
		body := strings.Replace(spanishRequest, `"`+c.field+`":`+c.from, `"`+c.field+`":`+c.to, 1)
		if body == spanishRequest {
			t.Fatalf("%s: no %s in the request", c.field, c.from)
		}
		code, out := apiDo(t, e, http.MethodPost, "/api/v1/account-requests", manager, body)
		if msg := fmt.Sprint(out["error"]); code != http.StatusBadRequest || !strings.Contains(msg, c.field) {
			t.Errorf("API request with %s %.40s: %d %.300v, want 400 naming the field", c.field, c.to, code, out)
		}
	}

	// The edit form of an existing account.
	ctx := context.Background()
	accs, _, err := e.st.Accounts(ctx, store.AccountFilter{Limit: 1})
	if err != nil || len(accs) == 0 {
		t.Fatalf("no demo account: %v", err)
	}
	acc := accs[0]
	admin := e.signedIn(model.RoleAdmin)
	path := fmt.Sprintf("/accounts/%d/edit", acc.ID)
	form := url.Values{"csrf": {admin.csrf(path)}, "platform": {acc.Platform}, "handle": {acc.Handle},
		"profile_url": {"javascript:alert(1)"}, "display_name": {acc.DisplayName}, "kind": {acc.Kind},
		"office": {acc.Office}, "posts_per_week": {"2"}}
	resp := admin.post(path, form)
	if page := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "profile_url") {
		t.Errorf("edit form with a javascript: URL: %d, want 400 naming profile_url", resp.StatusCode)
	}
	form.Set("profile_url", acc.ProfileURL)
	form.Set("posts_per_week", "-5")
	resp = admin.post(path, form)
	if page := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "posts_per_week must be a number from 0 to 1000") {
		t.Errorf("edit form with -5 posts a week: %d, want 400 stating the range", resp.StatusCode)
	}
	if got, err := e.st.Account(ctx, acc.ID); err != nil || got.ProfileURL != acc.ProfileURL || got.PostsPerWeek != acc.PostsPerWeek {
		t.Errorf("the refused edits were stored: %+v, %v", got, err)
	}
}

// TestDashboardHidesRequestsNamingOthers (issue 10, item 8): a manager
// named on someone else's request does not see it among their accounts on
// the dashboard, as they would not on its account page.
func TestDashboardHidesRequestsNamingOthers(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	const pw = "violet kettle under the bridge"
	if _, _, err := (&users.Service{Store: e.st}).Add(context.Background(), model.SystemActor("test"),
		users.NewUser{Name: "Second Manager", Email: "manager2@example.org", Role: model.RoleManager, Password: pw}); err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(spanishRequest, `"managers":["manager@demo.herald.invalid"]`, `"managers":["manager2@example.org"]`, 1)
	if code, out := apiDo(t, e, http.MethodPost, "/api/v1/account-requests", e.token(model.RoleManager), body); code != http.StatusCreated {
		t.Fatalf("request: %d %v", code, out)
	}
	b := e.browser()
	if resp := b.signin("manager2@example.org", pw); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	if _, page := b.get("/"); strings.Contains(page, "UNOPS_es_news") {
		t.Error("the dashboard lists someone else's request to a manager it names")
	}
}

// TestAPIDraftForClosedAccountInEachLanguage: the refusal names the
// account's state once, in the reader's language.
func TestAPIDraftForClosedAccountInEachLanguage(t *testing.T) {
	e := newEnvOn(t, openTestStore(t), nil)
	acc := &model.Account{Platform: "mastodon", Handle: "closed@example.org", Kind: model.KindCorporate, Office: "HQ",
		Managers: []string{"manager@example.org"}, Status: model.StatusClosed}
	if err := e.st.CreateAccount(t.Context(), model.SystemActor("test"), acc); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"account_id":%d,"text":"Bonjour."}`, acc.ID)
	for lang, want := range map[string]string{"en": "closed@example.org is closed.", "fr": "le compte closed@example.org est fermé.", "es": "la cuenta closed@example.org está cerrada."} {
		code, _, out := apiReq(t, e, http.MethodPost, "/api/v1/drafts", e.token(model.RoleAdmin), body, []string{"Accept-Language", lang})
		ev, _ := out["error"].(map[string]any)
		msg := fmt.Sprint(ev["message"])
		if code != http.StatusConflict || !strings.HasSuffix(msg, want) {
			t.Errorf("%s: %d %q, want 409 ending %q", lang, code, msg, want)
		}
	}
}
