package web

import (
	"context"

	"testing"
	"time"

	"github.com/herald-gov/herald/internal/auth"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/users"
)

// TestTokenCache: a cached token keeps working for tokenTTL after another
// process revokes it, stops at once when revoked through this one, and its
// last use is written at most once a minute.
func TestTokenCache(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/h.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u := &model.User{Email: "a@example.org", Name: "A", Role: model.RoleStaff}
	if err := st.CreateUser(ctx, model.SystemActor("test"), u); err != nil {
		t.Fatal(err)
	}
	tok, err := (&users.Service{Store: st}).CreateToken(ctx, model.SystemActor("test"), u, "t")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newTokenCache(func() time.Time { return now })
	hash := auth.HashToken(tok)

	got, _, err := c.lookup(ctx, st, hash)
	if err != nil {
		t.Fatal(err)
	}
	if !c.shouldTouch(hash, got, now) {
		t.Error("first use not touched")
	}
	if c.shouldTouch(hash, got, now.Add(30*time.Second)) {
		t.Error("touched twice within a minute")
	}
	if !c.shouldTouch(hash, got, now.Add(61*time.Second)) {
		t.Error("not touched after a minute")
	}

	// Revoked elsewhere: still served from the cache until the TTL ends.
	if err := st.RevokeToken(ctx, model.SystemActor("test"), got.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.lookup(ctx, st, hash); err != nil {
		t.Errorf("within the TTL: %v, want the cached token", err)
	}
	now = now.Add(tokenTTL)
	if _, _, err := c.lookup(ctx, st, hash); !errs.Is(err, errs.NotFound) {
		t.Errorf("after the TTL: %v, want ErrNotFound", err)
	}

	// Revoked here: refused at once.
	tok2, err := (&users.Service{Store: st}).CreateToken(ctx, model.SystemActor("test"), u, "t2")
	if err != nil {
		t.Fatal(err)
	}
	h2 := auth.HashToken(tok2)
	t2, _, err := c.lookup(ctx, st, h2)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeToken(ctx, model.SystemActor("test"), t2.ID); err != nil {
		t.Fatal(err)
	}
	c.forget(t2.ID)
	if _, _, err := c.lookup(ctx, st, h2); !errs.Is(err, errs.NotFound) {
		t.Errorf("after forget: %v, want ErrNotFound", err)
	}
}
