package detect

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hasStreetWordRef is hasStreetWord as it was before its ASCII fast path:
// it reports whether any word of s could make a number an
// address: a street type, a unit word or a street-name suffix. It spares
// the token windows in the common case of a post without one.
func hasStreetWordRef(s string) bool {
	var buf [64]byte
	letterAt := func(i int) (bool, int) {
		if c := s[i]; c < utf8.RuneSelf {
			return isASCIILetter(c), 1
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		return unicode.IsLetter(r), size
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !isASCIILetter(c) {
			if (c == ',' || c == '\n') && postcodeCity(s, i+1) {
				return true
			}
			i++
			continue
		}
		ok, size := letterAt(i)
		if !ok {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			ok, size := letterAt(j)
			if !ok {
				break
			}
			j += size
		}
		w := s[i:j]
		i = j
		if w[0] >= utf8.RuneSelf && strings.ContainsAny(w, cjkAddressRunes) {
			return true
		}
		if len(w) > 40 {
			continue
		}
		f := foldInto(buf[:0], w)
		if streetWords[string(f)] || j > len(w) && s[j-len(w)-1] == '-' && jpWards[string(f)] || string(f) == "chome" {
			return true
		}
		if first, _ := utf8.DecodeRuneInString(w); len(f) < 6 || !unicode.IsUpper(first) {
			continue
		}
		for _, suf := range streetSuffixes {
			if len(f) > len(suf)+2 && bytes.HasSuffix(f, []byte(suf)) {
				return true
			}
		}
	}
	return false
}

// FuzzHasStreetWord compares hasStreetWord with the reference.
func FuzzHasStreetWord(f *testing.F) {
	for _, s := range []string{"", "12 Main Street", "Calle Mayor 5", "Hauptstraße 3", "Bahnhofstrasse 1", "Nørrebrogade 12",
		"1-2-3 Shibuya-ku", "chome", "a, 2100 Roskilde", "東京都渋谷区", "STREET", "Rue de la Paix", "Apt 4B",
		strings.Repeat("a", 70) + " street", strings.Repeat("Abcdefgh", 9) + "vej", "Éstreet ave", "Straßenweg", "x\xffstreet"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasStreetWord(s), hasStreetWordRef(s); got != want {
			t.Fatalf("hasStreetWord(%q) = %v, reference %v", s, got, want)
		}
	})
}
