package connector

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// searchers builds the searches with cfg's base URLs and key on the test
// config (loopback allowed, waits recorded).
func searchers(t *testing.T, cfg Config, instances ...string) map[string]Searcher {
	t.Helper()
	tc, _ := testConfig(t)
	tc.BlueskyBaseURL, tc.YouTubeAPIBaseURL, tc.YouTubeAPIKey = cfg.BlueskyBaseURL, cfg.YouTubeAPIBaseURL, cfg.YouTubeAPIKey
	if cfg.MaxRetries != 0 {
		tc.MaxRetries = cfg.MaxRetries
	}
	ss, err := NewSearchers(tc, instances)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]Searcher{}
	for _, s := range ss {
		m[s.Platform()] = s
	}
	return m
}

func handles(fs []Found) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Handle)
	}
	return out
}

func TestMastodonSearch(t *testing.T) {
	rp, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/api/v2/search": file("mastodon_search.json"),
	})
	s := searchers(t, Config{}, base)["mastodon"]
	if s.Target() != base {
		t.Errorf("target %q, want %q", s.Target(), base)
	}
	got, err := s.Search(context.Background(), "UNOPS")
	if err != nil {
		t.Fatal(err)
	}
	q := rp.seen[0].URL.Query()
	if q.Get("q") != "UNOPS" || q.Get("type") != "accounts" {
		t.Errorf("query %v: want q=UNOPS and type=accounts", q)
	}
	want := []string{"unops@mastodon.example", "UN0PS_Kenya@mastodon.example", "unops_grants@social.example.net"}
	if h := handles(got); len(h) != len(want) || h[0] != want[0] || h[1] != want[1] || h[2] != want[2] {
		t.Fatalf("handles %q, want %q (the suspended account left out)", h, want)
	}
	k := got[1]
	if k.DisplayName != "UNOPS Kenya" || k.Bio != "Official UNOPS Kenya. Jobs and tenders: DM us." || k.URL != "https://mastodon.example/@UN0PS_Kenya" ||
		k.Followers == nil || *k.Followers != 12 || k.AvatarURL == "" {
		t.Errorf("UN0PS_Kenya read as %+v", k)
	}
}

func TestBlueskySearch(t *testing.T) {
	rp, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/xrpc/app.bsky.actor.searchActors": file("bluesky_search.json"),
	})
	got, err := searchers(t, Config{BlueskyBaseURL: base})["bluesky"].Search(context.Background(), "UNOPS Kenya")
	if err != nil {
		t.Fatal(err)
	}
	if q := rp.seen[0].URL.Query().Get("q"); q != "UNOPS Kenya" {
		t.Errorf("q = %q", q)
	}
	if h := handles(got); len(h) != 2 || h[1] != "unopskenya-official.bsky.social" {
		t.Fatalf("handles %q, want unops.org and unopskenya-official.bsky.social (handle.invalid left out)", h)
	}
	if got[1].URL != "https://bsky.app/profile/unopskenya-official.bsky.social" || got[1].Bio != "Official page of UNOPS in Kenya" {
		t.Errorf("read as %+v", got[1])
	}
}

func TestYouTubeSearch(t *testing.T) {
	const key = "AIzaSy-test-key-123"
	if _, ok := searchers(t, Config{})["youtube"]; ok {
		t.Error("a YouTube search without an API key")
	}
	rp, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/search": func(w http.ResponseWriter, r *http.Request) (int, string) {
			if r.URL.Query().Get("key") != key {
				return 400, "x_unauthorized.json"
			}
			return 200, "youtube_search.json"
		},
	})
	got, err := searchers(t, Config{YouTubeAPIBaseURL: base, YouTubeAPIKey: key})["youtube"].Search(context.Background(), "UNOPS")
	if err != nil {
		t.Fatal(err)
	}
	if q := rp.seen[0].URL.Query(); q.Get("type") != "channel" || q.Get("q") != "UNOPS" {
		t.Errorf("query %v", q)
	}
	if h := handles(got); len(h) != 2 || h[1] != "channel/UCk3nYaFak3Unops00000001" {
		t.Fatalf("handles %q: want the two channels, not the video", h)
	}
	if got[1].DisplayName != "UNOPS Kenya Official" || got[1].URL != "https://www.youtube.com/channel/UCk3nYaFak3Unops00000001" {
		t.Errorf("read as %+v", got[1])
	}
}

func TestSearchErrors(t *testing.T) {
	_, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/api/v2/search": func(w http.ResponseWriter, r *http.Request) (int, string) { return 401, "x_unauthorized.json" },
		"/search": func(w http.ResponseWriter, r *http.Request) (int, string) {
			return 403, "youtube_quota.json"
		},
	})
	ss := searchers(t, Config{YouTubeAPIBaseURL: base, YouTubeAPIKey: "k-secret-999", MaxRetries: 1}, base)
	if _, err := ss["mastodon"].Search(context.Background(), "UNOPS"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("mastodon 401: %v, want ErrUnauthorized", err)
	}
	_, err := ss["youtube"].Search(context.Background(), "UNOPS")
	var rl *RateLimitedError
	if !errors.As(err, &rl) {
		t.Errorf("youtube quota: %v, want a RateLimitedError", err)
	}
	ss["youtube"].(*youtubeSearch).base = "http://127.0.0.1:1" // nothing listens: a network error
	if _, err := ss["youtube"].Search(context.Background(), "UNOPS"); err == nil || strings.Contains(err.Error(), "k-secret-999") {
		t.Errorf("network error %v: want an error without the API key", err)
	}
	for _, bad := range []string{"http://mastodon.example", "ftp://x", "https://mastodon.example/path", "https://u:p@mastodon.example"} {
		if _, err := NewSearchers(Config{}, []string{bad}); err == nil {
			t.Errorf("instance %q accepted", bad)
		}
	}
}
