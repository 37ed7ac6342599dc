package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
)

var oneTimeValue = regexp.MustCompile(`id="new-password-value">([^<]+)<`)

// usersPost posts form to path as b with the CSRF token of the users page.
func (b *browser) usersPost(path string, form url.Values) (int, string) {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.csrf("/settings/users"))
	resp := b.post(path, form)
	return resp.StatusCode, readBody(resp)
}

// userByEmail fetches a stored user or fails the test.
func (e *testEnv) userByEmail(email string) *model.User {
	e.t.Helper()
	u, err := e.st.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatalf("user %s: %v", email, err)
	}
	return u
}

// addUserWithPassword stores a user with a known password, as a test fixture.
func (e *testEnv) addUserWithPassword(email string, role model.Role, password string) *model.User {
	e.t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &model.User{Email: email, Name: "Test " + string(role), Role: role, PasswordHash: hash}
	if err := e.st.CreateUser(context.Background(), model.SystemActor("test"), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func userPath(u *model.User, action string) string {
	return "/settings/users/" + strconv.FormatInt(u.ID, 10) + "/" + action
}

func TestAddUserOneTimePassword(t *testing.T) {
	e := newTestEnv(t, nil)
	admin := e.signedIn(model.RoleAdmin)
	form := url.Values{"name": {"Amina Diallo"}, "email": {" Amina.Diallo@Example.org "}, "role": {"manager"}}
	code, body := admin.usersPost("/settings/users", form)
	m := oneTimeValue.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("add user: status %d, one-time password shown: %v", code, m != nil)
	}
	otp := m[1]
	u := e.userByEmail("amina.diallo@example.org")
	if u.Role != model.RoleManager || u.Name != "Amina Diallo" || !auth.MustChange(u.PasswordHash) {
		t.Fatalf("stored user %+v; want a manager with a one-time password", u)
	}
	ev, err := e.st.AuditEvents(context.Background(), store.AuditFilter{ActionPrefix: "user.create", ObjectID: strconv.FormatInt(u.ID, 10)})
	if err != nil || len(ev) != 1 || ev[0].ActorEmail != demo.Email(model.RoleAdmin) {
		t.Fatalf("audit of the creation: %+v, %v", ev, err)
	}
	// Shown once: the list does not show it again.
	if _, list := admin.get("/settings/users"); strings.Contains(list, otp) {
		t.Error("the users page shows the one-time password again")
	}
	// The same e-mail again is a conflict, and creates nothing.
	if code, body := admin.usersPost("/settings/users", form); code != http.StatusConflict || oneTimeValue.MatchString(body) {
		t.Errorf("duplicate e-mail: status %d", code)
	}

	// The one-time password signs in, but only to change it.
	user := e.browser()
	resp := user.signin(u.Email, otp)
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/settings" {
		t.Fatalf("sign-in with the one-time password: %d → %q, want /settings", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code, _ := user.get("/accounts"); code != http.StatusSeeOther {
		t.Fatalf("before the change, /accounts gives %d, want a redirect to /settings", code)
	}
	const mine = "my own long password"
	resp = user.post("/settings/password", url.Values{"csrf": {user.csrf("/settings")}, "current": {otp}, "new": {mine}, "confirm": {mine}})
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", resp.StatusCode)
	}
	if code, _ := user.get("/accounts"); code != http.StatusOK {
		t.Fatalf("after the change, /accounts gives %d", code)
	}
	// It worked once: it is no longer a password.
	if code := e.signinStatus(u.Email, otp); code != http.StatusUnauthorized {
		t.Errorf("second sign-in with the one-time password: %d, want 401", code)
	}
}

func TestAddUserRefusesBadInput(t *testing.T) {
	e := newTestEnv(t, nil)
	admin := e.signedIn(model.RoleAdmin)
	before, _ := e.st.CountUsers(context.Background())
	for _, f := range []url.Values{
		{"name": {""}, "email": {"a@example.org"}, "role": {"staff"}},
		{"name": {"A"}, "email": {"not-an-address"}, "role": {"staff"}},
		{"name": {"A"}, "email": {"a b@example.org"}, "role": {"staff"}},
		{"name": {"A"}, "email": {"a@example.org"}, "role": {"king"}},
		{"name": {strings.Repeat("n", 201)}, "email": {"a@example.org"}, "role": {"staff"}},
	} {
		if code, body := admin.usersPost("/settings/users", f); code != http.StatusBadRequest || !strings.Contains(body, `id="users-error"`) {
			t.Errorf("%v: status %d, want 400 with an error", f, code)
		}
	}
	// Without the CSRF token the middleware refuses the form.
	resp := admin.post("/settings/users", url.Values{"name": {"A"}, "email": {"a@example.org"}, "role": {"staff"}})
	readBody(resp)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token: status %d, want 403", resp.StatusCode)
	}
	if after, _ := e.st.CountUsers(context.Background()); after != before {
		t.Errorf("users: %d before, %d after refused forms", before, after)
	}
}

func TestChangeRoleTakesEffect(t *testing.T) {
	e := newTestEnv(t, nil)
	const pw = "staff member password"
	u := e.addUserWithPassword("role@example.org", model.RoleStaff, pw)
	user := e.browser()
	readBody(user.signin(u.Email, pw))
	if code, _ := user.get("/audit"); code != http.StatusForbidden {
		t.Fatalf("staff on /audit: %d, want 403", code)
	}
	admin := e.signedIn(model.RoleAdmin)
	if code, _ := admin.usersPost(userPath(u, "role"), url.Values{"role": {"auditor"}}); code != http.StatusSeeOther {
		t.Fatalf("change role: status %d", code)
	}
	if got := e.userByEmail(u.Email).Role; got != model.RoleAuditor {
		t.Fatalf("stored role %s, want auditor", got)
	}
	// The same session, next request: the new role applies.
	if code, _ := user.get("/audit"); code != http.StatusOK {
		t.Errorf("auditor on /audit: %d, want 200", code)
	}
	if code, _ := admin.usersPost(userPath(u, "role"), url.Values{"role": {"king"}}); code != http.StatusBadRequest {
		t.Errorf("unknown role: status %d, want 400", code)
	}
}

func TestDisableEndsSessions(t *testing.T) {
	e := newTestEnv(t, nil)
	const pw = "manager password here"
	u := e.addUserWithPassword("off@example.org", model.RoleManager, pw)
	user := e.browser()
	readBody(user.signin(u.Email, pw))
	if code, _ := user.get("/accounts"); code != http.StatusOK {
		t.Fatalf("before disabling: %d", code)
	}
	tok, err := (&users.Service{Store: e.st}).CreateToken(context.Background(), model.SystemActor("test"), u, users.TokenSpec{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	api := func() int {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readBody(resp)
		return resp.StatusCode
	}
	if code := api(); code != http.StatusOK { // and now the token is cached
		t.Fatalf("API before disabling: %d", code)
	}

	admin := e.signedIn(model.RoleAdmin)
	if code, _ := admin.usersPost(userPath(u, "disable"), nil); code != http.StatusSeeOther {
		t.Fatalf("disable: status %d", code)
	}
	if e.userByEmail(u.Email).DisabledAt == nil {
		t.Fatal("user not disabled")
	}
	resp, err := user.Get(e.ts.URL + "/accounts")
	if err != nil {
		t.Fatal(err)
	}
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Errorf("after disabling: %d → %q, want a redirect to /signin", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code := api(); code != http.StatusUnauthorized {
		t.Errorf("API after disabling: %d, want 401", code)
	}
	if e.signinStatus(u.Email, pw) == http.StatusSeeOther {
		t.Error("a disabled user signed in")
	}

	if code, _ := admin.usersPost(userPath(u, "enable"), nil); code != http.StatusSeeOther {
		t.Fatalf("enable: status %d", code)
	}
	// The sessions were ended, not merely refused while disabled.
	if code, _ := user.get("/accounts"); code != http.StatusSeeOther {
		t.Errorf("the old session came back after enabling: %d", code)
	}
	if code := e.signinStatus(u.Email, pw); code != http.StatusSeeOther {
		t.Errorf("sign-in after enabling: %d", code)
	}
}

func TestResetPassword(t *testing.T) {
	e := newTestEnv(t, nil)
	const pw = "forgotten password!"
	u := e.addUserWithPassword("reset@example.org", model.RoleStaff, pw)
	user := e.browser()
	readBody(user.signin(u.Email, pw))
	admin := e.signedIn(model.RoleAdmin)
	code, body := admin.usersPost(userPath(u, "reset-password"), nil)
	m := oneTimeValue.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("reset: status %d, one-time password shown: %v", code, m != nil)
	}
	if code, _ := user.get("/accounts"); code != http.StatusSeeOther {
		t.Errorf("the user's session survived the reset: %d", code)
	}
	for _, tc := range []struct {
		pw   string
		want int
	}{{pw, http.StatusUnauthorized}, {m[1], http.StatusSeeOther}} {
		resp := e.browser().signin(u.Email, tc.pw)
		readBody(resp)
		if resp.StatusCode != tc.want {
			t.Errorf("sign-in with %q after reset: %d, want %d", tc.pw, resp.StatusCode, tc.want)
		}
		if tc.want == http.StatusSeeOther && resp.Header.Get("Location") != "/settings" {
			t.Errorf("sign-in with the new one-time password goes to %q, want /settings", resp.Header.Get("Location"))
		}
	}
	// A single sign-on user has no password here to reset.
	sso := &model.User{Email: "sso@example.org", Name: "SSO", Role: model.RoleStaff, OIDCSubject: "https://idp|42"}
	if err := e.st.CreateUser(context.Background(), model.SystemActor("test"), sso); err != nil {
		t.Fatal(err)
	}
	if code, _ := admin.usersPost(userPath(sso, "reset-password"), nil); code != http.StatusConflict {
		t.Errorf("reset of a single sign-on user: %d, want 409", code)
	}
	if got := e.userByEmail(sso.Email).PasswordHash; got != "" {
		t.Error("a single sign-on user got a password")
	}
}

func TestAdminCannotLockThemselvesOut(t *testing.T) {
	e := newTestEnv(t, nil)
	admin := e.signedIn(model.RoleAdmin)
	me := e.userByEmail(demo.Email(model.RoleAdmin))
	for _, tc := range []struct {
		action string
		form   url.Values
	}{
		{"disable", nil},
		{"role", url.Values{"role": {"staff"}}},
		{"reset-password", nil},
	} {
		if code, body := admin.usersPost(userPath(me, tc.action), tc.form); code != http.StatusForbidden || !strings.Contains(body, `id="users-error"`) {
			t.Errorf("%s oneself: status %d, want 403 with an error", tc.action, code)
		}
	}
	after := e.userByEmail(me.Email)
	if after.DisabledAt != nil || after.Role != model.RoleAdmin || after.PasswordHash != me.PasswordHash {
		t.Errorf("the admin changed themselves: %+v", after)
	}
	if code, _ := admin.get("/settings/users"); code != http.StatusOK {
		t.Errorf("the admin lost their session: %d", code)
	}
	// Keeping one's own role is no change, and allowed.
	if code, _ := admin.usersPost(userPath(me, "role"), url.Values{"role": {"admin"}}); code != http.StatusSeeOther {
		t.Errorf("keeping one's role: %d", code)
	}
	if code, _ := admin.usersPost("/settings/users/999999/disable", nil); code != http.StatusNotFound {
		t.Errorf("unknown user: %d, want 404", code)
	}
}

func TestUsersPageForbiddenToOthers(t *testing.T) {
	e := newTestEnv(t, nil)
	target := e.userByEmail(demo.Email(model.RoleStaff))
	for _, role := range model.Roles {
		b := e.signedIn(role)
		_, home := b.get("/settings")
		linked := strings.Contains(home, `href="/settings/users"`)
		code, _ := b.get("/settings/users")
		if role == model.RoleAdmin {
			if code != http.StatusOK || !linked {
				t.Errorf("admin: status %d, linked %v", code, linked)
			}
			continue
		}
		if code != http.StatusForbidden || linked {
			t.Errorf("%s: users page %d (linked %v), want 403 and no link", role, code, linked)
		}
		csrf := b.csrf("/settings")
		for _, p := range []string{"/settings/users", userPath(target, "disable"), userPath(target, "role")} {
			resp := b.post(p, url.Values{"csrf": {csrf}, "name": {"X"}, "email": {"x@example.org"}, "role": {"admin"}})
			readBody(resp)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", role, p, resp.StatusCode)
			}
		}
	}
	if after := e.userByEmail(target.Email); after.DisabledAt != nil || after.Role != model.RoleStaff {
		t.Errorf("a non-admin changed a user: %+v", after)
	}
	if _, err := e.st.UserByEmail(context.Background(), "x@example.org"); err == nil {
		t.Error("a non-admin added a user")
	}
}

func TestUsersPageEscapesNames(t *testing.T) {
	e := newTestEnv(t, nil)
	admin := e.signedIn(model.RoleAdmin)
	const name = `<script>alert("x")</script>`
	const email = `x"><img/src=x/onerror=alert(1)>@example.org`
	code, body := admin.usersPost("/settings/users", url.Values{"name": {name}, "email": {email}, "role": {"staff"}})
	if code != http.StatusOK {
		t.Fatalf("add: status %d", code)
	}
	_, list := admin.get("/settings/users")
	for what, b := range map[string]string{"result page": body, "list": list} {
		if strings.Contains(b, "<script>alert") || strings.Contains(b, "<img/src=x") {
			t.Errorf("%s has the name or e-mail unescaped", what)
		}
		if !strings.Contains(b, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Errorf("%s lacks the escaped name", what)
		}
	}
}
