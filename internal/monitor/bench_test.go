package monitor

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// benchAccounts is 10,000 unless HERALD_BENCH_ACCOUNTS says otherwise.
func benchAccounts() int {
	if n, err := strconv.Atoi(os.Getenv("HERALD_BENCH_ACCOUNTS")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// BenchmarkEvaluate seeds N accounts × 1,000 posts (one post a day, so
// about 90 of them in the evaluation window; 1 in 5 without figures) and a
// follower snapshot a week over a year, then times one full evaluation.
// Run with -benchtime 1x: seeding takes minutes.
func BenchmarkEvaluate(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			s := storetest.Open(b, dialect)
			asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
			n := benchAccounts()
			start := time.Now()
			seed(b, s, n, asOf)
			seeding := time.Since(start)
			m := newMonitor(b, Options{Store: s, Connectors: connector.Registry{}})
			b.ResetTimer()
			for b.Loop() {
				sum, err := m.Evaluate(ctx, asOf)
				if err != nil || sum.Evaluated != n {
					b.Fatalf("%+v %v", sum, err)
				}
			}
			b.ReportMetric(seeding.Seconds(), "seed-s")
		})
	}
}

func seed(b *testing.B, s *store.Store, n int, asOf time.Time) {
	const chunk = 100
	for lo := 0; lo < n; lo += chunk {
		var accs []model.Account
		for i := lo; i < min(lo+chunk, n); i++ {
			accs = append(accs, model.Account{Platform: []string{"x", "mastodon", "bluesky", "facebook"}[i%4],
				Handle: fmt.Sprintf("bench%05d", i), PostsPerWeek: float64(1 + i%10), CreatedAt: asOf.Add(-day(1200))})
		}
		accs = addAccounts(b, s, accs...)
		var posts []model.Post
		var profiles []model.Profile
		for _, a := range accs {
			for j := range 1000 {
				p := model.Post{AccountID: a.ID, ExternalID: strconv.Itoa(j), PostedAt: asOf.Add(-day(j) - time.Duration(a.ID%24)*time.Hour), Source: "api"}
				if j%5 != 0 {
					p.Likes, p.Reposts, p.Replies = ptr(int64(j%50)), ptr(int64(j%7)), ptr(int64(j%3))
				}
				posts = append(posts, p)
			}
			for w := range 52 {
				profiles = append(profiles, model.Profile{AccountID: a.ID, Followers: ptr(int64(5000 + w*10)), FetchedAt: asOf.Add(-day(7 * w))})
			}
		}
		if err := s.UpsertPosts(ctx, posts); err != nil {
			b.Fatal(err)
		}
		if err := s.AddProfiles(ctx, profiles); err != nil {
			b.Fatal(err)
		}
	}
}

// limiter is a platform that answers every fifth fetch with a 429 and a
// short Retry-After, as a rate-limited API does.
type limiter struct {
	mu    sync.Mutex
	calls int
	done  map[int64]bool
}

func (l *limiter) Fetch(_ context.Context, acc model.Account, _ time.Time) (*model.Profile, []model.Post, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%5 == 0 {
		return nil, nil, &connector.RateLimitedError{RetryAfter: 20 * time.Millisecond}
	}
	l.done[acc.ID] = true
	return &model.Profile{Followers: ptr(10), FetchedAt: time.Now()}, nil, nil
}

// BenchmarkSyncRateLimited syncs N accounts (default 1,000, HERALD_BENCH_SYNC)
// against a platform that rate-limits; every account must end synced with
// no failure recorded: each 429 was honoured and rescheduled, not dropped.
func BenchmarkSyncRateLimited(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("HERALD_BENCH_SYNC")); err == nil && v > 0 {
		n = v
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := storetest.Open(b, dialect)
				var accs []model.Account
				for i := range n {
					accs = append(accs, model.Account{Platform: "bluesky", Handle: fmt.Sprintf("sync%04d.bsky.social", i)})
				}
				addAccounts(b, s, accs...)
				l := &limiter{done: map[int64]bool{}}
				m := newMonitor(b, Options{Store: s, Connectors: connector.Registry{"bluesky": l}, Workers: 8})
				b.StartTimer()
				limited := 0
				for len(l.done) < n {
					st, err := m.SyncDue(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if st.Failed > 0 {
						b.Fatalf("%d syncs failed", st.Failed)
					}
					limited += st.RateLimited
					if st.Claimed == 0 {
						time.Sleep(5 * time.Millisecond) // waiting out a Retry-After
					}
				}
				b.StopTimer()
				for _, a := range accs {
					st, err := m.SyncState(ctx, a.ID)
					if err != nil || st.LastSyncedAt == nil || st.ErrorCount != 0 {
						b.Fatalf("account %d: %+v %v", a.ID, st, err)
					}
				}
				b.ReportMetric(float64(limited), "rate-limited")
				b.ReportMetric(float64(l.calls), "fetches")
				b.StartTimer()
			}
		})
	}
}
