package health

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// EngagementChart draws, for each of the given weeks ending at asOf, the
// interactions per post per follower of that week's posts as a line, with
// the pack's floor (0 for none) as a dashed line. Posts without figures are
// left out; a week with none is a gap in the line, not a zero. Each week
// is divided by the follower count of the profile snapshot nearest its end,
// since snapshots are usually fewer than weeks.
func EngagementChart(lang string, posts []model.Post, profiles []model.Profile, floor float64, weeks int, asOf time.Time) template.HTML {
	n := clampWeeks(weeks)
	asOf = asOf.UTC()
	if !usable(floor) {
		floor = 0
	}
	sums, counts := make([]int64, n), make([]int64, n)
	for i := range posts {
		if k, ok := weekIndex(posts[i].PostedAt, asOf, n); ok {
			if v, ok := interactions(&posts[i]); ok {
				sums[k] += v
				counts[k]++
			}
		}
	}
	snaps := followerSnapshots(profiles, asOf)
	rates := make([]*float64, n)
	top := floor * 1.15 // room for the floor's label above its line
	for i := range rates {
		if counts[i] == 0 {
			continue
		}
		if f := nearestFollowers(snaps, weekEnd(i, n, asOf)); f > 0 {
			r := float64(sums[i]) / float64(counts[i]) / float64(f)
			rates[i] = &r
			top = max(top, r)
		}
	}
	if !(top > 0) {
		top = 0.01
	}

	var desc strings.Builder
	desc.WriteString(i18n.N(lang, "health.chart.engagement.desc", n, asOf.Format(time.DateOnly)))
	if floor > 0 {
		desc.WriteString(i18n.T(lang, "health.chart.engagement.floor", i18n.Percent(lang, floor)))
	}
	desc.WriteString(":")
	for i, r := range rates {
		v := i18n.T(lang, "health.chart.no_figures")
		if r != nil {
			v = i18n.Percent(lang, *r)
		}
		fmt.Fprintf(&desc, " %s, %s;", weekEnding(lang, i, n, asOf), v)
	}

	yMax, step := scale(top, 0)
	f := frame{lang: lang, title: i18n.T(lang, "health.chart.engagement.title"), desc: strings.TrimSuffix(desc.String(), ";") + ".", n: n, yMax: yMax, yStep: step, yLabel: func(v float64) string { return i18n.Percent(lang, v) }, asOf: asOf}
	if !slices.ContainsFunc(rates, func(r *float64) bool { return r != nil }) {
		f.emptyMessage = i18n.T(lang, "health.chart.engagement.empty")
	}
	var b strings.Builder
	f.open(&b)
	if floor > 0 {
		f.target(&b, "floor", floor, i18n.T(lang, "health.chart.floor_label", i18n.Percent(lang, floor)))
	}
	// The line: consecutive weeks with figures are joined, gaps stay open.
	var d strings.Builder
	for i, r := range rates {
		if r == nil {
			continue
		}
		op := "L"
		if i == 0 || rates[i-1] == nil {
			op = "M"
		}
		fmt.Fprintf(&d, "%s%s %s ", op, coord(f.xMid(i)), coord(f.y(*r)))
	}
	if d.Len() > 0 {
		fmt.Fprintf(&b, `<path class="line" d="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.TrimSpace(d.String()), colData)
	}
	for i, r := range rates {
		if r != nil {
			fmt.Fprintf(&b, `<circle class="point" cx="%s" cy="%s" r="3.5" fill="%s"><title>%s</title></circle>`,
				coord(f.xMid(i)), coord(f.y(*r)), colData,
				esc(weekEnding(lang, i, n, asOf)+": "+i18n.Percent(lang, *r)))
		}
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

type snapshot struct {
	at        time.Time
	followers int64
}

// followerSnapshots are the known follower counts up to asOf, oldest first.
func followerSnapshots(profiles []model.Profile, asOf time.Time) []snapshot {
	var s []snapshot
	for i := range profiles {
		if p := &profiles[i]; p.Followers != nil && !p.FetchedAt.After(asOf) {
			s = append(s, snapshot{p.FetchedAt, *p.Followers})
		}
	}
	slices.SortFunc(s, func(a, b snapshot) int { return a.at.Compare(b.at) })
	return s
}

// nearestFollowers is the count of the snapshot nearest t, 0 if none.
func nearestFollowers(s []snapshot, t time.Time) int64 {
	i, _ := slices.BinarySearchFunc(s, t, func(x snapshot, t time.Time) int { return x.at.Compare(t) })
	best := -1
	for _, j := range []int{i - 1, i} {
		if j >= 0 && j < len(s) && (best < 0 || absDur(s[j].at.Sub(t)) < absDur(s[best].at.Sub(t))) {
			best = j
		}
	}
	if best < 0 {
		return 0
	}
	return s[best].followers
}

func absDur(d time.Duration) time.Duration { return max(d, -d) }
