package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/registry"
)

// rateLimiter allows each key n events per window (a fixed window per key).
// It lives in memory: a restart forgets the counts, and several instances
// behind a load balancer each count their own share. That is enough to make
// scraping the public registry slow, which is all it is for.
type rateLimiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	now    func() time.Time
	seen   map[string]*rateWindow
	swept  time.Time
}

type rateWindow struct {
	start time.Time
	count int
}

func newRateLimiter(n int, window time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{n: n, window: window, now: now, seen: map[string]*rateWindow{}}
}

// allow counts one event for key; when the key is over its limit it returns
// false and how long until it may ask again.
func (l *rateLimiter) allow(key string) (bool, time.Duration) {
	ok, _, reset := l.take(key)
	if ok {
		return true, 0
	}
	return false, reset
}

// take counts one event for key and says whether it is allowed, how many
// more the window allows, and when the window ends.
func (l *rateLimiter) take(key string) (ok bool, remaining int, reset time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	// Forget finished windows once per window, so memory stays bounded by
	// the addresses seen in the last two windows.
	if now.Sub(l.swept) > l.window {
		for k, w := range l.seen {
			if now.Sub(w.start) >= l.window {
				delete(l.seen, k)
			}
		}
		l.swept = now
	}
	w := l.seen[key]
	if w == nil || now.Sub(w.start) >= l.window {
		w = &rateWindow{start: now}
		l.seen[key] = w
	}
	reset = w.start.Add(l.window).Sub(now)
	if w.count >= l.n {
		return false, 0, reset
	}
	w.count++
	return true, l.n - w.count, reset
}

// verifyAllowed applies the per-address limit shared by the page and the
// API; when it refuses, it has set Retry-After and the caller writes a 429.
func (s *Server) verifyAllowed(w http.ResponseWriter, r *http.Request) bool {
	ok, wait := s.verifyRL.allow(state(r).addr)
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	}
	return ok
}

// verifyInput reads platform and handle from the query; a whole profile
// URL may be pasted in the handle field with no platform, which is then
// taken from the URL's host.
func verifyInput(r *http.Request) (platform, handle string) {
	q := r.URL.Query()
	platform, handle = strings.TrimSpace(q.Get("platform")), strings.TrimSpace(q.Get("handle"))
	if platform == "" && handle != "" {
		platform = platformFromURL(handle)
	}
	return platform, handle
}

// urlPlatforms maps profile hosts to platforms, for pasted URLs.
var urlPlatforms = map[string]string{
	"x.com": "x", "twitter.com": "x", "facebook.com": "facebook", "fb.com": "facebook",
	"instagram.com": "instagram", "linkedin.com": "linkedin", "youtube.com": "youtube",
	"tiktok.com": "tiktok", "threads.net": "threads", "threads.com": "threads", "bsky.app": "bluesky",
}

// platformFromURL guesses the platform of a pasted profile URL: a known
// host, else a Mastodon-style "/@user" path or "user@instance" handle.
func platformFromURL(s string) string {
	rest := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "https://"), "http://")
	host, path, _ := strings.Cut(rest, "/")
	for _, prefix := range []string{"www.", "m.", "mobile."} {
		host = strings.TrimPrefix(host, prefix)
	}
	if p, ok := urlPlatforms[host]; ok {
		return p
	}
	if strings.Contains(host, ".") && (strings.HasPrefix(path, "@") || strings.HasPrefix(path, "users/")) {
		return "mastodon"
	}
	if at := strings.TrimPrefix(s, "@"); !strings.Contains(s, "/") && strings.Count(at, "@") == 1 {
		return "mastodon"
	}
	return ""
}

type verifyView struct {
	Org              string // the organization, named on the page (from the pack)
	Platform, Handle string
	Platforms        []string
	Asked            bool
	Error            string
	Result           registry.Verification
	Report           reportForm
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	platform, handle := verifyInput(r)
	v := verifyView{Org: s.orgName(), Platform: platform, Handle: handle, Platforms: s.platforms(), Report: reportForm{Platforms: s.platforms(), CSRF: state(r).csrf, From: "verify"}}
	status := http.StatusOK
	if handle != "" {
		if !s.verifyAllowed(w, r) {
			s.renderStatus(w, r, http.StatusTooManyRequests, pageTitleFor(r, http.StatusTooManyRequests), tr(r, "error.asked_too_often"))
			return
		}
		v.Asked = true
		res, err := s.verify(r, platform, handle)
		switch {
		case err == nil:
			v.Result = res
			if !res.Official {
				v.Report.Platform, v.Report.Handle = platform, handle
			}
		case errs.Is(err, errs.Invalid):
			v.Error, status = toAPIError(state(r).lang, err).Message, http.StatusBadRequest
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "verify", page{Title: tr(r, "title.verify"), Active: "/verify", Data: v})
}

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) {
	if !s.verifyAllowed(w, r) {
		s.writeAPIError(w, r, errorf(errs.TooMany, "too_many_requests_from", "too many requests from this address; retry after %s seconds", w.Header().Get("Retry-After")))
		return
	}
	platform, handle := verifyInput(r)
	res, err := s.verify(r, platform, handle)
	if err != nil {
		s.writeAPIError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) verify(r *http.Request, platform, handle string) (registry.Verification, error) {
	if platform == "" || handle == "" {
		return registry.Verification{}, errorf(errs.Invalid, "give_the_platform_and", "give the platform and the handle, or paste the profile's URL")
	}
	return s.registry.Verify(r.Context(), platform, handle)
}
