package health

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// messages builds every sentence a Reason carries, in English with the
// figures, so that translating them later touches only this file.
type messages struct{}

// windowShortfall is one window in which an account posted below its plan.
type windowShortfall struct {
	days     int
	count    int
	expected float64
	share    float64
}

func (messages) noData(since, asOf time.Time) string {
	if since.IsZero() {
		return "No activity data has ever been collected for this account: it has never been synced and no analytics file was imported."
	}
	return fmt.Sprintf("No activity data has been collected for this account in the %d days since it was registered: it has never been synced and no analytics file was imported.", days(asOf.Sub(since)))
}

func (messages) lastPostOld(last, asOf time.Time, max int) string {
	return fmt.Sprintf("The last post was %d days ago (%s); the limit is %d days.", days(asOf.Sub(last)), last.UTC().Format(time.DateOnly), max)
}

func (messages) noPosts(since, asOf time.Time) string {
	if since.IsZero() {
		return "No post by this account has been found."
	}
	return fmt.Sprintf("No post by this account has been found in the %d days since it was registered.", days(asOf.Sub(since)))
}

func (messages) belowPlan(plan float64, short []windowShortfall) string {
	parts := make([]string, len(short))
	for i, s := range short {
		parts[i] = fmt.Sprintf("%s in the last %d days where the plan means about %s (at least %s required)",
			plural(s.count, "post"), s.days, num(s.expected), num(s.share*s.expected))
	}
	return fmt.Sprintf("The account posts well below its declared plan of %s per week: %s.", num(plan), strings.Join(parts, "; "))
}

func (messages) lowEngagement(rate, floor float64, posts, followers int64, window int) string {
	return fmt.Sprintf("Engagement is %s of followers per post (interactions averaged over %s of the last %d days, %d followers); the floor for this platform is %s.",
		percent(rate), plural(int(posts), "post"), window, followers, percent(floor))
}

func (messages) followersFalling(from, to int64, trend float64, window int) string {
	return fmt.Sprintf("Followers fell from %d to %d over the last %d days (%s).", from, to, window, percent(trend))
}

func (messages) projectEnded(name string, end, asOf time.Time, grace int) string {
	project := "The project"
	if name != "" {
		project = fmt.Sprintf("The project %q", name)
	}
	return fmt.Sprintf("%s ended on %s, %d days ago; a project account may run %d days after its project ends.",
		project, end.Format(time.DateOnly), days(asOf.Sub(end.Add(day))), grace)
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
