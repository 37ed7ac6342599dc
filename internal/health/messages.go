package health

import (
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
)

// A reason's sentence is the i18n catalogs' health.<key> formatted with its
// Args: figures already written (dates as 2006-01-02, numbers with at most
// three significant digits), so a stored reason reads the same in any
// language. Counts that take a plural (posts) choose the key's .one or
// .other form by the reader's language (i18n.N).

// message is a reason's key and arguments.
type message struct {
	key  string
	args []string
}

// text is m in lang. below-plan's Args are the plan, then four figures per
// window (posts, days, expected, required), each window its own sentence.
func (m message) text(lang string) string {
	a := make([]any, len(m.args))
	for i, s := range m.args {
		a[i] = s
	}
	switch m.key {
	case "below-plan":
		var parts []string
		for w := m.args[1:]; len(w) >= 4; w = w[4:] {
			parts = append(parts, i18n.N(lang, "health.below-plan.window", atoi(w[0]), w[1], w[2], w[3]))
		}
		return i18n.T(lang, "health.below-plan", m.args[0], strings.Join(parts, i18n.T(lang, "health.below-plan.separator")))
	case "low-engagement":
		return i18n.N(lang, "health.low-engagement", atoi(m.args[1]), a[0], a[2], a[3], a[4])
	}
	return i18n.T(lang, "health."+m.key, a...)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
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

func msg(key string, args ...string) message { return message{key, args} }

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
	return msg(key, days(asOf.Sub(last)), date(last), strconv.Itoa(max))
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
	args := []string{num(plan)}
	for _, s := range short {
		args = append(args, strconv.Itoa(s.count), strconv.Itoa(s.days), num(s.expected), num(s.share*s.expected))
	}
	return msg("below-plan", args...)
}

func (messages) lowEngagement(rate, floor float64, posts, followers int64, window int) message {
	return msg("low-engagement", percent(rate), strconv.FormatInt(posts, 10), strconv.Itoa(window),
		strconv.FormatInt(followers, 10), percent(floor))
}

func (messages) followersFalling(from, to int64, trend float64, window int) message {
	return msg("followers-falling", strconv.FormatInt(from, 10), strconv.FormatInt(to, 10), strconv.Itoa(window), percent(trend))
}

func (messages) projectEnded(name string, end, asOf time.Time, grace int) message {
	args := []string{end.Format(time.DateOnly), days(asOf.Sub(end.Add(day))), strconv.Itoa(grace)}
	if name == "" {
		return msg("project-ended", args...)
	}
	return msg("project-ended.named", append([]string{name}, args...)...)
}

func days(d time.Duration) string { return strconv.Itoa(int(d / day)) }

func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// num writes a figure with at most three significant digits.
func num(f float64) string { return strconv.FormatFloat(f, 'g', 3, 64) }

func percent(f float64) string { return strconv.FormatFloat(f*100, 'g', 3, 64) + "%" }
