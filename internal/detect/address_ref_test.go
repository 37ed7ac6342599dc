package detect

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hasStreetWordRef is hasStreetWord written plainly: a postal code and city
// after any comma or newline, or any maximal run of letters (ASCII letters
// and runes unicode calls letters) that streetWordAt accepts.
func hasStreetWordRef(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] == ',' || s[i] == '\n') && postcodeCity(s, i+1) {
			return true
		}
	}
	var buf [64]byte
	start := -1
	for i, r := range s + "." {
		letter := r < utf8.RuneSelf && isASCIILetter(byte(r)) || r >= utf8.RuneSelf && r != utf8.RuneError && unicode.IsLetter(r)
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			if streetWordAt(s, start, i, &buf) {
				return true
			}
			start = -1
		}
	}
	return false
}

// FuzzHasStreetWord compares hasStreetWord with the plain reference.
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
