package registry

import (
	"net/url"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
)

// ErrBadPostURL is in the chain of every error CheckPostURL returns.
var ErrBadPostURL = errs.E(errs.Invalid, "draft.post_url", "post_url: the address is not a post of this account")

// CheckPostURL checks that raw, the address of a post marked as published
// by hand, is a post on the account's platform and, where the address
// names an account (X, Threads, TikTok, Bluesky, Mastodon, Instagram and
// Facebook page paths, LinkedIn /posts/), that it names this one:
// handleKey is the account's NormalizeHandle form. Addresses that name no
// account (youtube.com/watch?v=…, instagram.com/p/…, LinkedIn
// /feed/update/…) need only be on the platform.
func CheckPostURL(platform, handleKey, raw string) error {
	platform = canonicalPlatform(platform)
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return ErrBadPostURL.With("draft.post_url_not_http", "post_url: %q is not an http(s) address", raw)
	}
	host := strings.ToLower(u.Hostname())
	hostPort := strings.ToLower(u.Host) // a Mastodon handle names its instance with any port
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return ErrBadPostURL.With("draft.post_url_no_path", "post_url: %s is not the address of a post", raw)
	}
	other := func(named string) error {
		return ErrBadPostURL.With("draft.post_url_other_account",
			"post_url: %s is a post of %s, not of this account (%s)", raw, named, handleKey)
	}
	if platform == "mastodon" {
		user, instance, _ := strings.Cut(handleKey, "@")
		var named string
		switch {
		case strings.HasPrefix(segs[0], "@") && strings.Contains(segs[0][1:], "@"):
			named = strings.ToLower(segs[0][1:]) // a remote view: /@user@instance/id
		case strings.HasPrefix(segs[0], "@"):
			named = strings.ToLower(segs[0][1:]) + "@" + hostPort
		case segs[0] == "users" && len(segs) >= 2:
			named = strings.ToLower(segs[1]) + "@" + hostPort
		default:
			return ErrBadPostURL.With("draft.post_url_not_mastodon_post", "post_url: %s is not the address of a Mastodon post (https://%s/@%s/…)", raw, instance, user)
		}
		if named != handleKey || len(segs) < 2 {
			return other(named)
		}
		return nil
	}
	rule, ok := handleRules[platform]
	if !ok {
		return ErrBadPostURL.With("draft.post_url_platform", "post_url: unknown platform %q", platform)
	}
	if !onDomain(host, rule.hosts) {
		return ErrBadPostURL.With("draft.post_url_host", "post_url: %s is not a %s address (%s)", host, platformName(platform), strings.Join(rule.hosts, ", "))
	}
	first := strings.ToLower(segs[0])
	var named string // the account the address names, "" when it names none
	switch platform {
	case "x":
		if len(segs) < 3 || strings.ToLower(segs[1]) != "status" {
			return ErrBadPostURL.With("draft.post_url_not_x_post", "post_url: %s is not the address of a post (https://x.com/%s/status/…)", raw, handleKey)
		}
		if first != "i" { // x.com/i/status/… names no account
			named = first
		}
	case "threads", "tiktok":
		named = strings.TrimPrefix(first, "@")
	case "instagram", "facebook":
		switch first {
		case "p", "reel", "reels", "tv", "permalink.php", "story.php", "photo.php", "photo", "watch", "share", "groups":
		default:
			named = first
		}
	case "bluesky":
		if first != "profile" || len(segs) < 4 || segs[2] != "post" {
			return ErrBadPostURL.With("draft.post_url_not_bluesky_post", "post_url: %s is not the address of a Bluesky post (https://bsky.app/profile/%s/post/…)", raw, handleKey)
		}
		named = strings.ToLower(segs[1])
	case "linkedin":
		if first == "posts" && len(segs) >= 2 {
			slug, _, _ := strings.Cut(strings.ToLower(segs[1]), "_")
			named = slug
		}
	case "youtube":
		if strings.HasPrefix(first, "@") {
			named = first[1:]
		}
	}
	key := strings.ToLower(strings.TrimPrefix(handleKey, "in/"))
	if named != "" && named != key {
		return other(named)
	}
	return nil
}
