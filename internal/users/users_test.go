package users_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/users"
)

var sys = model.SystemActor("test")

func wantKind(t *testing.T, what string, err error, kind errs.Kind) {
	t.Helper()
	if !errs.Is(err, kind) {
		t.Errorf("%s: %v (kind %q), want %s", what, err, errs.KindOf(err), kind)
	}
}

// liveSession reports whether the session with token is still live.
func liveSession(t *testing.T, st *store.Store, token string) bool {
	t.Helper()
	_, _, err := st.Session(context.Background(), auth.HashToken(token), time.Now())
	if err != nil && !errs.Is(err, errs.NotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// newSession signs u in directly in the store and returns the token.
func newSession(t *testing.T, st *store.Store, u *model.User) string {
	t.Helper()
	token := auth.NewToken()
	now := time.Now()
	if err := st.CreateSession(context.Background(), sys, model.Session{TokenHash: auth.HashToken(token), UserID: u.ID,
		CSRFToken: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestUsersService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		st := storetest.Open(t, dialect)
		svc := &users.Service{Store: st}

		admin, otp, err := svc.Add(ctx, sys, users.NewUser{Name: "Ada", Email: " Ada@Example.org ", Role: model.RoleAdmin})
		if err != nil || otp == "" || admin.Email != "ada@example.org" || !auth.MustChange(admin.PasswordHash) {
			t.Fatalf("Add: %+v, one-time %q, %v; want a lower-cased user with a one-time password", admin, otp, err)
		}
		_, _, err = svc.Add(ctx, sys, users.NewUser{Name: "Ada again", Email: "ADA@example.org", Role: model.RoleStaff})
		wantKind(t, "duplicate e-mail", err, errs.Conflict)
		if msg := errs.Of(err).Message; msg != "A user with e-mail ada@example.org already exists." {
			t.Errorf("duplicate e-mail says %q", msg)
		}
		for _, in := range []users.NewUser{{Name: "", Email: "a@b.org", Role: model.RoleStaff},
			{Name: "X", Email: "not an address", Role: model.RoleStaff}, {Name: "X", Email: "x@b.org", Role: "king"},
			{Name: "X", Email: "x@b.org", Role: model.RoleStaff, Password: "short"}} {
			_, _, err := svc.Add(ctx, sys, in)
			wantKind(t, "Add "+in.Email, err, errs.Invalid)
		}
		staff, otp, err := svc.Add(ctx, sys, users.NewUser{Name: "Sam", Email: "sam@example.org", Role: model.RoleStaff, Password: "a long enough password"})
		if err != nil || otp != "" || auth.MustChange(staff.PasswordHash) {
			t.Fatalf("Add with a password: %+v, one-time %q, %v", staff, otp, err)
		}

		// An admin acts on others, never on themselves.
		_, err = svc.SetRole(ctx, sys, admin, admin.ID, model.RoleStaff)
		wantKind(t, "demote oneself", err, errs.Forbidden)
		if _, err := svc.SetRole(ctx, sys, admin, admin.ID, model.RoleAdmin); err != nil {
			t.Errorf("keeping one's own role: %v", err)
		}
		_, err = svc.Disable(ctx, sys, admin, admin.ID)
		wantKind(t, "disable oneself", err, errs.Forbidden)
		_, _, err = svc.ResetPassword(ctx, sys, admin, admin.ID)
		wantKind(t, "reset oneself", err, errs.Forbidden)
		_, err = svc.Enable(ctx, sys, 999999)
		wantKind(t, "no such user", err, errs.NotFound)
		u, err := svc.SetRole(ctx, sys, admin, staff.ID, model.RoleAuditor)
		if err != nil || u.Role != model.RoleAuditor {
			t.Fatalf("SetRole: %+v %v", u, err)
		}

		// Disabling ends the sessions; a disabled user gets no token.
		session := newSession(t, st, staff)
		if u, err = svc.Disable(ctx, sys, admin, staff.ID); err != nil || u.DisabledAt == nil {
			t.Fatalf("Disable: %+v %v", u, err)
		}
		if liveSession(t, st, session) {
			t.Error("a session outlived Disable")
		}
		_, err = svc.CreateToken(ctx, sys, u, "t")
		wantKind(t, "token for a disabled user", err, errs.Conflict)
		if u, err = svc.Enable(ctx, sys, staff.ID); err != nil || u.DisabledAt != nil {
			t.Fatalf("Enable: %+v %v", u, err)
		}

		// Resetting gives a new one-time password and ends the sessions.
		session = newSession(t, st, staff)
		u, pw, err := svc.ResetPassword(ctx, sys, admin, staff.ID)
		if err != nil || pw == "" || liveSession(t, st, session) {
			t.Fatalf("ResetPassword: %q %v, session alive %v", pw, err, liveSession(t, st, session))
		}
		if u, err = svc.Get(ctx, staff.ID); err != nil || !auth.MustChange(u.PasswordHash) {
			t.Fatalf("after reset: %+v %v", u, err)
		}

		// Changing one's password checks the current one and ends every session.
		for _, c := range [][3]string{{"wrong", "a new long password", "a new long password"},
			{pw, "a new long password", "another long password"}, {pw, pw, pw}, {pw, "short", "short"}} {
			wantKind(t, "ChangePassword "+c[1], svc.ChangePassword(ctx, sys, u, c[0], c[1], c[2]), errs.Invalid)
		}
		session = newSession(t, st, u)
		if err := svc.ChangePassword(ctx, sys, u, pw, "a new long password", "a new long password"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := auth.VerifyPassword(u.PasswordHash, "a new long password"); !ok || liveSession(t, st, session) {
			t.Errorf("after ChangePassword: new password works %v, old session alive %v", ok, liveSession(t, st, session))
		}

		// Tokens: only one's own can be revoked; someone else's is not found.
		tok, err := svc.CreateToken(ctx, sys, u, "ci")
		if err != nil || tok == "" {
			t.Fatalf("CreateToken: %q %v", tok, err)
		}
		_, err = svc.CreateToken(ctx, sys, u, " ")
		wantKind(t, "token without a name", err, errs.Invalid)
		toks, err := svc.Tokens(ctx, u.ID)
		if err != nil || len(toks) != 1 {
			t.Fatalf("Tokens: %v %v", toks, err)
		}
		wantKind(t, "revoke another's token", svc.RevokeToken(ctx, sys, admin.ID, toks[0].ID), errs.NotFound)
		if err := svc.RevokeToken(ctx, sys, u.ID, toks[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.TokenByHash(ctx, auth.HashToken(tok)); !errs.Is(err, errs.NotFound) {
			t.Errorf("a revoked token still works: %v", err)
		}

		// Single sign-on: an existing account is linked only after its
		// password (LinkOIDC), then found by subject with the claimed role;
		// the disabled are refused.
		id := &auth.Identity{Subject: "idp|1", Email: "sam@example.org", Role: model.RoleManager}
		if _, err := svc.SignInOIDC(ctx, sys, id); !errors.Is(err, users.ErrNeedsPassword) {
			t.Fatalf("SignInOIDC of an existing e-mail: %v, want ErrNeedsPassword", err)
		}
		if err := svc.LinkOIDC(ctx, sys, staff, id.Subject); err != nil {
			t.Fatal(err)
		}
		if u, err = svc.SignInOIDC(ctx, sys, id); err != nil || u.ID != staff.ID || u.OIDCSubject != "idp|1" || u.Role != model.RoleManager {
			t.Fatalf("SignInOIDC by subject after the link: %+v %v", u, err)
		}
		fresh, err := svc.SignInOIDC(ctx, sys, &auth.Identity{Subject: "idp|2", Email: "New@Example.org", Role: model.RoleStaff})
		if err != nil || fresh.ID == 0 || fresh.Email != "new@example.org" {
			t.Fatalf("SignInOIDC creates: %+v %v", fresh, err)
		}
		if _, err := svc.Disable(ctx, sys, admin, staff.ID); err != nil {
			t.Fatal(err)
		}
		_, err = svc.SignInOIDC(ctx, sys, id)
		wantKind(t, "single sign-on of a disabled user", err, errs.Forbidden)
		_, _, err = svc.ResetPassword(ctx, sys, admin, fresh.ID)
		wantKind(t, "reset of a single sign-on user", err, errs.Conflict)
	})
}

// TestSetLang: the language a user chooses is kept in the store, and only a
// supported one (or none) is accepted.
func TestSetLang(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		st := storetest.Open(t, dialect)
		svc := &users.Service{Store: st}
		u, _, err := svc.Add(ctx, sys, users.NewUser{Email: "lang@example.org", Name: "Lang", Role: model.RoleStaff})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetLang(ctx, sys, u, "fr"); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx, u.ID)
		if err != nil || got.Lang != "fr" || u.Lang != "fr" {
			t.Fatalf("after SetLang(fr): stored %q, u %q, err %v", got.Lang, u.Lang, err)
		}
		wantKind(t, "SetLang(de)", svc.SetLang(ctx, sys, u, "de"), errs.Invalid)
		if err := svc.SetLang(ctx, sys, u, ""); err != nil || u.Lang != "" {
			t.Errorf("SetLang(\"\") = %v, lang %q", err, u.Lang)
		}
	})
}
