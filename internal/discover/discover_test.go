package discover

import (
	"context"
	"fmt"
	"image"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/lookalike"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/outbound"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

var ctx = context.Background()

// recorded serves a recorded platform answer (the connector's test data)
// and counts the requests.
type recorded struct {
	mu     sync.Mutex
	status int
	body   []byte
	n      int
}

func newRecorded(t *testing.T, status int, file string) (*recorded, string) {
	t.Helper()
	body, err := os.ReadFile("../connector/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorded{status: status, body: body}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv.URL
}

func (r *recorded) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	w.Write(r.body)
}

func (r *recorded) count() int { r.mu.Lock(); defer r.mu.Unlock(); return r.n }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var t0 = time.Date(2026, 12, 4, 6, 0, 0, 0, time.UTC)

func register(t *testing.T, s *store.Store, accs ...model.Account) []model.Account {
	t.Helper()
	for i := range accs {
		key, err := registry.NormalizeHandle(accs[i].Platform, accs[i].Handle)
		if err != nil {
			t.Fatal(err)
		}
		accs[i].HandleKey, accs[i].Kind, accs[i].Status = key, model.KindCountryOffice, model.StatusActive
	}
	if err := s.ImportAccounts(ctx, model.Actor{UserID: 1, Email: "admin@unops.org"}, accs); err != nil {
		t.Fatal(err)
	}
	return accs
}

func TestDiscovery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		accs := register(t, s,
			model.Account{Platform: "x", Handle: "UNOPSKenya", DisplayName: "UNOPS Kenya", Office: "Kenya"},
			model.Account{Platform: "mastodon", Handle: "unops@mastodon.example", DisplayName: "UNOPS"},
			model.Account{Platform: "bluesky", Handle: "unops.org", DisplayName: "UNOPS"},
			model.Account{Platform: "youtube", Handle: "channel/UCnr8Kd5yR8QxZ0tYvS1mPqA", DisplayName: "UNOPS"},
		)
		masto, mastoURL := newRecorded(t, 200, "mastodon_search.json")
		_, bskyURL := newRecorded(t, 200, "bluesky_search.json")
		yt, ytURL := newRecorded(t, 200, "youtube_search.json")
		loopback, err := outbound.ParseAllow("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		searchers, err := connector.NewSearchers(connector.Config{Allow: loopback, BaseBackoff: time.Millisecond, BlueskyBaseURL: bskyURL, YouTubeAPIBaseURL: ytURL,
			YouTubeAPIKey: "test-key"}, []string{mastoURL})
		if err != nil {
			t.Fatal(err)
		}
		pack, err := policy.Default()
		if err != nil {
			t.Fatal(err)
		}
		clk := &clock{t: t0}
		d, err := New(Options{Store: s, Pack: pack, Searchers: searchers, Now: clk.Now, Owner: "test"})
		if err != nil {
			t.Fatal(err)
		}
		queries := d.Queries(accs)
		if len(queries) < 5 || !strings.EqualFold(queries[0], "UNOPS") || queries[len(queries)-1] != "UNOPS Kenya" {
			t.Errorf("queries %q: want the organization's names, handles and \"UNOPS Kenya\"", queries)
		}

		st, err := d.RunAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := 3 * len(queries); st.Searches != want || st.Failed != 0 || masto.count() != len(queries) {
			t.Fatalf("stats %+v, %d Mastodon requests: want %d searches, one per query and platform", st, masto.count(), want)
		}
		found, total, err := s.FoundAccounts(ctx, "", 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]model.FoundAccount{}
		for _, f := range found {
			got[f.Platform+" "+f.HandleKey] = f
		}
		want := []string{"mastodon un0ps_kenya@mastodon.example", "mastodon unops_grants@social.example.net",
			"bluesky unopskenya-official.bsky.social", "youtube channel/UCk3nYaFak3Unops00000001"}
		if total != len(want) || st.Queued != len(want) {
			t.Errorf("queued %d (stats %d): %v, want %q", total, st.Queued, keys(got), want)
		}
		for _, k := range want {
			f, ok := got[k]
			if !ok {
				t.Errorf("%s not queued", k)
				continue
			}
			if f.Source != model.FoundSourceDiscovery || f.LookalikeScore == nil || *f.LookalikeScore < 0.3 || len(f.Reasons) == 0 || f.State != model.FoundNew {
				t.Errorf("%s: %+v", k, f)
			}
		}
		k := got["mastodon un0ps_kenya@mastodon.example"]
		if k.LookalikeScore == nil || *k.LookalikeScore < 0.8 || k.ImitatesID == nil || *k.ImitatesID != accs[0].ID {
			t.Errorf("UN0PS_Kenya: score %v, imitates %v; want high, @UNOPSKenya (%d)", k.LookalikeScore, k.ImitatesID, accs[0].ID)
		}
		if b := got["bluesky unopskenya-official.bsky.social"]; b.ImitatesID == nil || *b.ImitatesID != accs[0].ID {
			t.Errorf("unopskenya-official imitates %v, want @UNOPSKenya (%d); %q", b.ImitatesID, accs[0].ID, b.Reasons)
		}

		// Nothing is due until a day has passed; then the same answers add nothing.
		if st, err := d.RunAll(ctx); err != nil || st.Searches != 0 {
			t.Errorf("run again at once: %+v, %v", st, err)
		}
		clk.Set(t0.Add(25 * time.Hour))
		st, err = d.RunAll(ctx)
		if err != nil || st.Searches != 3*len(queries) || st.Queued != 0 {
			t.Errorf("a day later: %+v, %v; want every search run, nothing queued", st, err)
		}

		// A spent YouTube quota is a rate limit: retried later, not counted as an error.
		yt.mu.Lock()
		yt.status, yt.body = 403, mustRead(t, "../connector/testdata/youtube_quota.json")
		yt.mu.Unlock()
		clk.Set(t0.Add(50 * time.Hour))
		st, err = d.RunAll(ctx)
		if err != nil || st.RateLimited != len(queries) || st.Failed != 0 {
			t.Errorf("with the quota spent: %+v, %v", st, err)
		}
		searches, err := s.DiscoverySearches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range searches {
			if x.Platform == "youtube" && (x.ErrorCount != 0 || !strings.Contains(x.LastError, "rate limited") || !x.NextRunAt.After(t0.Add(50*time.Hour))) {
				t.Errorf("youtube search after a rate limit: %+v", x)
			}
		}
	})
}

func keys(m map[string]model.FoundAccount) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTakedownTracking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		_, bskyURL := newRecorded(t, 200, "bluesky_search.json")
		loopback, _ := outbound.ParseAllow("127.0.0.1")
		searchers, err := connector.NewSearchers(connector.Config{Allow: loopback, BlueskyBaseURL: bskyURL}, nil)
		if err != nil {
			t.Fatal(err)
		}
		pack, _ := policy.Default()
		clk := &clock{t: t0}
		var asked []string
		gone := func(ctx context.Context, f model.FoundAccount) (bool, string, error) {
			asked = append(asked, f.Handle)
			return f.Handle == "unopskenya-official.bsky.social", "the platform suspended the account", nil
		}
		d, err := New(Options{Store: s, Pack: pack, Searchers: searchers, Now: clk.Now, Owner: "test", Gone: gone})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.RunAll(ctx); err != nil {
			t.Fatal(err)
		}
		found, _, err := s.FoundAccounts(ctx, "", 10, 0)
		if err != nil || len(found) != 2 {
			t.Fatalf("queued %d, %v; want unops.org and unopskenya-official", len(found), err)
		}
		if len(asked) != 0 {
			t.Errorf("asked about %q before anything was confirmed as an impersonation", asked)
		}
		// Both are confirmed as impersonations; a day later one is gone.
		for i := range found {
			found[i].State, found[i].TakedownState = model.FoundImpersonation, model.TakedownSubmitted
			if err := s.UpdateFoundAccount(ctx, model.Actor{UserID: 1, Email: "admin@unops.org"}, &found[i], "found.triage", "impersonation"); err != nil {
				t.Fatal(err)
			}
		}
		clk.Set(t0.Add(25 * time.Hour))
		st, err := d.RunAll(ctx)
		if err != nil || st.Gone != 1 || len(asked) != 2 {
			t.Fatalf("stats %+v, %v, asked %q: want both checked, one gone", st, err, asked)
		}
		for _, f := range found {
			got, err := s.FoundAccount(ctx, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			isGone := got.Handle == "unopskenya-official.bsky.social"
			if (got.GoneAt != nil) != isGone || (got.TakedownState == model.TakedownRemoved) != isGone {
				t.Errorf("%s: gone at %v, takedown %s", got.Handle, got.GoneAt, got.TakedownState)
			}
		}
		// The next run asks only about the one still there.
		asked = nil
		clk.Set(t0.Add(50 * time.Hour))
		if _, err := d.RunAll(ctx); err != nil || len(asked) != 1 || asked[0] != "unops.org" {
			t.Errorf("next run asked about %q, %v", asked, err)
		}
	})
}

func TestGoneVia(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("actor") {
		case "gone.bsky.social":
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"InvalidRequest","message":"Profile not found"}`))
		case "banned.bsky.social":
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"AccountTakedown","message":"Account has been suspended"}`))
		default:
			w.WriteHeader(502)
		}
	}))
	defer srv.Close()
	loopback, _ := outbound.ParseAllow("127.0.0.1")
	g := GoneVia(connector.NewRegistry(connector.Config{Allow: loopback, BlueskyBaseURL: srv.URL, MaxRetries: 1, BaseBackoff: time.Millisecond}))
	for handle, want := range map[string]bool{"gone.bsky.social": true, "banned.bsky.social": true} {
		gone, why, err := g(ctx, model.FoundAccount{Platform: "bluesky", Handle: handle})
		if err != nil || gone != want || why == "" {
			t.Errorf("%s: gone %v (%q), %v", handle, gone, why, err)
		}
	}
	if gone, _, err := g(ctx, model.FoundAccount{Platform: "bluesky", Handle: "down.bsky.social"}); gone || err == nil {
		t.Errorf("a platform error: gone %v, err %v; want not gone and the error", gone, err)
	}
	if _, _, err := g(ctx, model.FoundAccount{Platform: "nowhere", Handle: "x"}); err == nil {
		t.Error("an unknown platform: no error")
	}
}

// The emblem check: a registered account's new avatar is hashed once and its
// page shows the 4.3 finding when the avatar is not the emblem; a found
// account using the emblem scores higher.
func TestAvatars(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		s := storetest.Open(t, dialect)
		accs := register(t, s,
			model.Account{Platform: "x", Handle: "UNOPSKenya", DisplayName: "UNOPS Kenya", Office: "Kenya", Email: "kenya.comms@unops.org"},
			model.Account{Platform: "bluesky", Handle: "unops.org", DisplayName: "UNOPS", Email: "socialmedia@unops.org"})
		emblem, other := lookalike.HashOf(lookalike.PlaceholderEmblem(200)), lookalike.HashOf(image.NewGray(image.Rect(0, 0, 50, 50)))
		images := map[string]lookalike.Hash{"https://img.example/emblem.png": emblem, "https://img.example/cat.jpg": other,
			"https://cdn.bsky.app/img/avatar/plain/did:plc:7xq2ki4lmxqu3ytvz5cnhw6b/bafkreib@jpeg": emblem}
		var fetched []string
		avatar := func(ctx context.Context, url string) (lookalike.Hash, error) {
			fetched = append(fetched, url)
			h, ok := images[url]
			if !ok {
				return lookalike.Hash{}, lookalike.ErrImage
			}
			return h, nil
		}
		profile := func(id int64, url string, at time.Time) {
			if err := s.AddProfile(ctx, model.Profile{AccountID: id, AvatarURL: url, FetchedAt: at}); err != nil {
				t.Fatal(err)
			}
		}
		profile(accs[0].ID, "https://img.example/emblem.png", t0.Add(-time.Hour))
		profile(accs[1].ID, "https://img.example/cat.jpg", t0.Add(-time.Hour))

		_, bskyURL := newRecorded(t, 200, "bluesky_search.json")
		loopback, _ := outbound.ParseAllow("127.0.0.1")
		searchers, _ := connector.NewSearchers(connector.Config{Allow: loopback, BlueskyBaseURL: bskyURL}, nil)
		pack, _ := policy.Default()
		clk := &clock{t: t0}
		d, err := New(Options{Store: s, Pack: pack, Searchers: searchers, Now: clk.Now, Owner: "test", Avatar: avatar})
		if err != nil {
			t.Fatal(err)
		}
		st, err := d.RunAll(ctx)
		if err != nil || st.AvatarsChecked != 2 {
			t.Fatalf("stats %+v, %v: want both avatars checked", st, err)
		}
		svc := &registry.Service{Store: s, Pack: pack}
		emblemFinding := func(id int64) bool {
			v, err := svc.View(ctx, "en", id)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range v.Checks {
				if f.Rule == "account.avatar-emblem" {
					return true
				}
			}
			return false
		}
		if emblemFinding(accs[0].ID) || !emblemFinding(accs[1].ID) {
			t.Errorf("4.3 emblem finding: emblem avatar %v, other avatar %v; want only the other", emblemFinding(accs[0].ID), emblemFinding(accs[1].ID))
		}
		// The found account whose avatar is the emblem says so.
		found, _, _ := s.FoundAccounts(ctx, "", 10, 0)
		for _, f := range found {
			if f.Handle == "unopskenya-official.bsky.social" && !strings.Contains(fmt.Sprint(f.Reasons), "approved emblem") {
				t.Errorf("reasons %q do not name the emblem", f.Reasons)
			}
		}

		// The Kenya office changes its avatar: only that one is fetched again.
		fetched = nil
		profile(accs[0].ID, "https://img.example/cat.jpg", t0.Add(time.Hour))
		clk.Set(t0.Add(25 * time.Hour))
		if st, err = d.RunAll(ctx); err != nil || st.AvatarsChecked != 1 || !emblemFinding(accs[0].ID) {
			t.Errorf("after the avatar changed: %+v, %v, finding %v", st, err, emblemFinding(accs[0].ID))
		}
		for _, u := range fetched {
			if u == "https://img.example/emblem.png" {
				t.Error("an unchanged avatar fetched again")
			}
		}
	})
}
