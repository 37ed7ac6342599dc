package connectortest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
)

var loopback, _ = outbound.ParseAllow("127.0.0.1,::1")

// The real Mastodon connector reads every page of the fake and waits out
// its rate limits: forced 429s and a spent budget.
func TestMastodonFakeWithConnector(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	f := connectortest.NewMastodon(t, connectortest.MastodonOptions{Statuses: 95, Now: now, PageCap: 20,
		LimitEvery: 3, RetryAfter: 30 * time.Millisecond, Budget: 4, Window: 50 * time.Millisecond})
	c := connector.NewRegistry(connector.Config{BaseBackoff: time.Millisecond, MaxRetries: 10, Allow: loopback})["mastodon"]
	acc := model.Account{ID: 1, Platform: "mastodon", Handle: "unops", ProfileURL: f.ProfileURL("unops")}
	prof, posts, err := c.Fetch(context.Background(), acc, now.Add(-60*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if prof.Followers == nil || *prof.Followers != 1005 || prof.DisplayName != "Account unops" {
		t.Errorf("profile %+v", prof)
	}
	if wantCreated := now.AddDate(-1, 0, -95).Truncate(24 * time.Hour); prof.CreatedAt == nil || !prof.CreatedAt.Equal(wantCreated) ||
		prof.LastPostAt == nil || !prof.LastPostAt.Equal(now) {
		t.Errorf("platform dates: created %v (want %v), last post %v (want %v)", prof.CreatedAt, wantCreated, prof.LastPostAt, now)
	}
	if len(posts) != 61 || posts[0].ExternalID != "95" || !posts[0].PostedAt.Equal(now) {
		t.Fatalf("%d posts, first %+v", len(posts), posts[0])
	}
	st := f.Stats()
	if st.TooMany == 0 || st.Looked["unops"] != 1 || st.Fetched["unops"] != 4 || st.MaxPerUser != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestMastodonFakeUnknownAccount(t *testing.T) {
	f := connectortest.NewMastodon(t, connectortest.MastodonOptions{})
	for _, path := range []string{"/api/v1/accounts/lookup", "/api/v1/accounts/42/statuses", "/api/v2/search"} {
		resp, err := http.Get(f.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: HTTP %d, want 404", path, resp.StatusCode)
		}
	}
}

// A gone account is answered 410 in either mode, and every request is logged.
func TestMastodonFakeGoneAndLog(t *testing.T) {
	rec := &connectortest.MastodonRecording{Account: []byte(`{"id":"7","username":"hq","acct":"hq"}`)}
	for name, o := range map[string]connectortest.MastodonOptions{"generated": {}, "recorded": {Recorded: rec}} {
		f := connectortest.NewMastodon(t, o)
		f.Gone("banned")
		want := map[string]int{"/api/v1/accounts/lookup?acct=banned": http.StatusGone, "/api/v1/accounts/lookup?acct=hq": http.StatusOK}
		for _, uri := range []string{"/api/v1/accounts/lookup?acct=banned", "/api/v1/accounts/lookup?acct=hq"} {
			resp, err := http.Get(f.URL + uri)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want[uri] {
				t.Errorf("%s %s: HTTP %d, want %d", name, uri, resp.StatusCode, want[uri])
			}
		}
		if got := f.Requests(); len(got) != 2 || got[0] != "/api/v1/accounts/lookup?acct=banned" {
			t.Errorf("%s: request log %q", name, got)
		}
	}
}
