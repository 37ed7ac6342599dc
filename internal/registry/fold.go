// Package registry holds the domain logic of the registry of official
// accounts: the account checks of the policy pack (4.3, 4.4, 5.2, 3.4(l)),
// overlap scoring between accounts (3.1), handle normalization for public
// verification, the account lifecycle and CSV import and export. It touches
// neither the database nor the web; both call it.
package registry

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold lower-cases s and strips its diacritics so that "Programa Agua Segura",
// "programa agua segura" and "PROGRAMA ÁGUA SEGURA" compare equal.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			continue
		case 'ø', 'Ø':
			r = 'o'
		case 'đ', 'Đ':
			r = 'd'
		case 'ł', 'Ł':
			r = 'l'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// words folds s and splits it into runs of letters and digits, so separators
// such as "_", "-", "#", "@", "." and spaces all count as word breaks.
func words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// compact folds s and keeps only its letters and digits: "UNOPS_es" becomes
// "unopses", "Juba-Bridges" becomes "jubabridges".
func compact(s string) string {
	return strings.Join(words(s), "")
}
