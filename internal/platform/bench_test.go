package platform

import (
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

// post280 is an ordinary 280-character news post with a link, a hashtag
// and an emoji.
var post280 = func() string {
	s := "UNOPS supports partners in Côte d'Ivoire to build 12 health centres 🏥 serving 250,000 people. " +
		"Read more about the project and its results at https://www.unops.org/news-and-stories/news/health-centres " +
		"#GlobalGoals. With thanks to our partners in the region for "
	for len([]rune(s)) < 280 {
		s += "x"
	}
	return s
}()

func BenchmarkWeightedLength280(b *testing.B) {
	b.SetBytes(int64(len(post280)))
	for b.Loop() {
		WeightedLength(post280)
	}
}

func BenchmarkURLs280(b *testing.B) {
	b.SetBytes(int64(len(post280)))
	for b.Loop() {
		URLs(post280)
	}
}

func BenchmarkHashtags280(b *testing.B) {
	for b.Loop() {
		Hashtags(post280)
	}
}

func BenchmarkLengthMastodon280(b *testing.B) {
	p := policy.PlatformParams{Counter: "mastodon", URLLength: 23}
	for b.Loop() {
		Length(post280, p)
	}
}

func BenchmarkLengthGraphemes280(b *testing.B) {
	p := policy.PlatformParams{Counter: "graphemes"}
	for b.Loop() {
		Length(post280, p)
	}
}

// BenchmarkURLsHostile measures a 1 MB run of labels and dots, the worst
// case for URL matching, which must stay linear.
func BenchmarkURLsHostile(b *testing.B) {
	text := strings.Repeat("a-b_c.", 1<<20/6)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		URLs(text)
	}
}
