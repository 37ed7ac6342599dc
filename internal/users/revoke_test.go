package users_test

import (
	"context"
	"testing"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
	"github.com/herald-gov/herald/internal/users"
)

// liveToken reports whether the API token still authenticates.
func liveToken(t *testing.T, st *store.Store, token string) bool {
	t.Helper()
	_, _, err := st.TokenByHash(context.Background(), auth.HashToken(token))
	if err != nil && !errs.Is(err, errs.NotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// TestPasswordResetAndChangeRevokeTokens (issue 10, item 7): whoever knew
// the old password may have made an API token; a reset or a change revokes
// them all, with the sessions, and leaves other users' alone.
func TestPasswordResetAndChangeRevokeTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		st := storetest.Open(t, dialect)
		svc := &users.Service{Store: st}
		admin, _, err := svc.Add(ctx, sys, users.NewUser{Name: "Ada", Email: "ada@example.org", Role: model.RoleAdmin, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		const pw = "correct horse battery staple"
		sam, _, err := svc.Add(ctx, sys, users.NewUser{Name: "Sam", Email: "sam@example.org", Role: model.RoleStaff, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		token := func(u *model.User) string {
			tok, err := svc.CreateToken(ctx, sys, u, users.TokenSpec{Name: "script"})
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}

		// Change: both of Sam's tokens and his sessions go; Ada's token stays.
		samTok1, samTok2, adaTok := token(sam), token(sam), token(admin)
		sess := newSession(t, st, sam)
		if err := svc.ChangePassword(ctx, sys, sam, pw, "a different long passphrase", "a different long passphrase"); err != nil {
			t.Fatal(err)
		}
		if liveToken(t, st, samTok1) || liveToken(t, st, samTok2) {
			t.Error("API tokens survive a password change")
		}
		if liveSession(t, st, sess) {
			t.Error("a session survives a password change")
		}
		if !liveToken(t, st, adaTok) {
			t.Error("another user's token was revoked")
		}
		toks, err := svc.Tokens(ctx, sam.ID)
		if err != nil || len(toks) != 2 || toks[0].RevokedAt == nil || toks[1].RevokedAt == nil {
			t.Errorf("after the change Sam's tokens are %+v, %v; want both listed as revoked", toks, err)
		}

		// Reset by an administrator: the same.
		samTok3 := token(sam)
		sess = newSession(t, st, sam)
		if _, _, err := svc.ResetPassword(ctx, sys, admin, sam.ID); err != nil {
			t.Fatal(err)
		}
		if liveToken(t, st, samTok3) {
			t.Error("an API token survives a password reset")
		}
		if liveSession(t, st, sess) {
			t.Error("a session survives a password reset")
		}
		if !liveToken(t, st, adaTok) {
			t.Error("the resetting admin's own token was revoked")
		}

		// The revocation is in the audit trail.
		evs, err := st.AuditEvents(ctx, store.AuditFilter{ActionPrefix: "token.revoke", ObjectType: "user"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 {
			t.Errorf("%d token.revoke events, want 2 (one per password change): %+v", len(evs), evs)
		}
	})
}
