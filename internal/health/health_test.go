package health

import (
	"cmp"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

var asOf = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// testParams are stated here rather than read from the pack so that each
// case's figures can be checked by hand.
func testParams() policy.HealthParams {
	return policy.HealthParams{
		MaxDaysSinceLastPost:  30,
		MinPlanShare30d:       0.25,
		MinPlanShare90d:       0.5,
		EngagementFloor:       map[string]float64{"mastodon": 0.001, "x": 0.0005, "default": 0.002},
		EngagementDays:        90,
		MinPostsForEngagement: 5,
		FollowerTrendDays:     90,
		FollowerDrop:          0.10,
		GraceDays:             30,
		ProjectEndDays:        30,
	}
}

func i64(v int64) *int64 { return &v }

func ptrTime(t time.Time) *time.Time { return &t }

// every returns n posts, one every gap, the newest `newest` before asOf,
// each with `likes` likes (nil for unknown figures).
func every(n int, gap, newest time.Duration, likes *int64) []model.Post {
	posts := make([]model.Post, n)
	for i := range posts {
		posts[i] = model.Post{Platform: "mastodon", PostedAt: asOf.Add(-newest - time.Duration(n-1-i)*gap), Likes: likes}
	}
	return posts
}

func account(plan float64) model.Account {
	return model.Account{ID: 1, Platform: "mastodon", Kind: model.KindCorporate, PostsPerWeek: plan,
		Status: model.StatusActive, CreatedAt: asOf.AddDate(-2, 0, 0)}
}

// followers returns snapshots with the given counts, the first 100 days
// before asOf and the last one day before it.
func followers(counts ...int64) []model.Profile {
	var ps []model.Profile
	for i, c := range counts {
		at := asOf.Add(-day)
		if i < len(counts)-1 {
			at = asOf.Add(-time.Duration(100-i) * day)
		}
		ps = append(ps, model.Profile{Platform: "mastodon", Followers: i64(c), FetchedAt: at})
	}
	return ps
}

func codes(r Result) []string {
	var c []string
	for _, x := range r.Reasons {
		c = append(c, x.Code)
	}
	return c
}

func TestEvaluate(t *testing.T) {
	project := func(end string) model.Account {
		a := account(2)
		a.Kind = model.KindProject
		a.Project = &model.Project{Name: "Clean Water <North>", EndDate: end}
		return a
	}
	newAccount := func(age time.Duration, plan float64) model.Account {
		a := account(plan)
		a.CreatedAt = asOf.Add(-age)
		return a
	}
	tests := []struct {
		name     string
		acc      model.Account
		profiles []model.Profile
		posts    []model.Post
		want     []string // reason codes, in order
		inMsg    []string // text each reason's message must hold, in order
		state    string   // default: healthy without reasons, at-risk with
	}{
		{name: "healthy", acc: account(2), profiles: followers(1000, 1000), posts: every(60, 3*day, day, i64(20))},
		{name: "last post older than the threshold, no plan", acc: account(0), profiles: followers(1000, 1000),
			posts: every(20, 3*day, 45*day, i64(20)), want: []string{CodeNoRecentPosts}, inMsg: []string{"45 days ago"}},
		{name: "last post older than the threshold, with a plan", acc: account(2), profiles: followers(1000, 1000),
			posts: every(20, 3*day, 45*day, i64(20)), want: []string{CodeNoRecentPosts, CodeBelowPlan}, inMsg: []string{"limit is 30 days", "0 posts in the last 30 days"}},
		{name: "just within the threshold", acc: account(0), profiles: followers(1000, 1000), posts: every(20, 3*day, 30*day, i64(20))},
		// plan 5/week: 90 days expect 64.3 (32.1 required), 30 days 21.4 (5.36 required).
		{name: "far below plan", acc: account(5), profiles: followers(1000, 1000), posts: every(13, 7*day, day, i64(20)),
			want: []string{CodeBelowPlan}, inMsg: []string{"plan of 5 per week: 5 posts in the last 30 days where the plan means about 21.4 (at least 5.36 required); 13 posts in the last 90 days"}},
		{name: "below plan over 90 days only", acc: account(2), profiles: followers(1000, 1000), posts: every(10, 3*day, day, i64(20)),
			want: []string{CodeBelowPlan}, inMsg: []string{"10 posts in the last 90 days"}},
		// 2 likes per post over 10,000 followers = 0.0002 < 0.001.
		{name: "engagement under the floor", acc: account(2), profiles: followers(10000, 10000), posts: every(60, 3*day, day, i64(2)),
			want: []string{CodeLowEngagement}, inMsg: []string{"0.02% of followers per post"}},
		{name: "too few posts to judge engagement", acc: account(0), profiles: followers(10000, 10000), posts: every(4, 3*day, day, i64(2))},
		{name: "no followers figure: engagement not judged", acc: account(2),
			profiles: []model.Profile{{Platform: "mastodon", FetchedAt: asOf.Add(-day)}}, posts: every(60, 3*day, day, i64(0))},
		{name: "zero followers: engagement not judged", acc: account(2), profiles: followers(0, 0), posts: every(60, 3*day, day, i64(0))},
		{name: "unknown figures count as activity, not as engagement", acc: account(2), profiles: followers(10000, 10000), posts: every(60, 3*day, day, nil)},
		{name: "followers falling", acc: account(2), profiles: followers(1000, 850), posts: every(60, 3*day, day, i64(20)),
			want: []string{CodeFollowersFalling}, inMsg: []string{"from 1,000 to 850 over the last 90 days (-15%)"}},
		{name: "followers falling by exactly the drop", acc: account(2), profiles: followers(1000, 900), posts: every(60, 3*day, day, i64(20)),
			want: []string{CodeFollowersFalling}},
		{name: "followers down a little", acc: account(2), profiles: followers(1000, 950), posts: every(60, 3*day, day, i64(20))},
		{name: "project past its end date", acc: project("2025-01-15"), profiles: followers(1000, 1000), posts: every(60, 3*day, day, i64(20)),
			want: []string{CodeProjectEnded}, inMsg: []string{`The project "Clean Water <North>" ended on 2025-01-15, 44 days ago`}},
		// End 2025-01-29: the project runs to Jan 30 00:00, plus 30 days is Mar 1 00:00.
		{name: "project ended exactly the allowed time ago", acc: project("2025-01-29"), profiles: followers(1000, 1000), posts: every(60, 3*day, day, i64(20)),
			want: []string{CodeProjectEnded}},
		{name: "project within its wrap-up time", acc: project("2025-01-30"), profiles: followers(1000, 1000), posts: every(60, 3*day, day, i64(20))},
		{name: "project with an unreadable end date is not judged", acc: project("soon"), profiles: followers(1000, 1000), posts: every(60, 3*day, day, i64(20))},
		{name: "never synced, old account", acc: account(2), want: []string{CodeNoData}, state: StateUnknown,
			inMsg: []string{"in the 731 days since it was registered"}}, // 2024 was a leap year,
		{name: "never synced, project past its end", acc: project("2024-06-30"), want: []string{CodeNoData, CodeProjectEnded}},
		{name: "never synced, brand-new account", acc: newAccount(10*day, 2), want: []string{CodeNoDataYet}, state: StateUnknown,
			inMsg: []string{"Without data by 2025-03-21 the account will be at risk"}},
		{name: "never synced, age unknown", acc: model.Account{Platform: "mastodon", Status: model.StatusActive}, want: []string{CodeNoData}, state: StateUnknown,
			inMsg: []string{"has ever been collected"}},
		// Registered an hour ago; the platform says created three years ago, last post 200 days ago.
		{name: "old quiet account registered today", acc: newAccount(time.Hour, 2),
			profiles: []model.Profile{{Followers: i64(500), FetchedAt: asOf.Add(-time.Minute), CreatedAt: ptrTime(asOf.AddDate(-3, 0, 0)), LastPostAt: ptrTime(asOf.Add(-200 * day))}},
			want:     []string{CodeNoRecentPosts, CodeBelowPlan}, inMsg: []string{"200 days ago (2024-08-13, as the platform reports)", "0 posts in the last 30 days"}},
		{name: "old account registered today, no post ever", acc: newAccount(time.Hour, 0),
			profiles: []model.Profile{{FetchedAt: asOf.Add(-time.Minute), CreatedAt: ptrTime(asOf.AddDate(-3, 0, 0))}},
			want:     []string{CodeNoRecentPosts}, inMsg: []string{"in the 1,096 days since it was created on the platform (2022-03-01)"}},
		{name: "the platform's last post is newer than the collected ones", acc: account(0), profiles: []model.Profile{
			{Followers: i64(1000), FetchedAt: asOf.Add(-day), LastPostAt: ptrTime(asOf.Add(-2 * day))}}, posts: every(20, 3*day, 45*day, i64(20))},
		{name: "an older platform date does not hide a newer post", acc: account(0), profiles: []model.Profile{
			{Followers: i64(1000), FetchedAt: asOf.Add(-day), LastPostAt: ptrTime(asOf.Add(-200 * day))}}, posts: every(20, 3*day, day, i64(20))},
		{name: "platform dates after asOf are ignored", acc: newAccount(time.Hour, 0), profiles: []model.Profile{
			{FetchedAt: asOf.Add(-time.Minute), CreatedAt: ptrTime(asOf.Add(day)), LastPostAt: ptrTime(asOf.Add(day))},
			{FetchedAt: asOf.Add(time.Hour), CreatedAt: ptrTime(asOf.AddDate(-3, 0, 0)), LastPostAt: ptrTime(asOf.Add(-200 * day))}}},
		{name: "a platform creation after registration changes nothing", acc: newAccount(10*day, 0), profiles: []model.Profile{
			{FetchedAt: asOf.Add(-time.Minute), CreatedAt: ptrTime(asOf.Add(-5 * day))}}},
		{name: "synced, never posted, brand-new account", acc: newAccount(10*day, 2), profiles: followers(0)},
		{name: "synced, never posted, old account", acc: newAccount(40*day, 0), profiles: followers(0),
			want: []string{CodeNoRecentPosts}, inMsg: []string{"No post by this account has been found in the 40 days"}},
		// 40 days old, 4 posts in 30 days (plan 2: 2.14 required): the 90-day window is not judged yet.
		{name: "account younger than the 90-day window", acc: newAccount(40*day, 2), profiles: followers(100), posts: every(4, 7*day, day, i64(1))},
		{name: "account younger than the 90-day window, too quiet over 30 days", acc: newAccount(40*day, 2), profiles: followers(100),
			posts: every(2, 20*day, day, i64(1)), want: []string{CodeBelowPlan}, inMsg: []string{"2 posts in the last 30 days"}},
		// Registered 5 days ago, but its collected posts go back 90 days: judged from its first post.
		{name: "existing account registered recently", acc: newAccount(5*day, 5), profiles: followers(100), posts: every(13, 7*day, day, i64(1)),
			want: []string{CodeBelowPlan}},
		{name: "posts and profiles after asOf are ignored", acc: account(0), profiles: append(followers(1000, 1000),
			model.Profile{Followers: i64(10), FetchedAt: asOf.Add(time.Hour)}), posts: append(every(20, 3*day, 45*day, i64(20)), every(3, day, -10*day, i64(20))...),
			want: []string{CodeNoRecentPosts}},
	}
	p := testParams()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(tc.acc, tc.profiles, tc.posts, p, asOf)
			if !slices.Equal(codes(r), tc.want) {
				t.Fatalf("reasons %v, want %v: %+v", codes(r), tc.want, r.Reasons)
			}
			wantState := StateHealthy
			if len(tc.want) > 0 {
				wantState = StateAtRisk
			}
			wantState = cmp.Or(tc.state, wantState)
			if r.State != wantState {
				t.Errorf("state %q, want %q", r.State, wantState)
			}
			// Only no-data-yet leaves an account that is not healthy out of risk.
			if atRisk := r.AtRisk(); atRisk != (r.State != StateHealthy && !slices.Equal(tc.want, []string{CodeNoDataYet})) {
				t.Errorf("AtRisk() = %t for %s %v", atRisk, r.State, codes(r))
			}
			for i, s := range tc.inMsg {
				if !strings.Contains(r.Reasons[i].Message, s) {
					t.Errorf("reason %s says %q, want it to hold %q", r.Reasons[i].Code, r.Reasons[i].Message, s)
				}
			}
			for _, x := range r.Reasons {
				if x.Clause != "4.6" || x.Message == "" {
					t.Errorf("reason %+v lacks its clause or message", x)
				}
			}
		})
	}
}

func TestEvaluateFigures(t *testing.T) {
	p := testParams()
	// Posts at exactly asOf-30d and asOf-90d fall outside their windows;
	// one at asOf is inside.
	posts := []model.Post{
		{PostedAt: asOf.Add(-90 * day), Likes: i64(9)},
		{PostedAt: asOf.Add(-30 * day), Likes: i64(1), Reposts: i64(2)},
		{PostedAt: asOf.Add(-29 * day), Replies: i64(3)},
		{PostedAt: asOf, Views: i64(1000)}, // views are not interactions
	}
	r := Evaluate(account(0), followers(200, 100), posts, p, asOf)
	if r.Posts30d != 2 || r.Posts90d != 3 {
		t.Errorf("posts 30d/90d = %d/%d, want 2/3", r.Posts30d, r.Posts90d)
	}
	if r.LastPostAt == nil || !r.LastPostAt.Equal(asOf) {
		t.Errorf("last post %v, want %v", r.LastPostAt, asOf)
	}
	// Two posts with figures in (asOf-90d, asOf]: (3 + 3) / 2 / 100 followers.
	if r.EngagementRate == nil || *r.EngagementRate != 0.03 {
		t.Errorf("engagement %v, want 0.03", r.EngagementRate)
	}
	if r.FollowerTrend == nil || *r.FollowerTrend != -0.5 {
		t.Errorf("follower trend %v, want -0.5", r.FollowerTrend)
	}
	// A trend needs a snapshot at least the window old.
	r = Evaluate(account(0), []model.Profile{{Followers: i64(50), FetchedAt: asOf.Add(-80 * day)}, {Followers: i64(10), FetchedAt: asOf}}, posts, p, asOf)
	if r.FollowerTrend != nil || slices.Contains(codes(r), CodeFollowersFalling) {
		t.Errorf("trend judged without a baseline: %v %v", r.FollowerTrend, codes(r))
	}
	if r.EngagementRate == nil || *r.EngagementRate != 0.3 {
		t.Errorf("engagement %v, want 0.3 from the latest snapshot", r.EngagementRate)
	}
}

func TestEvaluateFloorByPlatform(t *testing.T) {
	p := testParams()
	posts := every(20, 3*day, day, i64(1))
	// 1 interaction per post over 1000 followers = 0.001.
	for _, tc := range []struct {
		platform string
		floors   map[string]float64
		low      bool
	}{
		{"mastodon", map[string]float64{"mastodon": 0.0005}, false},
		{"mastodon", map[string]float64{"mastodon": 0.002}, true},
		{"bluesky", map[string]float64{"mastodon": 0.0005, "default": 0.002}, true},
		{"bluesky", map[string]float64{"mastodon": 0.002}, false}, // no floor, no default: not judged
	} {
		acc := account(0)
		acc.Platform = tc.platform
		p.EngagementFloor = tc.floors
		got := slices.Contains(codes(Evaluate(acc, followers(1000, 1000), posts, p, asOf)), CodeLowEngagement)
		if got != tc.low {
			t.Errorf("%s with floors %v: low engagement %v, want %v", tc.platform, tc.floors, got, tc.low)
		}
	}
}

// Order and time zones of the input change nothing: windows are in UTC.
func TestEvaluateOrderAndZones(t *testing.T) {
	p := testParams()
	posts := every(40, 2*day+7*time.Hour, 3*day, i64(3))
	want := Evaluate(account(4), followers(5000, 4000), posts, p, asOf)

	shuffled := slices.Clone(posts)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("UTC-5", -5*3600)
	}
	for i := range shuffled {
		shuffled[i].PostedAt = shuffled[i].PostedAt.In(ny)
	}
	got := Evaluate(account(4), followers(5000, 4000), shuffled, p, asOf.In(time.FixedZone("UTC+13", 13*3600)))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("shuffled and zoned input gave\n%+v\nwant\n%+v", got, want)
	}
	if got.EvaluatedAt.Location() != time.UTC || got.LastPostAt.Location() != time.UTC {
		t.Error("times are not in UTC")
	}
}

func TestResultJSON(t *testing.T) {
	r := Evaluate(account(2), []model.Profile{{FetchedAt: asOf}}, every(60, 3*day, day, nil), testParams(), asOf)
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"engagement_rate", "evaluated_at", "last_post_at", "posts_30d", "posts_90d", "reasons", "state"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	if m["engagement_rate"] != nil || m["state"] != "healthy" {
		t.Errorf("unknown engagement must be null and the state healthy: %s", data)
	}
	if reasons, ok := m["reasons"].([]any); !ok || len(reasons) != 0 {
		t.Errorf("reasons must be an empty list: %s", data)
	}
	r = Evaluate(account(0), nil, nil, testParams(), asOf)
	data, _ = json.Marshal(r)
	if !strings.Contains(string(data), `"state":"unknown","reasons":[{"code":"no-data","clause":"4.6","message":"`) {
		t.Errorf("reason encoding: %s", data)
	}
}

func TestDefaultPackHealth(t *testing.T) {
	pack, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	h := pack.Parameters.Health
	if err := h.Validate(); err != nil {
		t.Fatal(err)
	}
	// The pack's thresholds judge the healthy account healthy.
	acc := account(2)
	if r := Evaluate(acc, followers(1000, 1000), every(60, 3*day, day, i64(20)), h, asOf); r.State != StateHealthy {
		t.Errorf("healthy account judged %s: %v", r.State, r.Reasons)
	}
}
