package connector

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
)

func importFile(t *testing.T, name string) (*AnalyticsPreview, error) {
	t.Helper()
	return ImportAnalytics(bytes.NewReader(readTestdata(t, name)))
}

func TestImportAnalyticsFormats(t *testing.T) {
	cases := []struct {
		file, format, platform string
		posts                  int
		first                  string // ExternalID of the first post
		at                     time.Time
		views, likes, reposts  int64
		replies                int64
	}{
		{"x_tweet_activity.csv", "x-tweet-activity", "x", 3, "1122334455667788990", time.Date(2019, 4, 28, 8, 31, 0, 0, time.UTC), 2345, 31, 9, 2},
		{"x_post_analytics.csv", "x-post-analytics", "x", 3, "1786000000000000003", time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), 8421, 64, 12, 3},
		{"meta_posts.csv", "meta-posts", "facebook", 3, "104123456789012_901", time.Date(2024, 5, 2, 7, 45, 0, 0, time.UTC), 12904, 233, 14, 6},
		{"instagram_posts.csv", "meta-posts", "instagram", 1, "18000000000000002", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), 15230, 812, 20, 14},
	}
	for _, c := range cases {
		pv, err := importFile(t, c.file)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if len(pv.Problems) > 0 {
			t.Errorf("%s: problems %+v", c.file, pv.Problems)
		}
		if pv.Format != c.format || pv.Platform != c.platform || len(pv.Posts) != c.posts {
			t.Errorf("%s: format %s platform %s posts %d", c.file, pv.Format, pv.Platform, len(pv.Posts))
			continue
		}
		p := pv.Posts[0]
		if p.ExternalID != c.first || !p.PostedAt.Equal(c.at) || p.Source != "analytics" || p.Platform != c.platform {
			t.Errorf("%s: first post %+v", c.file, p)
		}
		if *p.Views != c.views || *p.Likes != c.likes || *p.Reposts != c.reposts || *p.Replies != c.replies {
			t.Errorf("%s: figures views=%d likes=%d reposts=%d replies=%d", c.file, *p.Views, *p.Likes, *p.Reposts, *p.Replies)
		}
	}
}

func TestImportAnalyticsDetails(t *testing.T) {
	pv, err := importFile(t, "x_tweet_activity.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pv.Posts[1].Text, "\nDétails sur notre site.") {
		t.Errorf("multi-line text = %q", pv.Posts[1].Text)
	}
	pv, err = importFile(t, "meta_posts.csv")
	if err != nil {
		t.Fatal(err)
	}
	video := pv.Posts[2]
	if video.Text != "How we build: road works in Marsabit" || video.Views != nil || video.Likes != nil {
		t.Errorf("video row: title as text, empty figures nil: %+v", video)
	}
	pv, err = importFile(t, "x_post_analytics.csv")
	if err != nil {
		t.Fatal(err)
	}
	if *pv.Posts[1].Views != 2210 {
		t.Errorf(`"2 210" = %d`, *pv.Posts[1].Views)
	}
}

func TestImportAnalyticsProblems(t *testing.T) {
	pv, err := importFile(t, "meta_posts_bad.csv")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int][]string{}
	for _, p := range pv.Problems {
		got[p.Line] = append(got[p.Line], p.Column)
	}
	want := map[int][]string{3: {"Publish time"}, 4: {"Post ID"}, 5: {"Comments", "Reactions"}, 6: {"Post ID"}, 7: {"Publish time"}}
	for line, cols := range want {
		if strings.Join(got[line], ",") != strings.Join(cols, ",") {
			t.Errorf("line %d: problems in %v, want %v", line, got[line], cols)
		}
	}
	if len(got) != len(want) {
		t.Errorf("problems = %+v", pv.Problems)
	}
	if len(pv.Posts) != 1 {
		t.Errorf("good rows = %d", len(pv.Posts))
	}
}

func TestImportAnalyticsRefused(t *testing.T) {
	cases := map[string]string{
		"":                         "empty",
		"a,b\n1,2\n":               "unrecognized",
		"Post ID,Permalink\n1,x\n": "without a time",
		"Tweet id,time\n\"1,2\n":   "", // parse error on a row: a problem, not a refusal
		string(readTestdata(t, "x_account_overview.csv")): "daily totals",
	}
	for in, want := range cases {
		pv, err := ImportAnalytics(strings.NewReader(in))
		if want == "" {
			if err != nil || len(pv.Problems) == 0 {
				t.Errorf("%q: err=%v preview=%+v", in, err, pv)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) || !errs.Is(err, errs.Invalid) {
			t.Errorf("%q: err = %v, want %q, invalid input", clip(in), err, want)
		}
	}
}

func TestImportAnalyticsSemicolonsAndHeaderSpacing(t *testing.T) {
	in := "  TWEET_ID ; Tweet  Permalink;TIME;Impressions;Likes\n1;https://x.com/a/status/1;2024-05-01 10:00 +0000;1.234;5\n"
	pv, err := ImportAnalytics(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	// "1.234" is ambiguous (a decimal point or a European separator): refused.
	if len(pv.Problems) != 1 || pv.Problems[0].Column != "Impressions" || pv.Problems[0].Line != 2 {
		t.Fatalf("problems = %+v", pv.Problems)
	}
}

func FuzzImportAnalytics(f *testing.F) {
	for _, name := range []string{"x_tweet_activity.csv", "x_post_analytics.csv", "meta_posts.csv", "meta_posts_bad.csv"} {
		b, err := readFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Post ID,Publish time\n\"1\",\"05/01/2024\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pv, err := ImportAnalytics(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pv.Problems {
			if p.Line < 1 || p.Message == "" || !i18n.Has(p.Key) || p.Text("fr") == p.Message {
				t.Fatalf("bad problem %+v", p)
			}
		}
		seen := map[string]bool{}
		for _, p := range pv.Posts {
			if p.ExternalID == "" || p.PostedAt.IsZero() || seen[p.ExternalID] {
				t.Fatalf("bad post %+v", p)
			}
			seen[p.ExternalID] = true
			for _, n := range []*int64{p.Replies, p.Reposts, p.Likes, p.Views} {
				if n != nil && *n < 0 {
					t.Fatalf("negative figure in %+v", p)
				}
			}
		}
	})
}
