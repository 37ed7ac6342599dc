package connector

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector/connectortest"
	"github.com/herald-gov/herald/internal/outbound"
)

// testConfig returns a config whose waits are recorded instead of slept.
func testConfig(t *testing.T) (Config, *[]time.Duration) {
	t.Helper()
	var mu sync.Mutex
	waits := &[]time.Duration{}
	loopback, _ := outbound.ParseAllow("127.0.0.1,::1")
	return Config{
		Allow:       loopback,
		BaseBackoff: time.Millisecond,
		Timeout:     5 * time.Second,
		sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			*waits = append(*waits, d)
			mu.Unlock()
			return ctx.Err()
		},
		now: func() time.Time { return time.Date(2024, 5, 4, 12, 0, 0, 0, time.UTC) },
	}, waits
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recordedMastodon replays the recorded unops_news account and its
// statuses, two a page; account, when not nil, stands for the recorded one.
func recordedMastodon(t *testing.T, account []byte) *connectortest.Mastodon {
	t.Helper()
	rec := &connectortest.MastodonRecording{Account: readTestdata(t, "mastodon_account.json")}
	if account != nil {
		rec.Account = account
	}
	if err := json.Unmarshal(readTestdata(t, "mastodon_statuses.json"), &rec.Statuses); err != nil {
		t.Fatal(err)
	}
	return connectortest.NewMastodon(t, connectortest.MastodonOptions{Recorded: rec, PageCap: 2})
}

// statusPages is how many pages of statuses m was asked for.
func statusPages(m *connectortest.Mastodon) int {
	n := 0
	for _, r := range m.Requests() {
		if strings.Contains(r, "/statuses") {
			n++
		}
	}
	return n
}

// fakeBluesky speaks getProfile and getAuthorFeed with cursor pagination.
type fakeBluesky struct {
	profile  []byte
	feed     []json.RawMessage
	pageCap  int
	takedown map[string]bool
}

func newFakeBluesky(t *testing.T) *fakeBluesky {
	f := &fakeBluesky{profile: readTestdata(t, "bluesky_profile.json"), pageCap: 2, takedown: map[string]bool{}}
	if err := json.Unmarshal(readTestdata(t, "bluesky_feed.json"), &f.feed); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fakeBluesky) xrpcError(w http.ResponseWriter, name, msg string) {
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"error": name, "message": msg})
}

func (f *fakeBluesky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	var p struct{ DID, Handle string }
	_ = json.Unmarshal(f.profile, &p)
	actor := r.URL.Query().Get("actor")
	if actor == "" {
		f.xrpcError(w, "InvalidRequest", `Error: Params must have the property "actor"`)
		return
	}
	if f.takedown[actor] {
		f.xrpcError(w, "AccountTakedown", "Account has been suspended")
		return
	}
	if actor != p.DID && actor != p.Handle {
		f.xrpcError(w, "InvalidRequest", "Profile not found")
		return
	}
	switch r.URL.Path {
	case "/xrpc/app.bsky.actor.getProfile":
		w.Write(f.profile)
	case "/xrpc/app.bsky.feed.getAuthorFeed":
		start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit <= 0 || limit > f.pageCap {
			limit = f.pageCap
		}
		end := min(start+limit, len(f.feed))
		out := map[string]any{"feed": f.feed[min(start, end):end]}
		if end < len(f.feed) {
			out["cursor"] = strconv.Itoa(end)
		}
		json.NewEncoder(w).Encode(out)
	default:
		w.WriteHeader(http.StatusNotImplemented)
		fmt.Fprint(w, `{"error":"MethodNotImplemented","message":"Method Not Implemented"}`)
	}
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// hostOf is the server's host:port, for user@instance handles.
func hostOf(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }
