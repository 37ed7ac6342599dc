package connector

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// X reads an account through API v2 with an app bearer token.
type X struct {
	c     *client
	base  string
	token string
}

type xProblem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
}

type xUser struct {
	Data *struct {
		ID              string `json:"id"`
		Name            string `json:"name"`
		Username        string `json:"username"`
		Description     string `json:"description"`
		ProfileImageURL string `json:"profile_image_url"`
		CreatedAt       string `json:"created_at"`
		MostRecentTweet string `json:"most_recent_tweet_id"`
		PublicMetrics   struct {
			Followers *count `json:"followers_count"`
			Tweets    *count `json:"tweet_count"`
		} `json:"public_metrics"`
	} `json:"data"`
	Errors []xProblem `json:"errors"`
}

type xTweets struct {
	Data []struct {
		ID            string `json:"id"`
		Text          string `json:"text"`
		CreatedAt     string `json:"created_at"`
		PublicMetrics struct {
			Retweets    *count `json:"retweet_count"`
			Replies     *count `json:"reply_count"`
			Likes       *count `json:"like_count"`
			Impressions *count `json:"impression_count"`
		} `json:"public_metrics"`
	} `json:"data"`
	Meta struct {
		NextToken string `json:"next_token"`
	} `json:"meta"`
	Errors []xProblem `json:"errors"`
}

func (x *X) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	if x.token == "" {
		return nil, nil, fmt.Errorf("x: no bearer token configured: %w", ErrUnauthorized)
	}
	name := strings.TrimPrefix(strings.TrimSpace(acc.Handle), "@")
	if name == "" || strings.ContainsAny(name, "/?#") {
		return nil, nil, fmt.Errorf("x: bad handle %q", acc.Handle)
	}
	hdr := http.Header{"Authorization": {"Bearer " + x.token}}
	var u xUser
	q := url.Values{"user.fields": {"created_at,description,most_recent_tweet_id,profile_image_url,public_metrics"}}
	if _, err := x.c.getJSON(ctx, x.base+"/users/by/username/"+url.PathEscape(name)+"?"+q.Encode(), hdr, &u); err != nil {
		return nil, nil, statusErr(err)
	}
	if u.Data == nil {
		return nil, nil, x.problems(name, u.Errors)
	}
	prof := &model.Profile{
		AccountID: acc.ID, Platform: "x", Handle: acc.Handle,
		DisplayName: u.Data.Name, Bio: u.Data.Description, AvatarURL: u.Data.ProfileImageURL,
		Followers: u.Data.PublicMetrics.Followers.ptr(), PostCount: u.Data.PublicMetrics.Tweets.ptr(),
		CreatedAt: platformTime(u.Data.CreatedAt), LastPostAt: snowflakeTime(u.Data.MostRecentTweet),
		FetchedAt: x.c.cfg.now().UTC(),
	}
	var posts []model.Post
	token := ""
	for page := 0; page < x.c.cfg.MaxPages; page++ {
		q := url.Values{
			"max_results":  {"100"},
			"tweet.fields": {"created_at,public_metrics"},
			"exclude":      {"retweets"},
		}
		if !since.IsZero() {
			q.Set("start_time", since.UTC().Format(time.RFC3339))
		}
		if token != "" {
			q.Set("pagination_token", token)
		}
		var tw xTweets
		if _, err := x.c.getJSON(ctx, x.base+"/users/"+url.PathEscape(u.Data.ID)+"/tweets?"+q.Encode(), hdr, &tw); err != nil {
			return nil, nil, statusErr(err)
		}
		if len(tw.Data) == 0 && len(tw.Errors) > 0 {
			return nil, nil, x.problems(name, tw.Errors)
		}
		for _, t := range tw.Data {
			at, err := ParseTime(t.CreatedAt)
			if err != nil {
				return nil, nil, fmt.Errorf("x post %s: %w", t.ID, err)
			}
			if at.Before(since) {
				continue
			}
			prof.LastPostAt = later(prof.LastPostAt, &at)
			m := t.PublicMetrics
			posts = append(posts, model.Post{
				AccountID: acc.ID, Platform: "x", ExternalID: t.ID,
				URL:  "https://x.com/" + u.Data.Username + "/status/" + t.ID,
				Text: t.Text, PostedAt: at,
				Replies: m.Replies.ptr(), Reposts: m.Retweets.ptr(), Likes: m.Likes.ptr(), Views: m.Impressions.ptr(),
				Source: "api",
			})
		}
		if tw.Meta.NextToken == "" || len(tw.Data) == 0 {
			break
		}
		token = tw.Meta.NextToken
	}
	return prof, posts, nil
}

// problems maps API v2 problem objects, which come with HTTP 200.
func (x *X) problems(name string, ps []xProblem) error {
	for _, p := range ps {
		if strings.Contains(strings.ToLower(p.Detail), "suspended") {
			return fmt.Errorf("x %s: %w", name, ErrSuspended)
		}
	}
	for _, p := range ps {
		if strings.HasSuffix(p.Type, "/resource-not-found") {
			return fmt.Errorf("x %s: %w", name, ErrNotFound)
		}
		if strings.HasSuffix(p.Type, "/not-authorized-for-resource") {
			return fmt.Errorf("x %s: %w (protected account)", name, ErrUnauthorized)
		}
	}
	if len(ps) > 0 {
		return fmt.Errorf("x %s: %s", name, clip(x.c.redact(ps[0].Title+": "+ps[0].Detail)))
	}
	return fmt.Errorf("x %s: malformed response (no data)", name)
}

// snowflakeTime is the time inside an X post id: its upper bits count
// milliseconds since X's epoch (2010-11-04T01:42:54.657Z). nil for an
// empty or malformed id, or one from before Snowflake ids.
func snowflakeTime(id string) *time.Time {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n>>22 == 0 {
		return nil
	}
	t := time.UnixMilli(int64(n>>22) + 1288834974657).UTC()
	return &t
}
