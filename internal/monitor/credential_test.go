package monitor

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestPublishCredentialBound: publishing to Mastodon or Bluesky uses only
// the account's own token. The platform-wide one (account 0) was sent to
// whatever instance an account named.
func TestPublishCredentialBound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		accs := addAccounts(t, s,
			model.Account{Platform: "mastodon", Handle: "a@mastodon.example"},
			model.Account{Platform: "mastodon", Handle: "b@mastodon.example"},
			model.Account{Platform: "x", Handle: "unops"})
		m := newMonitor(t, Options{Store: s, SecretKey: testKey})
		for _, c := range []struct {
			platform string
			id       int64
			token    string
		}{{"mastodon", 0, "platform-token"}, {"mastodon", accs[1].ID, "own-token"}, {"x", 0, "x-platform-token"}} {
			if err := m.SetCredential(ctx, admin(), c.platform, c.id, c.token); err != nil {
				t.Fatal(err)
			}
		}
		for i, want := range []string{"", "own-token", "x-platform-token"} {
			got, err := m.Credential(ctx, accs[i])
			if err != nil || got != want {
				t.Errorf("Credential(%s) = %q, %v; want %q", accs[i].Handle, got, err, want)
			}
		}
	})
}

// benchAllow lets the connectors reach the local fake platforms (loopback).
var benchAllow, _ = outbound.ParseAllow("127.0.0.1,::1")

// TestCredentialKeyRotation: credentials sealed under an old key still
// decrypt while it is listed as previous; rotation re-seals them all under
// the new key, after which the old key is not needed and does not work.
func TestCredentialKeyRotation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		accs := addAccounts(t, s, model.Account{Platform: "x", Handle: "unops"})
		oldKey, newKey := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
		old := newMonitor(t, Options{Store: s, SecretKey: oldKey})
		for _, c := range []struct {
			platform string
			id       int64
		}{{"x", 0}, {"x", accs[0].ID}, {"facebook", 0}} {
			if err := old.SetCredential(ctx, admin(), c.platform, c.id, c.platform+"-token-"+fmt.Sprint(c.id)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := newMonitor(t, Options{Store: s, SecretKey: newKey}).Credential(ctx, accs[0]); err == nil {
			t.Fatal("a credential sealed under the old key opens with the new key alone")
		}
		both := newMonitor(t, Options{Store: s, SecretKey: newKey, PreviousKeys: [][]byte{oldKey}})
		if got, err := both.Credential(ctx, accs[0]); err != nil || got != fmt.Sprint("x-token-", accs[0].ID) {
			t.Fatalf("with the old key as previous: %q, %v", got, err)
		}
		n, err := both.RotateCredentials(ctx, admin())
		if err != nil || n != 3 {
			t.Fatalf("rotate: %d, %v; want 3", n, err)
		}
		fresh := newMonitor(t, Options{Store: s, SecretKey: newKey})
		if got, err := fresh.Credential(ctx, accs[0]); err != nil || got != fmt.Sprint("x-token-", accs[0].ID) {
			t.Fatalf("after rotation, the new key alone: %q, %v", got, err)
		}
		if got, err := fresh.Credential(ctx, model.Account{ID: 999, Platform: "facebook"}); err != nil || got != "facebook-token-0" {
			t.Fatalf("platform-wide credential after rotation: %q, %v", got, err)
		}
		if _, err := old.Credential(ctx, accs[0]); err == nil {
			t.Fatal("the old key still opens a rotated credential")
		}
		// A credential no configured key opens stops the rotation whole.
		if _, err := newMonitor(t, Options{Store: s, SecretKey: oldKey}).RotateCredentials(ctx, admin()); err == nil {
			t.Fatal("rotation with a key that opens nothing succeeded")
		}
		if got, err := fresh.Credential(ctx, accs[0]); err != nil || got == "" {
			t.Fatalf("a failed rotation changed credentials: %q, %v", got, err)
		}
	})
}
