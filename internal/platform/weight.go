package platform

import "unicode/utf8"

// X's counting configuration, twitter-text config v3.
const (
	maxWeightedLength    = 280
	scale                = 100
	defaultWeight        = 200
	emojiParsingEnabled  = true
	transformedURLLength = 23
)

// weightRanges are the code point ranges that weigh less than defaultWeight
// (config v3 "ranges"); every other code point weighs defaultWeight.
var weightRanges = [...]struct{ start, end, weight int }{
	{0, 4351, 100},
	{8192, 8205, 100},
	{8208, 8223, 100},
	{8242, 8247, 100},
}

// xConfig holds the parts of a twitter-text configuration that vary between
// its versions and callers.
type xConfig struct {
	emoji     bool // emojiParsingEnabled: an emoji sequence weighs defaultWeight
	urlLength int  // transformedURLLength
}

// MaxWeightedLength is the most weighted length X accepts in a post without
// a subscription (config v3 maxWeightedTweetLength).
const MaxWeightedLength = maxWeightedLength

// WeightedLength returns the post's length as X counts it with twitter-text
// config v3: the text in NFC, each URL as 23, each emoji sequence as 2, code
// points in the light ranges (Latin, most punctuation) as 1 and all others
// (CJK, most symbols) as 2.
func WeightedLength(text string) int {
	return xLength(text, xConfig{emoji: emojiParsingEnabled, urlLength: transformedURLLength})
}

func xLength(text string, cfg xConfig) int {
	t := normalize(text)
	var buf [8]Span
	return xCount(t, cfg, scanURLs(t, true, buf[:0]))
}

// xCount weighs the NFC text t whose URLs are urls (in order, as scanURLs
// finds them). A run of ASCII bytes that start no keycap weighs one unit
// each and is counted in one step; the rest goes a token at a time
// (xToken). FuzzXCountRuns checks the runs change nothing.
func xCount(t string, cfg xConfig, urls []Span) int { return xCountRuns(t, cfg, urls, true) }

// xCountRuns is xCount; without runs, every position is a token.
func xCountRuns(t string, cfg xConfig, urls []Span, runs bool) int {
	total, u := 0, 0
	for i := 0; i < len(t); {
		for u < len(urls) && urls[u].Start < i {
			u++
		}
		if u < len(urls) && urls[u].Start == i {
			total += cfg.urlLength * scale
			i = urls[u].End
			u++
			continue
		}
		end := len(t)
		if u < len(urls) {
			end = urls[u].Start
		}
		j := i
		for runs && j < end && t[j] < utf8.RuneSelf && !(cfg.emoji && isKeycapBase(t[j])) {
			j++
		}
		if j > i {
			total += (j - i) * scale
			i = j
			continue
		}
		w, n := xToken(t, i, cfg)
		total += w
		i += n
	}
	return total / scale
}

// xToken weighs the token at t[i], not a URL: an ASCII byte, a keycap or
// emoji sequence, or one code point; n is its length in bytes.
func xToken(t string, i int, cfg xConfig) (w, n int) {
	c := t[i]
	if c < utf8.RuneSelf {
		if cfg.emoji && isKeycapBase(c) {
			if n := keycapLen(t, i); n > 0 {
				return defaultWeight, n
			}
		}
		return scale, 1
	}
	r, size := utf8.DecodeRuneInString(t[i:])
	if cfg.emoji {
		if n := emojiLen(t, i, r, size); n > 0 {
			return defaultWeight, n
		}
	}
	return charWeight(r), size
}

// charWeight is a code point's weight in scale units.
func charWeight(r rune) int {
	for _, w := range weightRanges {
		if int(r) >= w.start && int(r) <= w.end {
			return w.weight
		}
	}
	return defaultWeight
}
