package publish

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// TestVerify: a stored secret that opens the account passes; a wrong one,
// another account's, or none is told in words, and nothing is posted.
func TestVerify(t *testing.T) {
	ctx := context.Background()
	secret := func(s string) CredentialsFunc {
		return func(context.Context, model.Account) (string, error) { return s, nil }
	}
	masto := connectortest.NewMastodonPoster(t, "good", "hq")
	acc := model.Account{Platform: "mastodon", Handle: "@hq@" + strings.TrimPrefix(masto.URL, "http://"), ProfileURL: masto.URL + "/@hq"}
	pds := &fakePDS{records: map[string]map[string]any{}}
	srv := httptest.NewServer(pds)
	defer srv.Close()
	sky := model.Account{Platform: "bluesky", Handle: "@office.bsky.social"}
	for _, c := range []struct {
		name   string
		acc    model.Account
		secret string
		key    string // the error's key; "" for none
	}{
		{"mastodon, its token", acc, "good", ""},
		{"mastodon, a wrong token", acc, "stale", "publish.token_refused"},
		{"mastodon, another account's token", model.Account{Platform: "mastodon", Handle: "@news" + acc.Handle[3:], ProfileURL: masto.URL + "/@news"}, "good", "publish.token_other_account"},
		{"mastodon, no token", acc, "", "publish.no_credentials"},
		{"bluesky, its app password", sky, "app-pass", ""},
		{"bluesky, a wrong app password", sky, "nope", "publish.token_refused"},
	} {
		p := New(Config{BlueskyPDS: srv.URL, Allow: loopback, Credentials: secret(c.secret)})
		err := p.Verify(ctx, c.acc)
		if got := errs.Of(err).Key; (err == nil) != (c.key == "") || err != nil && got != c.key {
			t.Errorf("%s: %v (key %q), want key %q", c.name, err, got, c.key)
		}
	}
	if len(masto.Posted()) != 0 || pds.creates != 0 {
		t.Error("verifying posted something")
	}
}
