// Package connector reads institutional accounts' public profiles and recent
// posts from the platforms, and imports the analytics files teams download
// where no API access exists. It holds no state beyond rate-limit budgets
// and touches no database: the scheduler calls it and stores the results.
package connector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
)

// Connector reads one platform. Fetch returns the account's profile and its
// posts published at or after since, newest first as the platform lists them.
// Errors wrap ErrNotFound, ErrSuspended, ErrUnauthorized, ErrUnavailable or
// ErrRefused, or are a *RateLimitedError, so the scheduler can tell what to do next.
type Connector interface {
	Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error)
}

// Errors the scheduler acts on; test with errors.Is / errors.As.
var (
	ErrNotFound     = errors.New("account not found")
	ErrSuspended    = errors.New("account suspended")
	ErrUnauthorized = errors.New("token missing, invalid or without access")
	ErrUnavailable  = errors.New("platform unavailable") // 5xx or network; retry later
	// ErrRefused: internal/outbound refused the destination (a local
	// address, plain http, too many redirects). Permanent: a retry meets
	// the same refusal until the account's address or the allow list changes.
	ErrRefused = errors.New("destination refused by the outbound policy")
)

// RateLimitedError says the platform's budget is spent and how long to wait
// before asking again (0 when the platform did not say).
type RateLimitedError struct {
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	if e.RetryAfter <= 0 {
		return "rate limited"
	}
	return fmt.Sprintf("rate limited, retry after %s", e.RetryAfter.Round(time.Second))
}

// Config holds every base URL (tests and staging point them at local
// servers), the tokens and the client's limits. Zero fields take defaults.
type Config struct {
	// HTTPClient sends every request; nil: outbound's guarded client with
	// Allow. Give one only if it is outbound's too.
	HTTPClient *http.Client
	// Allow lists hosts reached over plain http or on local addresses
	// (HERALD_OUTBOUND_ALLOW); nil: none.
	Allow        *outbound.Allow
	Timeout      time.Duration // per request, default 20s
	MaxRetries   int           // on 5xx, network errors and short 429s, default 3
	BaseBackoff  time.Duration // first retry delay before jitter, default 500ms
	MaxWait      time.Duration // longest rate-limit wait before giving up with RateLimitedError, default 60s
	MaxBodyBytes int64         // response size cap, default 8 MiB
	MaxPages     int           // pages read per Fetch, default 20
	UserAgent    string

	BlueskyBaseURL     string // public AppView, default https://public.api.bsky.app
	YouTubeFeedBaseURL string // default https://www.youtube.com
	YouTubeAPIBaseURL  string // default https://www.googleapis.com/youtube/v3
	XBaseURL           string // default https://api.x.com/2
	GraphBaseURL       string // Facebook Pages, default https://graph.facebook.com/v21.0
	InstagramBaseURL   string // default https://graph.instagram.com/v21.0
	ThreadsBaseURL     string // default https://graph.threads.net/v1.0
	LinkedInBaseURL    string // default https://api.linkedin.com/rest
	LinkedInVersion    string // LinkedIn-Version header, YYYYMM, default 202405

	YouTubeAPIKey string // when set, YouTube uses the Data API v3 instead of the feed
	XBearerToken  string
	// Tokens holds one token per platform ("facebook", "instagram",
	// "threads", "linkedin"); TokenFor, when set, gives an account's own
	// token (page or account token, decrypted by the caller) and wins.
	Tokens   map[string]string
	TokenFor func(acc model.Account) string

	sleep func(ctx context.Context, d time.Duration) error // tests record waits instead
	now   func() time.Time
}

func (c Config) token(acc model.Account) string {
	if c.TokenFor != nil {
		if t := c.TokenFor(acc); t != "" {
			return t
		}
	}
	return c.Tokens[acc.Platform]
}

// secrets lists every token the config knows, for redaction.
func (c Config) secrets() []string {
	s := []string{c.YouTubeAPIKey, c.XBearerToken}
	for _, t := range c.Tokens {
		s = append(s, t)
	}
	return s
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Registry maps platform names (as in the registry: "x", "mastodon", ...)
// to connectors.
type Registry map[string]Connector

// NewRegistry builds every connector from one config.
func NewRegistry(cfg Config) Registry {
	c := newClient(cfg)
	return Registry{
		"mastodon":  &Mastodon{c: c},
		"bluesky":   &Bluesky{c: c, base: orDefault(cfg.BlueskyBaseURL, "https://public.api.bsky.app")},
		"youtube":   newYouTube(c, cfg),
		"x":         &X{c: c, base: orDefault(cfg.XBaseURL, "https://api.x.com/2"), token: cfg.XBearerToken},
		"facebook":  &Facebook{graphAPI{c: c, base: orDefault(cfg.GraphBaseURL, "https://graph.facebook.com/v21.0"), cfg: cfg}},
		"instagram": &Instagram{graphAPI{c: c, base: orDefault(cfg.InstagramBaseURL, "https://graph.instagram.com/v21.0"), cfg: cfg}},
		"threads":   &Threads{graphAPI{c: c, base: orDefault(cfg.ThreadsBaseURL, "https://graph.threads.net/v1.0"), cfg: cfg}},
		"linkedin": &LinkedIn{c: c, base: orDefault(cfg.LinkedInBaseURL, "https://api.linkedin.com/rest"),
			version: orDefault(cfg.LinkedInVersion, "202405"), cfg: cfg},
	}
}

// For returns the connector for a platform, or an error naming it.
func (r Registry) For(platform string) (Connector, error) {
	if c, ok := r[platform]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("no connector for platform %q", platform)
}

// Platforms lists the platforms with a connector, sorted.
func (r Registry) Platforms() []string {
	out := make([]string, 0, len(r))
	for p := range r {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
