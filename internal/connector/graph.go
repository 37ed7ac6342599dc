package connector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// Facebook, Instagram and Threads share Meta's Graph API conventions: the
// token as a bearer header, fields selection, paging.next links, times like
// 2024-05-01T10:00:00+0000, and errors as {"error":{"code":...}}.

type graphPage[T any] struct {
	Data   []T `json:"data"`
	Paging struct {
		Next string `json:"next"`
	} `json:"paging"`
}

// graphEach reads a list from first on, following paging.next on the same
// host, calling fn on each item until fn says stop or the page cap is hit.
func graphEach[T any](ctx context.Context, c *client, first string, hdr http.Header, fn func(T) (stop bool, err error)) error {
	next := first
	for page := 0; next != "" && page < c.cfg.MaxPages; page++ {
		var p graphPage[T]
		if _, err := c.getJSON(ctx, next, hdr, &p); err != nil {
			return graphErr(err)
		}
		for _, it := range p.Data {
			stop, err := fn(it)
			if err != nil || stop {
				return err
			}
		}
		if len(p.Data) == 0 {
			return nil
		}
		next = sameHost(first, p.Paging.Next)
	}
	return nil
}

func graphAuth(cfg Config, acc model.Account) (http.Header, error) {
	tok := cfg.token(acc)
	if tok == "" {
		return nil, fmt.Errorf("%s: no access token configured: %w", acc.Platform, ErrUnauthorized)
	}
	return http.Header{"Authorization": {"Bearer " + tok}}, nil
}

// graphErr maps Graph error codes: 190/102 and permission errors are token
// problems, 4/17/32/613 are rate limits, 100/33 and 803 are missing objects.
func graphErr(err error) error {
	var he *httpError
	if !errors.As(err, &he) {
		return err
	}
	var e struct {
		Error struct {
			Code    int `json:"code"`
			Subcode int `json:"error_subcode"`
		} `json:"error"`
	}
	if json.Unmarshal(he.Body, &e) == nil && e.Error.Code != 0 {
		switch c := e.Error.Code; {
		case c == 190 || c == 102 || c == 10 || (c >= 200 && c < 300):
			return fmt.Errorf("%w (%s, code %d)", ErrUnauthorized, he, c)
		case c == 4 || c == 17 || c == 32 || c == 613:
			return &RateLimitedError{}
		case (c == 100 && e.Error.Subcode == 33) || c == 803:
			return fmt.Errorf("%w (%s, code %d)", ErrNotFound, he, c)
		case c == 368:
			return fmt.Errorf("%w (%s, code %d)", ErrSuspended, he, c)
		}
	}
	return statusErr(err)
}

func unixQuery(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// graphAPI is what the three Graph readers hold: the client, the API base
// and the configuration that names the tokens.
type graphAPI struct {
	c    *client
	base string
	cfg  Config
}

// me reads the token owner's profile ("me") with fields into v and refuses
// a token that belongs to another account than acc on platform; username
// points into v. It returns the header that authorizes the next calls.
func (g *graphAPI) me(ctx context.Context, platform string, acc model.Account, fields string, v any, username *string) (http.Header, error) {
	hdr, err := graphAuth(g.cfg, acc)
	if err != nil {
		return nil, err
	}
	q := url.Values{"fields": {fields}}
	if _, err := g.c.getJSON(ctx, g.base+"/me?"+q.Encode(), hdr, v); err != nil {
		return nil, graphErr(err)
	}
	if err := sameAccount(platform, acc.Handle, *username); err != nil {
		return nil, err
	}
	return hdr, nil
}

// Facebook reads a Page with a page token.
type Facebook struct{ graphAPI }

type fbSummary struct {
	Summary struct {
		Total *count `json:"total_count"`
	} `json:"summary"`
}

func (f *Facebook) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	hdr, err := graphAuth(f.cfg, acc)
	if err != nil {
		return nil, nil, err
	}
	page := strings.TrimPrefix(strings.TrimSpace(acc.Handle), "@")
	if page == "" || strings.ContainsAny(page, "/?#") {
		return nil, nil, fmt.Errorf("facebook: bad page handle %q", acc.Handle)
	}
	var p struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		About     string `json:"about"`
		Fans      *count `json:"fan_count"`
		Followers *count `json:"followers_count"`
		Picture   struct {
			Data struct {
				URL string `json:"url"`
			} `json:"data"`
		} `json:"picture"`
	}
	q := url.Values{"fields": {"id,name,about,fan_count,followers_count,picture{url}"}}
	if _, err := f.c.getJSON(ctx, f.base+"/"+url.PathEscape(page)+"?"+q.Encode(), hdr, &p); err != nil {
		return nil, nil, graphErr(err)
	}
	if p.ID == "" {
		return nil, nil, fmt.Errorf("facebook %s: malformed page (no id)", page)
	}
	followers := p.Followers
	if followers == nil {
		followers = p.Fans
	}
	prof := &model.Profile{AccountID: acc.ID, Platform: "facebook", Handle: acc.Handle,
		DisplayName: p.Name, Bio: p.About, AvatarURL: p.Picture.Data.URL,
		Followers: followers.ptr(), FetchedAt: f.c.cfg.now().UTC()}
	type fbPost struct {
		ID        string                  `json:"id"`
		Message   string                  `json:"message"`
		Created   string                  `json:"created_time"`
		Permalink string                  `json:"permalink_url"`
		Shares    *struct{ Count *count } `json:"shares"`
		Comments  *fbSummary              `json:"comments"`
		Reactions *fbSummary              `json:"reactions"`
	}
	q = url.Values{
		"fields": {"id,message,created_time,permalink_url,shares,comments.summary(true).limit(0),reactions.summary(true).limit(0)"},
		"limit":  {"100"},
	}
	if !since.IsZero() {
		q.Set("since", unixQuery(since))
	}
	var posts []model.Post
	err = graphEach(ctx, f.c, f.base+"/"+url.PathEscape(p.ID)+"/posts?"+q.Encode(), hdr, func(it fbPost) (bool, error) {
		t, err := ParseTime(it.Created)
		if err != nil {
			return true, fmt.Errorf("facebook post %s: %w", it.ID, err)
		}
		if t.Before(since) {
			return true, nil
		}
		post := model.Post{AccountID: acc.ID, Platform: "facebook", ExternalID: it.ID, URL: it.Permalink,
			Text: it.Message, PostedAt: t, Source: "api"}
		if it.Shares != nil {
			post.Reposts = it.Shares.Count.ptr()
		} else {
			post.Reposts = new(int64) // Graph omits "shares" when a post has none
		}
		if it.Comments != nil {
			post.Replies = it.Comments.Summary.Total.ptr()
		}
		if it.Reactions != nil {
			post.Likes = it.Reactions.Summary.Total.ptr()
		}
		posts = append(posts, post)
		return false, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return prof, posts, nil
}

// Instagram reads a professional account with its own token (Instagram
// API with Instagram Login), so the account is "me".
type Instagram struct{ graphAPI }

func (g *Instagram) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	var me struct {
		ID        string `json:"id"`
		Username  string `json:"username"`
		Name      string `json:"name"`
		Biography string `json:"biography"`
		Picture   string `json:"profile_picture_url"`
		Followers *count `json:"followers_count"`
		Media     *count `json:"media_count"`
	}
	hdr, err := g.me(ctx, "instagram", acc, "id,username,name,biography,profile_picture_url,followers_count,media_count", &me, &me.Username)
	if err != nil {
		return nil, nil, err
	}
	prof := &model.Profile{AccountID: acc.ID, Platform: "instagram", Handle: acc.Handle,
		DisplayName: me.Name, Bio: me.Biography, AvatarURL: me.Picture,
		Followers: me.Followers.ptr(), PostCount: me.Media.ptr(), FetchedAt: g.c.cfg.now().UTC()}
	type igMedia struct {
		ID        string `json:"id"`
		Caption   string `json:"caption"`
		Timestamp string `json:"timestamp"`
		Permalink string `json:"permalink"`
		Likes     *count `json:"like_count"`
		Comments  *count `json:"comments_count"`
	}
	q := url.Values{"fields": {"id,caption,timestamp,permalink,like_count,comments_count"}, "limit": {"100"}}
	var posts []model.Post
	err = graphEach(ctx, g.c, g.base+"/me/media?"+q.Encode(), hdr, func(m igMedia) (bool, error) {
		t, err := ParseTime(m.Timestamp)
		if err != nil {
			return true, fmt.Errorf("instagram media %s: %w", m.ID, err)
		}
		// Media are listed newest first and without a date filter, so the
		// first one is the last post even when it is older than since.
		prof.LastPostAt = later(prof.LastPostAt, &t)
		if t.Before(since) {
			return true, nil
		}
		posts = append(posts, model.Post{AccountID: acc.ID, Platform: "instagram", ExternalID: m.ID,
			URL: m.Permalink, Text: m.Caption, PostedAt: t,
			Replies: m.Comments.ptr(), Likes: m.Likes.ptr(), Source: "api"})
		return false, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return prof, posts, nil
}

// Threads reads a profile with its own token. Counts need one insights call
// per post, so they stay unknown (nil) here.
type Threads struct{ graphAPI }

func (th *Threads) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	var me struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Name     string `json:"name"`
		Picture  string `json:"threads_profile_picture_url"`
		Bio      string `json:"threads_biography"`
	}
	hdr, err := th.me(ctx, "threads", acc, "id,username,name,threads_profile_picture_url,threads_biography", &me, &me.Username)
	if err != nil {
		return nil, nil, err
	}
	prof := &model.Profile{AccountID: acc.ID, Platform: "threads", Handle: acc.Handle,
		DisplayName: me.Name, Bio: me.Bio, AvatarURL: me.Picture, FetchedAt: th.c.cfg.now().UTC()}
	type thPost struct {
		ID        string `json:"id"`
		Text      string `json:"text"`
		Timestamp string `json:"timestamp"`
		Permalink string `json:"permalink"`
		MediaType string `json:"media_type"`
	}
	q := url.Values{"fields": {"id,text,timestamp,permalink,media_type"}, "limit": {"100"}}
	if !since.IsZero() {
		q.Set("since", unixQuery(since))
	}
	var posts []model.Post
	err = graphEach(ctx, th.c, th.base+"/me/threads?"+q.Encode(), hdr, func(p thPost) (bool, error) {
		t, err := ParseTime(p.Timestamp)
		if err != nil {
			return true, fmt.Errorf("threads post %s: %w", p.ID, err)
		}
		if t.Before(since) {
			return true, nil
		}
		if p.MediaType == "REPOST_FACADE" {
			return false, nil // a repost of someone else's thread
		}
		posts = append(posts, model.Post{AccountID: acc.ID, Platform: "threads", ExternalID: p.ID,
			URL: p.Permalink, Text: p.Text, PostedAt: t, Source: "api"})
		return false, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return prof, posts, nil
}

// sameAccount refuses a token that belongs to another account than the one
// registered, which would otherwise record someone else's activity.
func sameAccount(platform, handle, got string) error {
	want := strings.TrimPrefix(strings.TrimSpace(handle), "@")
	if got == "" || !strings.EqualFold(want, got) {
		return fmt.Errorf("%s: the token is for @%s, not @%s: %w", platform, clip(got), clip(want), ErrUnauthorized)
	}
	return nil
}
