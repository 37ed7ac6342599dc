package check

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalized is a text folded for matching: lower case, accents removed,
// every run of white space as one space, typographic apostrophes and
// hyphens as ASCII, invalid UTF-8 bytes as U+FFFD. off maps each byte of
// text back to the start of the original unit (rune or invalid byte) that
// produced it; off[len(text)] is the original length.
//
// Folding rune by rune (decompose, drop combining marks, lower-case) gives
// what NFC followed by case and diacritic folding gives, without a second
// pass over the text.
type normalized struct {
	text []byte
	off  []int32
}

// span maps [s, e) of the normalized text to byte offsets in the original.
// An end inside the output of one original rune (ß → ss) extends to that
// rune's end; marks dropped after the last rune are included.
func (n *normalized) span(s, e int) (int, int) {
	j := e
	for j > 0 && j < len(n.text) && n.off[j] == n.off[j-1] {
		j++
	}
	return int(n.off[s]), int(n.off[j])
}

// fold is the folded form of the runes below foldTableSize, built once.
const foldTableSize = 0x2000

var foldTable [foldTableSize]string

func init() {
	for r := rune(0x80); r < foldTableSize; r++ {
		foldTable[r] = string(foldSlow(nil, r))
	}
}

// foldSlow decomposes r, drops its combining marks and lower-cases the rest.
func foldSlow(dst []byte, r rune) []byte {
	switch r {
	case 'ß':
		return append(dst, "ss"...)
	case 'œ', 'Œ':
		return append(dst, "oe"...)
	case 'æ', 'Æ':
		return append(dst, "ae"...)
	case 'ı':
		return append(dst, 'i')
	}
	var enc [utf8.UTFMax]byte
	n := utf8.EncodeRune(enc[:], r)
	for _, d := range norm.NFD.String(string(enc[:n])) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(d))
	}
	return dst
}

// normalize folds src into n, reusing n's buffers.
func (n *normalized) normalize(src string) {
	text := n.text[:0]
	off := n.off[:0]
	space := true // at the start, leading white space is dropped
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' || (c >= '\t' && c <= '\r'):
				if !space {
					text = append(text, ' ')
					off = append(off, int32(i))
					space = true
				}
			case c >= 'A' && c <= 'Z':
				text = append(text, c+'a'-'A')
				off = append(off, int32(i))
				space = false
			default:
				text = append(text, c)
				off = append(off, int32(i))
				space = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		start := len(text)
		switch {
		case r == utf8.RuneError && size == 1:
			text = append(text, "\uFFFD"...)
		case isSpace(r):
			if !space {
				text = append(text, ' ')
			}
		case r == '\u2019' || r == '\u2018' || r == '\u02BC' || r == '\uFF07':
			text = append(text, '\'')
		case r == '\u2010' || r == '\u2011':
			text = append(text, '-')
		case r == '\u00AD' || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\uFEFF':
			// invisible: dropped
		case r < foldTableSize:
			text = append(text, foldTable[r]...)
		default:
			text = utf8.AppendRune(text, unicode.ToLower(r))
		}
		for range len(text) - start {
			off = append(off, int32(i))
		}
		if len(text) > start {
			space = isSpace(r)
		}
		i += size
	}
	n.text = text
	n.off = append(off, int32(len(src)))
}

func isSpace(r rune) bool {
	return r == 0x85 || r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) ||
		r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000
}

// foldString normalizes a term, anchor or phrase of a pack.
func foldString(s string) string {
	var n normalized
	n.normalize(s)
	t := n.text
	for len(t) > 0 && t[len(t)-1] == ' ' {
		t = t[:len(t)-1]
	}
	return string(t)
}

// isWordRune reports whether r belongs to a word: letters, digits, marks
// and the underscore (so "@fraud_unit" holds no word "fraud").
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z')
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// wordBefore reports whether a word character ends just before i.
func wordBefore(t []byte, i int) bool {
	if i <= 0 {
		return false
	}
	if c := t[i-1]; c < utf8.RuneSelf {
		return isWordRune(rune(c))
	}
	r, _ := utf8.DecodeLastRune(t[:i])
	return isWordRune(r)
}

// wordAt reports whether a word character starts at i.
func wordAt(t []byte, i int) bool {
	if i >= len(t) {
		return false
	}
	if c := t[i]; c < utf8.RuneSelf {
		return isWordRune(rune(c))
	}
	r, _ := utf8.DecodeRune(t[i:])
	return isWordRune(r)
}

// wordEnd returns the end of the word that continues at i.
func wordEnd(t []byte, i int) int {
	for i < len(t) {
		if c := t[i]; c < utf8.RuneSelf {
			if !isWordRune(rune(c)) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(t[i:])
		if !isWordRune(r) {
			return i
		}
		i += size
	}
	return i
}
