package registry

import (
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
)

// ErrBadHandle is wrapped by every error NormalizeHandle returns.
var ErrBadHandle = errors.New("not a handle")

// badHandle is an invalid-input error that says why and wraps ErrBadHandle.
func badHandle(key, format string, args ...any) error {
	e := errs.Errorf(errs.Invalid, key, format, args...)
	e.Err = ErrBadHandle
	return e
}

// handleRules says, per platform, which characters a username may hold and
// which hosts its profile URLs live on. Every platform listed compares
// usernames without regard to case.
var handleRules = map[string]struct {
	re    *regexp.Regexp
	hosts []string
}{
	"x":         {regexp.MustCompile(`^[a-z0-9_]{1,15}$`), []string{"x.com", "twitter.com"}},
	"instagram": {regexp.MustCompile(`^[a-z0-9._]{1,30}$`), []string{"instagram.com", "instagr.am"}},
	"threads":   {regexp.MustCompile(`^[a-z0-9._]{1,30}$`), []string{"threads.net", "threads.com"}},
	"tiktok":    {regexp.MustCompile(`^[a-z0-9._]{2,24}$`), []string{"tiktok.com"}},
	"facebook":  {regexp.MustCompile(`^[a-z0-9.\-]{1,50}$`), []string{"facebook.com", "fb.com"}},
	"linkedin":  {regexp.MustCompile(`^(in/)?[\p{L}\p{N}_\-]{2,100}$`), []string{"linkedin.com"}},
	"youtube":   {regexp.MustCompile(`^([a-z0-9_.\-]{3,30}|channel/uc[a-z0-9_\-]{22})$`), []string{"youtube.com", "youtu.be"}},
	"bluesky":   {regexp.MustCompile(`^(did:plc:[a-z2-7]{24}|([a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9\-]*[a-z0-9])$`), []string{"bsky.app"}},
	"mastodon":  {regexp.MustCompile(`^[a-z0-9_]{1,30}@([a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9\-]*[a-z0-9]$`), nil},
}

// platformAliases are other names callers use for a platform.
var platformAliases = map[string]string{"twitter": "x", "bsky": "bluesky", "fb": "facebook", "ig": "instagram"}

// canonicalPlatform returns the platform's name as the registry stores it.
func canonicalPlatform(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	if a, ok := platformAliases[p]; ok {
		return a
	}
	return p
}

// NormalizeHandle returns the form of a handle under which a platform tells
// accounts apart, so "@UNOPS_es", "unops_es" and
// "https://twitter.com/UNOPS_es?lang=es" are one account on X. It accepts a
// bare username, one with a leading @, a profile URL pasted whole, and on
// Mastodon user@instance; Bluesky handles without a domain get .bsky.social.
// The result is lower-case, except YouTube channel ids, which are not
// case-insensitive ("channel/UC..."). LinkedIn personal profiles keep their
// "in/" prefix so they never pass for a company page.
func NormalizeHandle(platform, input string) (string, error) {
	_, key, err := parseHandle(platform, input)
	return key, err
}

// CanonicalHandle returns the one form in which the registry stores a
// handle on platform, whatever form it was typed in: "@name" where the
// platform writes its usernames with an @ (X, Instagram, Threads, TikTok,
// YouTube handles, Bluesky, and "@user@instance" on Mastodon), the bare
// name elsewhere (Facebook, LinkedIn's "company" or "in/name", YouTube's
// "channel/UC…", Bluesky's did:plc:…). The name keeps the case it was typed
// in (people read "@UNOPS_Haiti" more easily than "@unops_haiti"); domain
// names are lower-cased. NormalizeHandle of the result is NormalizeHandle
// of the input, so the canonical form never changes which account it is.
func CanonicalHandle(platform, input string) (string, error) {
	display, _, err := parseHandle(platform, input)
	return display, err
}

// atPlatforms write their usernames with a leading @.
var atPlatforms = map[string]bool{"x": true, "instagram": true, "threads": true, "tiktok": true,
	"youtube": true, "bluesky": true, "mastodon": true}

// parseHandle returns a handle's canonical display form and its key.
func parseHandle(platform, input string) (display, key string, err error) {
	platform = canonicalPlatform(platform)
	rule, ok := handleRules[platform]
	if !ok {
		return "", "", badHandle("handle.unknown_platform", "unknown platform %q", platform)
	}
	s := strings.TrimSpace(input)
	if s == "" {
		return "", "", badHandle("handle.empty", "the handle is empty")
	}
	if len(s) > 512 {
		return "", "", badHandle("handle.too_long", "the handle is longer than 512 bytes")
	}
	var h string
	if looksLikeURL(s) {
		h, err = handleFromURL(platform, rule.hosts, s)
		if err != nil {
			return "", "", err
		}
	} else {
		h = bareHandle(platform, s)
	}
	key = strings.ToLower(h)
	if platform == "bluesky" && !strings.Contains(key, ".") && !strings.HasPrefix(key, "did:") {
		key += ".bsky.social"
	}
	if !rule.re.MatchString(key) {
		return "", "", badHandle("handle.not_valid", "%q is not a valid %s handle", input, platformName(platform))
	}
	display = h
	switch {
	case platform == "youtube" && strings.HasPrefix(key, "channel/"):
		// Channel ids are case-sensitive: the key keeps their case too.
		key = "channel/" + h[len("channel/"):]
		return key, key, nil
	case platform == "bluesky":
		display = key // a domain name or a did
		if strings.HasPrefix(key, "did:") {
			return display, key, nil
		}
	case platform == "mastodon":
		user, instance, _ := strings.Cut(h, "@")
		display = user + "@" + strings.ToLower(instance)
	case platform == "linkedin" && strings.HasPrefix(key, "in/"):
		display = "in/" + h[3:]
	}
	if atPlatforms[platform] {
		display = "@" + display
	}
	return display, key, nil
}

func looksLikeURL(s string) bool {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "www.") {
		return true
	}
	// "x.com/UNOPS", "mastodon.social/@unops": a host, then a path.
	host, _, ok := strings.Cut(l, "/")
	return ok && strings.Contains(host, ".") && !strings.Contains(host, "@")
}

// bareHandle strips what people type around a username.
func bareHandle(platform, s string) string {
	// On Mastodon what remains must be user@instance; the pattern refuses
	// a bare user, whose instance nobody can guess.
	s = strings.TrimPrefix(s, "@")
	if platform == "linkedin" && strings.HasPrefix(strings.ToLower(s), "in/") {
		return "in/" + s[3:]
	}
	return s
}

// handleFromURL reads the username out of a profile URL.
func handleFromURL(platform string, hosts []string, raw string) (string, error) {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return "", badHandle("handle.not_profile_url", "%q is not a profile URL", raw)
	}
	host := strings.ToLower(u.Hostname())
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	bad := badHandle("handle.not_platform_profile_url", "%q is not a %s profile URL", raw, platformName(platform))
	if platform == "mastodon" {
		// https://instance/@user, https://instance/users/user, or
		// https://instance/@user@home for a remote account seen from instance.
		switch {
		case len(segs) >= 1 && strings.HasPrefix(segs[0], "@") && strings.Contains(segs[0][1:], "@"):
			return segs[0][1:], nil
		case len(segs) >= 1 && strings.HasPrefix(segs[0], "@"):
			return segs[0][1:] + "@" + host, nil
		case len(segs) >= 2 && segs[0] == "users":
			return segs[1] + "@" + host, nil
		}
		return "", bad
	}
	if !onDomain(host, hosts) {
		return "", bad
	}
	if len(segs) == 0 {
		return "", bad
	}
	first := strings.ToLower(segs[0])
	switch platform {
	case "x":
		if reservedX[first] {
			return "", bad
		}
	case "instagram", "threads", "tiktok":
		segs[0] = strings.TrimPrefix(segs[0], "@")
	case "bluesky":
		if first != "profile" || len(segs) < 2 {
			return "", bad
		}
		return segs[1], nil
	case "facebook":
		if first == "profile.php" {
			if id := u.Query().Get("id"); id != "" {
				return id, nil
			}
			return "", bad
		}
		if first == "pages" && len(segs) >= 3 {
			return segs[len(segs)-1], nil // /pages/Name/123456
		}
		if reservedFacebook[first] {
			return "", bad
		}
	case "linkedin":
		if len(segs) < 2 {
			return "", bad
		}
		switch first {
		case "in":
			return "in/" + segs[1], nil
		case "company", "showcase", "school":
			return segs[1], nil
		}
		return "", bad
	case "youtube":
		switch {
		case strings.HasPrefix(segs[0], "@"):
			return segs[0][1:], nil
		case (first == "c" || first == "user") && len(segs) >= 2:
			return segs[1], nil
		case first == "channel" && len(segs) >= 2:
			return "channel/" + segs[1], nil
		}
		return "", bad
	}
	return segs[0], nil
}

// reservedX and reservedFacebook are first path segments that are pages of
// the platform, not profiles.
var reservedX = map[string]bool{"home": true, "i": true, "intent": true, "search": true, "explore": true, "hashtag": true, "settings": true, "login": true, "share": true, "messages": true, "notifications": true}

var reservedFacebook = map[string]bool{"groups": true, "events": true, "watch": true, "photo.php": true, "sharer.php": true, "login": true, "hashtag": true, "marketplace": true, "share": true}
