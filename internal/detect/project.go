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
	name := splitWords(foldText(p.Name))
	needles := [][]string{name}
	// Any distinctive word of the name counts as a short form.
	for _, w := range name {
		if len([]rune(w)) >= 3 && !projectStopwords[w] {
			needles = append(needles, []string{w})
		}
	}
	for _, k := range p.Keywords {
		if k := splitWords(foldText(k)); len(k) > 0 {
			needles = append(needles, k)
		}
	}
	// The post's words are read only when a needle may be among them: most
	// posts name their project, most others none of its words.
	var words []string
	for _, n := range needles {
		if !mayContain(text, n) {
			continue
		}
		if words == nil {
			words = splitWords(foldText(splitCamel(in.Text)))
		}
		if containsWords(words, n) {
			return nil
		}
	}
	// "The project", "du projet", "nuestro proyecto": the post speaks of it.
	if strings.Contains(text, "proje") || strings.Contains(text, "proyect") || strings.Contains(text, "program") {
		if words == nil {
			words = splitWords(text)
		}
		for i := 1; i < len(words); i++ {
			if projectNouns[words[i]] && projectDeterminers[words[i-1]] {
				return nil
			}
		}
	}
	return []Match{{}}
}

// mayContain reports whether each word of needle, less an ending that
// sameWord allows to differ, occurs in text: a cheap test before reading
// the text's words.
func mayContain(text string, needle []string) bool {
	for _, w := range needle {
		if !strings.Contains(text, w[:max(min(2, len(w)), len(w)-3)]) {
			return false
		}
	}
	return true
}

// projectNouns and projectDeterminers: a determiner before "project" makes
// it the account's own ("a project" does not).
var (
	projectNouns       = wordSet(`project projet proyecto programme programa`)
	projectDeterminers = wordSet(`the this our du ce notre le del el este nuestro`)
)

// splitWords cuts folded text into its words.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// splitCamel puts a space where a lower-case letter meets an upper-case
// one, so that a hashtag's words count ("#JacmelHospital" names Jacmel).
func splitCamel(s string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// containsWords reports whether the words of needle occur in a row in
// words, each in the same form or its singular or plural ("latrine" and
// "latrines", "route" and "routes", "eau" and "eaux", "ciudad" and
// "ciudades"): a project's keywords are written once, its posts use both.
func containsWords(words, needle []string) bool {
	if len(needle) == 0 {
		return false
	}
outer:
	for i := 0; i+len(needle) <= len(words); i++ {
		for j, n := range needle {
			if !sameWord(words[i+j], n) {
				continue outer
			}
		}
		return true
	}
	return false
}

// sameWord reports whether a and b are one word, or one is the other's
// plural by the regular endings of English, French and Spanish.
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 3 {
		return false
	}
	if strings.HasPrefix(b, a) {
		switch b[len(a):] {
		case "s", "es", "x":
			return true
		}
	}
	return strings.HasSuffix(a, "y") && b == a[:len(a)-1]+"ies" // family, families
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
