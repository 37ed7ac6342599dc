package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q is not an argon2id PHC string", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		hash, pw string
		want     bool
	}{
		{h, "correct horse battery", true},
		{h, "correct horse batterY", false},
		{h, "", false},
		{OneTime(h), "correct horse battery", true},
	} {
		got, err := VerifyPassword(tc.hash, tc.pw)
		if err != nil || got != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	if MustChange(h) || !MustChange(OneTime(h)) {
		t.Error("MustChange does not follow OneTime")
	}
}

func TestVerifyPasswordBadHash(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=65536,t=3,p=2$c2FsdA$a2V5", "$argon2id$v=19$m=65536,t=0,p=2$c2FsdA$a2V5",
		"$argon2id$v=19$m=999999999,t=3,p=2$c2FsdA$a2V5", "$argon2id$v=19$m=65536,t=3,p=2$!!$a2V5"} {
		if ok, err := VerifyPassword(h, "x"); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an error", h, ok, err)
		}
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5", "pw")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		VerifyPassword(hash, pw) // must not panic or hang (parameters are bounded)
	})
}

func TestTokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens %q %q: want distinct 43-character tokens", a, b)
	}
	if h := HashToken("abc"); h != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("HashToken(abc) = %s", h)
	}
	if !strings.HasPrefix(NewAPIToken(), APITokenPrefix) {
		t.Fatal("API token lacks its prefix")
	}
}

func TestNewOneTimePassword(t *testing.T) {
	pw, hash, err := NewOneTimePassword()
	if err != nil {
		t.Fatal(err)
	}
	if len(pw) != 20 || !MustChange(hash) {
		t.Fatalf("password %q (len %d), MustChange(hash) = %v", pw, len(pw), MustChange(hash))
	}
	for _, tc := range []struct {
		try  string
		want bool
	}{{pw, true}, {pw + "x", false}} {
		if ok, err := VerifyPassword(hash, tc.try); err != nil || ok != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tc.try, ok, err, tc.want)
		}
	}
	if pw2, _, _ := NewOneTimePassword(); pw2 == pw {
		t.Error("two one-time passwords are equal")
	}
}

// TestHashSlots: with every hashing slot taken, a check waits hashWait and
// gives up with ErrBusy instead of adding another 64 MiB computation.
func TestHashSlots(t *testing.T) {
	hash, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	old := hashWait
	hashWait = 50 * time.Millisecond
	defer func() {
		hashWait = old
		for range cap(hashSlots) {
			<-hashSlots
		}
	}()
	if _, err := VerifyPasswordContext(context.Background(), hash, "correct horse battery"); !errors.Is(err, ErrBusy) {
		t.Fatalf("all slots taken: %v, want ErrBusy", err)
	}
	if err := SpendVerifyTime(context.Background(), "x"); !errors.Is(err, ErrBusy) {
		t.Fatalf("SpendVerifyTime with all slots taken: %v, want ErrBusy", err)
	}
	<-hashSlots
	hashSlots <- struct{}{} // still full
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := VerifyPasswordContext(ctx, hash, "correct horse battery"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}
