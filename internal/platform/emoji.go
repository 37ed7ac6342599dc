package platform

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Emoji sequences as twitter-text's emoji parsing sees them: a pictographic
// base with an optional VS16 and skin tone, a tag sequence (subdivision
// flags), pairs of regional indicators (flags), keycaps, and these joined by
// ZWJ. twitter-text matches a fixed list of sequences; any well-formed
// sequence of the same shape counts as one emoji here, so sequences newer
// than that list count as X counts them today.

const (
	zwj      = 0x200D
	vs16     = 0xFE0F
	keycap   = 0x20E3
	tagEnd   = 0xE007F
	skinLow  = 0x1F3FB
	skinHigh = 0x1F3FF
)

// bmpPictographs are the emoji below U+10000, in sorted ranges. Copyright
// and registered signs are left out: twitter-text weighs them as text.
var bmpPictographs = [][2]rune{
	{0x203C, 0x203C}, {0x2049, 0x2049}, {0x2139, 0x2139}, {0x2194, 0x2199},
	{0x21A9, 0x21AA}, {0x231A, 0x231B}, {0x2328, 0x2328}, {0x23CF, 0x23CF},
	{0x23E9, 0x23F3}, {0x23F8, 0x23FA}, {0x24C2, 0x24C2}, {0x25AA, 0x25AB},
	{0x25B6, 0x25B6}, {0x25C0, 0x25C0}, {0x25FB, 0x25FE}, {0x2600, 0x2604},
	{0x260E, 0x260E}, {0x2611, 0x2611}, {0x2614, 0x2615}, {0x2618, 0x2618},
	{0x261D, 0x261D}, {0x2620, 0x2620}, {0x2622, 0x2623}, {0x2626, 0x2626},
	{0x262A, 0x262A}, {0x262E, 0x262F}, {0x2638, 0x263A}, {0x2640, 0x2640},
	{0x2642, 0x2642}, {0x2648, 0x2653}, {0x265F, 0x2660}, {0x2663, 0x2663},
	{0x2665, 0x2666}, {0x2668, 0x2668}, {0x267B, 0x267B}, {0x267E, 0x267F},
	{0x2692, 0x2697}, {0x2699, 0x2699}, {0x269B, 0x269C}, {0x26A0, 0x26A1},
	{0x26A7, 0x26A7}, {0x26AA, 0x26AB}, {0x26B0, 0x26B1}, {0x26BD, 0x26BE},
	{0x26C4, 0x26C5}, {0x26C8, 0x26C8}, {0x26CE, 0x26CF}, {0x26D1, 0x26D1},
	{0x26D3, 0x26D4}, {0x26E9, 0x26EA}, {0x26F0, 0x26F5}, {0x26F7, 0x26FA},
	{0x26FD, 0x26FD}, {0x2702, 0x2702}, {0x2705, 0x2705}, {0x2708, 0x270D},
	{0x270F, 0x270F}, {0x2712, 0x2712}, {0x2714, 0x2714}, {0x2716, 0x2716},
	{0x271D, 0x271D}, {0x2721, 0x2721}, {0x2728, 0x2728}, {0x2733, 0x2734},
	{0x2744, 0x2744}, {0x2747, 0x2747}, {0x274C, 0x274C}, {0x274E, 0x274E},
	{0x2753, 0x2755}, {0x2757, 0x2757}, {0x2763, 0x2764}, {0x2795, 0x2797},
	{0x27A1, 0x27A1}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2934, 0x2935},
	{0x2B05, 0x2B07}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
	{0x3030, 0x3030}, {0x303D, 0x303D}, {0x3297, 0x3297}, {0x3299, 0x3299},
}

// isPictographic reports whether r can start or join an emoji sequence.
func isPictographic(r rune) bool {
	switch {
	case r >= 0x1F000:
		return isPictographicSMP(r)
	case r < 0x203C || r > 0x3299:
		return false
	}
	i := sort.Search(len(bmpPictographs), func(i int) bool { return bmpPictographs[i][1] >= r })
	return i < len(bmpPictographs) && bmpPictographs[i][0] <= r
}

func isPictographicSMP(r rune) bool {
	switch {
	case r <= 0x1F0FF: // mahjong, domino and playing cards
		return true
	case r <= 0x1F1FF: // enclosed alphanumerics: only a few are emoji
		return r == 0x1F170 || r == 0x1F171 || r == 0x1F17E || r == 0x1F17F ||
			r == 0x1F18E || (r >= 0x1F191 && r <= 0x1F19A)
	case r <= 0x1F2FF: // enclosed ideographs
		return r == 0x1F201 || r == 0x1F202 || r == 0x1F21A || r == 0x1F22F ||
			(r >= 0x1F232 && r <= 0x1F23A) || r == 0x1F250 || r == 0x1F251
	case r >= skinLow && r <= skinHigh:
		return false
	case r <= 0x1F64F, r >= 0x1F680 && r <= 0x1F6FF:
		return true
	case r >= 0x1F7E0 && r <= 0x1F7EB, r == 0x1F7F0:
		return true
	case r >= 0x1F90C && r <= 0x1FAFF:
		return true
	}
	return false
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

func isKeycapBase(c byte) bool { return c == '#' || c == '*' || (c >= '0' && c <= '9') }

// keycapLen returns the length of the keycap sequence at s[i] ([#*0-9],
// optional VS16, U+20E3), or 0.
func keycapLen(s string, i int) int {
	j := i + 1
	if strings.HasPrefix(s[j:], "\uFE0F") {
		j += 3
	}
	if strings.HasPrefix(s[j:], "\u20E3") {
		return j + 3 - i
	}
	return 0
}

// emojiLen returns the byte length of the emoji sequence that starts with r
// (of size bytes) at s[i], or 0 when r starts none.
func emojiLen(s string, i int, r rune, size int) int {
	j := i + size
	switch {
	case isRegionalIndicator(r):
		if r2, n := utf8.DecodeRuneInString(s[j:]); isRegionalIndicator(r2) {
			j += n
		}
		return j - i
	case r == vs16:
		return size // twitter-text counts a lone VS16 as an emoji
	case !isPictographic(r):
		return 0
	}
	j = emojiTail(s, j)
	for {
		r2, n := utf8.DecodeRuneInString(s[j:])
		if r2 != zwj {
			return j - i
		}
		r3, n3 := utf8.DecodeRuneInString(s[j+n:])
		if !isPictographic(r3) {
			return j - i
		}
		j = emojiTail(s, j+n+n3)
	}
}

// emojiTail skips what may follow a pictograph within one emoji: VS16, a
// skin tone, and a complete tag sequence.
func emojiTail(s string, j int) int {
	if r, n := utf8.DecodeRuneInString(s[j:]); r == vs16 {
		j += n
	}
	if r, n := utf8.DecodeRuneInString(s[j:]); r >= skinLow && r <= skinHigh {
		j += n
	}
	k := j
	for {
		r, n := utf8.DecodeRuneInString(s[k:])
		switch {
		case r >= 0xE0020 && r <= 0xE007E:
			k += n
		case r == tagEnd && k > j:
			return k + n
		default:
			return j
		}
	}
}
