package platform

import (
	"sort"
	"unicode/utf8"

	"mvdan.cc/xurls/v2"
)

// Top-level domains come from xurls, which tracks the IANA root zone; the
// ASCII ones are looked up by their lower-case form, the internationalized
// ones by their first rune, longest first.
var (
	asciiTLDs   = map[string]bool{}
	unicodeTLDs = map[rune][]string{}
)

const maxTLDLength = 64

func init() {
	for _, t := range xurls.TLDs {
		if isASCII(t) {
			asciiTLDs[t] = true
			continue
		}
		r, _ := utf8.DecodeRuneInString(t)
		unicodeTLDs[r] = append(unicodeTLDs[r], t)
	}
	for _, list := range unicodeTLDs {
		sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	}
}

// tldEnd returns the end of a top-level domain that starts at s[p], or -1.
// As in twitter-text, the TLD must not run on into a letter or digit, nor be
// followed by @, + or -; "xn--" punycode TLDs are taken as they come when
// punycode is true.
func tldEnd(s string, p int, punycode bool) int {
	if p >= len(s) {
		return -1
	}
	if s[p] >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(s[p:])
		for _, t := range unicodeTLDs[r] {
			if len(s)-p >= len(t) && s[p:p+len(t)] == t && tldBoundary(s, p+len(t)) {
				return p + len(t)
			}
		}
		return -1
	}
	q := p
	for q < len(s) && isAlnum(s[q]) {
		q++
	}
	if q == p {
		return -1
	}
	if tldBoundary(s, q) && q-p <= maxTLDLength {
		var low [maxTLDLength]byte
		for i := p; i < q; i++ {
			low[i-p] = lower(s[i])
		}
		if asciiTLDs[string(low[:q-p])] {
			return q
		}
	}
	if punycode && hasPrefixFold(s[p:], "xn--") {
		q = p + 4
		for q < len(s) && (isAlnum(s[q]) || s[q] == '-') {
			q++
		}
		if q > p+4 {
			return q
		}
	}
	return -1
}

// tldBoundary reports whether a TLD may end at s[q].
func tldBoundary(s string, q int) bool {
	if q >= len(s) {
		return true
	}
	c := s[q]
	return !isAlnum(c) && c != '@' && c != '+' && c != '-'
}
