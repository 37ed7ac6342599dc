package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A token is one word of the text: its bytes in the text as given and its
// folded form in the scratch buffer. Folded words are written one space
// apart, so the key of tokens i..j is buf[tok[i].fs:tok[j].fe].
type token struct {
	start, end int  // byte offsets into the original text
	fs, fe     int  // folded bytes in the scratch buffer
	upper      bool // the first letter is upper case
	initial    bool // first word of a sentence (nothing but opening punctuation before it)
	glued      bool // only spaces, hyphens, apostrophes or dots since the previous word
}

// latin folds U+00C0..U+024F: base letter, lower case, marks dropped.
// Built once from Unicode's decompositions rather than written by hand.
var latin = func() [0x250 - 0xC0]string {
	var t [0x250 - 0xC0]string
	special := map[rune]string{'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
		'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l", 'ı': "i", 'þ': "th", 'Þ': "th",
		'ð': "d", 'Ð': "d", 'ħ': "h", 'Ħ': "h", 'ŧ': "t", 'Ŧ': "t", 'ŀ': "l", 'Ŀ': "l"}
	for r := rune(0xC0); r < 0x250; r++ {
		if s, ok := special[r]; ok {
			t[r-0xC0] = s
			continue
		}
		var b strings.Builder
		for _, d := range norm.NFD.String(string(r)) {
			switch s, ok := special[d]; {
			case ok:
				b.WriteString(s)
			case !unicode.Is(unicode.Mn, d):
				b.WriteRune(unicode.ToLower(d))
			}
		}
		t[r-0xC0] = b.String()
	}
	return t
}()

// isWordRune tells letters, digits, combining marks and '_', the parts of a
// word (as for the checker's terms: "@juba_office" holds no place).
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// sentenceEnd tells the characters after which the next word starts a sentence.
func sentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '…', ':', ';', '\n', '\r', '|', '•', '·':
		return true
	}
	return false
}

// tokenize splits text into words and folds each into buf (lower case,
// accents dropped, one space between words). Apostrophes, hyphens and every
// other non-word character separate words, so "Port-au-Prince" and
// "Port au Prince" fold alike and "d'Abidjan" gives "d" and "abidjan". Each
// invalid UTF-8 byte separates words too. Linear in len(text).
func tokenize(text string, toks []token, buf []byte) ([]token, []byte) {
	initial, glued := true, false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if isASCIIWord(c) {
				i = word(text, i, &toks, &buf, initial, glued)
				initial, glued = false, true
				continue
			}
			if sentenceEnd(rune(c)) {
				initial = true
			}
			if !gluing(rune(c)) {
				glued = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if r != utf8.RuneError && isWordRune(r) {
			i = word(text, i, &toks, &buf, initial, glued)
			initial, glued = false, true
			continue
		}
		if sentenceEnd(r) {
			initial = true
		}
		if r == utf8.RuneError || !gluing(r) {
			glued = false
		}
		i += n
	}
	return toks, buf
}

// gluing tells the separators that may stand inside a multi-word name:
// "San José", "Port-au-Prince", "Cox's Bazar", "St. Louis".
func gluing(r rune) bool {
	switch r {
	case ' ', '-', '\'', '.', '\u00a0', '\u2019', '\u2010', '\u2011':
		return true
	}
	return false
}

func isASCIIWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// word reads the word that starts at i, appends its token and returns the
// offset after it.
func word(text string, i int, toks *[]token, buf *[]byte, initial, glued bool) int {
	b := *buf
	if len(b) > 0 {
		b = append(b, ' ')
	}
	t := token{start: i, fs: len(b), initial: initial, glued: glued}
	first := true
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if !isASCIIWord(c) {
				break
			}
			if first {
				t.upper = c >= 'A' && c <= 'Z'
				first = false
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError || !isWordRune(r) {
			break
		}
		if first {
			t.upper = unicode.IsUpper(r)
			first = false
		}
		switch {
		case r >= 0xC0 && r < 0x250:
			b = append(b, latin[r-0xC0]...)
		case unicode.Is(unicode.Mn, r):
		default:
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
		i += n
	}
	t.end = i
	t.fe = len(b)
	if t.fe == t.fs { // a word of marks only: nothing to look up
		if t.fs > 0 {
			b = b[:t.fs-1]
		}
		*buf = b
		return i
	}
	*toks = append(*toks, t)
	*buf = b
	return i
}

// Key folds a name the way Find folds text: lower case, accents dropped,
// words one space apart. Two names with the same Key are the same to Find.
func Key(name string) string {
	_, b := tokenize(name, nil, nil)
	return string(b)
}
