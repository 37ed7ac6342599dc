package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/auth/oidctest"
	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// TestOIDCCannotTakeOverAccounts: an identity with an existing user's
// e-mail signed in as that user, changed its role and linked its subject.
// Now an unverified e-mail signs nobody in; a verified one links only after
// the user's password; and claims never silently lower an admin.
func TestOIDCCannotTakeOverAccounts(t *testing.T) {
	e, idp := newOIDCEnv(t)
	ctx := context.Background()
	adminEmail := demo.Email(model.RoleAdmin)
	admin := func() *model.User {
		u, err := e.st.UserByEmail(ctx, adminEmail)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	sso := func(u oidctest.User) (*browser, int, string) {
		idp.SignInAs(u)
		b := e.browser()
		b.CheckRedirect = nil
		code, body := b.get("/auth/oidc/login")
		return b, code, body
	}
	// No email_verified claim: refused, nothing changes.
	if _, code, _ := sso(oidctest.User{Subject: "mallory", Email: adminEmail, Groups: []string{"cg"}, OmitEmailVerified: true}); code != http.StatusUnauthorized {
		t.Fatalf("token without email_verified: status %d, want 401", code)
	}
	// Verified, but the account exists and is not linked: its password is needed.
	b, code, body := sso(oidctest.User{Subject: "ana", Email: adminEmail, Groups: []string{"cg"}})
	if code != http.StatusUnauthorized || !strings.Contains(body, "Sign in once with its password") {
		t.Fatalf("first link to an existing account: status %d, want 401 asking for the password", code)
	}
	if u := admin(); u.Role != model.RoleAdmin || u.OIDCSubject != "" {
		t.Fatalf("the provider's word alone changed the account: %+v", u)
	}
	// The owner signs in with the password in that browser: now linked.
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if resp := b.signin(adminEmail, demo.Password); readBody(resp) != "" && resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("password sign-in: %d", resp.StatusCode)
	}
	if u := admin(); u.OIDCSubject != idp.URL+"|ana" || u.Role != model.RoleAdmin {
		t.Fatalf("after the password sign-in: %+v, want linked to %s|ana, still admin", u, idp.URL)
	}
	// Linked: single sign-on works; the claims map to reviewer, but an
	// admin is not lowered silently: withheld, logged and audited.
	if _, code, body := sso(oidctest.User{Subject: "ana", Email: adminEmail, Groups: []string{"cg"}}); code != http.StatusOK || !strings.Contains(body, "<h1>Dashboard</h1>") {
		t.Fatalf("linked sign-in: %d", code)
	}
	if u := admin(); u.Role != model.RoleAdmin {
		t.Fatalf("claims lowered the admin to %s", u.Role)
	}
	ev, err := e.st.AuditEvents(ctx, store.AuditFilter{ActionPrefix: "user.role-claim-withheld"})
	if err != nil || len(ev) != 1 || !strings.Contains(ev[0].Summary, "reviewer") {
		t.Fatalf("withheld role change audited: %+v, %v", ev, err)
	}
	// Another subject with the same e-mail now finds the account linked: refused.
	if _, code, _ := sso(oidctest.User{Subject: "mallory", Email: adminEmail, Groups: []string{"cg"}}); code != http.StatusUnauthorized {
		t.Fatalf("another subject with a linked account's e-mail: status %d, want 401", code)
	}
}
