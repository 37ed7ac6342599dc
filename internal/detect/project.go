package detect

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/herald-gov/herald/internal/model"
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
	if in.Draft == nil {
		return nil
	}
	needles := in.ProjectNeedles()
	if needles == nil {
		return nil
	}
	text := foldText(in.Text)
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

// ProjectNeedles are the word sequences that name project p, folded: its
// whole name, each distinctive word of the name (a short form) and each
// keyword, those of most words first. nil when there is no project or it
// has no name.
func ProjectNeedles(p *model.Project) [][]string {
	if p == nil || strings.TrimSpace(p.Name) == "" {
		return nil
	}
	name := splitWords(foldText(p.Name))
	needles := [][]string{name}
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
	// The longest first: MaskProject masks "point d'eau" whole before "eau".
	slices.SortStableFunc(needles, func(a, b []string) int { return len(b) - len(a) })
	return needles
}

// MaskProject overwrites in t, text folded as the checker folds it, each
// run of words that one of needles names (ProjectNeedles; singular or
// plural alike) with the word "qq" padded with spaces to the run's length,
// so offsets into t stay valid. The trained models read posts so: a
// project's name tells nothing of a post's meaning, and a model that learnt
// the names of the corpus's projects judged an account by its name.
func MaskProject(t []byte, needles [][]string) {
	for _, n := range needles {
		if len(n) == 0 || len(n[0]) == 0 {
			continue
		}
		// Find the stem of the needle's first word (bytes.Index), then read
		// the words there.
		stem := []byte(stemOf(n[0]))
		for off := 0; off < len(t); {
			k := bytes.Index(t[off:], stem)
			if k < 0 {
				break
			}
			s := off + k
			off = s + 1
			if s > 0 && wordRuneBefore(t, s) {
				continue // inside a word
			}
			e, ok := s, true
			for j, w := range n {
				if j > 0 {
					for size := wordRuneAt(t, e); size < 0; size = wordRuneAt(t, e) {
						e -= size
					}
				}
				ws := e
				for size := wordRuneAt(t, e); size > 0; size = wordRuneAt(t, e) {
					e += size
				}
				// The conversion does not escape: a short word is copied on the stack.
				if ws == e || !sameWord(string(t[ws:e]), w) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			for i := s; i < e; i++ {
				t[i] = ' '
			}
			if e-s >= 2 {
				t[s], t[s+1] = 'q', 'q'
			}
			off = e
		}
	}
}

// wordRuneBefore reports whether the rune ending at t[i] is a word rune.
func wordRuneBefore(t []byte, i int) bool {
	r, _ := utf8.DecodeLastRune(t[:i])
	return isWordRune(r)
}

// wordRuneAt returns the size of the rune at t[i] when it is a word rune,
// minus its size when it is not, and 0 at the end of t.
func wordRuneAt(t []byte, i int) int {
	if i >= len(t) {
		return 0
	}
	if c := t[i]; c < utf8.RuneSelf {
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return 1
		}
		return -1
	}
	r, size := utf8.DecodeRune(t[i:])
	if isWordRune(r) {
		return size
	}
	return -size
}

// sameWords reports whether words and needle are the same words in a row.
func sameWords(words, needle []string) bool {
	for j, n := range needle {
		if !sameWord(words[j], n) {
			return false
		}
	}
	return true
}

// mayContain reports whether each word of needle, less an ending that
// sameWord allows to differ, occurs in text: a cheap test before reading
// the text's words.
func mayContain(text string, needle []string) bool {
	for _, w := range needle {
		if !strings.Contains(text, stemOf(w)) {
			return false
		}
	}
	return true
}

// stemOf is w less the ending sameWord allows to differ: a word and its
// plural share all but their last three bytes (at least two are kept).
func stemOf(w string) string { return w[:max(min(2, len(w)), len(w)-3)] }

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
	for i := 0; i+len(needle) <= len(words); i++ {
		if sameWords(words[i:i+len(needle)], needle) {
			return true
		}
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
