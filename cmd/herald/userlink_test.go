package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestUserLinkOIDC(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	s := storetest.OpenURL(t, db)
	ctx := context.Background()
	for _, e := range []string{"ana@unops.org", "bob@unops.org"} {
		if err := s.CreateUser(ctx, model.SystemActor("test"), &model.User{Email: e, Name: e, Role: model.RoleStaff}); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"HERALD_DATABASE_URL": db}
	if code, out, errs := runHerald(t, env, "user", "link-oidc", "--email", "ana@unops.org", "--subject", "https://idp|42"); code != 0 || !strings.Contains(out, "linked ana@unops.org") {
		t.Fatalf("link: exit %d, %q %q", code, out, errs)
	}
	if u, err := s.UserByOIDCSubject(ctx, "https://idp|42"); err != nil || u.Email != "ana@unops.org" {
		t.Fatalf("linked user: %+v, %v", u, err)
	}
	for _, args := range [][]string{
		{"--email", "bob@unops.org", "--subject", "https://idp|42"}, // another user's identity
		{"--email", "nobody@unops.org", "--subject", "https://idp|43"},
		{"--email", "bob@unops.org", "--subject", "42"},
	} {
		if code, _, _ := runHerald(t, env, append([]string{"user", "link-oidc"}, args...)...); code != 2 {
			t.Errorf("link-oidc %v: exit %d, want 2", args, code)
		}
	}
}
