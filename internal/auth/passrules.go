package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"github.com/herald-gov/herald/internal/errs"
)

// commonPasswords lists common passwords of at least 6 characters, lower
// case, one a line: the 47,000 most frequent in Mark Burnett's 10 million
// password set as counted by zxcvbn (data/passwords.txt; README says more).
//
//go:embed common-passwords.txt
var commonPasswords string

var commonSet = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 41000)
	for _, line := range strings.Split(commonPasswords, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			m[line] = struct{}{}
		}
	}
	return m
})

// MaxPasswordBytes is the longest password accepted: far above the 64
// characters NIST SP 800-63B asks to allow, low enough to hash cheaply.
const MaxPasswordBytes = 1024

// CheckNewPassword says what is wrong with a password the user with email
// and name wants to set, following NIST SP 800-63B: at least MinPasswordLen
// characters, at most MaxPasswordBytes bytes, not a common or breached
// password (nor one with digits or symbols added), not one character or a
// short run repeated, not a straight sequence, not containing the user's
// e-mail or name. The error (errs.Invalid) says why, for the user.
func CheckNewPassword(password, email, name string) error {
	if n := len([]rune(password)); n < MinPasswordLen {
		return errs.Errorf(errs.Invalid, "password.too_short", "The password must have at least %d characters (it has %d).", MinPasswordLen, n)
	}
	if len(password) > MaxPasswordBytes {
		return errs.Errorf(errs.Invalid, "password.too_long", "The password must have at most %d bytes.", MaxPasswordBytes)
	}
	lower := strings.ToLower(password)
	if repeated(lower) {
		return errs.E(errs.Invalid, "password.repeats", "The password repeats one character or a short group of characters; choose one that is harder to guess.")
	}
	if sequential(lower) {
		return errs.E(errs.Invalid, "password.sequence", "The password is a straight sequence such as abcdef or 123456; choose one that is harder to guess.")
	}
	set := commonSet()
	if _, ok := set[lower]; ok {
		return errs.E(errs.Invalid, "password.common", "The password is on a list of common and breached passwords; choose another.")
	}
	// A listed password with digits or symbols added before or after.
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if _, ok := set[core]; ok && len(core) >= 6 {
		return errs.Errorf(errs.Invalid, "password.common_decorated", "The password is a common password (%q) with digits or symbols added; choose another.", core)
	}
	for _, part := range personalParts(email, name) {
		if strings.Contains(lower, part) {
			return errs.E(errs.Invalid, "password.personal", "The password must not contain your e-mail address or name.")
		}
	}
	return nil
}

// repeated reports whether s is one group of 1 to 4 characters repeated.
func repeated(s string) bool {
	r := []rune(s)
	for unit := 1; unit <= 4 && unit < len(r); unit++ {
		ok := true
		for i := unit; i < len(r) && ok; i++ {
			ok = r[i] == r[i-unit]
		}
		if ok {
			return true
		}
	}
	return false
}

// sequential reports whether every character of s is one after (or one
// before) the previous, as in abcdefghijkl or 987654321098 (9 → 0 wraps).
func sequential(s string) bool {
	r := []rune(s)
	for _, step := range []rune{1, -1} {
		ok := true
		for i := 1; i < len(r) && ok; i++ {
			d := r[i] - r[i-1]
			ok = d == step || (unicode.IsDigit(r[i]) && (d == -9*step))
		}
		if ok {
			return true
		}
	}
	return false
}

// personalParts are the pieces of the user's e-mail and name a password
// must not contain: the whole address, its local part, the name without
// spaces and each word of the name or local part of 4 letters or more.
func personalParts(email, name string) []string {
	email, name = strings.ToLower(strings.TrimSpace(email)), strings.ToLower(strings.TrimSpace(name))
	var parts []string
	add := func(p string) {
		if len([]rune(p)) >= 4 {
			parts = append(parts, p)
		}
	}
	local, _, _ := strings.Cut(email, "@")
	add(email)
	add(local)
	add(strings.Join(strings.Fields(name), ""))
	split := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	for _, w := range strings.FieldsFunc(local+" "+name, split) {
		add(w)
	}
	return parts
}
