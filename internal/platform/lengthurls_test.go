package platform

import (
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

// FuzzLengthURLs: given the text's own URLs, LengthURLs counts what Length
// counts, for every counter.
func FuzzLengthURLs(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add("Cafe\u0301 https://www.unops.org/news #Mali 👩‍👩‍👧")
	f.Fuzz(func(t *testing.T, text string) {
		urls := URLs(text)
		for _, c := range []string{"twitter", "mastodon", "graphemes", "characters"} {
			for _, url := range []int{0, 30} {
				pp := policy.PlatformParams{Counter: c, URLLength: url, Limit: 280}
				if got, want := LengthURLs(text, pp, urls), Length(text, pp); got != want {
					t.Fatalf("LengthURLs(%q, %s/%d) = %d, Length = %d", text, c, url, got, want)
				}
			}
		}
	})
}
