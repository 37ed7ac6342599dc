package connector

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/herald-gov/herald/internal/outbound"
)

// Found is an account a platform's search returned: the candidate an
// impostor check scores. Handle is in the registry's form for the platform
// (user@instance on Mastodon, the full handle on Bluesky, channel/UC… on
// YouTube).
type Found struct {
	Platform    string
	Handle      string
	DisplayName string
	Bio         string
	URL         string
	AvatarURL   string
	Followers   *int64
}

// Searcher finds accounts whose names match a query on one platform (and,
// for Mastodon, one instance). Target says which, for the scheduler's state.
type Searcher interface {
	Platform() string
	Target() string
	Search(ctx context.Context, query string) ([]Found, error)
}

// searchLimit is how many accounts one search asks for: one page, as
// impostors using the name rank near the top.
const searchLimit = 40

// NewSearchers builds the account searches the config allows: Mastodon's
// account search on each instance given (https, or a host cfg.Allow lets
// through), Bluesky's on the public AppView, and YouTube's channel search
// when an API key is set. Every request goes through the connectors' client
// (outbound's guarded client unless cfg.HTTPClient is set).
func NewSearchers(cfg Config, mastodonInstances []string) ([]Searcher, error) {
	c := newClient(cfg)
	var out []Searcher
	for _, inst := range mastodonInstances {
		base, err := instanceBase(inst, cfg.Allow)
		if err != nil {
			return nil, err
		}
		out = append(out, &mastodonSearch{c: c, base: base})
	}
	out = append(out, &blueskySearch{c: c, base: orDefault(cfg.BlueskyBaseURL, "https://public.api.bsky.app")})
	if cfg.YouTubeAPIKey != "" {
		out = append(out, &youtubeSearch{c: c, base: orDefault(cfg.YouTubeAPIBaseURL, "https://www.googleapis.com/youtube/v3"), key: cfg.YouTubeAPIKey})
	}
	return out, nil
}

// instanceBase accepts "mastodon.social" or "https://mastodon.social" and
// returns scheme://host.
func instanceBase(s string, allow *outbound.Allow) (string, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "/")
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := outbound.CheckURL(s, allow)
	if err != nil {
		return "", fmt.Errorf("mastodon instance: %w", err)
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("mastodon instance %q: want a host such as mastodon.social, without a path", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

type mastodonSearch struct {
	c    *client
	base string
}

func (m *mastodonSearch) Platform() string { return "mastodon" }
func (m *mastodonSearch) Target() string   { return m.base }

// Search asks the instance's /api/v2/search for accounts, without resolving
// remote ones (which needs a token): the instance answers with the accounts
// it knows, local and federated.
func (m *mastodonSearch) Search(ctx context.Context, query string) ([]Found, error) {
	q := url.Values{"q": {query}, "type": {"accounts"}, "limit": {fmt.Sprint(searchLimit)}}
	var res struct {
		Accounts []struct {
			mastoAccount
			Acct string `json:"acct"`
			URL  string `json:"url"`
		} `json:"accounts"`
	}
	if _, err := m.c.getJSON(ctx, m.base+"/api/v2/search?"+q.Encode(), nil, &res); err != nil {
		return nil, fmt.Errorf("mastodon search on %s: %w", m.base, mastoErr(err))
	}
	instance, _ := url.Parse(m.base)
	var out []Found
	for _, a := range res.Accounts {
		if a.Suspended || a.Username == "" {
			continue
		}
		// acct is user@domain for a remote account and the bare username
		// for a local one; the profile URL names the home instance.
		handle := a.Acct
		if !strings.Contains(handle, "@") {
			host := instance.Hostname()
			if u, err := url.Parse(a.URL); err == nil && u.Hostname() != "" {
				host = u.Hostname()
			}
			handle = a.Username + "@" + host
		}
		out = append(out, Found{Platform: "mastodon", Handle: handle, DisplayName: a.DisplayName,
			Bio: htmlText(a.Note), URL: a.URL, AvatarURL: a.Avatar, Followers: a.FollowersCount.ptr()})
	}
	return out, nil
}

type blueskySearch struct {
	c    *client
	base string
}

func (b *blueskySearch) Platform() string { return "bluesky" }
func (b *blueskySearch) Target() string   { return "" }

// Search calls app.bsky.actor.searchActors on the public AppView (no token).
func (b *blueskySearch) Search(ctx context.Context, query string) ([]Found, error) {
	q := url.Values{"q": {query}, "limit": {fmt.Sprint(searchLimit)}}
	var res struct {
		Actors []bskyProfile `json:"actors"`
	}
	if _, err := b.c.getJSON(ctx, b.base+"/xrpc/app.bsky.actor.searchActors?"+q.Encode(), nil, &res); err != nil {
		return nil, fmt.Errorf("bluesky search: %w", bskyErr(err))
	}
	var out []Found
	for _, a := range res.Actors {
		if a.Handle == "" || a.Handle == "handle.invalid" {
			continue
		}
		out = append(out, Found{Platform: "bluesky", Handle: a.Handle, DisplayName: a.DisplayName, Bio: a.Description,
			URL: "https://bsky.app/profile/" + a.Handle, AvatarURL: a.Avatar, Followers: a.FollowersCount.ptr()})
	}
	return out, nil
}

type youtubeSearch struct {
	c         *client
	base, key string
}

func (y *youtubeSearch) Platform() string { return "youtube" }
func (y *youtubeSearch) Target() string   { return "" }

// Search calls the Data API's search.list for channels (100 quota units a
// call, of the default 10,000 a day).
func (y *youtubeSearch) Search(ctx context.Context, query string) ([]Found, error) {
	q := url.Values{"part": {"snippet"}, "type": {"channel"}, "q": {query}, "maxResults": {"25"}, "key": {y.key}}
	var res struct {
		Items []struct {
			ID struct {
				Kind      string `json:"kind"`
				ChannelID string `json:"channelId"`
			} `json:"id"`
			Snippet struct {
				ChannelID string `json:"channelId"`
				ytChannelSnippet
			} `json:"snippet"`
		} `json:"items"`
	}
	if _, err := y.c.getJSON(ctx, y.base+"/search?"+q.Encode(), nil, &res); err != nil {
		return nil, fmt.Errorf("youtube search: %w", ytErr(err))
	}
	var out []Found
	for _, it := range res.Items {
		id := it.ID.ChannelID
		if id == "" {
			id = it.Snippet.ChannelID
		}
		if it.ID.Kind != "youtube#channel" || id == "" {
			continue
		}
		out = append(out, Found{Platform: "youtube", Handle: "channel/" + id, DisplayName: it.Snippet.Title,
			Bio: it.Snippet.Description, URL: "https://www.youtube.com/channel/" + id, AvatarURL: it.Snippet.Thumbnails.Default.URL})
	}
	return out, nil
}
