package connectortest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// MastodonPoster is a fake Mastodon instance that takes posts as the
// publisher sends them: media uploads (/api/v2/media) and statuses
// (/api/v1/statuses), each status once per Idempotency-Key as Mastodon
// does. Requests without "Bearer Token" are refused with 401.
type MastodonPoster struct {
	*httptest.Server
	token, user string

	mu       sync.Mutex
	statuses []map[string]any
	byKey    map[string]string
	media    int
	loseNext bool
}

// NewMastodonPoster starts a poster that accepts token and answers status
// URLs under /@user/, closed when tb ends.
func NewMastodonPoster(tb testing.TB, token, user string) *MastodonPoster {
	tb.Helper()
	p := &MastodonPoster{token: token, user: user, byKey: map[string]string{}}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	tb.Cleanup(p.Close)
	return p
}

func (p *MastodonPoster) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+p.token {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	switch r.URL.Path {
	case "/api/v1/accounts/verify_credentials":
		fmt.Fprintf(w, `{"id":"1","username":%q,"acct":%q}`, p.user, p.user)
	case "/api/v2/media":
		if _, _, err := r.FormFile("file"); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		p.media++
		fmt.Fprintf(w, `{"id":"m%d","url":"%s/media/m%d"}`, p.media, p.URL, p.media)
	case "/api/v1/statuses":
		key := r.Header.Get("Idempotency-Key")
		if id, ok := p.byKey[key]; ok && key != "" {
			fmt.Fprintf(w, `{"id":%q,"url":"%s/@%s/%s"}`, id, p.URL, p.user, id)
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		p.statuses = append(p.statuses, body)
		id := fmt.Sprint(100 + len(p.statuses))
		p.byKey[key] = id
		if p.loseNext {
			p.loseNext = false
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, `{"id":%q,"url":"%s/@%s/%s"}`, id, p.URL, p.user, id)
	default:
		http.NotFound(w, r)
	}
}

// LoseNextReply makes the next new status be stored and then answered 502,
// as when the reply is lost on the way.
func (p *MastodonPoster) LoseNextReply() {
	p.mu.Lock()
	p.loseNext = true
	p.mu.Unlock()
}

// Posted returns the bodies of the statuses posted, in order.
func (p *MastodonPoster) Posted() []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]map[string]any(nil), p.statuses...)
}

// Texts returns the text of each status posted, in order.
func (p *MastodonPoster) Texts() []string {
	var out []string
	for _, s := range p.Posted() {
		t, _ := s["status"].(string)
		out = append(out, t)
	}
	return out
}
