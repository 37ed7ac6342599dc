package health

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// PostsPerWeekChart draws the posts of the given weeks ending at asOf as
// bars, with the declared plan (posts per week, 0 for none) as a dashed
// line. weeks is kept within 1..520; the words are in lang.
func PostsPerWeekChart(lang string, posts []model.Post, plan float64, weeks int, asOf time.Time) template.HTML {
	n := clampWeeks(weeks)
	asOf = asOf.UTC()
	if !usable(plan) {
		plan = 0
	}
	counts := make([]int, n)
	top := max(plan*1.15, 1) // room for the plan's label above its line
	for i := range posts {
		if k, ok := weekIndex(posts[i].PostedAt, asOf, n); ok {
			counts[k]++
			top = max(top, float64(counts[k]))
		}
	}

	var desc strings.Builder
	desc.WriteString(i18n.N(lang, "health.chart.posts.desc", n, asOf.Format(time.DateOnly)))
	if plan > 0 {
		desc.WriteString(i18n.T(lang, "health.chart.posts.plan", i18n.Decimal(lang, plan)))
	}
	desc.WriteString(":")
	for i, c := range counts {
		fmt.Fprintf(&desc, " %s, %s;", weekEnding(lang, i, n, asOf), i18n.N(lang, "health.chart.posts", c))
	}

	yMax, step := scale(top, 1)
	f := frame{lang: lang, title: i18n.T(lang, "health.chart.posts.title"), desc: strings.TrimSuffix(desc.String(), ";") + ".", n: n, yMax: yMax, yStep: step, yLabel: func(v float64) string { return i18n.Decimal(lang, v) }, asOf: asOf}
	var b strings.Builder
	f.open(&b)
	barW := f.slotW() * 0.7
	for i, c := range counts {
		x := f.x(i) + (f.slotW()-barW)/2
		fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
			coord(x), coord(f.y(float64(c))), coord(barW), coord(f.h(float64(c))), colData,
			esc(weekEnding(lang, i, n, asOf)+": "+i18n.N(lang, "health.chart.posts", c)))
	}
	if plan > 0 {
		f.target(&b, "plan", plan, i18n.T(lang, "health.chart.plan_label", i18n.Decimal(lang, plan)))
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}
