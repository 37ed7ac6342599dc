// Package platform counts a post's length the way each social platform
// counts it (X's weighted length, Mastodon's URL and mention rules, Bluesky's
// graphemes, plain characters elsewhere) and finds the URLs and hashtags in
// a post as X's twitter-text extracts them.
package platform

import (
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/policy"
	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// Span is a range of byte offsets into a text: text[Start:End].
type Span struct{ Start, End int }

// defaults are the platforms' own limits, for callers without a pack entry.
// The pack's parameters.platforms override them.
var defaults = []struct {
	name   string
	params policy.PlatformParams
}{
	{"x", policy.PlatformParams{Limit: 280, Counter: "twitter", URLLength: transformedURLLength}},
	{"mastodon", policy.PlatformParams{Limit: 500, Counter: "mastodon", URLLength: transformedURLLength}},
	{"bluesky", policy.PlatformParams{Limit: 300, Counter: "graphemes"}},
	{"threads", policy.PlatformParams{Limit: 500, Counter: "characters"}},
	{"linkedin", policy.PlatformParams{Limit: 3000, Counter: "characters"}},
	{"facebook", policy.PlatformParams{Limit: 63206, Counter: "characters"}},
	{"instagram", policy.PlatformParams{Limit: 2200, Counter: "characters", HashtagCap: 30}},
	{"youtube", policy.PlatformParams{Limit: 5000, Counter: "characters"}},
}

// Names returns the platforms this package knows, in a stable order.
func Names() []string {
	names := make([]string, len(defaults))
	for i, d := range defaults {
		names[i] = d.name
	}
	return names
}

// Default returns the platform's own counting rule and limit.
func Default(name string) (policy.PlatformParams, bool) {
	for _, d := range defaults {
		if d.name == name {
			return d.params, true
		}
	}
	return policy.PlatformParams{}, false
}

// Length returns the text's length as the platform described by p counts it.
//
// Counters: "twitter" is X's weighted length (config v3); "mastodon" counts
// graphemes with each http(s) URL as p.URLLength and @user@domain as @user;
// "graphemes" counts user-perceived characters (Bluesky); "characters" (and
// anything else) counts Unicode code points of the NFC text. For "twitter"
// and "mastodon" a URLLength of 0 means the platform's own 23; for the other
// counters it means a URL counts as its own text, and a positive URLLength
// counts every URL (with or without scheme) as that many.
func Length(text string, p policy.PlatformParams) int {
	switch p.Counter {
	case "twitter":
		url := p.URLLength
		if url <= 0 {
			url = transformedURLLength
		}
		return xLength(text, xConfig{emoji: emojiParsingEnabled, urlLength: url})
	case "mastodon":
		url := p.URLLength
		if url <= 0 {
			url = transformedURLLength
		}
		return mastodonLength(text, url)
	case "graphemes":
		return lengthWithURLs(text, p.URLLength, graphemes)
	default:
		return lengthWithURLs(normalize(text), p.URLLength, utf8.RuneCountInString)
	}
}

// LengthURLs is Length for a caller that already has urls = URLs(text): the
// X counter then skips its own URL scan (when text is in NFC, so that the
// spans are the ones it would find). Other counters ignore urls.
func LengthURLs(text string, p policy.PlatformParams, urls []Span) int {
	if p.Counter != "twitter" || normalize(text) != text {
		return Length(text, p)
	}
	url := p.URLLength
	if url <= 0 {
		url = transformedURLLength
	}
	return xCount(text, xConfig{emoji: emojiParsingEnabled, urlLength: url}, urls)
}

// lengthWithURLs counts text with count, every URL counting urlLength when
// that is positive.
func lengthWithURLs(text string, urlLength int, count func(string) int) int {
	if urlLength <= 0 {
		return count(text)
	}
	var buf [8]Span
	urls := scanURLs(text, true, buf[:0])
	n, at := 0, 0
	for _, u := range urls {
		n += count(text[at:u.Start]) + urlLength
		at = u.End
	}
	return n + count(text[at:])
}

// graphemes counts extended grapheme clusters; ASCII text (without CR LF,
// which is one cluster) needs no segmentation.
func graphemes(s string) int {
	n, state := 0, -1
	for i := 0; i < len(s); {
		// An ASCII character other than CR, followed by ASCII, is a
		// cluster of its own.
		if c := s[i]; c < utf8.RuneSelf && c != '\r' && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			n++
			i++
			state = -1
			continue
		}
		var cluster string
		cluster, _, _, state = uniseg.FirstGraphemeClusterInString(s[i:], state)
		n++
		i += len(cluster)
	}
	return n
}

// normalize returns the NFC form of s, without copying text that is already
// in it.
func normalize(s string) string {
	if surelyNFC(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// surelyNFC reports, without allocating, that s is in NFC because every
// code point in it is one that neither decomposes nor combines: below the
// combining diacritics, CJK ideographs, emoji, ZWJ and VS16.
func surelyNFC(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r < 0x300 && size > 1, r >= 0x4E00 && r <= 0x9FFF, r >= 0x1F000 && r <= 0x1FAFF, r == 0x200D, r == 0xFE0F:
		default:
			return false
		}
		i += size
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
