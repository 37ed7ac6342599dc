package connector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/outbound"
)

// client is the one HTTP path every connector takes: per-request timeout,
// size cap, retries with jittered exponential backoff, 429 and rate-limit
// budgets per host, and errors that never carry a token.
type client struct {
	cfg     Config
	hc      *http.Client
	mu      sync.Mutex
	blocked map[string]time.Time // host → when its spent budget resets
}

func newClient(cfg Config) *client {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = outbound.NewClient(outbound.Options{Allow: cfg.Allow})
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 3
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = 500 * time.Millisecond
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = time.Minute
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 8 << 20
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = 20
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "Herald/1 (social media governance)"
	}
	if cfg.sleep == nil {
		cfg.sleep = sleepCtx
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	return &client{cfg: cfg, hc: cfg.HTTPClient, blocked: map[string]time.Time{}}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// httpError is a 4xx answer other than 429; each connector maps it to the
// typed errors with what its platform puts in the body.
type httpError struct {
	Status int
	Body   []byte
	where  string
}

func (e *httpError) Error() string { return fmt.Sprintf("%s: HTTP %d", e.where, e.Status) }

// statusErr maps a 4xx the common way: 404 and 410 missing, 401 and 403
// unauthorized; anything else stays as it is.
func statusErr(err error) error {
	var he *httpError
	if !errors.As(err, &he) {
		return err
	}
	switch he.Status {
	case http.StatusNotFound, http.StatusGone:
		return fmt.Errorf("%w (%s)", ErrNotFound, he)
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%w (%s)", ErrUnauthorized, he)
	}
	return err
}

// where names a request for errors: scheme, host and path, never the query
// (which may hold an access token or API key).
func where(u *url.URL) string { return u.Scheme + "://" + u.Host + u.Path }

// redact removes every configured token from s.
func (c *client) redact(s string, extra ...string) string {
	for _, t := range append(c.cfg.secrets(), extra...) {
		if len(t) >= 4 {
			s = strings.ReplaceAll(s, t, "[REDACTED]")
		}
	}
	return s
}

// getJSON fetches rawURL and decodes its JSON body into v.
func (c *client) getJSON(ctx context.Context, rawURL string, hdr http.Header, v any) (http.Header, error) {
	body, h, err := c.get(ctx, rawURL, hdr)
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(body, v); err != nil {
		u, _ := url.Parse(rawURL)
		return h, fmt.Errorf("malformed response from %s: %s", where(u), c.redact(err.Error(), hdrSecrets(hdr)...))
	}
	return h, nil
}

func hdrSecrets(hdr http.Header) []string {
	a := hdr.Get("Authorization")
	if a == "" {
		return nil
	}
	_, tok, _ := strings.Cut(a, " ")
	return []string{a, tok}
}

// get performs a GET with the retry and rate-limit policy.
func (c *client) get(ctx context.Context, rawURL string, hdr http.Header) ([]byte, http.Header, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, fmt.Errorf("bad request URL")
	}
	extra := hdrSecrets(hdr)
	for attempt := 0; ; attempt++ {
		if err := c.waitBudget(ctx, u.Host); err != nil {
			return nil, nil, err
		}
		body, h, status, err := c.once(ctx, u, hdr)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			if errors.Is(err, errTooLarge) {
				return nil, nil, fmt.Errorf("%s: %w", where(u), err)
			}
			if attempt < c.cfg.MaxRetries {
				if err := c.cfg.sleep(ctx, c.backoff(attempt)); err != nil {
					return nil, nil, err
				}
				continue
			}
			return nil, nil, fmt.Errorf("%w: %s: %s", ErrUnavailable, where(u), c.redact(err.Error(), extra...))
		}
		now := c.cfg.now()
		c.noteBudget(u.Host, h, now)
		switch {
		case status == http.StatusTooManyRequests:
			wait := retryAfter(h, now)
			if wait <= c.cfg.MaxWait && attempt < c.cfg.MaxRetries {
				if wait <= 0 {
					wait = c.backoff(attempt)
				}
				if err := c.cfg.sleep(ctx, wait); err != nil {
					return nil, nil, err
				}
				continue
			}
			return nil, nil, &RateLimitedError{RetryAfter: wait}
		case status >= 500:
			if attempt < c.cfg.MaxRetries {
				if err := c.cfg.sleep(ctx, c.backoff(attempt)); err != nil {
					return nil, nil, err
				}
				continue
			}
			return nil, nil, fmt.Errorf("%w: %s: HTTP %d", ErrUnavailable, where(u), status)
		case status >= 400:
			return nil, nil, &httpError{Status: status, Body: body, where: where(u)}
		case status < 200 || status > 299:
			return nil, nil, fmt.Errorf("%s: unexpected HTTP %d", where(u), status)
		}
		return body, h, nil
	}
}

var errTooLarge = errors.New("response over the size cap")

func (c *client) once(ctx context.Context, u *url.URL, hdr http.Header) ([]byte, http.Header, int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, 0, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the URL, query and all
		}
		return nil, nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, nil, 0, err
	}
	if int64(len(body)) > c.cfg.MaxBodyBytes {
		return nil, nil, 0, errTooLarge
	}
	return body, resp.Header, resp.StatusCode, nil
}

// backoff is exponential with equal jitter: half fixed, half random.
func (c *client) backoff(attempt int) time.Duration {
	d := c.cfg.BaseBackoff << min(attempt, 10)
	return d/2 + rand.N(d/2+1)
}

// waitBudget waits for a host whose budget is spent, or says how long is
// left when that is longer than the configured cap.
func (c *client) waitBudget(ctx context.Context, host string) error {
	c.mu.Lock()
	until, ok := c.blocked[host]
	c.mu.Unlock()
	if !ok {
		return nil
	}
	d := until.Sub(c.cfg.now())
	if d <= 0 {
		return nil
	}
	if d > c.cfg.MaxWait {
		return &RateLimitedError{RetryAfter: d}
	}
	return c.cfg.sleep(ctx, d)
}

// noteBudget records a host's reset time when its remaining budget is zero.
func (c *client) noteBudget(host string, h http.Header, now time.Time) {
	reset, spent := budgetReset(h, now)
	c.mu.Lock()
	defer c.mu.Unlock()
	if spent {
		c.blocked[host] = reset
	} else {
		delete(c.blocked, host)
	}
}

// rateHeaderPrefixes are the platforms' rate-limit header families: X
// (x-rate-limit-*), Mastodon (X-RateLimit-*, reset as an ISO time) and
// Bluesky (ratelimit-*, reset in Unix seconds).
var rateHeaderPrefixes = []string{"X-Rate-Limit-", "X-Ratelimit-", "Ratelimit-"}

// budgetReset reports whether the response says the budget is spent, and
// when it comes back.
func budgetReset(h http.Header, now time.Time) (time.Time, bool) {
	for _, p := range rateHeaderPrefixes {
		rem := h.Get(p + "Remaining")
		if rem == "" {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(rem), 10, 64); err != nil || n > 0 {
			return time.Time{}, false
		}
		if t, ok := parseReset(h.Get(p+"Reset"), now); ok {
			return t, true
		}
		return time.Time{}, false
	}
	if t, ok := metaUsageReset(h, now); ok {
		return t, true
	}
	return time.Time{}, false
}

// parseReset reads a reset header: Unix seconds or milliseconds, a delta in
// seconds (the IETF RateLimit draft), or a timestamp.
func parseReset(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		switch {
		case n < 0:
			return time.Time{}, false
		case n < 1e9:
			return now.Add(time.Duration(n) * time.Second), true
		case n < 1e12:
			return time.Unix(n, 0), true
		default:
			return time.UnixMilli(n), true
		}
	}
	if t, err := ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// metaUsageReset reads the Graph API's usage headers: a business use case
// that reports time to regain access, or app usage at 100%.
func metaUsageReset(h http.Header, now time.Time) (time.Time, bool) {
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" {
		var buc map[string][]struct {
			CallCount int `json:"call_count"`
			Minutes   int `json:"estimated_time_to_regain_access"`
		}
		if json.Unmarshal([]byte(v), &buc) == nil {
			for _, uses := range buc {
				for _, u := range uses {
					if u.Minutes > 0 {
						return now.Add(time.Duration(u.Minutes) * time.Minute), true
					}
				}
			}
		}
	}
	if v := h.Get("X-App-Usage"); v != "" {
		var app struct {
			CallCount int `json:"call_count"`
		}
		if json.Unmarshal([]byte(v), &app) == nil && app.CallCount >= 100 {
			// Meta gives no reset time for app usage; its window is an hour.
			return now.Add(time.Hour), true
		}
	}
	return time.Time{}, false
}

// retryAfter is how long a 429 asks to wait: Retry-After in seconds or as an
// HTTP date, else the platform's reset header; 0 when nothing says.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			return time.Duration(min(n, 1<<31)) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	for _, p := range rateHeaderPrefixes {
		if t, ok := parseReset(h.Get(p+"Reset"), now); ok {
			return max(t.Sub(now), 0)
		}
	}
	if t, ok := metaUsageReset(h, now); ok {
		return t.Sub(now)
	}
	return 0
}
