package platform

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mastodonLength counts text as Mastodon's status length validator does:
// grapheme clusters, after each http(s) URL is replaced by urlLength
// characters and each @user@domain mention by @user.
func mastodonLength(text string, urlLength int) int {
	var buf [8]Span
	cut := scanURLs(text, false, buf[:0])
	nURL := len(cut)
	cut = appendRemoteMentions(text, cut)
	if len(cut) == 0 {
		return graphemes(text)
	}
	isURL := make(map[int]bool, nURL)
	for _, u := range cut[:nURL] {
		isURL[u.Start] = true
	}
	slices.SortFunc(cut, func(a, b Span) int { return a.Start - b.Start })
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, c := range cut {
		if c.Start < at {
			continue // overlaps an earlier entity, which wins
		}
		b.WriteString(text[at:c.Start])
		if isURL[c.Start] {
			b.WriteString(strings.Repeat("x", urlLength))
		}
		at = c.End
	}
	b.WriteString(text[at:])
	return graphemes(b.String())
}

// appendRemoteMentions appends, for each @user@domain mention, the span of
// its "@domain" part, which Mastodon does not count.
func appendRemoteMentions(s string, out []Span) []Span {
	for i := strings.IndexByte(s, '@'); i >= 0 && i < len(s); {
		next := i + 1
		if mentionMayStart(s, i) {
			u := i + 1
			for u < len(s) && isUserChar(s[u]) {
				u++
			}
			u = extendDotted(s, u, func(c byte) bool { return isUserChar(c) })
			if u > i+1 && u < len(s) && s[u] == '@' {
				d := domainWordEnd(s, u+1)
				if d > u+1 {
					d = extendDottedWords(s, d)
					out = append(out, Span{u, d})
					next = d
				}
			} else if u > i+1 {
				next = u
			}
		}
		j := strings.IndexByte(s[next:], '@')
		if j < 0 {
			break
		}
		i = next + j
	}
	return out
}

// mentionMayStart: Mastodon ignores an @ right after '=', '/' or a word
// character (so e-mail addresses and URLs are not mentions).
func mentionMayStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r != '=' && r != '/' && !isWordRune(r)
}

func isUserChar(c byte) bool { return isAlnum(c) || c == '_' }

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// extendDotted extends a name over groups of [.-]+ followed by name
// characters.
func extendDotted(s string, u int, ok func(byte) bool) int {
	for u < len(s) && (s[u] == '.' || s[u] == '-') {
		k := u
		for k < len(s) && (s[k] == '.' || s[k] == '-') {
			k++
		}
		m := k
		for m < len(s) && ok(s[m]) {
			m++
		}
		if m == k {
			break
		}
		u = m
	}
	return u
}

func domainWordEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			break
		}
		i += size
	}
	return i
}

func extendDottedWords(s string, u int) int {
	for u < len(s) && (s[u] == '.' || s[u] == '-') {
		k := u
		for k < len(s) && (s[k] == '.' || s[k] == '-') {
			k++
		}
		m := domainWordEnd(s, k)
		if m == k {
			break
		}
		u = m
	}
	return u
}
