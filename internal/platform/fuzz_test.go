package platform

import (
	"testing"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/policy"
)

var fuzzSeeds = []string{
	"", "Hi http://test.co", "H🐱☺👨‍👩‍👧‍👦", "see unops.org/x_(y) and #tag",
	"http://あ-あ.com/x?y=1#z", "a-b-c-d.e_f.g.com:80/(a(b)c)?q=1&", "\xff\xfe.com http://\xc3",
	"@a@b.c https://t.co/abc?x=1 1️⃣ 🇫🇷", "e\u0301.com ＃タグ #a#b",
}

// checkSpans fails unless every span is ordered, inside text and on rune
// boundaries (as decoding the text rune by rune, invalid bytes one by one,
// reaches them).
func checkSpans(t *testing.T, what, text string, spans []Span) {
	t.Helper()
	boundary := make([]bool, len(text)+1)
	for i := 0; i < len(text); {
		boundary[i] = true
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	boundary[len(text)] = true
	prevEnd := 0
	for _, s := range spans {
		if s.Start < prevEnd || s.Start >= s.End || s.End > len(text) || !boundary[s.Start] || !boundary[s.End] {
			t.Fatalf("%s(%q): bad span %v in %v", what, text, s, spans)
		}
		prevEnd = s.End
	}
}

func FuzzURLs(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkSpans(t, "URLs", text, URLs(text))
		checkSpans(t, "Hashtags", text, Hashtags(text))
		checkSpans(t, "scanURLs", text, scanURLs(text, false, nil))
	})
}

func FuzzLength(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	counters := []string{"twitter", "mastodon", "graphemes", "characters"}
	f.Fuzz(func(t *testing.T, text string) {
		// Every byte weighs at most 2, except that a URL weighs 23.
		w := WeightedLength(text)
		if w < 0 || w > 2*len(text)+transformedURLLength*len(URLs(normalize(text))) {
			t.Fatalf("WeightedLength(%q) = %d", text, w)
		}
		for _, c := range counters {
			for _, url := range []int{0, 23} {
				n := Length(text, policy.PlatformParams{Counter: c, URLLength: url, Limit: 280})
				if n < 0 || n > 23*len(text)+len(text) {
					t.Fatalf("Length(%q, %s/%d) = %d", text, c, url, n)
				}
			}
		}
	})
}
