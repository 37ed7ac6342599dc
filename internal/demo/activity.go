package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/monitor"
	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

// Activity tops the demo accounts' year of activity up to the day of now
// and evaluates their health, so that the dashboard of herald serve --demo
// shows healthy, at-risk and unknown accounts, with charts, from the first
// start. The same day always yields the same activity; seeding again the
// same day changes nothing. Seed first.
func Activity(ctx context.Context, st *store.Store, pack *policy.Pack, now time.Time) error {
	for _, da := range demoAccounts(pack) {
		a := da.Account
		key, err := registry.NormalizeHandle(a.Platform, a.Handle)
		if err != nil {
			return fmt.Errorf("demo account %s on %s: %w", a.Handle, a.Platform, err)
		}
		stored, err := st.AccountByHandleKey(ctx, a.Platform, key)
		if err != nil {
			return fmt.Errorf("demo account %s on %s: %w", a.Handle, a.Platform, err)
		}
		if da.activity == nil {
			continue // no data at all: shown as unknown
		}
		if err := seedActivity(ctx, st, *stored, *da.activity, now); err != nil {
			return fmt.Errorf("demo activity of %s on %s: %w", a.Handle, a.Platform, err)
		}
	}
	// The demo does not sync (its accounts are made up), so nothing else
	// would evaluate it before the next daily run.
	mon, err := monitor.New(monitor.Options{Store: st, Pack: pack, Connectors: connector.Registry{},
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	_, err = mon.Evaluate(ctx, now)
	return err
}

// demoAccount is an account of the demo registry and how it behaved (nil:
// never synced nor imported).
type demoAccount struct {
	model.Account
	activity *activity
}

// activity is how a demo account behaved over the last year, so that the
// dashboard shows healthy and at-risk accounts, with charts, from the
// first start. Posts and follower snapshots are made up from it,
// deterministically: the same account on the same day always gets the same
// posts and figures.
type activity struct {
	perWeek    float64 // posts per week while it posts
	quietDays  int     // no post in the last quietDays days
	followers  int64   // followers a year ago
	growth     float64 // change of followers over the year (-0.2: lost a fifth)
	engagement float64 // interactions per post per follower, on average
	noCounts   bool    // the platform gives no per-post figures (LinkedIn)
	age        int     // created on the platform this many years ago
}

// year is how far back the demo's activity goes.
const year = 365

var topics = []string{
	"Handover of a rehabilitated health centre",
	"New tender published for school repairs",
	"Our engineers inspected the bridge works this week",
	"Partners visited the solar installation",
	"Vacancy: project manager, apply by the end of the month",
	"Results of the quarter: what was built and bought",
	"Local suppliers trained on sustainable procurement",
	"Road works completed ahead of the rainy season",
}

// seedActivity tops an account's activity up to the day of now: a year of
// posts (kept by their ids, so seeding again on the same day changes
// nothing) and a weekly profile snapshot after the latest one stored.
func seedActivity(ctx context.Context, st *store.Store, acc model.Account, act activity, now time.Time) error {
	today := now.UTC().Truncate(24 * time.Hour)
	h := fnv.New64a()
	h.Write([]byte(acc.Platform + "/" + acc.Handle))
	seed := h.Sum64()
	followersAt := func(t time.Time) int64 {
		f := 1 - float64(today.Sub(t))/float64(year*24*time.Hour) // 0 a year ago, 1 today
		return act.followers + int64(float64(act.followers)*act.growth*f)
	}
	var posts []model.Post
	// Days before today only: a post later today would be in the future.
	for d := year; d >= max(1, act.quietDays); d-- {
		day := today.AddDate(0, 0, -d)
		// One generator per account and calendar day: the same day always
		// yields the same posts, whatever day the demo is seeded.
		rng := rand.New(rand.NewPCG(seed, uint64(day.Unix()/86400)))
		n := int(act.perWeek / 7)
		if rng.Float64() < act.perWeek/7-float64(n) {
			n++
		}
		for i := range n {
			at := day.Add(8*time.Hour + time.Duration(rng.IntN(10*60))*time.Minute)
			p := model.Post{AccountID: acc.ID, Platform: acc.Platform, PostedAt: at, Source: "api",
				ExternalID: fmt.Sprintf("demo-%s-%d", day.Format("20060102"), i),
				Text:       topics[rng.IntN(len(topics))] + ".",
				URL:        fmt.Sprintf("%s#demo-%s-%d", acc.ProfileURL, day.Format("20060102"), i)}
			if !act.noCounts {
				total := int64(float64(followersAt(at)) * act.engagement * (0.4 + 1.2*rng.Float64()))
				likes, reposts := total*7/10, total*2/10
				p.Likes, p.Reposts, p.Replies = &likes, &reposts, ptr(total-likes-reposts)
			}
			posts = append(posts, p)
		}
	}
	if len(posts) > 0 {
		if err := st.UpsertPosts(ctx, posts); err != nil {
			return err
		}
	}
	stored, err := st.Profiles(ctx, acc.ID, today.AddDate(0, 0, -year-7), today)
	if err != nil {
		return err
	}
	from := today.AddDate(0, 0, -year)
	if len(stored) > 0 {
		from = stored[len(stored)-1].FetchedAt.Add(time.Second)
	}
	created := today.AddDate(-act.age, 0, 0)
	var snaps []model.Profile
	count := int64(act.perWeek * 52 * float64(act.age)) // posts before the year shown, roughly
	for w := year / 7; w >= 0; w-- {
		at := today.AddDate(0, 0, -7*w)
		if at.Before(from) {
			continue
		}
		// What the platform said at the snapshot: the posts until then.
		lp, n := lastBefore(posts, at)
		p := model.Profile{AccountID: acc.ID, Platform: acc.Platform, Handle: acc.Handle, DisplayName: acc.DisplayName,
			Bio: acc.Purpose, Followers: ptr(followersAt(at)), PostCount: ptr(count + int64(n)),
			CreatedAt: &created, FetchedAt: at}
		if !lp.IsZero() {
			p.LastPostAt = &lp
		}
		snaps = append(snaps, p)
	}
	if len(snaps) == 0 {
		return nil
	}
	return st.AddProfiles(ctx, snaps)
}

// lastBefore is the newest post at or before t (zero when none) and how
// many posts there were by then.
func lastBefore(posts []model.Post, t time.Time) (last time.Time, n int) {
	for _, p := range posts {
		if !p.PostedAt.After(t) {
			n++
			if p.PostedAt.After(last) {
				last = p.PostedAt
			}
		}
	}
	return last, n
}

func ptr(n int64) *int64 { return &n }
