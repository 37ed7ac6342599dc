package connector

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// Mastodon reads an account on its own instance, without a token.
type Mastodon struct{ c *client }

type mastoAccount struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	DisplayName    string `json:"display_name"`
	Note           string `json:"note"`
	Avatar         string `json:"avatar"`
	FollowersCount *count `json:"followers_count"`
	StatusesCount  *count `json:"statuses_count"`
	CreatedAt      string `json:"created_at"`     // Mastodon rounds it to the day
	LastStatusAt   string `json:"last_status_at"` // a date only, or null
	Suspended      bool   `json:"suspended"`
}

type mastoStatus struct {
	ID              string          `json:"id"`
	CreatedAt       string          `json:"created_at"`
	URL             string          `json:"url"`
	URI             string          `json:"uri"`
	Content         string          `json:"content"`
	RepliesCount    *count          `json:"replies_count"`
	ReblogsCount    *count          `json:"reblogs_count"`
	FavouritesCount *count          `json:"favourites_count"`
	Reblog          *map[string]any `json:"reblog"`
}

// mastodonInstance finds the account's instance base URL and username from
// its profile URL (https://instance/@user) or its user@instance handle.
// Plain http is accepted only for loopback hosts (local test servers).
func mastodonInstance(acc model.Account) (base, user string, err error) {
	handle := strings.TrimPrefix(strings.TrimSpace(acc.Handle), "@")
	if acc.ProfileURL != "" {
		u, err := url.Parse(acc.ProfileURL)
		if err != nil || u.Host == "" {
			return "", "", fmt.Errorf("mastodon: bad profile URL")
		}
		switch u.Scheme {
		case "https":
		case "http":
			if !isLoopback(u.Hostname()) {
				return "", "", fmt.Errorf("mastodon: plain http refused for non-loopback host %s", u.Hostname())
			}
		default:
			return "", "", fmt.Errorf("mastodon: unsupported URL scheme %q", u.Scheme)
		}
		base = u.Scheme + "://" + u.Host
		if p := strings.TrimPrefix(u.Path, "/"); strings.HasPrefix(p, "@") {
			user, _, _ = strings.Cut(p[1:], "/")
		}
	}
	name, instance, hasInstance := strings.Cut(handle, "@")
	if user == "" {
		user = name
	}
	if base == "" {
		if !hasInstance || instance == "" || strings.ContainsAny(instance, "/?#@:") {
			return "", "", fmt.Errorf("mastodon: handle %q has no instance and no profile URL", acc.Handle)
		}
		base = "https://" + instance
	}
	if user == "" || strings.ContainsAny(user, "/?#") {
		return "", "", fmt.Errorf("mastodon: no username in %q", acc.Handle)
	}
	return base, user, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (m *Mastodon) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	base, user, err := mastodonInstance(acc)
	if err != nil {
		return nil, nil, err
	}
	var a mastoAccount
	if _, err := m.c.getJSON(ctx, base+"/api/v1/accounts/lookup?acct="+url.QueryEscape(user), nil, &a); err != nil {
		return nil, nil, mastoErr(err)
	}
	if a.Suspended {
		return nil, nil, fmt.Errorf("mastodon %s: %w", user, ErrSuspended)
	}
	if a.ID == "" {
		return nil, nil, fmt.Errorf("mastodon %s: malformed account (no id)", user)
	}
	prof := &model.Profile{
		AccountID: acc.ID, Platform: "mastodon", Handle: acc.Handle,
		DisplayName: a.DisplayName, Bio: htmlText(a.Note), AvatarURL: a.Avatar,
		Followers: a.FollowersCount.ptr(), PostCount: a.StatusesCount.ptr(),
		CreatedAt: platformTime(a.CreatedAt), LastPostAt: platformTime(a.LastStatusAt),
		FetchedAt: m.c.cfg.now().UTC(),
	}
	// The statuses are read even when last_status_at is before since: the
	// first page names the last post's exact time, and a first sync reads
	// back a year whatever the account's last day says.
	var posts []model.Post
	next := base + "/api/v1/accounts/" + url.PathEscape(a.ID) + "/statuses?limit=40&exclude_reblogs=true"
	for page := 0; next != "" && page < m.c.cfg.MaxPages; page++ {
		var batch []mastoStatus
		h, err := m.c.getJSON(ctx, next, nil, &batch)
		if err != nil {
			return nil, nil, mastoErr(err)
		}
		older := false
		for _, s := range batch {
			t, err := ParseTime(s.CreatedAt)
			if err != nil {
				return nil, nil, fmt.Errorf("mastodon status %s: %w", s.ID, err)
			}
			if s.Reblog == nil {
				prof.LastPostAt = later(prof.LastPostAt, &t)
			}
			if t.Before(since) {
				older = true
				continue
			}
			if s.Reblog != nil {
				continue // a boost is someone else's post
			}
			u := s.URL
			if u == "" {
				u = s.URI
			}
			posts = append(posts, model.Post{
				AccountID: acc.ID, Platform: "mastodon", ExternalID: s.ID, URL: u,
				Text: htmlText(s.Content), PostedAt: t,
				Replies: s.RepliesCount.ptr(), Reposts: s.ReblogsCount.ptr(), Likes: s.FavouritesCount.ptr(),
				Source: "api",
			})
		}
		if older || len(batch) == 0 {
			break
		}
		next = sameHost(base, linkNext(h))
	}
	return prof, posts, nil
}

func mastoErr(err error) error {
	var he *httpError
	if errors.As(err, &he) && he.Status == http.StatusGone {
		return fmt.Errorf("%w (%s)", ErrSuspended, he)
	}
	return statusErr(err)
}

// linkNext returns the rel="next" target of a Link header (RFC 8288).
func linkNext(h http.Header) string {
	for _, v := range h.Values("Link") {
		for _, part := range strings.Split(v, ",") {
			target, params, ok := strings.Cut(part, ";")
			target = strings.TrimSpace(target)
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "rel") && strings.Trim(val, `"`) == "next" {
					return target[1 : len(target)-1]
				}
			}
		}
	}
	return ""
}

// sameHost keeps a pagination link only when it stays on base's scheme and
// host, so a hostile server cannot send us elsewhere.
func sameHost(base, link string) string {
	b, err1 := url.Parse(base)
	l, err2 := url.Parse(link)
	if link == "" || err1 != nil || err2 != nil || b.Scheme != l.Scheme || b.Host != l.Host {
		return ""
	}
	return link
}
