package monitor

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/store"
)

var ctx = context.Background()

// fetchTime is when the fake says its data was read.
var fetchTime = time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC)

func defaultPack(tb testing.TB) *policy.Pack {
	tb.Helper()
	p, err := policy.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func ptr(n int64) *int64         { return &n }
func day(n int) time.Duration    { return time.Duration(n) * 24 * time.Hour }
func admin() model.Actor         { return model.Actor{UserID: 1, Email: "admin@unops.org"} }
func newMonitor(tb testing.TB, o Options) *Monitor {
	tb.Helper()
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Pack == nil {
		o.Pack = defaultPack(tb)
	}
	m, err := New(o)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// addAccounts imports accounts (active unless a status is set) and returns them with ids.
func addAccounts(tb testing.TB, s *store.Store, accs ...model.Account) []model.Account {
	tb.Helper()
	for i := range accs {
		if accs[i].Kind == "" {
			accs[i].Kind = model.KindCorporate
		}
		if accs[i].Status == "" {
			accs[i].Status = model.StatusActive
		}
	}
	if err := s.ImportAccounts(ctx, admin(), accs); err != nil {
		tb.Fatal(err)
	}
	return accs
}

// fake is a connector per platform: err (if any) or a profile and posts;
// it records the most concurrent fetches of any one account.
type fake struct {
	err   error
	delay time.Duration
	m     *Monitor // when set, the token the monitor lends is recorded

	mu        sync.Mutex
	inflight  map[int64]int
	maxFlight int
	fetches   int
	tokens    map[int64]string
}

func (f *fake) Fetch(ctx context.Context, acc model.Account, since time.Time) (*model.Profile, []model.Post, error) {
	f.mu.Lock()
	if f.inflight == nil {
		f.inflight, f.tokens = map[int64]int{}, map[int64]string{}
	}
	f.inflight[acc.ID]++
	f.maxFlight = max(f.maxFlight, f.inflight[acc.ID])
	f.fetches++
	if f.m != nil {
		f.tokens[acc.ID] = f.m.tokenFor(acc)
	}
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inflight[acc.ID]--; f.mu.Unlock() }()
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if f.err != nil {
		return nil, nil, f.err
	}
	now := fetchTime
	p := &model.Profile{DisplayName: acc.DisplayName, Followers: ptr(1000), FetchedAt: now}
	posts := []model.Post{
		{ExternalID: fmt.Sprintf("%d-1", acc.ID), PostedAt: now.Add(-time.Hour), Likes: ptr(10)},
		{ExternalID: fmt.Sprintf("%d-2", acc.ID), PostedAt: now.Add(-2 * time.Hour)}, // figures unknown
	}
	return p, posts, nil
}

var _ connector.Connector = (*fake)(nil)
