package connector

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// YouTube reads a channel's public Atom feed, or the Data API v3 when an API
// key is configured (the feed gives no subscriber count and only the last
// 15 videos).
type YouTube struct {
	c       *client
	feedURL string
	apiURL  string
	key     string
}

func newYouTube(c *client, cfg Config) *YouTube {
	return &YouTube{c: c,
		feedURL: orDefault(cfg.YouTubeFeedBaseURL, "https://www.youtube.com"),
		apiURL:  orDefault(cfg.YouTubeAPIBaseURL, "https://www.googleapis.com/youtube/v3"),
		key:     cfg.YouTubeAPIKey}
}

// channelID finds a UC… channel id in the handle or the profile URL.
func channelID(acc model.Account) string {
	isID := func(s string) bool { return len(s) == 24 && strings.HasPrefix(s, "UC") }
	if isID(acc.Handle) {
		return acc.Handle
	}
	if u, err := url.Parse(acc.ProfileURL); err == nil {
		if rest, ok := strings.CutPrefix(u.Path, "/channel/"); ok {
			id, _, _ := strings.Cut(rest, "/")
			if isID(id) {
				return id
			}
		}
	}
	return ""
}

func (y *YouTube) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	if y.key != "" {
		return y.fetchAPI(ctx, acc, since)
	}
	id := channelID(acc)
	if id == "" {
		return nil, nil, fmt.Errorf("youtube %s: the feed needs a channel id (UC…) in the handle or profile URL, or configure an API key", acc.Handle)
	}
	return y.fetchFeed(ctx, acc, id, since)
}

type ytFeed struct {
	Title     string `xml:"title"`
	Published string `xml:"published"` // the channel's creation
	Author    struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		VideoID   string `xml:"http://www.youtube.com/xml/schemas/2015 videoId"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Link      []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Group struct {
			Description string `xml:"http://search.yahoo.com/mrss/ description"`
			Community   struct {
				Statistics *struct {
					Views string `xml:"views,attr"`
				} `xml:"http://search.yahoo.com/mrss/ statistics"`
			} `xml:"http://search.yahoo.com/mrss/ community"`
		} `xml:"http://search.yahoo.com/mrss/ group"`
	} `xml:"entry"`
}

func (y *YouTube) fetchFeed(ctx context.Context, acc model.Account, id string, since time.Time) (*model.Profile, []model.Post, error) {
	body, _, err := y.c.get(ctx, y.feedURL+"/feeds/videos.xml?channel_id="+url.QueryEscape(id), nil)
	if err != nil {
		return nil, nil, statusErr(err)
	}
	var f ytFeed
	if err := xml.Unmarshal(body, &f); err != nil {
		return nil, nil, fmt.Errorf("youtube %s: malformed feed: %v", id, err)
	}
	name := f.Author.Name
	if name == "" {
		name = f.Title
	}
	prof := &model.Profile{AccountID: acc.ID, Platform: "youtube", Handle: acc.Handle,
		DisplayName: name, CreatedAt: platformTime(f.Published), FetchedAt: y.c.cfg.now().UTC()}
	var posts []model.Post
	for _, e := range f.Entries {
		t, err := ParseTime(e.Published)
		if err != nil {
			return nil, nil, fmt.Errorf("youtube video %s: %w", e.VideoID, err)
		}
		prof.LastPostAt = later(prof.LastPostAt, &t) // the feed's newest video is the last upload
		if t.Before(since) {
			continue
		}
		p := model.Post{AccountID: acc.ID, Platform: "youtube", ExternalID: e.VideoID,
			URL: "https://www.youtube.com/watch?v=" + url.QueryEscape(e.VideoID), PostedAt: t,
			Text: joinText(e.Title, e.Group.Description), Source: "api"}
		for _, l := range e.Link {
			if l.Rel == "alternate" && l.Href != "" {
				p.URL = l.Href
			}
		}
		if s := e.Group.Community.Statistics; s != nil {
			if p.Views, err = ParseCount(s.Views); err != nil {
				return nil, nil, fmt.Errorf("youtube video %s: %w", e.VideoID, err)
			}
		}
		posts = append(posts, p)
	}
	return prof, posts, nil
}

func joinText(title, desc string) string {
	if desc == "" {
		return title
	}
	return title + "\n\n" + desc
}

type ytChannels struct {
	Items []struct {
		ID      string `json:"id"`
		Snippet struct {
			ytChannelSnippet
			PublishedAt string `json:"publishedAt"` // the channel's creation
		} `json:"snippet"`
		Statistics struct {
			Subscribers *count `json:"subscriberCount"`
			Hidden      bool   `json:"hiddenSubscriberCount"`
			Videos      *count `json:"videoCount"`
		} `json:"statistics"`
		ContentDetails struct {
			RelatedPlaylists struct {
				Uploads string `json:"uploads"`
			} `json:"relatedPlaylists"`
		} `json:"contentDetails"`
	} `json:"items"`
}

type ytPlaylist struct {
	NextPageToken string `json:"nextPageToken"`
	Items         []struct {
		ContentDetails struct {
			VideoID     string `json:"videoId"`
			PublishedAt string `json:"videoPublishedAt"`
		} `json:"contentDetails"`
	} `json:"items"`
}

type ytVideos struct {
	Items []struct {
		ID      string `json:"id"`
		Snippet struct {
			PublishedAt string `json:"publishedAt"`
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"snippet"`
		Statistics struct {
			Views    *count `json:"viewCount"`
			Likes    *count `json:"likeCount"`
			Comments *count `json:"commentCount"`
		} `json:"statistics"`
	} `json:"items"`
}

func (y *YouTube) fetchAPI(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	q := url.Values{"part": {"snippet,statistics,contentDetails"}, "key": {y.key}}
	if id := channelID(acc); id != "" {
		q.Set("id", id)
	} else {
		q.Set("forHandle", "@"+strings.TrimPrefix(acc.Handle, "@"))
	}
	var ch ytChannels
	if _, err := y.c.getJSON(ctx, y.apiURL+"/channels?"+q.Encode(), nil, &ch); err != nil {
		return nil, nil, ytErr(err)
	}
	if len(ch.Items) == 0 {
		return nil, nil, fmt.Errorf("youtube %s: %w", acc.Handle, ErrNotFound)
	}
	c := ch.Items[0]
	prof := &model.Profile{AccountID: acc.ID, Platform: "youtube", Handle: acc.Handle,
		DisplayName: c.Snippet.Title, Bio: c.Snippet.Description, AvatarURL: c.Snippet.Thumbnails.Default.URL,
		PostCount: c.Statistics.Videos.ptr(), CreatedAt: platformTime(c.Snippet.PublishedAt),
		FetchedAt: y.c.cfg.now().UTC()}
	if !c.Statistics.Hidden {
		prof.Followers = c.Statistics.Subscribers.ptr()
	}
	uploads := c.ContentDetails.RelatedPlaylists.Uploads
	var posts []model.Post
	page := ""
	for n := 0; uploads != "" && n < y.c.cfg.MaxPages; n++ {
		q := url.Values{"part": {"contentDetails"}, "playlistId": {uploads}, "maxResults": {"50"}, "key": {y.key}}
		if page != "" {
			q.Set("pageToken", page)
		}
		var pl ytPlaylist
		if _, err := y.c.getJSON(ctx, y.apiURL+"/playlistItems?"+q.Encode(), nil, &pl); err != nil {
			var he *httpError
			if errors.As(err, &he) && he.Status == http.StatusNotFound {
				break // a channel without uploads has no playlist
			}
			return nil, nil, ytErr(err)
		}
		var ids []string
		older := false
		for _, it := range pl.Items {
			t, err := ParseTime(it.ContentDetails.PublishedAt)
			if err == nil {
				prof.LastPostAt = later(prof.LastPostAt, &t) // uploads are listed newest first
			}
			if err == nil && t.Before(since) {
				older = true
				continue
			}
			ids = append(ids, it.ContentDetails.VideoID)
		}
		if len(ids) > 0 {
			got, err := y.videos(ctx, acc, ids, since)
			if err != nil {
				return nil, nil, err
			}
			posts = append(posts, got...)
		}
		if older || pl.NextPageToken == "" || len(pl.Items) == 0 {
			break
		}
		page = pl.NextPageToken
	}
	return prof, posts, nil
}

func (y *YouTube) videos(ctx context.Context, acc model.Account, ids []string, since time.Time) ([]model.Post, error) {
	q := url.Values{"part": {"snippet,statistics"}, "id": {strings.Join(ids, ",")}, "key": {y.key}}
	var v ytVideos
	if _, err := y.c.getJSON(ctx, y.apiURL+"/videos?"+q.Encode(), nil, &v); err != nil {
		return nil, ytErr(err)
	}
	var posts []model.Post
	for _, it := range v.Items {
		t, err := ParseTime(it.Snippet.PublishedAt)
		if err != nil {
			return nil, fmt.Errorf("youtube video %s: %w", it.ID, err)
		}
		if t.Before(since) {
			continue
		}
		posts = append(posts, model.Post{AccountID: acc.ID, Platform: "youtube", ExternalID: it.ID,
			URL: "https://www.youtube.com/watch?v=" + url.QueryEscape(it.ID), PostedAt: t,
			Text:    joinText(it.Snippet.Title, it.Snippet.Description),
			Replies: it.Statistics.Comments.ptr(), Likes: it.Statistics.Likes.ptr(), Views: it.Statistics.Views.ptr(),
			Source: "api"})
	}
	return posts, nil
}

// ytErr maps Google API errors: quota spent is a rate limit until the
// daily reset, a bad key is unauthorized.
func ytErr(err error) error {
	var he *httpError
	if errors.As(err, &he) {
		var e struct {
			Error struct {
				Errors []struct {
					Reason string `json:"reason"`
				} `json:"errors"`
			} `json:"error"`
		}
		_ = json.Unmarshal(he.Body, &e)
		for _, r := range e.Error.Errors {
			switch r.Reason {
			case "quotaExceeded", "rateLimitExceeded", "dailyLimitExceeded":
				return &RateLimitedError{}
			case "keyInvalid", "keyExpired", "forbidden":
				return fmt.Errorf("%w (%s)", ErrUnauthorized, he)
			}
		}
	}
	return statusErr(err)
}

// ytChannelSnippet is the part of a channel's snippet that both the channel
// and the search resources of the Data API give.
type ytChannelSnippet struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Thumbnails  struct {
		Default struct {
			URL string `json:"url"`
		} `json:"default"`
	} `json:"thumbnails"`
}
