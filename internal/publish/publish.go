// Package publish posts approved drafts to Mastodon and Bluesky. Both paths
// are idempotent per (draft id, version): Mastodon through its
// Idempotency-Key header, Bluesky through a record key derived from the
// draft, looked up before it is created.
package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/review"
)

// Credentials gives the secret an account publishes with: a Mastodon access
// token, or a Bluesky app password (the account's handle is the identifier).
type Credentials interface {
	Credentials(ctx context.Context, acc model.Account) (string, error)
}

// CredentialsFunc adapts a function to Credentials.
type CredentialsFunc func(ctx context.Context, acc model.Account) (string, error)

// Credentials calls f.
func (f CredentialsFunc) Credentials(ctx context.Context, acc model.Account) (string, error) {
	return f(ctx, acc)
}

// ErrNoCredentials is returned when the account has no stored secret.
var ErrNoCredentials = errs.E(errs.Conflict, "publish.no_credentials", "no credentials are stored for the account (herald credential set)")

// Config sets up a Publisher.
type Config struct {
	Credentials Credentials
	// Client sends every request; nil: outbound's guarded client with
	// Timeout and Allow. Give one only if it is outbound's too.
	Client  *http.Client
	Timeout time.Duration // per request; 0 = 30 s
	// Allow lists hosts reached over plain http or on local addresses
	// (HERALD_OUTBOUND_ALLOW); nil: none.
	Allow      *outbound.Allow
	BlueskyPDS string // "" = https://bsky.social
	// MediaWait is how long Mastodon may take to process an upload; 0 = 60 s.
	MediaWait time.Duration
}

// Publisher implements review.Publisher.
type Publisher struct {
	cfg    Config
	client *http.Client
}

// Configured reports whether acc has a stored secret to publish with, so
// a page can offer marking as published instead of a button that fails.
func (p *Publisher) Configured(ctx context.Context, acc model.Account) (bool, error) {
	if p.cfg.Credentials == nil {
		return false, nil
	}
	secret, err := p.cfg.Credentials.Credentials(ctx, acc)
	if errs.Is(err, errs.NotFound) || errors.Is(err, ErrNoCredentials) {
		return false, nil
	}
	return secret != "", err
}

// New returns a Publisher.
func New(cfg Config) *Publisher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.BlueskyPDS == "" {
		cfg.BlueskyPDS = "https://bsky.social"
	}
	if cfg.MediaWait <= 0 {
		cfg.MediaWait = 60 * time.Second
	}
	c := cfg.Client
	if c == nil {
		c = outbound.NewClient(outbound.Options{Allow: cfg.Allow, Timeout: cfg.Timeout})
	}
	return &Publisher{cfg: cfg, client: c}
}

// Supports reports whether the platform is published through a connector.
func (p *Publisher) Supports(platform string) bool {
	return platform == "mastodon" || platform == "bluesky"
}

// Publish posts d for acc with its stripped images.
func (p *Publisher) Publish(ctx context.Context, acc model.Account, d model.StoredDraft, images []review.Image) (review.Result, error) {
	secret, err := p.secret(ctx, acc)
	if err != nil {
		return review.Result{}, err
	}
	switch acc.Platform {
	case "mastodon":
		return p.mastodon(ctx, acc, d, images, secret)
	case "bluesky":
		return p.bluesky(ctx, acc, d, images, secret)
	}
	return review.Result{}, fmt.Errorf("publish: platform %q is not supported", acc.Platform)
}

// secret is the account's stored secret; none is ErrNoCredentials.
func (p *Publisher) secret(ctx context.Context, acc model.Account) (string, error) {
	if p.cfg.Credentials == nil {
		return "", ErrNoCredentials
	}
	secret, err := p.cfg.Credentials.Credentials(ctx, acc)
	if err == nil && secret == "" {
		err = ErrNoCredentials
	}
	return secret, err
}

// maxBody bounds every response read.
const maxBody = 1 << 20

// HTTPError is a platform's refusal.
type HTTPError struct {
	Where  string // scheme://host/path, never a query or a secret
	Status int
	Body   string // the start of the answer
}

func (e *HTTPError) Error() string { return fmt.Sprintf("%s: HTTP %d: %s", e.Where, e.Status, e.Body) }

// do sends req and decodes a 2xx JSON answer into out (when not nil).
func (p *Publisher) do(req *http.Request, out any) error {
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("publish: %s %s://%s%s: %w", req.Method, req.URL.Scheme, req.URL.Host, req.URL.Path, unwrapURL(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("publish: reading %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode/100 != 2 {
		he := &HTTPError{Where: req.URL.Scheme + "://" + req.URL.Host + req.URL.Path, Status: resp.StatusCode,
			Body: strings.TrimSpace(string(body[:min(len(body), 300)]))}
		e := errs.Errorf(errs.Unavailable, "publish.refused", "the platform refused the post (HTTP %d); try again later", he.Status)
		e.Err = he
		return e
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("publish: %s: bad JSON answer: %w", req.URL.Path, err)
		}
	}
	return nil
}

// unwrapURL drops *url.Error's copy of the URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func jsonRequest(ctx context.Context, method, u string, v any) (*http.Request, error) {
	var body io.Reader
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// baseURL checks a platform base address: https, or http to an allowed host.
func baseURL(raw string, allow *outbound.Allow) (string, error) {
	u, err := outbound.CheckURL(raw, allow)
	if err != nil {
		return "", fmt.Errorf("publish: server address: %w", err)
	}
	return u.Scheme + "://" + u.Host, nil
}

var _ review.Publisher = (*Publisher)(nil)
