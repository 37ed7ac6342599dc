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

// LinkedIn reads an organization page through the versioned REST API with
// a member token of a page administrator. Per-post counts need the social
// actions API and stay unknown (nil) here.
type LinkedIn struct {
	c       *client
	base    string
	version string
	cfg     Config
}

type liOrg struct {
	ID          int64  `json:"id"`
	Name        string `json:"localizedName"`
	VanityName  string `json:"vanityName"`
	Description string `json:"localizedDescription"`
}

// orgName finds the page's vanity name or numeric id in the handle or in a
// profile URL like https://www.linkedin.com/company/unops/.
func orgName(acc model.Account) string {
	h := strings.Trim(strings.TrimSpace(acc.Handle), "@/")
	if u, err := url.Parse(acc.ProfileURL); err == nil {
		if rest, ok := strings.CutPrefix(u.Path, "/company/"); ok {
			if v, _, _ := strings.Cut(rest, "/"); v != "" {
				h = v
			}
		}
	}
	h = strings.TrimPrefix(h, "company/")
	if strings.ContainsAny(h, "/?#") {
		return ""
	}
	return h
}

func (l *LinkedIn) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	tok := l.cfg.token(acc)
	if tok == "" {
		return nil, nil, fmt.Errorf("linkedin: no access token configured: %w", ErrUnauthorized)
	}
	hdr := http.Header{
		"Authorization":             {"Bearer " + tok},
		"Linkedin-Version":          {l.version},
		"X-Restli-Protocol-Version": {"2.0.0"},
	}
	name := orgName(acc)
	if name == "" {
		return nil, nil, fmt.Errorf("linkedin: no organization in %q", acc.Handle)
	}
	var org liOrg
	if isDigits(name) {
		if _, err := l.c.getJSON(ctx, l.base+"/organizations/"+name, hdr, &org); err != nil {
			return nil, nil, statusErr(err)
		}
	} else {
		var res struct {
			Elements []liOrg `json:"elements"`
		}
		q := url.Values{"q": {"vanityName"}, "vanityName": {name}}
		if _, err := l.c.getJSON(ctx, l.base+"/organizations?"+q.Encode(), hdr, &res); err != nil {
			return nil, nil, statusErr(err)
		}
		if len(res.Elements) == 0 {
			return nil, nil, fmt.Errorf("linkedin %s: %w", name, ErrNotFound)
		}
		org = res.Elements[0]
	}
	if org.ID == 0 {
		return nil, nil, fmt.Errorf("linkedin %s: malformed organization (no id)", name)
	}
	urn := "urn:li:organization:" + strconv.FormatInt(org.ID, 10)
	enc := strings.ReplaceAll(urn, ":", "%3A") // Rest.li 2.0 wants URNs encoded
	var size struct {
		FirstDegree *count `json:"firstDegreeSize"`
	}
	if _, err := l.c.getJSON(ctx, l.base+"/networkSizes/"+enc+"?edgeType=COMPANY_FOLLOWED_BY_COMPANY", hdr, &size); err != nil {
		return nil, nil, statusErr(err)
	}
	prof := &model.Profile{AccountID: acc.ID, Platform: "linkedin", Handle: acc.Handle,
		DisplayName: org.Name, Bio: org.Description, Followers: size.FirstDegree.ptr(),
		FetchedAt: l.c.cfg.now().UTC()}

	const pageSize = 50
	var posts []model.Post
	for page := 0; page < l.c.cfg.MaxPages; page++ {
		var res struct {
			Elements []struct {
				ID          string `json:"id"`
				Commentary  string `json:"commentary"`
				PublishedAt int64  `json:"publishedAt"` // Unix milliseconds
				CreatedAt   int64  `json:"createdAt"`
				State       string `json:"lifecycleState"`
			} `json:"elements"`
		}
		u := fmt.Sprintf("%s/posts?author=%s&q=author&count=%d&start=%d&sortBy=CREATED", l.base, enc, pageSize, page*pageSize)
		if _, err := l.c.getJSON(ctx, u, hdr, &res); err != nil {
			return nil, nil, statusErr(err)
		}
		older := false
		for _, e := range res.Elements {
			ms := e.PublishedAt
			if ms == 0 {
				ms = e.CreatedAt
			}
			t := time.UnixMilli(ms).UTC()
			if ms != 0 && (e.State == "" || e.State == "PUBLISHED") {
				// Sorted by creation, newest first, with no date filter.
				prof.LastPostAt = later(prof.LastPostAt, &t)
			}
			if ms == 0 || t.Before(since) {
				older = ms != 0
				continue
			}
			if e.State != "" && e.State != "PUBLISHED" {
				continue // drafts and processing posts are not public
			}
			posts = append(posts, model.Post{AccountID: acc.ID, Platform: "linkedin", ExternalID: e.ID,
				URL: "https://www.linkedin.com/feed/update/" + e.ID + "/", Text: e.Commentary, PostedAt: t, Source: "api"})
		}
		if older || len(res.Elements) < pageSize {
			break
		}
	}
	return prof, posts, nil
}
