package web

import (
	"fmt"
	"html"
	"html/template"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// validSpan reports whether a finding marks a piece of text: offsets in
// range, on character boundaries, not empty.
func validSpan(text string, f model.Finding) bool {
	return f.Start >= 0 && f.Start < f.End && f.End <= len(text) &&
		utf8.RuneStart(text[f.Start]) && (f.End == len(text) || utf8.RuneStart(text[f.End]))
}

// highlight renders text with each finding's span in a <mark> that names
// the finding's number and severity; overlapping spans are split into
// segments that list every finding covering them. Everything from the post
// is escaped here, since the result is trusted HTML.
func highlight(lang, text string, findings []model.Finding) template.HTML {
	cuts := []int{0, len(text)}
	for _, f := range findings {
		if validSpan(text, f) {
			cuts = append(cuts, f.Start, f.End)
		}
	}
	sort.Ints(cuts)
	var b strings.Builder
	started := map[int]bool{}
	for i := 0; i+1 < len(cuts); i++ {
		lo, hi := cuts[i], cuts[i+1]
		if lo == hi {
			continue
		}
		var cover []int // finding numbers, 1-based
		worst := ""
		for n, f := range findings {
			if validSpan(text, f) && f.Start <= lo && hi <= f.End {
				cover = append(cover, n+1)
				if worst == "" || model.SeverityRank(f.Severity) > model.SeverityRank(worst) {
					worst = f.Severity
				}
			}
		}
		seg := html.EscapeString(text[lo:hi])
		if len(cover) == 0 {
			b.WriteString(seg)
			continue
		}
		id := ""
		for _, n := range cover {
			if !started[n] {
				started[n] = true
				if id == "" {
					id = fmt.Sprintf(` id="mark-%d"`, n)
				}
			}
		}
		nums := strings.Trim(fmt.Sprint(cover), "[]")
		fmt.Fprintf(&b, `<mark class="finding sev-%s"%s data-findings="%s">%s</mark>`,
			html.EscapeString(worst), id, nums, seg)
		for _, n := range cover {
			f := findings[n-1]
			if f.End == hi {
				fmt.Fprintf(&b, `<sup class="ref"><a href="#finding-%d" aria-label="%s">%d</a></sup>`,
					n, html.EscapeString(i18n.T(lang, "finding.ref", n, enum(lang, "severity", f.Severity))), n)
			}
		}
	}
	return template.HTML(b.String())
}

// findingView is one finding as the check and draft pages list it.
type findingView struct {
	N                                   int
	Rule, Clause, ClauseTitle, Severity string
	Message, Suggestion, Where          string
}

// findingViews numbers a report's findings for the page, with their
// clauses' titles and where each applies.
func (s *Server) findingViews(lang, text string, fs []model.Finding) ([]findingView, string) {
	pack := s.checker.Pack()
	counts := map[string]int{}
	var out []findingView
	for i, f := range fs {
		fv := findingView{N: i + 1, Rule: f.Rule, Clause: f.Clause, Severity: f.Severity, Message: f.Message, Suggestion: f.Suggestion}
		for _, c := range pack.Clauses {
			if c.ID == f.Clause {
				fv.ClauseTitle = c.Title.In(lang)
			}
		}
		switch {
		case f.Image != nil:
			fv.Where = i18n.T(lang, "finding.where.image", *f.Image+1)
		case !validSpan(text, f):
			fv.Where = i18n.T(lang, "finding.where.whole_post")
		}
		counts[f.Severity]++
		out = append(out, fv)
	}
	var parts []string
	for _, sev := range []string{model.SeverityError, model.SeverityWarning, model.SeverityAdvice} {
		if n := counts[sev]; n > 0 {
			parts = append(parts, i18n.N(lang, "plural."+sev, n))
		}
	}
	return out, strings.Join(parts, ", ")
}
