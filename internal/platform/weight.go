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

// xCount weighs the NFC text t whose URLs are urls.
func xCount(t string, cfg xConfig, urls []Span) int {
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
		c := t[i]
		if c < utf8.RuneSelf {
			if cfg.emoji && isKeycapBase(c) {
				if n := keycapLen(t, i); n > 0 {
					total += defaultWeight
					i += n
					continue
				}
			}
			total += scale
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(t[i:])
		if cfg.emoji {
			if n := emojiLen(t, i, r, size); n > 0 {
				total += defaultWeight
				i += n
				continue
			}
		}
		total += charWeight(r)
		i += size
	}
	return total / scale
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
