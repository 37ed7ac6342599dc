package health

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
)

// A reason's sentence is the i18n catalogs' health.<key> formatted with its
// Args. Figures are kept as numbers and written in the reader's language
// when the sentence is made (i18n.Number for whole numbers, i18n.Decimal with
// at most three significant digits, i18n.Percent for the fractions that
// percents names); dates are kept as 2006-01-02 and names as text. Reasons
// stored before figures were numbers hold them as text already written, and
// read as they were. Counts that take a plural (posts) choose the key's .one
// or .other form by the reader's language (i18n.N).

// message is a reason's key and arguments: float64 figures and strings.
type message struct {
	key  string
	args []any
}

// percents are, by key, the arguments that are fractions shown as
// percentages.
var percents = map[string][]int{"low-engagement": {0, 4}, "followers-falling": {3}}

// text is m in lang. below-plan's Args are the plan, then four figures per
// window (posts, days, expected, required), each window its own sentence.
func (m message) text(lang string) string {
	a := make([]any, len(m.args))
	for i := range m.args {
		a[i] = m.arg(lang, i)
	}
	switch m.key {
	case "below-plan":
		var parts []string
		for i := 1; i+4 <= len(m.args); i += 4 {
			parts = append(parts, i18n.N(lang, "health.below-plan.window", count(m.args[i]), a[i+1], a[i+2], a[i+3]))
		}
		return i18n.T(lang, "health.below-plan", a[0], strings.Join(parts, i18n.T(lang, "health.below-plan.separator")))
	case "low-engagement":
		return i18n.N(lang, "health.low-engagement", count(m.args[1]), a[0], a[2], a[3], a[4])
	}
	return i18n.T(lang, "health."+m.key, a...)
}

// arg is argument i as lang writes it: a figure by its kind, text (a date,
// a name, a figure stored already written) as it is.
func (m message) arg(lang string, i int) string {
	switch v := m.args[i].(type) {
	case float64:
		switch {
		case slices.Contains(percents[m.key], i):
			return i18n.Percent(lang, v)
		case v == math.Trunc(v) && math.Abs(v) < 1e15:
			return i18n.Number(lang, int(v))
		}
		return i18n.Decimal(lang, v)
	case string:
		return v
	}
	return fmt.Sprint(m.args[i])
}

// count is a count argument as a number, whether stored as a figure or as
// text.
func count(a any) int {
	switch v := a.(type) {
	case float64:
		return int(v)
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

// windowShortfall is one window in which an account posted below its plan.
type windowShortfall struct {
	days     int
	count    int
	expected float64
	share    float64
}

// messages builds the reasons' messages.
type messages struct{}

func msg(key string, args ...any) message { return message{key, args} }

func (messages) noDataYet(due time.Time) message {
	return msg("no-data-yet", date(due))
}

func (messages) noData(since, asOf time.Time) message {
	if since.IsZero() {
		return msg("no-data.never")
	}
	return msg("no-data.registered", days(asOf.Sub(since)))
}

func (messages) lastPostOld(last, asOf time.Time, max int, fromPlatform bool) message {
	key := "last-post-old"
	if fromPlatform {
		key = "last-post-old.platform"
	}
	return msg(key, days(asOf.Sub(last)), date(last), float64(max))
}

func (messages) noPosts(since, asOf time.Time, sinceCreated bool) message {
	switch {
	case since.IsZero():
		return msg("no-posts")
	case sinceCreated:
		return msg("no-posts.created", days(asOf.Sub(since)), date(since))
	}
	return msg("no-posts.registered", days(asOf.Sub(since)))
}

func (messages) belowPlan(plan float64, short []windowShortfall) message {
	args := []any{plan}
	for _, s := range short {
		args = append(args, float64(s.count), float64(s.days), s.expected, s.share*s.expected)
	}
	return msg("below-plan", args...)
}

func (messages) lowEngagement(rate, floor float64, posts, followers int64, window int) message {
	return msg("low-engagement", rate, float64(posts), float64(window), float64(followers), floor)
}

func (messages) followersFalling(from, to int64, trend float64, window int) message {
	return msg("followers-falling", float64(from), float64(to), float64(window), trend)
}

func (messages) projectEnded(name string, end, asOf time.Time, grace int) message {
	args := []any{end.Format(time.DateOnly), days(asOf.Sub(end.Add(day))), float64(grace)}
	if name == "" {
		return msg("project-ended", args...)
	}
	return msg("project-ended.named", append([]any{name}, args...)...)
}

func days(d time.Duration) float64 { return float64(int(d / day)) }

func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }
