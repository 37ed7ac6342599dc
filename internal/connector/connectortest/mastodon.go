// Package connectortest runs local servers that speak the platforms' real
// API shapes, so tests and benchmarks of other packages can drive the real
// connectors over HTTP: many accounts or one recorded account, rate limiting
// with the platforms' headers, and counters of what was asked and answered.
package connectortest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// MastodonOptions shape a fake Mastodon instance. Zero fields take the defaults given.
type MastodonOptions struct {
	Statuses int           // per account, one a day back from Now; default 5
	Now      time.Time     // newest status time; default time.Now()
	Created  time.Time     // the accounts' created_at; default a year before the oldest status
	PageCap  int           // statuses per page at most, as instances cap limit; default 40
	Delay    time.Duration // each answer waits this long, like a remote server

	// Every LimitEvery-th request (0: none) is answered 429 regardless of the
	// budget, with Retry-After in whole seconds when RetryAfter is at least
	// a second, and always X-RateLimit-Reset RetryAfter ahead.
	LimitEvery int
	RetryAfter time.Duration

	// Budget requests per Window (0: unlimited), announced on every answer
	// with X-RateLimit-Limit, -Remaining and -Reset as Mastodon does; a
	// request over the budget gets 429.
	Budget int
	Window time.Duration

	// HoldUntil, when positive, holds every request until that many
	// requests have been in flight at once (or Release is called): a test
	// proves this way that several clients were working together.
	HoldUntil int

	// Recorded, when set, replaces the generated accounts with one recorded
	// account and its recorded statuses (Statuses and Created are then unused).
	Recorded *MastodonRecording
}

// MastodonRecording is one account as a real instance answered it.
type MastodonRecording struct {
	Account  json.RawMessage  // the /api/v1/accounts/lookup answer
	Statuses []map[string]any // the account's statuses, newest first, with reblogs
}

// Mastodon is a fake Mastodon instance serving any username as an account.
type Mastodon struct {
	*httptest.Server
	o MastodonOptions

	mu          sync.Mutex
	ids         map[string]string // username → account id
	users       map[string]string // account id → username
	gone        map[string]bool   // usernames answered 410
	requests    []string          // every request URI, in order
	inflight    map[string]int    // username → requests in flight
	stats       MastodonStats
	windowStart time.Time
	used        int
	held        chan struct{}
	releaseOnce sync.Once
}

// MastodonStats counts what the server was asked and answered.
type MastodonStats struct {
	Requests    int            // every request
	TooMany     int            // answered 429
	MaxInFlight int            // most requests in flight at once
	MaxPerUser  int            // most requests in flight at once for one account
	Fetched     map[string]int // username → status pages answered 200
	Looked      map[string]int // username → lookups answered 200
}

// NewMastodon starts a fake instance, closed when tb ends.
func NewMastodon(tb testing.TB, o MastodonOptions) *Mastodon {
	tb.Helper()
	if o.Statuses <= 0 {
		o.Statuses = 5
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.PageCap <= 0 {
		o.PageCap = 40
	}
	if o.Created.IsZero() {
		o.Created = o.Now.AddDate(-1, 0, -o.Statuses)
	}
	m := &Mastodon{o: o, ids: map[string]string{}, users: map[string]string{}, gone: map[string]bool{}, inflight: map[string]int{},
		stats: MastodonStats{Fetched: map[string]int{}, Looked: map[string]int{}}, held: make(chan struct{})}
	if o.Recorded != nil {
		var acc struct{ ID, Username string }
		if err := json.Unmarshal(o.Recorded.Account, &acc); err != nil {
			tb.Fatalf("connectortest: recorded account: %v", err)
		}
		m.ids[acc.Username], m.users[acc.ID] = acc.ID, acc.Username
	}
	if o.HoldUntil <= 0 {
		m.Release()
	}
	m.Server = httptest.NewServer(m)
	tb.Cleanup(func() { m.Release(); m.Close() })
	return m
}

// ProfileURL is the profile address of user on this instance, as an account registers it.
func (m *Mastodon) ProfileURL(user string) string { return m.URL + "/@" + user }

// Gone makes the instance answer lookups of user with 410, as for a
// suspended account.
func (m *Mastodon) Gone(user string) {
	m.mu.Lock()
	m.gone[user] = true
	m.mu.Unlock()
}

// Requests returns the URI of every request received, in order.
func (m *Mastodon) Requests() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.requests...)
}

// Release lets held requests through, for good.
func (m *Mastodon) Release() { m.releaseOnce.Do(func() { close(m.held) }) }

// Stats returns a copy of the counters.
func (m *Mastodon) Stats() MastodonStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.stats
	s.Fetched, s.Looked = map[string]int{}, map[string]int{}
	for k, v := range m.stats.Fetched {
		s.Fetched[k] = v
	}
	for k, v := range m.stats.Looked {
		s.Looked[k] = v
	}
	return s
}

// begin counts a request in flight for user and decides whether it is
// rate limited; it returns the rate-limit headers to send.
func (m *Mastodon) begin(user string) (limited bool, h http.Header) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stats.Requests++
	total := 0
	m.inflight[user]++
	for _, n := range m.inflight {
		total += n
	}
	m.stats.MaxInFlight = max(m.stats.MaxInFlight, total)
	m.stats.MaxPerUser = max(m.stats.MaxPerUser, m.inflight[user])
	if m.o.HoldUntil > 0 && total >= m.o.HoldUntil {
		m.releaseOnce.Do(func() { close(m.held) })
	}
	h = http.Header{}
	now := time.Now()
	if m.o.LimitEvery > 0 && m.stats.Requests%m.o.LimitEvery == 0 {
		if m.o.RetryAfter >= time.Second {
			h.Set("Retry-After", strconv.Itoa(int(m.o.RetryAfter/time.Second)))
		}
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", now.Add(m.o.RetryAfter).UTC().Format("2006-01-02T15:04:05.000Z"))
		m.stats.TooMany++
		return true, h
	}
	if m.o.Budget > 0 {
		if now.Sub(m.windowStart) >= m.o.Window {
			m.windowStart, m.used = now, 0
		}
		reset := m.windowStart.Add(m.o.Window)
		h.Set("X-RateLimit-Limit", strconv.Itoa(m.o.Budget))
		h.Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000Z"))
		if m.used >= m.o.Budget {
			h.Set("X-RateLimit-Remaining", "0")
			m.stats.TooMany++
			return true, h
		}
		m.used++
		h.Set("X-RateLimit-Remaining", strconv.Itoa(m.o.Budget-m.used))
	}
	return false, h
}

func (m *Mastodon) end(user string) {
	m.mu.Lock()
	m.inflight[user]--
	m.mu.Unlock()
}

// id is user's account id, made up on first sight unless the instance
// replays a recording, where only the recorded user has one.
func (m *Mastodon) id(user string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.ids[user]
	if !ok && m.o.Recorded == nil {
		id = strconv.Itoa(100000 + len(m.ids))
		m.ids[user], m.users[id] = id, user
	}
	return id
}

func (m *Mastodon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	m.requests = append(m.requests, r.URL.RequestURI())
	m.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	var user, id string
	switch {
	case r.URL.Path == "/api/v1/accounts/lookup":
		user = r.URL.Query().Get("acct")
		m.mu.Lock()
		gone := m.gone[user]
		m.mu.Unlock()
		if gone {
			w.WriteHeader(http.StatusGone)
			fmt.Fprint(w, `{"error":"Account is suspended"}`)
			return
		}
		if user == "" {
			notFound(w)
			return
		}
		if id = m.id(user); id == "" {
			notFound(w)
			return
		}
	case strings.HasPrefix(r.URL.Path, "/api/v1/accounts/") && strings.HasSuffix(r.URL.Path, "/statuses"):
		id = strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/accounts/"), "/statuses")
		m.mu.Lock()
		user = m.users[id]
		m.mu.Unlock()
		if user == "" {
			notFound(w)
			return
		}
	default:
		notFound(w)
		return
	}
	limited, h := m.begin(user)
	defer m.end(user)
	select {
	case <-m.held:
	case <-r.Context().Done():
		return
	}
	if m.o.Delay > 0 {
		time.Sleep(m.o.Delay)
	}
	for k, v := range h {
		w.Header()[k] = v
	}
	if limited {
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":"Too many requests"}`)
		return
	}
	if r.URL.Path == "/api/v1/accounts/lookup" {
		m.count(m.stats.Looked, user)
		if m.o.Recorded != nil {
			w.Write(m.o.Recorded.Account)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"id": id, "username": user, "acct": user, "display_name": "Account " + user,
			"note": "<p>Official account of " + user + "</p>", "avatar": m.URL + "/avatars/" + id + ".png",
			"followers_count": 1000 + len(user), "statuses_count": m.o.Statuses,
			"created_at":     m.o.Created.UTC().Truncate(24 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
			"last_status_at": m.o.Now.UTC().Format(time.DateOnly),
		})
		return
	}
	if m.o.Recorded != nil {
		m.replay(w, r, user)
		return
	}
	m.statuses(w, r, user, id)
}

// replay answers one page of the recorded statuses below max_id, reblogs
// left out when asked, with next and prev links as Mastodon sends them.
func (m *Mastodon) replay(w http.ResponseWriter, r *http.Request, user string) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > m.o.PageCap {
		limit = m.o.PageCap
	}
	page := []map[string]any{}
	for _, s := range m.o.Recorded.Statuses {
		id, _ := s["id"].(string)
		if below := q.Get("max_id"); below != "" && id >= below {
			continue
		}
		if q.Get("exclude_reblogs") == "true" && s["reblog"] != nil {
			continue
		}
		if len(page) == limit {
			break
		}
		page = append(page, s)
	}
	if n := len(page); n > 0 {
		next := fmt.Sprintf("%s%s?limit=%d&exclude_reblogs=%s&max_id=%s", m.URL, r.URL.Path, limit, q.Get("exclude_reblogs"), page[n-1]["id"])
		prev := fmt.Sprintf("%s%s?min_id=%s", m.URL, r.URL.Path, page[0]["id"])
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next", <%s>; rel="prev"`, next, prev))
	}
	m.count(m.stats.Fetched, user)
	json.NewEncoder(w).Encode(page)
}

// statuses answers one page, newest first, paginated by max_id with a Link header.
func (m *Mastodon) statuses(w http.ResponseWriter, r *http.Request, user, id string) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > m.o.PageCap {
		limit = m.o.PageCap
	}
	start := 0 // index of the newest status below max_id; status i has id Statuses-i
	if v, err := strconv.Atoi(q.Get("max_id")); err == nil {
		start = max(m.o.Statuses-v+1, 0)
	}
	page := []map[string]any{}
	for i := start; i < min(start+limit, m.o.Statuses); i++ {
		sid := strconv.Itoa(m.o.Statuses - i)
		page = append(page, map[string]any{
			"id": sid, "created_at": m.o.Now.Add(-time.Duration(i) * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z"),
			"url": m.URL + "/@" + user + "/" + sid, "uri": m.URL + "/users/" + user + "/statuses/" + sid,
			"content": fmt.Sprintf("<p>Update %s from %s</p>", sid, user), "replies_count": i % 3,
			"reblogs_count": i % 5, "favourites_count": i % 11, "reblog": nil,
		})
	}
	if n := len(page); n > 0 && start+n < m.o.Statuses {
		next := fmt.Sprintf("%s/api/v1/accounts/%s/statuses?limit=%d&exclude_reblogs=true&max_id=%s", m.URL, id, limit, page[n-1]["id"])
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next))
	}
	m.count(m.stats.Fetched, user)
	json.NewEncoder(w).Encode(page)
}

func (m *Mastodon) count(c map[string]int, user string) {
	m.mu.Lock()
	c[user]++
	m.mu.Unlock()
}

func notFound(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, `{"error":"Record not found"}`)
}
