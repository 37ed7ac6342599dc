package detect

import (
	"unicode"
	"unicode/utf8"
)

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// runeBefore and runeAfter return the rune touching byte offset i, or -1 at
// the edge of the text. Invalid UTF-8 decodes as utf8.RuneError.
func runeBefore(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

func runeAfter(s string, i int) rune {
	if i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// isWordRune reports letters, digits and the underscore: what may not touch
// a token for it to stand alone.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// countDigits counts ASCII digits, stopping early once max is reached.
func countDigits(s string, max int) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
			if n >= max {
				return n
			}
		}
	}
	return n
}

// luhn reports whether a string of digits passes the Luhn check.
func luhn(digits string) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return len(digits) > 0 && sum%10 == 0
}

// lowerASCII lower-cases ASCII letters only, keeping byte offsets intact.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// word is a run of letters (and apostrophes inside) in a text.
type word struct {
	start, end int
}

// wordsBefore returns up to n words that end before offset i, nearest
// first, not crossing a sentence end ('.', '!', '?' followed by a space,
// or a newline).
func wordsBefore(s string, i, n int) []word {
	var out []word
	j := i
	for len(out) < n && j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if r == '\n' || ((r == '!' || r == '?' || r == '.') && j < len(s) && (s[j] == ' ' || s[j] == '\n')) {
			break
		}
		if !unicode.IsLetter(r) {
			j -= size
			continue
		}
		end := j
		for j > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:j])
			if !unicode.IsLetter(r) {
				break
			}
			j -= size
		}
		out = append(out, word{j, end})
	}
	return out
}

// wordAfter returns the first word that starts at or after offset i when
// only spaces stand between, and ok=false otherwise.
func wordAfter(s string, i int) (w word, ok bool) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	start := i
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += size
	}
	return word{start, i}, i > start
}
