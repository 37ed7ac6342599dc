package connector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// Bluesky reads an account through the public AppView, without a token.
type Bluesky struct {
	c    *client
	base string
}

type bskyProfile struct {
	DID            string `json:"did"`
	Handle         string `json:"handle"`
	DisplayName    string `json:"displayName"`
	Description    string `json:"description"`
	Avatar         string `json:"avatar"`
	FollowersCount *count `json:"followersCount"`
	PostsCount     *count `json:"postsCount"`
	CreatedAt      string `json:"createdAt"`
}

type bskyFeed struct {
	Cursor string `json:"cursor"`
	Feed   []struct {
		Post struct {
			URI    string `json:"uri"`
			Author struct {
				DID string `json:"did"`
			} `json:"author"`
			Record struct {
				Text      string `json:"text"`
				CreatedAt string `json:"createdAt"`
			} `json:"record"`
			ReplyCount  *count `json:"replyCount"`
			RepostCount *count `json:"repostCount"`
			LikeCount   *count `json:"likeCount"`
			IndexedAt   string `json:"indexedAt"`
		} `json:"post"`
		Reason *struct {
			Type string `json:"$type"`
		} `json:"reason"`
	} `json:"feed"`
}

func (b *Bluesky) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	actor := strings.TrimPrefix(strings.TrimSpace(acc.Handle), "@")
	if actor == "" {
		return nil, nil, errors.New("bluesky: empty handle")
	}
	var p bskyProfile
	if _, err := b.c.getJSON(ctx, b.base+"/xrpc/app.bsky.actor.getProfile?actor="+url.QueryEscape(actor), nil, &p); err != nil {
		return nil, nil, bskyErr(err)
	}
	if p.DID == "" {
		return nil, nil, fmt.Errorf("bluesky %s: malformed profile (no did)", actor)
	}
	prof := &model.Profile{
		AccountID: acc.ID, Platform: "bluesky", Handle: acc.Handle,
		DisplayName: p.DisplayName, Bio: p.Description, AvatarURL: p.Avatar,
		Followers: p.FollowersCount.ptr(), PostCount: p.PostsCount.ptr(),
		CreatedAt: platformTime(p.CreatedAt), FetchedAt: b.c.cfg.now().UTC(),
	}
	var posts []model.Post
	cursor := ""
	for page := 0; page < b.c.cfg.MaxPages; page++ {
		q := url.Values{"actor": {p.DID}, "limit": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var f bskyFeed
		if _, err := b.c.getJSON(ctx, b.base+"/xrpc/app.bsky.feed.getAuthorFeed?"+q.Encode(), nil, &f); err != nil {
			return nil, nil, bskyErr(err)
		}
		older := false
		for _, it := range f.Feed {
			if (it.Reason != nil && strings.HasSuffix(it.Reason.Type, "#reasonRepost")) || it.Post.Author.DID != p.DID {
				continue // someone else's post that the account reposted
			}
			ts := it.Post.Record.CreatedAt
			if ts == "" {
				ts = it.Post.IndexedAt
			}
			t, err := ParseTime(ts)
			if err != nil {
				return nil, nil, fmt.Errorf("bluesky post %s: %w", it.Post.URI, err)
			}
			pinned := it.Reason != nil && strings.HasSuffix(it.Reason.Type, "#reasonPin")
			if !pinned {
				// The feed is newest first, so its first own post is the last one.
				prof.LastPostAt = later(prof.LastPostAt, &t)
			}
			if t.Before(since) {
				// A pinned post may be old and still head the feed.
				older = older || !pinned
				continue
			}
			posts = append(posts, model.Post{
				AccountID: acc.ID, Platform: "bluesky", ExternalID: it.Post.URI,
				URL: bskyPostURL(p.Handle, it.Post.URI), Text: it.Post.Record.Text, PostedAt: t,
				Replies: it.Post.ReplyCount.ptr(), Reposts: it.Post.RepostCount.ptr(), Likes: it.Post.LikeCount.ptr(),
				Source: "api",
			})
		}
		if older || f.Cursor == "" || len(f.Feed) == 0 {
			break
		}
		cursor = f.Cursor
	}
	return prof, posts, nil
}

// bskyPostURL turns at://did/app.bsky.feed.post/rkey into the web address.
func bskyPostURL(handle, uri string) string {
	i := strings.LastIndexByte(uri, '/')
	if i < 0 || handle == "" {
		return ""
	}
	return "https://bsky.app/profile/" + handle + "/post/" + uri[i+1:]
}

// bskyErr maps XRPC errors: 400 with an error name in the body.
func bskyErr(err error) error {
	var he *httpError
	if errors.As(err, &he) && he.Status == http.StatusBadRequest {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(he.Body, &e)
		switch {
		case e.Error == "AccountTakedown":
			return fmt.Errorf("%w (%s)", ErrSuspended, he)
		case e.Error == "AccountDeactivated", strings.Contains(e.Message, "not found"):
			return fmt.Errorf("%w (%s)", ErrNotFound, he)
		}
	}
	return statusErr(err)
}
