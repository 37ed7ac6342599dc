// Package lookalike tells how much an account found on a platform looks like
// one of the organization's registered accounts: the Unicode confusables
// skeleton (UTS #39) of handle and display name, edit distance after the
// skeleton, the organization's names, and perceptual hashes of the avatar
// against the approved emblems. It is pure: callers bring the accounts and
// images.
package lookalike

//go:generate go run ./gen -src /tmp/confusables.txt -o table.go
//go:generate go run ./genemblem -o ../policy/packs/emblem.png

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxRunes bounds the text compared: handles and display names are short,
// and edit distance is quadratic in length.
const MaxRunes = 256

var (
	tableOnce  sync.Once
	prototypes map[rune]string
)

func table() map[rune]string {
	tableOnce.Do(func() {
		prototypes = make(map[rune]string, 6600)
		for line := range strings.SplitSeq(confusablesData, "\n") {
			from, to, ok := strings.Cut(line, "\t")
			if !ok {
				continue
			}
			r, _ := utf8.DecodeRuneInString(from)
			prototypes[r] = to
		}
	})
	return prototypes
}

// Skeleton is UTS #39's skeleton(X): the NFD form of X with each character
// replaced by its prototype from confusables.txt, in NFD again. Two strings
// with the same skeleton are confusable. Invalid UTF-8 reads as U+FFFD.
func Skeleton(s string) string {
	t := table()
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, "\uFFFD")) {
		if p, ok := t[r]; ok {
			b.WriteString(p)
		} else {
			b.WriteRune(r)
		}
	}
	return norm.NFD.String(b.String())
}

// Fold is the key lookalike comparisons use: the skeleton of the lower-cased
// skeleton (so that "0" → "O" → "o" meets "o") of the NFKC form (full-width
// and mathematical letters are letters), without marks, separators
// and other non-alphanumerics, at most MaxRunes long. "UN0PS_Kenya" and
// "UNOPSKenya" fold alike.
func Fold(s string) string {
	return foldN(s, MaxRunes)
}

// foldN folds at most limit runes of output, reading at most 4×limit of s.
func foldN(s string, limit int) string {
	if utf8.RuneCountInString(s) > 4*limit {
		s = string([]rune(s)[:4*limit])
	}
	s = Skeleton(strings.ToLower(Skeleton(norm.NFKC.String(s))))
	var b strings.Builder
	n := 0
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		if n++; n > limit {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Distance is the Levenshtein distance between a and b in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		prev := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cur := row[j]
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			row[j] = min(row[j]+1, row[j-1]+1, prev+cost)
			prev = cur
		}
	}
	return row[len(rb)]
}

// similarity is 1 - distance/longer length of two folded strings, 0 when
// either is empty.
func similarity(a, b string) float64 {
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	if la == 0 || lb == 0 {
		return 0
	}
	return 1 - float64(Distance(a, b))/float64(max(la, lb))
}
