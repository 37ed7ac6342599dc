package connector

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// replay answers each path with a recorded body; {{base}} in a body is the
// server's own URL (for paging.next links).
type replay struct {
	t      *testing.T
	routes map[string]func(w http.ResponseWriter, r *http.Request) (status int, file string)
	base   string
	seen   []*http.Request
}

func (rp *replay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rp.seen = append(rp.seen, r)
	h, ok := rp.routes[r.URL.Path]
	if !ok {
		rp.t.Errorf("unexpected request %s", r.URL)
		w.WriteHeader(http.StatusNotFound)
		return
	}
	status, file := h(w, r)
	body := strings.ReplaceAll(string(readTestdata(rp.t, file)), "{{base}}", rp.base)
	w.WriteHeader(status)
	w.Write([]byte(body))
}

func newReplay(t *testing.T, routes map[string]func(http.ResponseWriter, *http.Request) (int, string)) (*replay, string) {
	rp := &replay{t: t, routes: routes}
	srv := serve(t, rp)
	rp.base = srv.URL
	return rp, srv.URL
}

func file(name string) func(http.ResponseWriter, *http.Request) (int, string) {
	return func(http.ResponseWriter, *http.Request) (int, string) { return 200, name }
}

func TestXFetch(t *testing.T) {
	const tok = "AAAAAAAAAAAAAAAAAAAAAbearer-secret-xyz"
	rp, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/2/users/by/username/UNOPS":           file("x_user.json"),
		"/2/users/by/username/SuspendedOffice": file("x_user_suspended.json"),
		"/2/users/by/username/NoSuchOffice":    file("x_user_missing.json"),
		"/2/users/118379183/tweets": func(w http.ResponseWriter, r *http.Request) (int, string) {
			if r.URL.Query().Get("pagination_token") != "" {
				return 200, "x_tweets_page2.json"
			}
			return 200, "x_tweets_page1.json"
		},
	})
	cfg, _ := testConfig(t)
	cfg.XBaseURL, cfg.XBearerToken = base+"/2", tok
	x := NewRegistry(cfg)["x"]
	since := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	prof, posts, err := x.Fetch(context.Background(), model.Account{Platform: "x", Handle: "@UNOPS"}, since)
	if err != nil {
		t.Fatal(err)
	}
	if *prof.Followers != 98231 || *prof.PostCount != 15873 || prof.DisplayName != "UNOPS" {
		t.Errorf("profile = %+v", prof)
	}
	// most_recent_tweet_id (a reply, not in the timeline) carries its time in its upper bits.
	wantFacts(t, prof, "2009-12-03T14:05:27Z", "2024-05-03T18:00:00Z")
	if q := rp.seen[0].URL.Query().Get("user.fields"); !strings.Contains(q, "created_at") || !strings.Contains(q, "most_recent_tweet_id") {
		t.Errorf("user.fields = %q", q)
	}
	if len(posts) != 3 || posts[2].ExternalID != "1784000000000000001" {
		t.Fatalf("posts = %+v", posts)
	}
	if p := posts[0]; *p.Views != 8421 || *p.Likes != 64 || *p.Reposts != 12 || *p.Replies != 3 || p.URL != "https://x.com/UNOPS/status/1786000000000000003" {
		t.Errorf("post = %+v", p)
	}
	for _, r := range rp.seen {
		if r.Header.Get("Authorization") != "Bearer "+tok {
			t.Errorf("%s without bearer token", r.URL.Path)
		}
		if strings.HasSuffix(r.URL.Path, "/tweets") && r.URL.Query().Get("start_time") != "2024-04-01T00:00:00Z" {
			t.Errorf("start_time = %q", r.URL.Query().Get("start_time"))
		}
	}
	for handle, want := range map[string]error{"SuspendedOffice": ErrSuspended, "NoSuchOffice": ErrNotFound} {
		if _, _, err := x.Fetch(context.Background(), model.Account{Handle: handle}, since); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", handle, err, want)
		}
	}
	cfg.XBearerToken = ""
	if _, _, err := NewRegistry(cfg)["x"].Fetch(context.Background(), model.Account{Handle: "UNOPS"}, since); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("no token: %v", err)
	}
}

// wantFacts checks the platform's dates on a profile; "" means unknown.
func wantFacts(t *testing.T, prof *model.Profile, created, last string) {
	t.Helper()
	for _, f := range []struct {
		name string
		got  *time.Time
		want string
	}{{"created", prof.CreatedAt, created}, {"last post", prof.LastPostAt, last}} {
		switch {
		case f.want == "" && f.got != nil:
			t.Errorf("%s = %s, want unknown", f.name, f.got)
		case f.want != "" && (f.got == nil || f.got.Format(time.RFC3339Nano) != f.want):
			t.Errorf("%s = %v, want %s", f.name, f.got, f.want)
		}
	}
}

func TestSnowflakeTime(t *testing.T) {
	for id, want := range map[string]string{
		"1786455682053058617": "2024-05-03T18:00:00Z",
		"20":                  "", // before Snowflake ids
		"":                    "",
		"12ab":                "",
	} {
		got := snowflakeTime(id)
		if (want == "") != (got == nil) || (got != nil && got.Format(time.RFC3339) != want) {
			t.Errorf("snowflakeTime(%q) = %v, want %q", id, got, want)
		}
	}
}

func TestXUnauthorized(t *testing.T) {
	_, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/2/users/by/username/UNOPS": func(http.ResponseWriter, *http.Request) (int, string) { return 401, "x_unauthorized.json" },
	})
	cfg, _ := testConfig(t)
	cfg.XBaseURL, cfg.XBearerToken = base+"/2", "revoked-token-0001"
	_, _, err := NewRegistry(cfg)["x"].Fetch(context.Background(), model.Account{Handle: "UNOPS"}, time.Time{})
	if !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), "revoked-token-0001") {
		t.Fatalf("err = %v", err)
	}
}

func TestYouTubeFeed(t *testing.T) {
	rp, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/feeds/videos.xml": file("youtube_feed.xml"),
	})
	cfg, _ := testConfig(t)
	cfg.YouTubeFeedBaseURL = base
	acc := model.Account{Platform: "youtube", Handle: "@unops", ProfileURL: "https://www.youtube.com/channel/UCq9Yx1cTq3k8rW6mD0pQz1A"}
	prof, posts, err := NewRegistry(cfg)["youtube"].Fetch(context.Background(), acc, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got := rp.seen[0].URL.Query().Get("channel_id"); got != "UCq9Yx1cTq3k8rW6mD0pQz1A" {
		t.Errorf("channel_id = %q", got)
	}
	if prof.DisplayName != "UNOPS" || prof.Followers != nil {
		t.Errorf("profile = %+v (the feed has no subscriber count: nil)", prof)
	}
	wantFacts(t, prof, "2009-03-11T09:20:00Z", "2024-05-01T14:00:06Z")
	if len(posts) != 2 {
		t.Fatalf("posts = %+v", posts)
	}
	if posts[0].Views == nil || *posts[0].Views != 1532 || posts[0].Likes != nil {
		t.Errorf("first = %+v", posts[0])
	}
	if posts[1].Views != nil || posts[1].URL != "https://www.youtube.com/shorts/zY9xW8vU7tS" {
		t.Errorf("second (no statistics) = %+v", posts[1])
	}
	if _, _, err := NewRegistry(cfg)["youtube"].Fetch(context.Background(), model.Account{Handle: "@unops"}, time.Time{}); err == nil {
		t.Error("a handle without channel id and without API key must be refused")
	}
}

func TestYouTubeAPI(t *testing.T) {
	const key = "AIzaSyTESTKEY-never-shown"
	quota := false
	rp, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/youtube/v3/channels": func(http.ResponseWriter, *http.Request) (int, string) {
			if quota {
				return 403, "youtube_quota.json"
			}
			return 200, "youtube_channels.json"
		},
		"/youtube/v3/playlistItems": file("youtube_playlist.json"),
		"/youtube/v3/videos":        file("youtube_videos.json"),
	})
	cfg, _ := testConfig(t)
	cfg.YouTubeAPIBaseURL, cfg.YouTubeAPIKey = base+"/youtube/v3", key
	yt := NewRegistry(cfg)["youtube"]
	prof, posts, err := yt.Fetch(context.Background(), model.Account{Handle: "@unops"}, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if rp.seen[0].URL.Query().Get("forHandle") != "@unops" || rp.seen[0].URL.Query().Get("key") != key {
		t.Errorf("channels query = %s", rp.seen[0].URL.RawQuery)
	}
	if *prof.Followers != 31400 || *prof.PostCount != 612 {
		t.Errorf("profile = %+v", prof)
	}
	wantFacts(t, prof, "2009-03-11T09:20:00Z", "2024-05-01T14:00:06Z")
	if len(posts) != 2 || *posts[0].Views != 1532 || *posts[0].Likes != 48 || *posts[0].Replies != 6 {
		t.Fatalf("posts = %+v", posts)
	}
	if posts[1].Likes != nil || posts[1].Replies != nil || *posts[1].Views != 310 {
		t.Errorf("hidden figures must be nil: %+v", posts[1])
	}
	if got := rp.seen[2].URL.Query().Get("id"); got != "aB3dE5gH7jK,zY9xW8vU7tS" {
		t.Errorf("videos asked = %q (the 2023 video is before since)", got)
	}
	quota = true
	_, _, err = yt.Fetch(context.Background(), model.Account{Handle: "@unops"}, time.Time{})
	var rl *RateLimitedError
	if !errors.As(err, &rl) || strings.Contains(err.Error(), key) {
		t.Errorf("quota: %v", err)
	}
}

func TestFacebookFetch(t *testing.T) {
	const tok = "PAGE-TOKEN-SECRET-123"
	rp, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/v21.0/unopskenya": file("facebook_page.json"),
		"/v21.0/nosuchpage": func(http.ResponseWriter, *http.Request) (int, string) { return 400, "graph_error_missing.json" },
		"/v21.0/expired":    func(http.ResponseWriter, *http.Request) (int, string) { return 400, "graph_error_token.json" },
		"/v21.0/busy":       func(http.ResponseWriter, *http.Request) (int, string) { return 400, "graph_error_ratelimit.json" },
		"/v21.0/104123456789012/posts": func(w http.ResponseWriter, r *http.Request) (int, string) {
			if r.URL.Query().Get("after") != "" {
				return 200, "facebook_posts_2.json"
			}
			return 200, "facebook_posts_1.json"
		},
		"/104123456789012/posts": file("facebook_posts_2.json"),
	})
	cfg, _ := testConfig(t)
	cfg.GraphBaseURL = base + "/v21.0"
	cfg.TokenFor = func(acc model.Account) string { return tok }
	fb := NewRegistry(cfg)["facebook"]
	since := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	prof, posts, err := fb.Fetch(context.Background(), model.Account{Platform: "facebook", Handle: "unopskenya"}, since)
	if err != nil {
		t.Fatal(err)
	}
	if *prof.Followers != 16034 || prof.PostCount != nil || prof.AvatarURL == "" {
		t.Errorf("profile = %+v", prof)
	}
	wantFacts(t, prof, "", "") // a Page gives neither date
	if len(posts) != 3 {
		t.Fatalf("posts = %+v, want 3 across two pages", posts)
	}
	if p := posts[0]; *p.Reposts != 14 || *p.Replies != 6 || *p.Likes != 233 || !p.PostedAt.Equal(time.Date(2024, 5, 2, 7, 45, 12, 0, time.UTC)) {
		t.Errorf("post = %+v", p)
	}
	if *posts[1].Reposts != 0 {
		t.Errorf("absent shares = %v", posts[1].Reposts)
	}
	if rp.seen[0].Header.Get("Authorization") != "Bearer "+tok {
		t.Error("page token not sent")
	}
	cases := map[string]func(error) bool{
		"nosuchpage": func(err error) bool { return errors.Is(err, ErrNotFound) },
		"expired":    func(err error) bool { return errors.Is(err, ErrUnauthorized) },
		"busy":       func(err error) bool { var rl *RateLimitedError; return errors.As(err, &rl) },
	}
	for h, ok := range cases {
		if _, _, err := fb.Fetch(context.Background(), model.Account{Platform: "facebook", Handle: h}, since); !ok(err) || strings.Contains(err.Error(), tok) {
			t.Errorf("%s: %v", h, err)
		}
	}
}

func TestInstagramAndThreads(t *testing.T) {
	_, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/ig/me":         file("instagram_me.json"),
		"/ig/me/media":   file("instagram_media.json"),
		"/th/me":         file("threads_me.json"),
		"/th/me/threads": file("threads_posts.json"),
	})
	cfg, _ := testConfig(t)
	cfg.InstagramBaseURL, cfg.ThreadsBaseURL = base+"/ig", base+"/th"
	cfg.Tokens = map[string]string{"instagram": "IGQVJ-secret", "threads": "THQVJ-secret"}
	reg := NewRegistry(cfg)
	since := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	prof, posts, err := reg["instagram"].Fetch(context.Background(), model.Account{Platform: "instagram", Handle: "UNOPS_official"}, since)
	if err != nil {
		t.Fatal(err)
	}
	if *prof.Followers != 45210 || *prof.PostCount != 980 || len(posts) != 1 || *posts[0].Likes != 812 || *posts[0].Replies != 14 || posts[0].Views != nil {
		t.Errorf("instagram: %+v %+v", prof, posts)
	}
	wantFacts(t, prof, "", "2024-05-01T10:00:00Z")
	// The newest media names the last post even when it is before since.
	prof, posts, err = reg["instagram"].Fetch(context.Background(), model.Account{Platform: "instagram", Handle: "UNOPS_official"}, since.AddDate(0, 3, 0))
	if err != nil || len(posts) != 0 {
		t.Fatalf("instagram after the last post: %v %+v", err, posts)
	}
	wantFacts(t, prof, "", "2024-05-01T10:00:00Z")
	prof, posts, err = reg["threads"].Fetch(context.Background(), model.Account{Platform: "threads", Handle: "unops_official"}, since)
	if err != nil {
		t.Fatal(err)
	}
	if prof.Followers != nil || len(posts) != 2 || posts[0].Likes != nil || posts[1].Text != "Hello Threads" {
		t.Errorf("threads: %+v %+v (repost facade excluded, counts nil)", prof, posts)
	}
	wantFacts(t, prof, "", "")
	if _, _, err := reg["instagram"].Fetch(context.Background(), model.Account{Platform: "instagram", Handle: "someone_else"}, since); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("token of another account: %v", err)
	}
	cfg.Tokens = nil
	if _, _, err := NewRegistry(cfg)["threads"].Fetch(context.Background(), model.Account{Platform: "threads", Handle: "unops_official"}, since); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("no token: %v", err)
	}
}

func TestLinkedInFetch(t *testing.T) {
	rp, base := newReplay(t, map[string]func(http.ResponseWriter, *http.Request) (int, string){
		"/rest/organizations": func(w http.ResponseWriter, r *http.Request) (int, string) {
			if r.URL.Query().Get("vanityName") != "unops" {
				return 200, "linkedin_network.json" // any body: must not be asked
			}
			return 200, "linkedin_orgs.json"
		},
		"/rest/networkSizes/urn:li:organization:165520": file("linkedin_network.json"),
		"/rest/posts": file("linkedin_posts.json"),
	})
	cfg, _ := testConfig(t)
	cfg.LinkedInBaseURL = base + "/rest"
	cfg.Tokens = map[string]string{"linkedin": "AQV-member-token"}
	acc := model.Account{Platform: "linkedin", Handle: "UNOPS", ProfileURL: "https://www.linkedin.com/company/unops/"}
	prof, posts, err := NewRegistry(cfg)["linkedin"].Fetch(context.Background(), acc, time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if *prof.Followers != 412033 || prof.DisplayName != "UNOPS" {
		t.Errorf("profile = %+v", prof)
	}
	wantFacts(t, prof, "", "2024-05-01T10:00:00Z") // the draft, newer, is not a post
	if len(posts) != 1 || !posts[0].PostedAt.Equal(time.UnixMilli(1714557600000)) || posts[0].Likes != nil {
		t.Fatalf("posts = %+v (draft and March post excluded)", posts)
	}
	for _, r := range rp.seen {
		if r.Header.Get("LinkedIn-Version") != "202405" || r.Header.Get("X-Restli-Protocol-Version") != "2.0.0" {
			t.Errorf("%s: version headers %v", r.URL.Path, r.Header)
		}
		if r.URL.Path == "/rest/posts" && r.URL.Query().Get("author") != "urn:li:organization:165520" {
			t.Errorf("author = %q", r.URL.Query().Get("author"))
		}
	}
}
