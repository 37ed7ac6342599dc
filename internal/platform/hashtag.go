package platform

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hashtags returns the hashtags in text as twitter-text extracts them, each
// span starting at its '#' (or full-width '＃'). A hashtag needs a letter,
// may not follow a letter, digit or '&', may not run into another '#' or
// "://", and one inside a URL does not count.
func Hashtags(text string) []Span {
	return HashtagsURLs(text, func() []Span { return URLs(text) })
}

// HashtagsURLs is Hashtags for a caller that already has, or memoizes, the
// text's URLs: urls must return URLs(text); it is called only when a
// hashtag might lie inside a URL.
func HashtagsURLs(text string, urls func() []Span) []Span {
	if !strings.ContainsRune(text, '#') && !strings.ContainsRune(text, '＃') {
		return nil
	}
	var tags []Span
	prevOK := true
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && c != '#' {
			prevOK = c != '&' && asciiClass[c]&clAlnum == 0 && c != '_'
			i++
			continue
		}
		r, size := decode(text, i)
		if prevOK && (r == '#' || r == '＃') {
			if end, ok := hashtagEnd(text, i+size); ok {
				rest := text[end:]
				if !strings.HasPrefix(rest, "#") && !strings.HasPrefix(rest, "＃") && !strings.HasPrefix(rest, "://") {
					tags = append(tags, Span{i, end})
				}
				// The match is consumed; its last character cannot
				// precede the next hashtag.
				i, prevOK = end, false
				continue
			}
		}
		prevOK = r == 0xFE0E || r == 0xFE0F || (r != '&' && !isHashtagChar(r))
		i += size
	}
	if len(tags) == 0 || !strings.ContainsRune(text, '.') {
		return tags
	}
	return dropInside(tags, urls())
}

// hashtagEnd returns the end of the tag that starts at s[i]: a run of
// letters, marks, digits and a few joiners that holds at least one letter.
func hashtagEnd(s string, i int) (int, bool) {
	if r, _ := utf8.DecodeRuneInString(s[i:]); r == 0xFE0F || r == 0x20E3 {
		return 0, false // a keycap emoji, not a hashtag
	}
	j, letter := i, false
	for j < len(s) {
		r, size := decode(s, j)
		if !isHashtagChar(r) || (r == utf8.RuneError && size == 1) {
			break
		}
		letter = letter || unicode.IsLetter(r) || unicode.IsMark(r)
		j += size
	}
	return j, letter && j > i
}

func isHashtagChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r)) || r == '_'
	}
	switch r {
	case 0x200C, 0x200D, 0xA67E, 0x05BE, 0x05F3, 0x05F4, 0xFF5E, 0x301C,
		0x309B, 0x309C, 0x30A0, 0x30FB, 0x3003, 0x0F0B, 0x0F0C, 0x00B7:
		return true
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)
}

// dropInside removes the tags that overlap a URL (twitter-text keeps the
// entity that starts first).
func dropInside(tags, urls []Span) []Span {
	out := tags[:0]
	u := 0
	for _, t := range tags {
		for u < len(urls) && urls[u].End <= t.Start {
			u++
		}
		if u < len(urls) && urls[u].Start < t.End {
			if urls[u].Start < t.Start {
				continue
			}
		}
		out = append(out, t)
	}
	return out
}
