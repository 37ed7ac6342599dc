package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

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
	idp, err := oidctest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer idp.Close()
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
