package registry

import (
	"errors"
	"testing"
)

func TestCheckPostURL(t *testing.T) {
	cases := []struct {
		platform, key, url string
		ok                 bool
	}{
		{"x", "unops_haiti", "https://x.com/UNOPS_Haiti/status/1866000000000000000", true},
		{"x", "unops_haiti", "https://twitter.com/unops_haiti/status/1866000000000000000?s=20", true},
		{"x", "unops_haiti", "https://x.com/i/status/1866000000000000000", true},
		{"x", "unops_haiti", "https://x.com/UNOPS/status/1866000000000000000", false}, // another account
		{"x", "unops_haiti", "https://x.com/UNOPS_Haiti", false},                      // a profile, not a post
		{"x", "unops_haiti", "https://evil.example/UNOPS_Haiti/status/1", false},      // not X
		{"x", "unops_haiti", "javascript:alert(1)", false},                            // not http
		{"mastodon", "unops@mastodon.social", "https://mastodon.social/@unops/113000000000000000", true},
		{"mastodon", "unops@mastodon.social", "https://other.example/@unops@mastodon.social/113000000000000000", true},
		{"mastodon", "unops@mastodon.social", "https://mastodon.social/@someone/113000000000000000", false},
		{"mastodon", "unops@mastodon.social", "https://mastodon.social/@unops", false},
		{"bluesky", "unops.bsky.social", "https://bsky.app/profile/unops.bsky.social/post/3kabc", true},
		{"bluesky", "unops.bsky.social", "https://bsky.app/profile/other.bsky.social/post/3kabc", false},
		{"instagram", "unops_official", "https://www.instagram.com/p/C1abcdEFgh/", true},
		{"instagram", "unops_official", "https://www.instagram.com/someone_else/p/C1abcdEFgh/", false},
		{"facebook", "unops.org", "https://www.facebook.com/UNOPS.org/posts/pfbid0abc", true},
		{"facebook", "unops.org", "https://www.facebook.com/permalink.php?story_fbid=1&id=2", true},
		{"linkedin", "unops", "https://www.linkedin.com/posts/unops_water-activity-7200000000000000000-abcd", true},
		{"linkedin", "unops", "https://www.linkedin.com/posts/someone_water-activity-72000-abcd", false},
		{"linkedin", "unops", "https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000000/", true},
		{"youtube", "unopsvideo", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", true},
		{"youtube", "unopsvideo", "https://youtu.be/dQw4w9WgXcQ", true},
		{"threads", "unops_haiti", "https://www.threads.net/@unops_haiti/post/C1abc", true},
		{"threads", "unops_haiti", "https://www.threads.net/@else/post/C1abc", false},
	}
	for _, c := range cases {
		err := CheckPostURL(c.platform, c.key, c.url)
		if (err == nil) != c.ok {
			t.Errorf("CheckPostURL(%s, %s, %s) = %v, want ok %v", c.platform, c.key, c.url, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrBadPostURL) {
			t.Errorf("%s: error %v is not ErrBadPostURL", c.url, err)
		}
	}
}

func FuzzCheckPostURL(f *testing.F) {
	f.Add("x", "unops", "https://x.com/unops/status/1")
	f.Add("mastodon", "unops@mastodon.social", "https://mastodon.social/@unops/1")
	f.Fuzz(func(t *testing.T, platform, key, raw string) {
		if err := CheckPostURL(platform, key, raw); err != nil && !errors.Is(err, ErrBadPostURL) {
			t.Fatalf("error outside ErrBadPostURL: %v", err)
		}
	})
}
