// Package health judges whether an institutional account is still "updated
// regularly" and engaging "its intended audience consistently and
// sufficiently" (policy 4.6), against the pack's thresholds, and moves it
// along the path from at risk to a closure proposal. It is pure: the caller
// reads the account, its profiles and posts and stores the result.
package health

import (
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// States of a Result. Unknown is its own state: an account with no
// activity data at all is never reported healthy.
const (
	StateHealthy = "healthy"
	StateAtRisk  = "at-risk"
	StateUnknown = "unknown"
)

// Reason codes.
const (
	CodeNoRecentPosts    = "no-recent-posts"
	CodeBelowPlan        = "below-plan"
	CodeLowEngagement    = "low-engagement"
	CodeFollowersFalling = "followers-falling"
	CodeProjectEnded     = "project-ended"
	// No activity data at all (state unknown). no-data-yet while the
	// account is younger than max_days_since_last_post; no-data after,
	// which puts the account at risk (Result.AtRisk).
	CodeNoDataYet = "no-data-yet"
	CodeNoData    = "no-data"
)

// Clause is the paragraph of the policy every reason cites.
const Clause = "4.6"

const day = 24 * time.Hour

// Reason is one way in which an account falls short of 4.6.
type Reason struct {
	Code    string `json:"code"`
	Clause  string `json:"clause"`
	Message string `json:"message"` // in English
	// Key and Args give Message in another language (Text): figures are
	// numbers, dates and names strings; in reasons stored before figures
	// were numbers, every argument is a string already written.
	Key  string `json:"key,omitempty"`
	Args []any  `json:"args,omitempty"`
}

// Text is the reason in lang; its English Message when it was stored
// before reasons had keys.
func (x Reason) Text(lang string) string {
	if x.Key == "" {
		return x.Message
	}
	return message{x.Key, x.Args}.text(lang)
}

// Result is an account's health on one date, as the API shows it under
// "health". Figures that could not be worked out are nil, never zero.
type Result struct {
	State          string     `json:"state"`
	Reasons        []Reason   `json:"reasons"`
	LastPostAt     *time.Time `json:"last_post_at"`
	Posts30d       int        `json:"posts_30d"`
	Posts90d       int        `json:"posts_90d"`
	EngagementRate *float64   `json:"engagement_rate"`
	// FollowerTrend is the change in followers over the pack's trend
	// window, as a fraction (-0.12 for a loss of 12%).
	FollowerTrend *float64  `json:"follower_trend,omitempty"`
	EvaluatedAt   time.Time `json:"evaluated_at"`
}

// Codes lists the reasons' codes, for logs and audit summaries.
func (r Result) Codes() string {
	codes := make([]string, len(r.Reasons))
	for i, x := range r.Reasons {
		codes[i] = x.Code
	}
	return strings.Join(codes, ", ")
}

// AtRisk reports whether the result puts the account at risk under 4.6:
// judged at risk, or unknown for longer than an account may go without
// data (no-data): an account that cannot be shown to meet 4.6 is at risk.
func (r Result) AtRisk() bool {
	return r.State == StateAtRisk || (r.State == StateUnknown && r.has(CodeNoData))
}

func (r Result) has(code string) bool {
	for _, x := range r.Reasons {
		if x.Code == code {
			return true
		}
	}
	return false
}

// Evaluate judges acc as of asOf from what the connectors and imports
// collected: its profile snapshots and posts, in any order. Data dated
// after asOf is ignored, so a past date can be re-evaluated. Every window
// is (asOf - N days, asOf], in UTC.
//
// An account is given the time a window needs before that window is judged:
// it is known from the earliest of its registration, its first collected
// post and its creation date on the platform. So a brand-new account is not
// at risk for not having posted yet, while an old account registered today
// is judged on its first sync. The last post is the later of the newest
// collected post and the last post date the platform gives.
//
// An account with no data at all (never synced nor imported) is unknown,
// with no-data-yet until it is older than max_days_since_last_post and
// no-data after; a reason found without data (a project past its end) makes
// it at risk.
func Evaluate(acc model.Account, profiles []model.Profile, posts []model.Post, p policy.HealthParams, asOf time.Time) Result {
	asOf = asOf.UTC()
	r := Result{State: StateHealthy, Reasons: []Reason{}, EvaluatedAt: asOf}
	var m messages

	// One pass over the posts, in any order, measuring each post's age once
	// (time.Sub saturates, so no date overflows).
	engWindow := time.Duration(p.EngagementDays) * day
	var first, last time.Time
	var newest, oldest time.Duration
	var seen bool
	var engPosts, engSum int64
	for i := range posts {
		post := &posts[i]
		age := asOf.Sub(post.PostedAt)
		if age < 0 {
			continue
		}
		if !seen || age < newest {
			newest, last = age, post.PostedAt
		}
		if !seen || age > oldest {
			oldest, first = age, post.PostedAt
		}
		seen = true
		if age < 30*day {
			r.Posts30d++
		}
		if age < 90*day {
			r.Posts90d++
		}
		if age < engWindow {
			if n, ok := interactions(post); ok {
				engPosts++
				engSum += n
			}
		}
	}

	followers, baseline, snapshots := followerFigures(profiles, asOf, asOf.Add(-time.Duration(p.FollowerTrendDays)*day))
	created, platformLast := platformDates(profiles, asOf)

	registered := acc.CreatedAt
	since := registered
	if seen && (since.IsZero() || first.Before(since)) {
		since = first
	}
	sinceCreated := false // since is the platform's creation date
	if created != nil && (since.IsZero() || created.Before(since)) {
		since, sinceCreated = *created, true
	}
	// known reports whether the account has been known for at least d;
	// an account whose age is unknown is judged.
	known := func(d time.Duration) bool { return since.IsZero() || asOf.Sub(since) >= d }
	maxQuiet := time.Duration(p.MaxDaysSinceLastPost) * day

	lastFromPlatform := false
	if platformLast != nil && (!seen || platformLast.After(last)) {
		seen, last, newest, lastFromPlatform = true, *platformLast, asOf.Sub(*platformLast), true
	}
	if seen {
		lp := last.UTC()
		r.LastPostAt = &lp
	}

	noData := !seen && snapshots == 0
	if noData {
		// Never synced nor imported: nothing can be said about activity.
		// That is itself a failure to monitor the account once it has had
		// the time a quiet account gets.
		if known(maxQuiet) {
			r.add(CodeNoData, m.noData(registered, asOf))
		} else {
			r.add(CodeNoDataYet, m.noDataYet(since.Add(maxQuiet)))
		}
	} else {
		switch {
		case seen && newest > maxQuiet:
			r.add(CodeNoRecentPosts, m.lastPostOld(last, asOf, p.MaxDaysSinceLastPost, lastFromPlatform))
		case !seen && known(maxQuiet):
			r.add(CodeNoRecentPosts, m.noPosts(since, asOf, sinceCreated))
		}
		if plan := acc.PostsPerWeek; plan > 0 {
			var short []windowShortfall
			for _, w := range []struct {
				days  int
				count int
				share float64
			}{{30, r.Posts30d, p.MinPlanShare30d}, {90, r.Posts90d, p.MinPlanShare90d}} {
				expected := plan * float64(w.days) / 7
				if w.share > 0 && known(time.Duration(w.days)*day) && float64(w.count) < w.share*expected {
					short = append(short, windowShortfall{w.days, w.count, expected, w.share})
				}
			}
			if len(short) > 0 {
				r.add(CodeBelowPlan, m.belowPlan(plan, short))
			}
		}
	}

	if followers != nil && *followers > 0 && engPosts > 0 {
		rate := float64(engSum) / float64(engPosts) / float64(*followers)
		r.EngagementRate = &rate
		if floor, ok := engagementFloor(p, acc.Platform); ok && engPosts >= int64(p.MinPostsForEngagement) && rate < floor {
			r.add(CodeLowEngagement, m.lowEngagement(rate, floor, engPosts, *followers, p.EngagementDays))
		}
	}

	if followers != nil && baseline != nil && *baseline > 0 {
		trend := float64(*followers-*baseline) / float64(*baseline)
		r.FollowerTrend = &trend
		if trend <= -p.FollowerDrop {
			r.add(CodeFollowersFalling, m.followersFalling(*baseline, *followers, trend, p.FollowerTrendDays))
		}
	}

	if acc.Kind == model.KindProject && acc.Project != nil && acc.Project.EndDate != "" {
		// An unreadable date is the registry's to refuse; it is not judged here.
		if end, err := time.Parse(time.DateOnly, strings.TrimSpace(acc.Project.EndDate)); err == nil {
			// The project runs to the end of its end date.
			if !asOf.Before(end.Add(day + time.Duration(p.ProjectEndDays)*day)) {
				r.add(CodeProjectEnded, m.projectEnded(acc.Project.Name, end, asOf, p.ProjectEndDays))
			}
		}
	}

	switch {
	case len(r.Reasons) > 1 || (len(r.Reasons) == 1 && !noData):
		r.State = StateAtRisk // a reason found with or without data
	case noData:
		r.State = StateUnknown
	}
	return r
}

func (r *Result) add(code string, m message) {
	r.Reasons = append(r.Reasons, Reason{Code: code, Clause: Clause, Message: m.text("en"), Key: m.key, Args: m.args})
}

// interactions is model.Post.Interactions without copying the post.
func interactions(p *model.Post) (n int64, ok bool) {
	for _, v := range [...]*int64{p.Replies, p.Reposts, p.Likes} {
		if v != nil {
			n += *v
			ok = true
		}
	}
	return n, ok
}

// followerFigures returns the latest known follower count at or before
// asOf, the latest at or before trendFrom (the trend's baseline), and how
// many profile snapshots were taken by asOf.
func followerFigures(profiles []model.Profile, asOf, trendFrom time.Time) (current, baseline *int64, snapshots int) {
	var curAt, baseAt time.Time
	for i := range profiles {
		pr := &profiles[i]
		t := pr.FetchedAt
		if t.After(asOf) {
			continue
		}
		snapshots++
		if pr.Followers == nil {
			continue
		}
		if current == nil || t.After(curAt) {
			current, curAt = pr.Followers, t
		}
		if !t.After(trendFrom) && (baseline == nil || t.After(baseAt)) {
			baseline, baseAt = pr.Followers, t
		}
	}
	return current, baseline, snapshots
}

// platformDates returns what the platform said of the account in the
// snapshots taken by asOf: the earliest creation date and the latest last
// post date, each nil when never given (or given as after asOf).
func platformDates(profiles []model.Profile, asOf time.Time) (created, last *time.Time) {
	for i := range profiles {
		pr := &profiles[i]
		if pr.FetchedAt.After(asOf) {
			continue
		}
		if c := pr.CreatedAt; c != nil && !c.After(asOf) && (created == nil || c.Before(*created)) {
			created = c
		}
		if l := pr.LastPostAt; l != nil && !l.After(asOf) && (last == nil || l.After(*last)) {
			last = l
		}
	}
	return created, last
}

// engagementFloor is the pack's floor for platform, or its default.
func engagementFloor(p policy.HealthParams, platform string) (float64, bool) {
	if f, ok := p.EngagementFloor[platform]; ok {
		return f, true
	}
	f, ok := p.EngagementFloor["default"]
	return f, ok
}
