package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/review"
	"github.com/herald-gov/herald/internal/worddiff"
)

// versionDiff is the draft page's "what changed" section: the current text
// against an earlier version, word by word.
type versionDiff struct {
	From, To int
	Versions []int // the earlier versions one may compare with
	HTML     template.HTML
	Changed  bool
}

// draftDiff compares the draft's current text with the version asked for
// in ?from= (by default the one before); nil when no earlier version is kept.
func (s *Server) draftDiff(r *http.Request, dv *review.DraftView) (*versionDiff, error) {
	vs, err := s.review.Versions(r.Context(), state(r).user, dv.Draft.ID)
	if err != nil {
		return nil, err
	}
	d := &versionDiff{To: dv.Draft.Version}
	texts := map[int]string{}
	for _, v := range vs {
		if v.Version < dv.Draft.Version {
			d.Versions = append(d.Versions, v.Version)
			texts[v.Version] = v.Text
		}
	}
	if len(d.Versions) == 0 {
		return nil, nil
	}
	d.From = d.Versions[len(d.Versions)-1]
	if n, err := strconv.Atoi(r.URL.Query().Get("from")); err == nil {
		if _, ok := texts[n]; ok {
			d.From = n
		}
	}
	spans := worddiff.Diff(texts[d.From], dv.Draft.Text)
	d.HTML, d.Changed = diffHTML(spans), worddiff.Changed(spans)
	return d, nil
}

// diffHTML marks deleted words with del and inserted ones with ins; all
// text is escaped.
func diffHTML(spans []worddiff.Span) template.HTML {
	var b strings.Builder
	for _, sp := range spans {
		text := template.HTMLEscapeString(sp.Text)
		switch sp.Kind {
		case worddiff.Delete:
			b.WriteString(`<del class="diff-del">` + text + `</del>`)
		case worddiff.Insert:
			b.WriteString(`<ins class="diff-ins">` + text + `</ins>`)
		default:
			b.WriteString(text)
		}
	}
	return template.HTML(b.String())
}
