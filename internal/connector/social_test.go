package connector

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

func TestMastodonFetch(t *testing.T) {
	fake := recordedMastodon(t, nil)
	srv := fake.Server
	cfg, _ := testConfig(t)
	reg := NewRegistry(cfg)
	acc := model.Account{ID: 7, Platform: "mastodon", Handle: "unops_news@social.example", ProfileURL: srv.URL + "/@unops_news"}
	since := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	prof, posts, err := reg["mastodon"].Fetch(context.Background(), acc, since)
	if err != nil {
		t.Fatal(err)
	}
	if prof.DisplayName != "UNOPS News :verified:" || *prof.Followers != 4821 || *prof.PostCount != 1387 {
		t.Errorf("profile = %+v", prof)
	}
	wantFacts(t, prof, "2022-11-07T00:00:00Z", "2024-05-03T14:20:11Z")
	if strings.Contains(prof.Bio, "<") || !strings.Contains(prof.Bio, "procurement & project") {
		t.Errorf("bio not plain text: %q", prof.Bio)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.ExternalID)
	}
	if got := strings.Join(ids, ","); got != "112375000000000005,112360000000000003,112350000000000002" {
		t.Errorf("posts = %s (boost excluded, March post before since)", got)
	}
	p := posts[0]
	if *p.Replies != 3 || *p.Reposts != 17 || *p.Likes != 42 || p.Views != nil {
		t.Errorf("figures = %v %v %v %v", p.Replies, p.Reposts, p.Likes, p.Views)
	}
	if p.Text != "New health centre handed over in Kakuma today.\nBuilt with local labour & materials." {
		t.Errorf("text = %q", p.Text)
	}
	if !p.PostedAt.Equal(time.Date(2024, 5, 3, 14, 20, 11, 0, time.UTC)) || p.AccountID != 7 || p.Source != "api" {
		t.Errorf("post = %+v", p)
	}
	pages := statusPages(fake)
	if pages != 2 {
		t.Errorf("read %d status pages, want 2 (stop at the page that reaches since): %v", pages, fake.Requests())
	}
}

// An account whose last post is older than the window is still read: its
// first page names the last post's time, and the platform's dates are kept.
func TestMastodonReadsWhenLastStatusBeforeSince(t *testing.T) {
	fake := recordedMastodon(t, nil)
	srv := fake.Server
	cfg, _ := testConfig(t)
	acc := model.Account{Platform: "mastodon", Handle: "unops_news@" + hostOf(srv), ProfileURL: srv.URL + "/@unops_news"}
	prof, posts, err := NewRegistry(cfg)["mastodon"].Fetch(context.Background(), acc, time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC))
	if err != nil || len(posts) != 0 {
		t.Fatalf("posts=%d err=%v", len(posts), err)
	}
	wantFacts(t, prof, "2022-11-07T00:00:00Z", "2024-05-03T14:20:11Z")
	pages := statusPages(fake)
	if pages != 1 {
		t.Errorf("read %d status pages, want 1 (the first reaches since)", pages)
	}
}

// A first sync reads back a year: every own status, across pages.
func TestMastodonYearBack(t *testing.T) {
	srv := recordedMastodon(t, nil).Server
	cfg, _ := testConfig(t)
	acc := model.Account{Platform: "mastodon", Handle: "unops_news@" + hostOf(srv), ProfileURL: srv.URL + "/@unops_news"}
	_, posts, err := NewRegistry(cfg)["mastodon"].Fetch(context.Background(), acc, time.Date(2023, 5, 4, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 4 || posts[3].ExternalID != "112300000000000001" {
		t.Errorf("posts = %+v, want the four own statuses back to March", posts)
	}
	// With a page cap the read stops there, whatever since says.
	cfg.MaxPages = 1
	_, posts, err = NewRegistry(cfg)["mastodon"].Fetch(context.Background(), acc, time.Date(2023, 5, 4, 0, 0, 0, 0, time.UTC))
	if err != nil || len(posts) != 2 {
		t.Errorf("one page of two statuses: %d posts, %v", len(posts), err)
	}
}

func TestMastodonErrors(t *testing.T) {
	srv := recordedMastodon(t, nil)
	srv.Gone("banned")
	cfg, _ := testConfig(t)
	m := NewRegistry(cfg)["mastodon"]
	cases := []struct {
		name string
		acc  model.Account
		want error
	}{
		{"missing", model.Account{Handle: "nobody", ProfileURL: srv.URL + "/@nobody"}, ErrNotFound},
		{"suspended 410", model.Account{Handle: "banned", ProfileURL: srv.URL + "/@banned"}, ErrSuspended},
	}
	for _, c := range cases {
		_, _, err := m.Fetch(context.Background(), c.acc, time.Time{})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestMastodonSuspendedFlag(t *testing.T) {
	srv := recordedMastodon(t, []byte(`{"id":"1","username":"unops_news","acct":"unops_news","display_name":"","note":"","suspended":true,"followers_count":0,"statuses_count":0,"last_status_at":null}`))
	cfg, _ := testConfig(t)
	_, _, err := NewRegistry(cfg)["mastodon"].Fetch(context.Background(), model.Account{Handle: "unops_news", ProfileURL: srv.URL + "/@unops_news"}, time.Time{})
	if !errors.Is(err, ErrSuspended) {
		t.Fatalf("err = %v", err)
	}
}

func TestMastodonInstance(t *testing.T) {
	cases := []struct {
		handle, url      string
		wantBase, wantUs string
		wantErr          bool
	}{
		{"unops@mastodon.social", "", "https://mastodon.social", "unops", false},
		{"@unops@mastodon.social", "", "https://mastodon.social", "unops", false},
		{"unops@mastodon.social", "https://mastodon.social/@unops", "https://mastodon.social", "unops", false},
		{"x", "http://127.0.0.1:8080/@x", "http://127.0.0.1:8080", "x", false},
		{"x", "http://[::1]:8080/@x", "http://[::1]:8080", "x", false},
		{"x", "http://localhost/@x", "http://localhost", "x", false},
		{"x", "http://mastodon.social/@x", "", "", true}, // plain http off loopback
		{"x", "http://10.0.0.5/@x", "", "", true},
		{"x", "ftp://mastodon.social/@x", "", "", true},
		{"unops", "", "", "", true}, // no instance at all
		{"unops@evil.example/path", "", "", "", true},
	}
	for _, c := range cases {
		base, user, err := mastodonInstance(model.Account{Handle: c.handle, ProfileURL: c.url})
		if (err != nil) != c.wantErr || base != c.wantBase || user != c.wantUs {
			t.Errorf("%q %q: got %q %q %v", c.handle, c.url, base, user, err)
		}
	}
}

func TestMastodonRefusesPlainHTTPRemote(t *testing.T) {
	cfg, _ := testConfig(t)
	_, _, err := NewRegistry(cfg)["mastodon"].Fetch(context.Background(),
		model.Account{Handle: "unops@mastodon.social", ProfileURL: "http://mastodon.social/@unops"}, time.Time{})
	if err == nil || !strings.Contains(err.Error(), "plain http refused") {
		t.Fatalf("err = %v", err)
	}
}

func TestBlueskyFetch(t *testing.T) {
	srv := serve(t, newFakeBluesky(t))
	cfg, _ := testConfig(t)
	cfg.BlueskyBaseURL = srv.URL
	acc := model.Account{ID: 3, Platform: "bluesky", Handle: "unops.bsky.social"}
	prof, posts, err := NewRegistry(cfg)["bluesky"].Fetch(context.Background(), acc, time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if prof.DisplayName != "UNOPS" || *prof.Followers != 2960 || *prof.PostCount != 412 {
		t.Errorf("profile = %+v", prof)
	}
	wantFacts(t, prof, "2023-08-14T12:00:00Z", "2024-05-02T08:15:00Z") // not the older pin, not the repost
	if len(posts) != 2 {
		t.Fatalf("posts = %+v, want the two own posts since April (pin too old, repost excluded)", posts)
	}
	p := posts[0]
	if p.URL != "https://bsky.app/profile/unops.bsky.social/post/3ksw5kq3xpc2d" || *p.Likes != 23 || *p.Reposts != 4 || *p.Replies != 1 {
		t.Errorf("post = %+v", p)
	}
	if posts[1].Text != "Tender for school rehabilitation now open." {
		t.Errorf("second post = %q (read across the cursor)", posts[1].Text)
	}
}

func TestBlueskyErrors(t *testing.T) {
	fake := newFakeBluesky(t)
	fake.takedown["bad.bsky.social"] = true
	srv := serve(t, fake)
	cfg, _ := testConfig(t)
	cfg.BlueskyBaseURL = srv.URL
	b := NewRegistry(cfg)["bluesky"]
	for handle, want := range map[string]error{"bad.bsky.social": ErrSuspended, "nobody.bsky.social": ErrNotFound} {
		if _, _, err := b.Fetch(context.Background(), model.Account{Handle: handle}, time.Time{}); !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", handle, err, want)
		}
	}
}

func TestBlueskyEmptyFeed(t *testing.T) {
	fake := newFakeBluesky(t)
	fake.feed = nil
	srv := serve(t, fake)
	cfg, _ := testConfig(t)
	cfg.BlueskyBaseURL = srv.URL
	prof, posts, err := NewRegistry(cfg)["bluesky"].Fetch(context.Background(), model.Account{Handle: "unops.bsky.social"}, time.Time{})
	if err != nil || prof == nil || len(posts) != 0 {
		t.Fatalf("prof=%v posts=%v err=%v", prof, posts, err)
	}
}
