package idempotency_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/idempotency"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestBegin walks one key through the rule on each database: the first
// request runs, a repeat while it runs is refused as running, another
// request with the key is refused as reused, a kept answer is given again,
// and a released key lets the next request run.
func TestBegin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		svc, tokenID := withToken(t, storetest.Open(t, dialect))
		ctx := context.Background()
		fp := idempotency.Fingerprint("POST", "/api/v1/drafts", []byte(`{"text":"a"}`))
		other := idempotency.Fingerprint("POST", "/api/v1/drafts", []byte(`{"text":"b"}`))

		if prev, err := svc.Begin(ctx, tokenID, "k1", fp); prev != nil || err != nil {
			t.Fatalf("first Begin = %v, %v; want nil, nil (run it)", prev, err)
		}
		if _, err := svc.Begin(ctx, tokenID, "k1", fp); !errors.Is(err, idempotency.ErrRunning) {
			t.Fatalf("repeat while running: err = %v, want ErrRunning", err)
		}
		if _, err := svc.Begin(ctx, tokenID, "k1", other); !errors.Is(err, idempotency.ErrReused) {
			t.Fatalf("another request with the key: err = %v, want ErrReused", err)
		}
		if err := svc.Keep(ctx, tokenID, "k1", 201, "application/json", []byte(`{"id":7}`)); err != nil {
			t.Fatal(err)
		}
		prev, err := svc.Begin(ctx, tokenID, "k1", fp)
		if err != nil || prev == nil || prev.Status != 201 || string(prev.Body) != `{"id":7}` || prev.ContentType != "application/json" {
			t.Fatalf("repeat after the answer = %+v, %v; want the kept 201", prev, err)
		}

		if prev, err := svc.Begin(ctx, tokenID, "k2", fp); prev != nil || err != nil {
			t.Fatalf("Begin k2 = %v, %v", prev, err)
		}
		if err := svc.Release(ctx, tokenID, "k2"); err != nil {
			t.Fatal(err)
		}
		if prev, err := svc.Begin(ctx, tokenID, "k2", other); prev != nil || err != nil {
			t.Fatalf("Begin after Release = %v, %v; want nil, nil (run it)", prev, err)
		}
	})
}

// withToken gives a service on st and the id of a token it may key.
func withToken(t *testing.T, st *store.Store) (*idempotency.Service, int64) {
	t.Helper()
	a := model.SystemActor("test")
	u := &model.User{Email: "api@example.org", Name: "API", Role: model.RoleAdmin, PasswordHash: "x"}
	if err := st.CreateUser(context.Background(), a, u); err != nil {
		t.Fatal(err)
	}
	tok := &model.APIToken{UserID: u.ID, Name: "ci", Hash: "h"}
	if err := st.CreateToken(context.Background(), a, tok); err != nil {
		t.Fatal(err)
	}
	return &idempotency.Service{Store: st, Wait: 120 * time.Millisecond, Poll: 20 * time.Millisecond}, tok.ID
}

func TestCheckKey(t *testing.T) {
	for _, k := range []string{"", "a b", "é", string(make([]byte, idempotency.MaxKey+1))} {
		if idempotency.CheckKey(k) == nil {
			t.Errorf("CheckKey(%q) accepted", k)
		}
	}
	if err := idempotency.CheckKey("4f1c-uuid-like-KEY_1"); err != nil {
		t.Errorf("CheckKey refused a visible ASCII key: %v", err)
	}
}
