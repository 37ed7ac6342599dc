package health

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// catalog holds every sentence a Reason carries, in English, keyed by a
// message id, as fmt formats whose verbs take the figures named in the
// comments. A translation adds a catalog with the same keys and verbs;
// nothing else changes. The figures themselves (plural, num, percent) are
// written by the helpers at the end of this file.
var catalog = map[string]string{
	// the date by which data must come
	"no-data-yet": "No activity data yet: the account has not been synced and no analytics file has been imported, so its activity is unknown. " +
		"What to do: an admin stores the platform's access token (herald credential set) so that Herald reads the account, or the account's manager imports the platform's analytics export on the account page; then evaluate again. " +
		"Without data by %s the account will be at risk.",
	"no-data.never": "No activity data has ever been collected for this account: it has never been synced and no analytics file was imported, so it cannot be shown to meet 4.6. " +
		"What to do: an admin stores the platform's access token (herald credential set), or the account's manager imports the platform's analytics export on the account page; then evaluate again.",
	// days since registration
	"no-data.registered": "No activity data has been collected for this account in the %d days since it was registered: it has never been synced and no analytics file was imported, so it cannot be shown to meet 4.6. " +
		"What to do: an admin stores the platform's access token (herald credential set), or the account's manager imports the platform's analytics export on the account page; then evaluate again.",
	// days, date, limit in days
	"last-post-old": "The last post was %d days ago (%s); the limit is %d days.",
	// days, date, limit in days
	"last-post-old.platform": "The last post was %d days ago (%s, as the platform reports); the limit is %d days.",
	"no-posts":               "No post by this account has been found.",
	// days since registration
	"no-posts.registered": "No post by this account has been found in the %d days since it was registered.",
	// days, the date the platform gives for the account's creation
	"no-posts.created": "No post by this account has been found in the %d days since it was created on the platform (%s).",
	// posts, days, expected, required
	"below-plan.window": "%s in the last %d days where the plan means about %s (at least %s required)",
	// plan per week, the windows joined by "; "
	"below-plan": "The account posts well below its declared plan of %s per week: %s.",
	// rate, posts, window days, followers, floor
	"low-engagement": "Engagement is %s of followers per post (interactions averaged over %s of the last %d days, %d followers); the floor for this platform is %s.",
	// from, to, window days, change
	"followers-falling": "Followers fell from %d to %d over the last %d days (%s).",
	// project, end date, days ago, allowed days
	"project-ended": "%s ended on %s, %d days ago; a project account may run %d days after its project ends.",
	"project":       "The project",
	// the project's name, quoted
	"project.named": "The project %q",
}

// messages builds the sentences of the reasons from the catalog.
type messages struct{}

func (messages) text(key string, args ...any) string { return fmt.Sprintf(catalog[key], args...) }

// windowShortfall is one window in which an account posted below its plan.
type windowShortfall struct {
	days     int
	count    int
	expected float64
	share    float64
}

func (m messages) noDataYet(due time.Time) string {
	return m.text("no-data-yet", due.UTC().Format(time.DateOnly))
}

func (m messages) noData(since, asOf time.Time) string {
	if since.IsZero() {
		return m.text("no-data.never")
	}
	return m.text("no-data.registered", days(asOf.Sub(since)))
}

func (m messages) lastPostOld(last, asOf time.Time, max int, fromPlatform bool) string {
	key := "last-post-old"
	if fromPlatform {
		key = "last-post-old.platform"
	}
	return m.text(key, days(asOf.Sub(last)), last.UTC().Format(time.DateOnly), max)
}

func (m messages) noPosts(since, asOf time.Time, sinceCreated bool) string {
	switch {
	case since.IsZero():
		return m.text("no-posts")
	case sinceCreated:
		return m.text("no-posts.created", days(asOf.Sub(since)), since.UTC().Format(time.DateOnly))
	}
	return m.text("no-posts.registered", days(asOf.Sub(since)))
}

func (m messages) belowPlan(plan float64, short []windowShortfall) string {
	parts := make([]string, len(short))
	for i, s := range short {
		parts[i] = m.text("below-plan.window", plural(s.count, "post"), s.days, num(s.expected), num(s.share*s.expected))
	}
	return m.text("below-plan", num(plan), strings.Join(parts, "; "))
}

func (m messages) lowEngagement(rate, floor float64, posts, followers int64, window int) string {
	return m.text("low-engagement", percent(rate), plural(int(posts), "post"), window, followers, percent(floor))
}

func (m messages) followersFalling(from, to int64, trend float64, window int) string {
	return m.text("followers-falling", from, to, window, percent(trend))
}

func (m messages) projectEnded(name string, end, asOf time.Time, grace int) string {
	project := m.text("project")
	if name != "" {
		project = m.text("project.named", name)
	}
	return m.text("project-ended", project, end.Format(time.DateOnly), days(asOf.Sub(end.Add(day))), grace)
}

func days(d time.Duration) int { return int(d / day) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// num writes a figure with at most three significant digits.
func num(f float64) string { return strconv.FormatFloat(f, 'g', 3, 64) }

func percent(f float64) string { return strconv.FormatFloat(f*100, 'g', 3, 64) + "%" }
