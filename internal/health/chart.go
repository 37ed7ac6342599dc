package health

import (
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
)

// The charts are SVG drawn on the server: readable without JavaScript,
// scaled by their viewBox, named for screen readers by a <title> and a
// <desc> that lists every figure. Colours are checked against the white
// background in the tests (text 4.5:1, lines and bars as well).
const (
	chartW, chartH = 640, 240
	padL, padR     = 56, 16
	padT, padB     = 16, 32
	plotW          = chartW - padL - padR
	plotH          = chartH - padT - padB

	colBackground = "#ffffff"
	colInk        = "#1f1f1f" // text and axis
	colGrid       = "#d0d0d0" // decoration only: the figures are in the labels and the desc
	colData       = "#1d5b8f" // bars and the engagement line
	colTarget     = "#a4262c" // the plan or the floor, also dashed so colour is not the only cue

	week = 7 * day
	// maxWeeks bounds a chart's width in bars so a bad argument cannot make
	// an enormous document.
	maxWeeks = 520
)

// usable reports whether a plan or floor can be drawn: positive and finite.
func usable(v float64) bool { return v > 0 && !math.IsInf(v, 1) }

// clampWeeks keeps a requested number of weeks within 1..maxWeeks.
func clampWeeks(n int) int { return min(max(n, 1), maxWeeks) }

// weekIndex is the slot of t among n weeks ending at asOf, slot n-1 being
// (asOf-7d, asOf], the same half-open windows Evaluate uses; ok is false
// outside the chart.
func weekIndex(t, asOf time.Time, n int) (int, bool) {
	d := asOf.Sub(t)
	if d < 0 {
		return 0, false
	}
	k := int(d / week)
	if k >= n {
		return 0, false
	}
	return n - 1 - k, true
}

// weekEnd is the last day of slot i among n weeks ending at asOf.
func weekEnd(i, n int, asOf time.Time) time.Time { return asOf.Add(-time.Duration(n-1-i) * week) }

// weekEnding names slot i in lang: "week ending 2025-03-01".
func weekEnding(lang string, i, n int, asOf time.Time) string {
	return i18n.T(lang, "health.chart.week_ending", weekEnd(i, n, asOf).Format(time.DateOnly))
}

// frame is a chart's axes: n slots across, 0..yMax up.
type frame struct {
	lang         string
	title, desc  string
	n            int
	yMax, yStep  float64
	yLabel       func(float64) string
	asOf         time.Time
	emptyMessage string // drawn across the plot when there is nothing to show
}

func (f frame) slotW() float64      { return float64(plotW) / float64(f.n) }
func (f frame) x(i int) float64     { return padL + float64(i)*f.slotW() }
func (f frame) xMid(i int) float64  { return f.x(i) + f.slotW()/2 }
func (f frame) y(v float64) float64 { return padT + plotH - f.h(v) }
func (f frame) h(v float64) float64 { return v / f.yMax * plotH }
func (f frame) id() string          { return fmt.Sprintf("hc%x", fnv32(f.title+f.desc)) }
func fnv32(s string) uint32         { h := fnv.New32a(); h.Write([]byte(s)); return h.Sum32() }
func esc(s string) string           { return html.EscapeString(s) }
func coord(v float64) string        { return fmt.Sprintf("%.1f", v) }
func (f frame) bottom() string      { return coord(padT + plotH) }
func (f frame) right() string       { return coord(padL + plotW) }

// open writes the document's start: the accessible name and description,
// the background, the horizontal grid with its labels and the week labels.
func (f frame) open(b *strings.Builder) {
	id := f.id()
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" font-family="sans-serif" font-size="12">`, chartW, chartH, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(f.title), id, esc(f.desc))
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="%s"/>`, chartW, chartH, colBackground)
	for v := 0.0; v <= f.yMax*(1+1e-9); v += f.yStep {
		y := coord(f.y(v))
		fmt.Fprintf(b, `<line class="grid" x1="%d" x2="%s" y1="%s" y2="%s" stroke="%s"/>`, padL, f.right(), y, y, colGrid)
		fmt.Fprintf(b, `<text class="ylabel" x="%d" y="%s" text-anchor="end" dominant-baseline="middle" fill="%s">%s</text>`, padL-6, y, colInk, esc(f.yLabel(v)))
	}
	fmt.Fprintf(b, `<line class="axis" x1="%d" x2="%s" y1="%s" y2="%s" stroke="%s"/>`, padL, f.right(), f.bottom(), f.bottom(), colInk)
	every := (f.n + 7) / 8 // at most eight week labels
	for i := f.n - 1; i >= 0; i -= every {
		fmt.Fprintf(b, `<text class="xlabel" x="%s" y="%d" text-anchor="middle" fill="%s">%s</text>`, coord(f.xMid(i)), chartH-padB/2+4, colInk, esc(dateLabel(f.lang, weekEnd(i, f.n, f.asOf))))
	}
	if f.emptyMessage != "" {
		fmt.Fprintf(b, `<text class="empty" x="%d" y="%d" text-anchor="middle" fill="%s">%s</text>`, padL+plotW/2, padT+plotH/2, colInk, esc(f.emptyMessage))
	}
}

// target draws the dashed horizontal line of a plan or floor, with its label.
func (f frame) target(b *strings.Builder, class string, v float64, label string) {
	y := f.y(v)
	fmt.Fprintf(b, `<line class="%s" x1="%d" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`, class, padL, f.right(), coord(y), coord(y), colTarget)
	fmt.Fprintf(b, `<text class="%s-label" x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, class, f.right(), coord(y-5), colTarget, esc(label))
}

// dateLabel is a week label of the x axis: "1 Mar", "1 mars", "1 mar.".
func dateLabel(lang string, t time.Time) string {
	t = t.UTC()
	return i18n.T(lang, "health.chart.date", t.Day(), i18n.T(lang, "health.chart.month."+strconv.Itoa(int(t.Month()))))
}

// scale returns a round top for the y axis at or above top (never 0) and
// the step between its grid lines; minStep keeps counts on whole numbers.
func scale(top, minStep float64) (yMax, step float64) {
	if !(top > 0) || math.IsInf(top, 0) {
		top = 1
	}
	raw := top / 4
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f <= 1:
		step = p
	case f <= 2:
		step = 2 * p
	case f <= 5:
		step = 5 * p
	default:
		step = 10 * p
	}
	step = max(step, minStep)
	return math.Ceil(top/step-1e-9) * step, step
}
