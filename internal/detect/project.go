package detect

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/herald-gov/herald/internal/policy"
)

// projectStopwords are words of a project's name too common to stand for
// the project alone (en, fr, es).
var projectStopwords = wordSet(`project projects programme program proyecto programa projet
	support supporting strengthening construction building improvement improving development
	rehabilitation national regional phase the and for with from des les pour avec dans del
	para los las con por une sur aux entre`)

type projectFocusDetector struct{}

func newProjectFocus(*params, *policy.Organization, *policy.Parameters) (Detector, error) {
	return projectFocusDetector{}, nil
}

func (projectFocusDetector) Detect(in *Input) []Match {
	if in.Draft == nil || in.Draft.Account.Project == nil || strings.TrimSpace(in.Draft.Account.Project.Name) == "" {
		return nil
	}
	p := in.Draft.Account.Project
	text := foldText(in.Text)
	name := foldText(p.Name)
	if containsWord(text, name) {
		return nil
	}
	// Any distinctive word of the name counts as a short form.
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !isWordRune(r) }) {
		if len([]rune(w)) >= 3 && !projectStopwords[w] && containsWord(text, w) {
			return nil
		}
	}
	for _, k := range p.Keywords {
		if k = foldText(strings.TrimSpace(k)); k != "" && containsWord(text, k) {
			return nil
		}
	}
	return []Match{{}}
}

// foldText lower-cases s and removes diacritics, so "Éducation" and
// "education" compare equal. Hashtags and handles keep their words: the
// '#' and '@' are not letters, so word boundaries still fall around them.
func foldText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// containsWord reports whether needle occurs in s with no letter or digit
// touching it on either side.
func containsWord(s, needle string) bool {
	for from := 0; from <= len(s)-len(needle); {
		i := strings.Index(s[from:], needle)
		if i < 0 {
			return false
		}
		i += from
		if !isWordRune(runeBefore(s, i)) && !isWordRune(runeAfter(s, i+len(needle))) {
			return true
		}
		from = i + 1
	}
	return false
}
