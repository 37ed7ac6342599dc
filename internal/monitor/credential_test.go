package monitor

import (
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

// benchAllow lets the connectors reach the local fake platforms.
var benchAllow, _ = outbound.ParseAllow("127.0.0.1,::1")
