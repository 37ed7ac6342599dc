package platform

import (
	"os"
	"testing"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/testutil"
	"gopkg.in/yaml.v3"
)

// The conformance suites of twitter-text, read from ../shared/testdata.

type conformanceCase struct {
	Description string    `yaml:"description"`
	Text        string    `yaml:"text"`
	Expected    yaml.Node `yaml:"expected"`
}

func loadSuite(t *testing.T, name string) map[string][]conformanceCase {
	t.Helper()
	data, err := os.ReadFile(testutil.SharedFile(t, "twitter-text/"+name))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests map[string][]conformanceCase `yaml:"tests"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc.Tests
}

func decodeExpected(t *testing.T, c conformanceCase, v any) {
	t.Helper()
	if err := c.Expected.Decode(v); err != nil {
		t.Fatalf("%s: expected: %v", c.Description, err)
	}
}

// TestWeightedLengthConformance runs every weighted-length case of
// validate.yml. The WeightedTweetsCounterTest section is written for config
// v2, which is v3 without emoji parsing; the others are for v3.
func TestWeightedLengthConformance(t *testing.T) {
	suite := loadSuite(t, "validate.yml")
	sections := map[string]xConfig{
		"WeightedTweetsCounterTest":                    {emoji: false, urlLength: transformedURLLength},
		"WeightedTweetsWithDiscountedEmojiCounterTest": {emoji: true, urlLength: transformedURLLength},
		"UnicodeDirectionalMarkerCounterTest":          {emoji: true, urlLength: transformedURLLength},
	}
	total := 0
	for section, cfg := range sections {
		cases := suite[section]
		if len(cases) == 0 {
			t.Errorf("validate.yml has no %s section", section)
		}
		for _, c := range cases {
			var want struct {
				WeightedLength int `yaml:"weightedLength"`
			}
			decodeExpected(t, c, &want)
			if got := xLength(c.Text, cfg); got != want.WeightedLength {
				t.Errorf("%s: %s: weighted length %d, want %d", section, c.Description, got, want.WeightedLength)
			}
			if cfg.emoji {
				if got := WeightedLength(c.Text); got != want.WeightedLength {
					t.Errorf("%s: %s: WeightedLength %d, want %d", section, c.Description, got, want.WeightedLength)
				}
			}
			total++
		}
	}
	t.Logf("%d weighted-length cases", total)
}

// TestTweetValidityConformance runs the "tweets" cases, which predate
// weighting (config v1): a post is valid when it holds 1 to 140 code points,
// each URL counting 23.
func TestTweetValidityConformance(t *testing.T) {
	p := policy.PlatformParams{Limit: 140, Counter: "characters", URLLength: 23}
	for _, c := range loadSuite(t, "validate.yml")["tweets"] {
		var want bool
		decodeExpected(t, c, &want)
		n := Length(c.Text, p)
		if got := n > 0 && n <= p.Limit; got != want {
			t.Errorf("%s: %d characters, valid %v, want %v", c.Description, n, got, want)
		}
	}
}

// TestWholeEntityConformance runs validate.yml's hashtag and scheme-less URL
// cases: a valid one is extracted whole, an invalid one is not.
func TestWholeEntityConformance(t *testing.T) {
	suite := loadSuite(t, "validate.yml")
	for section, find := range map[string]func(string) []Span{"hashtags": Hashtags, "urls_without_protocol": URLs} {
		for _, c := range suite[section] {
			var want bool
			decodeExpected(t, c, &want)
			spans := find(c.Text)
			got := len(spans) == 1 && spans[0] == Span{0, len(c.Text)}
			if got != want {
				t.Errorf("%s: %s: %q gives %v, want valid %v", section, c.Description, c.Text, spans, want)
			}
		}
	}
}

type indexedEntity struct {
	URL     string `yaml:"url"`
	Hashtag string `yaml:"hashtag"`
	Indices [2]int `yaml:"indices"`
}

// TestExtractConformance runs extract.yml's URL and hashtag sections.
func TestExtractConformance(t *testing.T) {
	suite := loadSuite(t, "extract.yml")
	type section struct {
		name    string
		find    func(string) []Span
		strip   int // bytes to drop from the front of a span to get the expected string
		indexed bool
	}
	sections := []section{
		{"urls", URLs, 0, false},
		{"tco_urls_with_params", URLs, 0, false},
		{"urls_with_indices", URLs, 0, true},
		{"urls_with_directional_markers", URLs, 0, true},
		{"hashtags", Hashtags, 1, false},
		{"hashtags_from_astral", Hashtags, 1, false},
		{"hashtags_with_indices", Hashtags, 1, true},
	}
	for _, sec := range sections {
		cases := suite[sec.name]
		if len(cases) == 0 {
			t.Errorf("extract.yml has no %s section", sec.name)
		}
		pass := 0
		for _, c := range cases {
			spans := sec.find(c.Text)
			var got, want []string
			for _, s := range spans {
				v := c.Text[s.Start:s.End]
				_, n := utf8.DecodeRuneInString(v) // '#' or '＃'
				if sec.strip == 0 {
					n = 0
				}
				if sec.indexed {
					got = append(got, v[n:]+"@"+itoa(runeIndex(c.Text, s.Start))+"-"+itoa(runeIndex(c.Text, s.End)))
				} else {
					got = append(got, v[n:])
				}
			}
			if sec.indexed {
				var ents []indexedEntity
				decodeExpected(t, c, &ents)
				for _, e := range ents {
					want = append(want, e.URL+e.Hashtag+"@"+itoa(e.Indices[0])+"-"+itoa(e.Indices[1]))
				}
			} else {
				decodeExpected(t, c, &want)
			}
			if equalStrings(got, want) {
				pass++
				continue
			}
			t.Errorf("%s: %s\n text %q\n got  %q\n want %q", sec.name, c.Description, c.Text, got, want)
		}
		t.Logf("extract.yml %s: %d of %d pass", sec.name, pass, len(cases))
	}
}

func runeIndex(s string, byteOff int) int { return utf8.RuneCountInString(s[:byteOff]) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
