package publish

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// TestMastodonTokenStaysOnItsInstance: the instance comes from the handle;
// an account whose profile URL names another host is refused and its
// token is sent nowhere. Before, the profile URL's host got the token.
func TestMastodonTokenStaysOnItsInstance(t *testing.T) {
	var hits atomic.Int32
	var gotAuth atomic.Value
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		gotAuth.Store(r.Header.Get("Authorization"))
		w.Write([]byte(`{"id":"1","url":"https://x/1"}`))
	}))
	defer evil.Close()
	p := New(Config{Allow: loopback, Credentials: CredentialsFunc(func(context.Context, model.Account) (string, error) {
		return "platform-token", nil
	})})
	acc := model.Account{ID: 9, Platform: "mastodon", Handle: "@hq@mastodon.example", ProfileURL: evil.URL + "/@hq"}
	_, err := p.Publish(context.Background(), acc, model.StoredDraft{ID: 1, Version: 1, Text: "hello"}, nil)
	if err == nil || !strings.Contains(err.Error(), "not the handle's instance") {
		t.Fatalf("publish with a foreign profile URL: %v, want a refusal", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("the foreign host got %d requests (Authorization %q)", hits.Load(), gotAuth.Load())
	}
	// A handle without an instance is refused too: nobody can say where its token belongs.
	acc = model.Account{Platform: "mastodon", Handle: "@hq"}
	if _, err := p.Publish(context.Background(), acc, model.StoredDraft{ID: 1, Version: 1, Text: "hello"}, nil); err == nil {
		t.Fatal("handle without instance accepted")
	}
}

func TestMastodonInstance(t *testing.T) {
	for _, tc := range []struct {
		handle, profile, want string
	}{
		{"@unops@mastodon.social", "", "https://mastodon.social"},
		{"unops@Mastodon.Social", "https://mastodon.social/@unops", "https://mastodon.social"},
		{"@hq@127.0.0.1:3000", "http://127.0.0.1:3000/@hq", "http://127.0.0.1:3000"},
		{"@hq@mastodon.social", "http://mastodon.social/@hq", ""}, // http to a host not allowed
		{"@hq@mastodon.social", "https://evil.example/@hq", ""},   // another host
		{"@hq@169.254.169.254", "", ""},                           // not a public address
		{"@hq@mastodon.social/x", "", ""},
	} {
		got, err := MastodonInstance(model.Account{Handle: tc.handle, ProfileURL: tc.profile}, loopback)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("MastodonInstance(%q, %q) = %q, %v; want %q", tc.handle, tc.profile, got, err, tc.want)
		}
	}
}
