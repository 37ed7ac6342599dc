package platform

import "testing"

// FuzzXCountRuns checks that counting ASCII runs in one step weighs every
// text as a token at a time does, with and without emoji parsing.
func FuzzXCountRuns(f *testing.F) {
	for _, s := range []string{"", "hello world", "#1 in 2024 *", "1\ufe0f\u20e3 #\u20e3 see https://example.org/a?b=1 now",
		"café 👩‍👩‍👧 ok", "x.com/y and t.co", "\xff\xfe#", "日本語 text 123"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, emoji bool) {
		cfg := xConfig{emoji: emoji, urlLength: 23}
		urls := scanURLs(s, true, nil)
		if got, want := xCount(s, cfg, urls), xCountRuns(s, cfg, urls, false); got != want {
			t.Fatalf("xCount(%q) = %d, a token at a time %d", s, got, want)
		}
	})
}
