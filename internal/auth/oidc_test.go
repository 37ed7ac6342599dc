package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/auth/oidctest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
)

// loopbackClient is outbound's client allowed to reach the test provider.
func loopbackClient() *http.Client {
	allow, _ := outbound.ParseAllow("127.0.0.1,::1")
	return outbound.NewClient(outbound.Options{Allow: allow})
}

// signIn follows the authorization redirect without a browser and returns the callback's code.
func signIn(t *testing.T, o *auth.OIDC, nonce string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(o.AuthCodeURL("st", nonce))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("state") != "st" {
		t.Fatalf("redirect %q: %v", resp.Header.Get("Location"), err)
	}
	return loc.Query().Get("code")
}

func TestOIDCExchange(t *testing.T) {
	idp := oidctest.Start(t)
	ctx := context.Background()
	o, err := auth.NewOIDC(ctx, auth.OIDCConfig{
		Issuer: idp.URL, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: "http://herald.test/auth/oidc/callback",
		RoleMap:     map[string]model.Role{"cg": model.RoleReviewer, "cg-admins": model.RoleAdmin},
	}, loopbackClient())
	if err != nil {
		t.Fatal(err)
	}
	idp.SignInAs(oidctest.User{Subject: "u1", Email: "ana@unops.org", Name: "Ana", Groups: []string{"cg", "cg-admins"}})
	id, err := o.Exchange(ctx, signIn(t, o, "n1"), "n1")
	if err != nil {
		t.Fatal(err)
	}
	if id.Role != model.RoleAdmin || id.Email != "ana@unops.org" || id.Subject != idp.URL+"|u1" {
		t.Fatalf("identity = %+v", id)
	}
	if _, err := o.Exchange(ctx, signIn(t, o, "n2"), "other"); err == nil || !strings.Contains(err.Error(), "nonce") {
		t.Fatalf("nonce mismatch: %v", err)
	}
	idp.SignInAs(oidctest.User{Subject: "u2", Email: "bob@unops.org", Groups: []string{"finance"}})
	if _, err := o.Exchange(ctx, signIn(t, o, "n3"), "n3"); err == nil || !strings.Contains(err.Error(), "no role") {
		t.Fatalf("unmapped groups: %v", err)
	}
}

// TestOIDCRequiresVerifiedEmail: a token without email_verified, or with
// it false, signs nobody in (it did when the claim was absent).
func TestOIDCRequiresVerifiedEmail(t *testing.T) {
	idp := oidctest.Start(t)
	ctx := context.Background()
	o, err := auth.NewOIDC(ctx, auth.OIDCConfig{Issuer: idp.URL, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: "http://herald.test/cb", DefaultRole: model.RoleStaff}, loopbackClient())
	if err != nil {
		t.Fatal(err)
	}
	no := false
	for i, u := range []oidctest.User{
		{Subject: "u1", Email: "admin@unops.org", OmitEmailVerified: true},
		{Subject: "u2", Email: "admin@unops.org", EmailVerified: &no},
	} {
		idp.SignInAs(u)
		nonce := fmt.Sprint("n", i)
		if _, err := o.Exchange(ctx, signIn(t, o, nonce), nonce); err == nil || !strings.Contains(err.Error(), "email_verified") {
			t.Errorf("%+v: %v, want a refusal naming email_verified", u, err)
		}
	}
}

func TestNewOIDCRefusesLocalProviderByDefault(t *testing.T) {
	idp := oidctest.Start(t)
	_, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: idp.URL, ClientID: "c", RedirectURL: "https://h/cb"}, nil)
	if err == nil {
		t.Fatal("discovery at a loopback http address succeeded without an allow list")
	}
}

func TestDecideOIDC(t *testing.T) {
	id := &auth.Identity{Subject: "iss|1", Email: "a@unops.org"}
	linked := &model.User{ID: 1, OIDCSubject: "iss|1"}
	local := &model.User{ID: 2, Email: "a@unops.org"}
	other := &model.User{ID: 3, Email: "a@unops.org", OIDCSubject: "iss|9"}
	for _, tc := range []struct {
		bySubject, byEmail *model.User
		want               auth.OIDCOutcome
	}{
		{linked, nil, auth.OIDCSignIn},
		{linked, other, auth.OIDCSignIn}, // the subject decides once linked
		{nil, nil, auth.OIDCCreate},
		{nil, local, auth.OIDCNeedsPassword},
		{nil, other, auth.OIDCRefused},
	} {
		if got := auth.DecideOIDC(id, tc.bySubject, tc.byEmail); got != tc.want {
			t.Errorf("DecideOIDC(%v, %v) = %v, want %v", tc.bySubject, tc.byEmail, got, tc.want)
		}
	}
	for _, tc := range []struct {
		current, claimed, want model.Role
		withheld               bool
	}{
		{model.RoleStaff, model.RoleReviewer, model.RoleReviewer, false},
		{model.RoleReviewer, model.RoleStaff, model.RoleStaff, false},
		{model.RoleStaff, model.RoleAdmin, model.RoleStaff, true},
		{model.RoleAdmin, model.RoleStaff, model.RoleAdmin, true},
		{model.RoleAdmin, model.RoleAdmin, model.RoleAdmin, false},
	} {
		if got, w := auth.ClaimRole(tc.current, tc.claimed); got != tc.want || w != tc.withheld {
			t.Errorf("ClaimRole(%s, %s) = %s, %v; want %s, %v", tc.current, tc.claimed, got, w, tc.want, tc.withheld)
		}
	}
}

func TestPendingLinks(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &auth.PendingLinks{Now: func() time.Time { return now }}
	tok := p.Add("iss|1", "A@unops.org")
	if got := p.Take(tok, "b@unops.org"); got != "" {
		t.Fatalf("another user took the link: %q", got)
	}
	if got := p.Take(tok, "a@unops.org"); got != "iss|1" {
		t.Fatalf("Take = %q", got)
	}
	if got := p.Take(tok, "a@unops.org"); got != "" {
		t.Fatal("a link taken twice")
	}
	tok = p.Add("iss|2", "a@unops.org")
	now = now.Add(11 * time.Minute)
	if got := p.Take(tok, "a@unops.org"); got != "" {
		t.Fatal("an expired link taken")
	}
}
