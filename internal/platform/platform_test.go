package platform

import (
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

func TestLengthCounters(t *testing.T) {
	x := policy.PlatformParams{Limit: 280, Counter: "twitter", URLLength: 23}
	masto := policy.PlatformParams{Limit: 500, Counter: "mastodon", URLLength: 23}
	bsky := policy.PlatformParams{Limit: 300, Counter: "graphemes"}
	chars := policy.PlatformParams{Limit: 500, Counter: "characters"}
	family := "👨\u200d👩\u200d👧\u200d👦"
	tests := []struct {
		name string
		text string
		p    policy.PlatformParams
		want int
	}{
		{"x ascii", "hello", x, 5},
		{"x url", "see https://www.unops.org/news/2024/a-very-long-path-indeed now", x, 4 + 23 + 4},
		{"x bare domain", "see unops.org", x, 4 + 23},
		{"x cjk", "国連", x, 4},
		{"x family emoji", family, x, 2},
		{"x flag", "🇫🇷", x, 2},
		{"x keycap", "1️⃣", x, 2},
		{"x decomposed accent is NFC first", "e\u0301", x, 1},
		{"x url length from pack", "a http://example.com", policy.PlatformParams{Counter: "twitter", URLLength: 30}, 32},
		{"x url length 0 means 23", "http://example.com", policy.PlatformParams{Counter: "twitter"}, 23},
		{"mastodon plain", "hello", masto, 5},
		{"mastodon url", "read https://example.com/a/very/long/path/that/goes/on", masto, 5 + 23},
		{"mastodon bare domain is text", "read example.com", masto, 16},
		{"mastodon remote mention", "hi @alice@social.example.org", masto, 3 + 6},
		{"mastodon local mention", "hi @alice", masto, 9},
		{"mastodon mention and url", "@bob@a.example https://example.com/x", masto, 4 + 1 + 23},
		{"mastodon email is not a mention", "write to me@example.org", masto, 23},
		{"mastodon graphemes", family + "e\u0301", masto, 2},
		{"bluesky ascii", "hello world", bsky, 11},
		{"bluesky crlf is one", "a\r\nb", bsky, 3},
		{"bluesky zwj family", family, bsky, 1},
		{"bluesky flags", "🇫🇷🇩🇪", bsky, 2},
		{"bluesky combining marks", "e\u0301a\u0308\u0323", bsky, 2},
		{"bluesky hangul jamo", "\u1100\u1161\u11a8", bsky, 1},
		{"bluesky url is text", "https://example.com", bsky, 19},
		{"bluesky fixed url length", "go https://example.com/x", policy.PlatformParams{Counter: "graphemes", URLLength: 10}, 13},
		{"characters code points", family, chars, 7},
		{"characters NFC", "e\u0301", chars, 1},
		{"characters emoji astral", "🐱🐱", chars, 2},
		{"unknown counter counts characters", "abc", policy.PlatformParams{Counter: ""}, 3},
	}
	for _, tt := range tests {
		if got := Length(tt.text, tt.p); got != tt.want {
			t.Errorf("%s: Length(%q) = %d, want %d", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestWeightedLength(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{strings.Repeat("a", 280), 280},
		{strings.Repeat("あ", 140), 280},
		{"\u2014\u2019", 2}, // general punctuation in the light ranges
		{"\u2030", 2},       // per mille sign is outside them
		{"©", 1},            // twitter-text weighs © as text
		{"☺\uFE0F", 2},      // presentation sequence
		{"☺\uFE0E", 4},      // text presentation: two heavy characters
		{"👍🏽", 2},           // skin tone
		{"🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", 2}, // Scotland
		{"🏴\U000E0067\U000E0062", 6},                                         // unterminated tags are not one emoji
		{"a\u200db", 3},                                                      // ZWJ between letters is a light character
		{"🇫", 2},                                                             // lone regional indicator
		{"#\u20E3", 2},                                                       // keycap without VS16
		{"\xff\xfe", 4},                                                      // invalid UTF-8 bytes weigh as U+FFFD
		{"x.com/jack y", 25},                                                 // bare URL with path
		{"(https://en.wikipedia.org/wiki/Primer_(film))", 25},
	}
	for _, tt := range tests {
		if got := WeightedLength(tt.text); got != tt.want {
			t.Errorf("WeightedLength(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestURLs(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"no links here.", nil},
		{"Read https://www.unops.org/news. Thanks!", []string{"https://www.unops.org/news"}},
		{"Shortened: bit.ly/3xYz, t.co/abc and tinyurl.com/y2k.", []string{"bit.ly/3xYz", "t.co/abc", "tinyurl.com/y2k"}},
		{"(see http://example.com/a_(b)_c)", []string{"http://example.com/a_(b)_c"}},
		{"intranet: HTTPS://Intranet.UNOPS.org/HR?id=7&x=, ok", []string{"HTTPS://Intranet.UNOPS.org/HR?id=7&x="}},
		{"port http://example.com:8080/x", []string{"http://example.com:8080/x"}},
		{"idn http://bücher.de/ and münchen.de", []string{"http://bücher.de/", "münchen.de"}},
		{"cyrillic http://пример.рф/путь", []string{"http://пример.рф/путь"}},
		{"version 2.0 and 3.14 and e.g. and i.e.", nil},
		{"file report.pdf and image.png", nil},
		{"mail me@unops.org", nil},
		{"unops.org/careers!", []string{"unops.org/careers"}},
		{"ftp://example.com/file", nil}, // twitter-text links no other scheme, nor a host right after "/"
	}
	for _, tt := range tests {
		var got []string
		for _, s := range URLs(tt.text) {
			got = append(got, tt.text[s.Start:s.End])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("URLs(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestHashtags(t *testing.T) {
	text := "Building #resilience in #Côte_d’Ivoire, #2024 #SDG17 http://example.com/#frag &#39; ＃全角"
	var got []string
	for _, s := range Hashtags(text) {
		got = append(got, text[s.Start:s.End])
	}
	want := []string{"#resilience", "#Côte_d", "#SDG17", "＃全角"}
	if !slices.Equal(got, want) {
		t.Errorf("Hashtags = %q, want %q", got, want)
	}
}

func TestPunycodeLength(t *testing.T) {
	// ACE forms from RFC 3492 section 7.1 and well-known registrations.
	tests := map[string]string{
		"bücher":            "xn--bcher-kva",
		"münchen":           "xn--mnchen-3ya",
		"☃":                 "xn--n3h",
		"例え":                "xn--r8jz45g",
		"пример":            "xn--e1afmkfd",
		"ليهمابتكلموشعربي؟": "xn--egbpdaj6bu4bxfgehfvwxn",
		"他们为什么不说中文":         "xn--ihqwcrb4cv8a8dqg056pqjye",
		"Bücher":            "xn--bcher-kva",
	}
	for label, ace := range tests {
		if got := punycodeLength(label); got != len(ace) {
			t.Errorf("punycodeLength(%q) = %d, want %d (%s)", label, got, len(ace), ace)
		}
	}
	if got := punycodeLength(strings.Repeat("あ", 500)); got <= maxLabel {
		t.Errorf("a 500-rune label has ACE length %d", got)
	}
}

func TestNamesAndDefaults(t *testing.T) {
	names := Names()
	for _, want := range policy.Platforms {
		if !slices.Contains(names, want) {
			t.Errorf("Names() lacks %s", want)
		}
	}
	limits := map[string]int{"x": 280, "mastodon": 500, "bluesky": 300, "threads": 500,
		"linkedin": 3000, "facebook": 63206, "instagram": 2200}
	for name, limit := range limits {
		p, ok := Default(name)
		if !ok || p.Limit != limit {
			t.Errorf("Default(%s) = %+v, %v; want limit %d", name, p, ok, limit)
		}
	}
	if p, _ := Default("instagram"); p.HashtagCap == 0 {
		t.Error("instagram has no hashtag cap")
	}
	if _, ok := Default("myspace"); ok {
		t.Error("Default knows myspace")
	}
	if p, _ := Default("x"); Length(strings.Repeat("é", 281), p) != 281 {
		t.Error("281 accented letters do not count 281 on X")
	}
}
