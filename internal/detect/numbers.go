package detect

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// numRun is a stretch of digit groups joined by the separators people put
// in phone numbers: spaces, dots, dashes, slashes and parentheses.
type numRun struct {
	start, end int    // byte span, from a leading '+' or '(' to the last digit
	digits     string // the digits alone
	groups     []int  // digits per group
	seps       []string
	plus       bool // written with a leading '+'
	paren      bool // has parentheses
}

// sepByte reports the bytes that may join digit groups.
func sepByte(c byte) bool {
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')'
}

// scanRun reads the run that starts at i (a digit, or '+' or '(' before a
// digit). It returns the run and the offset where scanning resumes. Runs
// are cut at maxDigits+1 digits but always consumed whole.
func scanRun(s string, i int) numRun {
	r := numRun{start: i}
	j := i
	if s[j] == '+' {
		r.plus = true
		j++
	}
	var digits strings.Builder
	for j < len(s) {
		g := 0
		for j < len(s) && isDigit(s[j]) {
			digits.WriteByte(s[j])
			g++
			j++
		}
		if g > 0 {
			r.groups = append(r.groups, g)
			r.end = j
		}
		// A separator is one to three separator bytes (or a no-break
		// space) followed by a digit, with at most one space in a row.
		k := j
		for n := 0; n < 3 && k < len(s); n++ {
			if strings.HasPrefix(s[k:], "\u00a0") {
				k += 2
				continue
			}
			if strings.HasPrefix(s[k:], "\u202f") {
				k += 3
				continue
			}
			if !sepByte(s[k]) || (s[k] == ' ' && k > j && s[k-1] == ' ') {
				break
			}
			k++
		}
		if k == j || k >= len(s) || !isDigit(s[k]) {
			break
		}
		sep := s[j:k]
		if strings.ContainsAny(sep, "()") {
			r.paren = true
		}
		r.seps = append(r.seps, sep)
		j = k
	}
	if i < len(s) && s[i] == '(' {
		r.paren = true
	}
	r.digits = digits.String()
	return r
}

// runStart reports whether a number run may start at i: a digit, or '+' or
// '(' directly before a digit, with no word character or number part
// (a decimal point, a code's dot) just before it.
func runStart(s string, i int) bool {
	c := s[i]
	if c == '+' || c == '(' {
		if i+1 >= len(s) || !isDigit(s[i+1]) {
			return false
		}
	} else if !isDigit(c) {
		return false
	}
	prev := runeBefore(s, i)
	if isWordRune(prev) || prev == '+' || prev == '#' || prev == '@' {
		return false
	}
	// "OI.CG.2019.02", "2.5", "1,234", "v2-3": a joiner after a word or digit.
	// A colon joins digits ("10:30", "9001:2015") but may end a label
	// written without a space ("Tel:+41 22 917 8000").
	if prev == '.' || prev == ',' || prev == '-' || prev == '/' || prev == '_' {
		if isWordRune(runeBefore(s, i-1)) {
			return false
		}
	}
	if prev == ':' {
		if b := runeBefore(s, i-1); b == '_' || unicode.IsDigit(b) || isWordRune(b) && !phoneCues[strings.ToLower(lastWord(s, i-1))] {
			return false
		}
	}
	return true
}

// runEndsCleanly reports whether nothing glued to the end of a run makes
// it part of something else: a letter or digit, a percent or degree sign,
// a decimal part, a time or a code.
func runEndsCleanly(s string, end int) bool {
	next := runeAfter(s, end)
	if isWordRune(next) || next == '%' || next == '°' || next == '‰' {
		return false
	}
	if next == '.' || next == ',' || next == ':' || next == '-' || next == '/' {
		return !isWordRune(runeAfter(s, end+1))
	}
	return true
}

// prevTokenMixed reports whether the token just before a run, across one
// space, mixes letters and digits, as the "FR76" that starts a spaced IBAN.
func prevTokenMixed(s string, i int) bool {
	if i < 2 || s[i-1] != ' ' {
		return false
	}
	j := i - 1
	letters, digits := false, false
	for j > 0 && (isDigit(s[j-1]) || isASCIILetter(s[j-1])) {
		j--
		if isDigit(s[j]) {
			digits = true
		} else {
			letters = true
		}
	}
	return letters && digits
}

// lastWord returns the letters just before offset i.
func lastWord(s string, i int) string {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !unicode.IsLetter(r) {
			break
		}
		j -= size
	}
	return s[j:i]
}
