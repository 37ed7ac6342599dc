package health

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// node is any SVG element, parsed without a schema.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) num(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

// find returns every element named name (and of class class, if set), in document order.
func (n node) find(name, class string) []node {
	var out []node
	for _, c := range n.Nodes {
		if c.XMLName.Local == name && (class == "" || c.attr("class") == class) {
			out = append(out, c)
		}
		out = append(out, c.find(name, class)...)
	}
	return out
}

func parseSVG(t *testing.T, svg string) node {
	t.Helper()
	var root node
	if err := xml.Unmarshal([]byte(svg), &root); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, svg)
	}
	if root.XMLName.Local != "svg" || root.attr("role") != "img" || root.attr("viewBox") == "" || root.attr("width") != "" {
		t.Errorf("root <%s role=%q viewBox=%q width=%q>", root.XMLName.Local, root.attr("role"), root.attr("viewBox"), root.attr("width"))
	}
	if len(root.Nodes) < 2 || root.Nodes[0].XMLName.Local != "title" || root.Nodes[1].XMLName.Local != "desc" {
		t.Fatal("the svg must start with its <title> and <desc>")
	}
	for _, id := range strings.Fields(root.attr("aria-labelledby")) {
		if id != root.Nodes[0].attr("id") && id != root.Nodes[1].attr("id") {
			t.Errorf("aria-labelledby names %q, which is neither the title nor the desc", id)
		}
	}
	if len(root.find("script", "")) > 0 || hasHandler(root) {
		t.Error("the chart holds script")
	}
	return root
}

func hasHandler(n node) bool {
	for _, a := range n.Attrs {
		if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
			return true
		}
	}
	for _, c := range n.Nodes {
		if hasHandler(c) {
			return true
		}
	}
	return false
}

func TestPostsPerWeekChart(t *testing.T) {
	// Week slots end at asOf; counts per week, oldest first.
	counts := []int{0, 3, 1, 7, 0, 2}
	var posts []model.Post
	for i, c := range counts {
		end := asOf.Add(-time.Duration(len(counts)-1-i) * week)
		for j := range c {
			// Spread over the week, including its last instant; never its first.
			posts = append(posts, model.Post{PostedAt: end.Add(-time.Duration(j) * 23 * time.Hour)})
		}
	}
	// Outside the chart: after asOf, and exactly at the start of the oldest week.
	posts = append(posts, model.Post{PostedAt: asOf.Add(time.Minute)}, model.Post{PostedAt: asOf.Add(-6 * week)})

	root := parseSVG(t, string(PostsPerWeekChart("en", posts, 2.5, len(counts), asOf)))
	bars := root.find("rect", "bar")
	if len(bars) != len(counts) {
		t.Fatalf("%d bars, want %d", len(bars), len(counts))
	}
	base := bars[0].num(t, "y") + bars[0].num(t, "height")
	perPost := bars[3].num(t, "height") / 7
	for i, b := range bars {
		if h := b.num(t, "height"); math.Abs(h-perPost*float64(counts[i])) > 0.15 {
			t.Errorf("bar %d is %.1f high, want %.1f for %d posts", i, h, perPost*float64(counts[i]), counts[i])
		}
		if math.Abs(b.num(t, "y")+b.num(t, "height")-base) > 0.15 {
			t.Errorf("bar %d does not stand on the axis", i)
		}
		if i > 0 && b.num(t, "x") <= bars[i-1].num(t, "x") {
			t.Errorf("bar %d is not right of bar %d", i, i-1)
		}
		if want := strconv.Itoa(counts[i]) + " post"; !strings.Contains(b.find("title", "")[0].Text, want) {
			t.Errorf("bar %d's title %q lacks %q", i, b.find("title", "")[0].Text, want)
		}
	}
	plan := root.find("line", "plan")
	if len(plan) != 1 {
		t.Fatalf("%d plan lines, want 1", len(plan))
	}
	if y := plan[0].num(t, "y1"); math.Abs(base-y-perPost*2.5) > 0.15 {
		t.Errorf("plan line at %.1f above the axis, want %.1f", base-y, perPost*2.5)
	}
	desc := root.Nodes[1].Text
	for _, s := range []string{"plan of 2.5 per week", "week ending 2025-03-01, 2 posts", "week ending 2025-02-01, 3 posts", "week ending 2025-01-25, 0 posts"} {
		if !strings.Contains(desc, s) {
			t.Errorf("desc %q lacks %q", desc, s)
		}
	}

	// No plan: no line; no posts: bars of height zero, still a valid scale.
	root = parseSVG(t, string(PostsPerWeekChart("en", nil, 0, 4, asOf)))
	if len(root.find("line", "plan")) != 0 {
		t.Error("a plan line without a plan")
	}
	for _, b := range root.find("rect", "bar") {
		if b.num(t, "height") != 0 {
			t.Error("a bar for no posts")
		}
	}
}

func TestChartWeeksBounded(t *testing.T) {
	for _, tc := range []struct{ weeks, want int }{{-3, 1}, {0, 1}, {12, 12}, {1 << 30, maxWeeks}} {
		root := parseSVG(t, string(PostsPerWeekChart("en", nil, 1, tc.weeks, asOf)))
		if n := len(root.find("rect", "bar")); n != tc.want {
			t.Errorf("weeks %d: %d bars, want %d", tc.weeks, n, tc.want)
		}
	}
}

func TestEngagementChart(t *testing.T) {
	// Four weeks: figures in weeks 0, 1 and 3; week 2 has only a post without figures.
	posts := []model.Post{
		{PostedAt: asOf.Add(-3*week - day), Likes: i64(10)},
		{PostedAt: asOf.Add(-3*week - 2*day), Likes: i64(30)},      // week 0: 20 per post
		{PostedAt: asOf.Add(-2*week - day), Replies: i64(5)},       // week 1: 5
		{PostedAt: asOf.Add(-week - day)},                          // week 2: unknown
		{PostedAt: asOf.Add(-day), Reposts: i64(8), Likes: i64(2)}, // week 3: 10
	}
	profiles := []model.Profile{
		{Followers: i64(1000), FetchedAt: asOf.Add(-3 * week)},
		{Followers: i64(2000), FetchedAt: asOf.Add(-time.Hour)},
		{Followers: nil, FetchedAt: asOf.Add(-2 * week)},
		{Followers: i64(1), FetchedAt: asOf.Add(time.Hour)}, // after asOf: ignored
	}
	root := parseSVG(t, string(EngagementChart("en", posts, profiles, 0.004, 4, asOf)))
	// Weeks 0 and 1 end nearer the first snapshot, week 3 at the second.
	want := map[int]float64{0: 0.02, 1: 0.005, 3: 0.005}
	points := root.find("circle", "point")
	if len(points) != len(want) {
		t.Fatalf("%d points, want %d", len(points), len(want))
	}
	floor := root.find("line", "floor")
	if len(floor) != 1 {
		t.Fatalf("%d floor lines, want 1", len(floor))
	}
	axis := root.find("line", "axis")[0].num(t, "y1")
	perUnit := (axis - floor[0].num(t, "y1")) / 0.004
	slot := (points[1].num(t, "cx") - points[0].num(t, "cx"))
	for i, p := range points {
		week := int(math.Round((p.num(t, "cx") - points[0].num(t, "cx")) / slot))
		if r, ok := want[week]; !ok || math.Abs(axis-p.num(t, "cy")-r*perUnit) > 0.15 {
			t.Errorf("point %d in week %d at %.1f above the axis, want %.1f", i, week, axis-p.num(t, "cy"), r*perUnit)
		}
	}
	// The line breaks at week 2: two sub-paths.
	paths := root.find("path", "line")
	if len(paths) != 1 || strings.Count(paths[0].attr("d"), "M") != 2 {
		t.Errorf("line %v, want two segments", paths)
	}
	desc := root.Nodes[1].Text
	for _, s := range []string{"floor of 0.4%", "week ending 2025-02-08, 2%", "week ending 2025-02-22, no figures", "week ending 2025-03-01, 0.5%"} {
		if !strings.Contains(desc, s) {
			t.Errorf("desc %q lacks %q", desc, s)
		}
	}

	root = parseSVG(t, string(EngagementChart("en", nil, nil, 0, 3, asOf)))
	if len(root.find("circle", "point")) != 0 || len(root.find("text", "empty")) != 1 {
		t.Error("an empty chart must say it has no figures and draw no point")
	}
}

// Text from the data is escaped.
func TestChartEscapes(t *testing.T) {
	parseSVG(t, string(PostsPerWeekChart("en", nil, 1, 2, asOf)))
	f := frame{title: `<b>"&'`, desc: "</desc><script>", n: 1, yMax: 1, yStep: 1, yLabel: func(v float64) string { return i18n.Decimal("en", v) }, asOf: asOf}
	var b strings.Builder
	f.open(&b)
	b.WriteString("</svg>")
	root := parseSVG(t, b.String())
	if root.Nodes[0].Text != f.title || root.Nodes[1].Text != f.desc {
		t.Errorf("title %q desc %q did not survive escaping", root.Nodes[0].Text, root.Nodes[1].Text)
	}
}

// Every colour drawn on the white background meets WCAG AA: 4.5:1 for text,
// which the data and target colours also carry, and 3:1 for the axis.
func TestChartContrast(t *testing.T) {
	for _, c := range []string{colInk, colData, colTarget} {
		if r := contrast(c, colBackground); r < 4.5 {
			t.Errorf("%s on %s: %.2f:1, want 4.5:1", c, colBackground, r)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

// Any plan, floor, week count and dates give a well-formed chart whose
// coordinates are all numbers.
func FuzzCharts(f *testing.F) {
	f.Add(2.5, 0.001, 12, int64(0), int64(3600), int64(40))
	f.Add(math.Inf(1), math.NaN(), -1, int64(-1<<62), int64(1<<62), int64(-5))
	f.Fuzz(func(t *testing.T, plan, floor float64, weeks int, a, b, likes int64) {
		posts := []model.Post{{PostedAt: asOf.Add(-time.Duration(a)), Likes: &likes}, {PostedAt: time.Unix(b, 0), Replies: &likes}}
		profiles := []model.Profile{{Followers: &likes, FetchedAt: asOf.Add(-time.Duration(b))}}
		for _, svg := range []string{
			string(PostsPerWeekChart("en", posts, plan, weeks, asOf)),
			string(EngagementChart("en", posts, profiles, floor, weeks, asOf)),
		} {
			if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
				t.Fatalf("a coordinate is not a number: %s", svg)
			}
			if err := xml.Unmarshal([]byte(svg), new(node)); err != nil {
				t.Fatal(err)
			}
		}
	})
}
