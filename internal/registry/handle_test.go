package registry

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeHandle(t *testing.T) {
	tests := []struct {
		platform string
		forms    []string
		want     string
	}{
		{"x", []string{"UNOPS_es", "@UNOPS_es", "@unops_es", " unops_ES ", "https://x.com/UNOPS_es", "https://twitter.com/unops_es?lang=es",
			"http://www.twitter.com/UNOPS_es/", "x.com/UNOPS_es", "https://mobile.twitter.com/UNOPS_es/status/1234567890"}, "unops_es"},
		{"twitter", []string{"@UNOPS"}, "unops"},
		{"instagram", []string{"unops_official", "@UNOPS_Official", "https://www.instagram.com/unops_official/", "instagram.com/unops_official?hl=fr"}, "unops_official"},
		{"threads", []string{"@unops", "https://www.threads.net/@UNOPS", "https://threads.com/@unops"}, "unops"},
		{"bluesky", []string{"unops.bsky.social", "@UNOPS.bsky.social", "unops", "https://bsky.app/profile/unops.bsky.social", "bsky.app/profile/UNOPS.bsky.social/post/3kq"}, "unops.bsky.social"},
		{"bluesky", []string{"unops.org", "@UNOPS.org", "https://bsky.app/profile/unops.org"}, "unops.org"},
		{"bluesky", []string{"https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx", "did:plc:abcdefghijklmnopqrstuvwx"}, "did:plc:abcdefghijklmnopqrstuvwx"},
		{"mastodon", []string{"unops@mastodon.social", "@unops@mastodon.social", "@UNOPS@Mastodon.Social", "https://mastodon.social/@unops",
			"https://mastodon.social/users/unops", "mastodon.social/@UNOPS", "https://mstdn.example/@unops@mastodon.social"}, "unops@mastodon.social"},
		{"facebook", []string{"UNOPS.org", "https://www.facebook.com/UNOPS.org", "https://m.facebook.com/unops.org/?ref=page", "fb.com/unops.org"}, "unops.org"},
		{"facebook", []string{"https://www.facebook.com/profile.php?id=100064518846123", "https://www.facebook.com/pages/UNOPS-Kenya/100064518846123"}, "100064518846123"},
		{"linkedin", []string{"unops", "https://www.linkedin.com/company/unops/", "linkedin.com/company/UNOPS/posts/?feedView=all", "https://fr.linkedin.com/company/unops"}, "unops"},
		{"linkedin", []string{"https://www.linkedin.com/in/maria-garcia-1a2b3c/", "in/Maria-Garcia-1a2b3c"}, "in/maria-garcia-1a2b3c"},
		{"youtube", []string{"@UNOPS", "unops", "https://www.youtube.com/@UNOPS", "https://youtube.com/@unops/videos", "https://www.youtube.com/c/UNOPS", "https://www.youtube.com/user/unops"}, "unops"},
		{"youtube", []string{"https://www.youtube.com/channel/UCkZpuP9oU8aG9ZB5Vg6Kn5A"}, "channel/UCkZpuP9oU8aG9ZB5Vg6Kn5A"},
		{"tiktok", []string{"@unops", "https://www.tiktok.com/@UNOPS"}, "unops"},
	}
	for _, tt := range tests {
		for _, in := range tt.forms {
			got, err := NormalizeHandle(tt.platform, in)
			if err != nil || got != tt.want {
				t.Errorf("NormalizeHandle(%q, %q) = %q, %v; want %q", tt.platform, in, got, err, tt.want)
			}
		}
	}
}

func TestNormalizeHandleRefuses(t *testing.T) {
	tests := []struct{ platform, input string }{
		{"x", ""},
		{"x", "   "},
		{"x", "@"},
		{"x", "unops es"},
		{"x", "this_handle_is_far_too_long"},
		{"x", "https://x.com/"},
		{"x", "https://x.com/i/lists/123"},
		{"x", "https://x.com/home"},
		{"x", "https://www.facebook.com/unops"},
		{"x", "javascript:alert(1)"},
		{"x", "ftp://x.com/unops"},
		{"x", "https://user:pw@x.com/unops"},
		{"x", "<script>"},
		{"x", strings.Repeat("a", 1000)},
		{"instagram", "unops!"},
		{"mastodon", "unops"},
		{"mastodon", "@unops"},
		{"mastodon", "unops@"},
		{"mastodon", "a@b@c.social"},
		{"mastodon", "https://mastodon.social/about"},
		{"bluesky", "https://bsky.app/search?q=unops"},
		{"bluesky", "-bad-.bsky.social"},
		{"bluesky", "https://x.com/unops"},
		{"facebook", "https://www.facebook.com/groups/12345"},
		{"facebook", "https://www.facebook.com/profile.php"},
		{"linkedin", "https://www.linkedin.com/feed/"},
		{"linkedin", "https://www.linkedin.com/company/"},
		{"youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
		{"youtube", "https://www.youtube.com/channel/notanid"},
		{"myspace", "unops"},
		{"", "unops"},
	}
	for _, tt := range tests {
		got, err := NormalizeHandle(tt.platform, tt.input)
		if err == nil {
			t.Errorf("NormalizeHandle(%q, %q) = %q, want an error", tt.platform, tt.input, got)
		} else if !errors.Is(err, ErrBadHandle) {
			t.Errorf("NormalizeHandle(%q, %q): error %v does not wrap ErrBadHandle", tt.platform, tt.input, err)
		}
	}
}

func FuzzNormalizeHandle(f *testing.F) {
	for _, s := range []string{"@UNOPS_es", "https://x.com/UNOPS", "@unops@mastodon.social", "https://mastodon.social/@unops",
		"https://bsky.app/profile/unops.bsky.social", "https://www.facebook.com/profile.php?id=1", "https://www.youtube.com/channel/UCkZpuP9oU8aG9ZB5Vg6Kn5A", "in/x"} {
		for _, p := range []string{"x", "mastodon", "bluesky", "facebook", "youtube", "linkedin", "instagram"} {
			f.Add(p, s)
		}
	}
	f.Fuzz(func(t *testing.T, platform, input string) {
		got, err := NormalizeHandle(platform, input)
		if err != nil {
			return
		}
		// A normalized handle is its own normal form.
		again, err := NormalizeHandle(platform, got)
		if err != nil || again != got {
			t.Fatalf("NormalizeHandle(%q, %q) = %q, then %q, %v", platform, input, got, again, err)
		}
	})
}
