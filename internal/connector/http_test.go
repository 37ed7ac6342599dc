package connector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

func TestRateLimitedThenSuccess(t *testing.T) {
	fake := newFakeBluesky(t)
	var calls atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		case 2:
			w.Header().Set("Retry-After", time.Date(2024, 5, 4, 12, 0, 30, 0, time.UTC).Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	cfg, waits := testConfig(t)
	cfg.BlueskyBaseURL = srv.URL
	_, posts, err := NewRegistry(cfg)["bluesky"].Fetch(context.Background(), model.Account{Handle: "unops.bsky.social"}, time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(posts) != 2 {
		t.Fatalf("posts=%d err=%v", len(posts), err)
	}
	if len(*waits) != 2 || (*waits)[0] != 7*time.Second || (*waits)[1] != 30*time.Second {
		t.Errorf("waits = %v, want [7s 30s] from Retry-After seconds and HTTP date", *waits)
	}
}

func TestRateLimitBeyondCap(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-rate-limit-remaining", "0")
		w.Header().Set("x-rate-limit-reset", fmt.Sprint(time.Date(2024, 5, 4, 12, 15, 0, 0, time.UTC).Unix()))
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	cfg, waits := testConfig(t)
	cfg.XBaseURL, cfg.XBearerToken = srv.URL, "tok-tok-tok"
	_, _, err := NewRegistry(cfg)["x"].Fetch(context.Background(), model.Account{Handle: "UNOPS"}, time.Time{})
	var rl *RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 15*time.Minute {
		t.Fatalf("err = %v, want RateLimitedError of 15m from x-rate-limit-reset", err)
	}
	if len(*waits) != 0 {
		t.Errorf("waited %v beyond the cap", *waits)
	}
}

func TestBudgetSpentWaitsBeforeNextRequest(t *testing.T) {
	var calls atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("ratelimit-remaining", "0")
		w.Header().Set("ratelimit-reset", fmt.Sprint(time.Date(2024, 5, 4, 12, 0, 20, 0, time.UTC).Unix()))
		fmt.Fprint(w, `{}`)
	}))
	cfg, waits := testConfig(t)
	c := newClient(cfg)
	for range 2 {
		if _, _, err := c.get(context.Background(), srv.URL+"/a", nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(*waits) != 1 || (*waits)[0] != 20*time.Second {
		t.Errorf("waits = %v, want one 20s wait before the second request", *waits)
	}
	cfg.MaxWait = 10 * time.Second
	c = newClient(cfg)
	c.get(context.Background(), srv.URL+"/a", nil)
	n := calls.Load()
	_, _, err := c.get(context.Background(), srv.URL+"/a", nil)
	var rl *RateLimitedError
	if !errors.As(err, &rl) || calls.Load() != n {
		t.Errorf("spent budget beyond cap: err=%v, server asked again=%v", err, calls.Load() != n)
	}
}

func TestRetriesOn5xx(t *testing.T) {
	var calls atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	cfg, waits := testConfig(t)
	cfg.BaseBackoff = 100 * time.Millisecond
	c := newClient(cfg)
	if _, _, err := c.get(context.Background(), srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if len(*waits) != 2 {
		t.Fatalf("waits = %v", *waits)
	}
	// Exponential with jitter: attempt n waits within [base·2ⁿ/2, base·2ⁿ].
	for i, w := range *waits {
		lo, hi := (100*time.Millisecond<<i)/2, 100*time.Millisecond<<i
		if w < lo || w > hi {
			t.Errorf("wait %d = %v, want within [%v, %v]", i, w, lo, hi)
		}
	}
	calls.Store(-100)
	_, _, err := c.get(context.Background(), srv.URL, nil)
	if !errors.Is(err, ErrUnavailable) || calls.Load() != -100+4 {
		t.Errorf("exhausted: err=%v calls=%d", err, calls.Load()+100)
	}
}

func TestNetworkErrorIsUnavailableAndRedacted(t *testing.T) {
	cfg, _ := testConfig(t)
	cfg.YouTubeAPIKey = "AIzaSECRETKEY12345"
	srv := serve(t, http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	c := newClient(cfg)
	_, _, err := c.get(context.Background(), addr+"/youtube/v3/channels?key=AIzaSECRETKEY12345&id=UC1", nil)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "AIzaSECRETKEY12345") || strings.Contains(err.Error(), "key=") {
		t.Errorf("secret in error: %v", err)
	}
}

func TestTokensNeverInErrors(t *testing.T) {
	const tok = "AAAA-bearer-SECRET"
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A careless server echoes what it got in its problem detail.
		fmt.Fprintf(w, `{"errors":[{"title":"Invalid Request","detail":%q,"type":"about:blank"}]}`, r.Header.Get("Authorization"))
	}))
	cfg, _ := testConfig(t)
	cfg.XBaseURL, cfg.XBearerToken = srv.URL, tok
	_, _, err := NewRegistry(cfg)["x"].Fetch(context.Background(), model.Account{Handle: "UNOPS"}, time.Time{})
	if err == nil || strings.Contains(err.Error(), tok) || !strings.Contains(err.Error(), "[REDACTED]") {
		t.Fatalf("err = %v", err)
	}
	var v struct{ N int }
	bad := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"N":"x"}`) }))
	_, err = newClient(cfg).getJSON(context.Background(), bad.URL+"/x?access_token=qs-secret-77", http.Header{"Authorization": {"Bearer other-secret-9"}}, &v)
	if err == nil || strings.Contains(err.Error(), "qs-secret-77") || strings.Contains(err.Error(), "other-secret-9") {
		t.Fatalf("err = %v", err)
	}
}

func TestMalformedAndOversizedBodies(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Write([]byte(`["` + strings.Repeat("a", 2000) + `"]`))
		default:
			w.Write([]byte(`{"did": `))
		}
	}))
	cfg, _ := testConfig(t)
	cfg.MaxBodyBytes = 1000
	cfg.BlueskyBaseURL = srv.URL
	if _, _, err := NewRegistry(cfg)["bluesky"].Fetch(context.Background(), model.Account{Handle: "a.bsky.social"}, time.Time{}); err == nil || !strings.Contains(err.Error(), "malformed") {
		t.Errorf("truncated JSON: %v", err)
	}
	if _, _, err := newClient(cfg).get(context.Background(), srv.URL+"/big", nil); err == nil || !strings.Contains(err.Error(), "size cap") {
		t.Errorf("oversized: %v", err)
	}
}

func TestContextCancelled(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	cfg, _ := testConfig(t)
	cfg.sleep = nil // real sleeps: cancellation must cut them short
	cfg.BaseBackoff = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err := newClient(cfg).get(ctx, srv.URL, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestRegistry(t *testing.T) {
	reg := NewRegistry(Config{})
	if got := strings.Join(reg.Platforms(), ","); got != "bluesky,facebook,instagram,linkedin,mastodon,threads,x,youtube" {
		t.Errorf("platforms = %s", got)
	}
	if _, err := reg.For("tiktok"); err == nil {
		t.Error("tiktok has no connector")
	}
}

func TestLinkNext(t *testing.T) {
	h := http.Header{"Link": {`<https://m.example/api/v1/accounts/1/statuses?max_id=5>; rel="next", <https://m.example/api/v1/accounts/1/statuses?min_id=9>; rel="prev"`}}
	if got := linkNext(h); got != "https://m.example/api/v1/accounts/1/statuses?max_id=5" {
		t.Errorf("next = %q", got)
	}
	if got := sameHost("https://m.example", "https://evil.example/x"); got != "" {
		t.Errorf("cross-host link followed: %q", got)
	}
	if linkNext(http.Header{"Link": {`garbage, <x>; rel=prev`}}) != "" {
		t.Error("no next expected")
	}
}
