package check

import (
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// TestFindingCaps: "confidential " × 80,000 made a 24 MB report with a
// finding per word. The pack's caps keep the earliest 20 of a rule and 200
// in all, and the report counts the rest.
func TestFindingCaps(t *testing.T) {
	c := compileDefault(t)
	rep := c.Check(model.Draft{Text: strings.Repeat("confidential ", 80000)})
	perRule := map[string]int{}
	for _, f := range rep.Findings {
		perRule[f.Rule]++
	}
	if len(rep.Findings) == 0 || len(rep.Findings) > 200 {
		t.Fatalf("%d findings, want 1 to 200", len(rep.Findings))
	}
	for rule, n := range perRule {
		if n > 20 {
			t.Errorf("rule %s: %d findings, want at most 20", rule, n)
		}
	}
	if rep.Truncated < 79000 {
		t.Errorf("truncated = %d, want the ~80,000 left out counted", rep.Truncated)
	}
	if rep.Findings[0].Start != 0 {
		t.Errorf("first finding at %d: the earliest must be kept", rep.Findings[0].Start)
	}

	// Smaller caps from the pack, and the per-report cap across rules.
	p2 := *c.Pack()
	p2.Parameters.Findings = policy.FindingCaps{MaxPerRule: 2, MaxPerReport: 3}
	c2, err := Compile(&p2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("confidential ", 5) + strings.Repeat("call +41 22 917 8888 ", 5)
	rep = c2.Check(model.Draft{Text: text})
	all := c.Check(model.Draft{Text: text})
	if len(rep.Findings) != 3 || rep.Truncated != len(all.Findings)-3 || all.Truncated != 0 {
		t.Fatalf("caps 2/3: %d findings, truncated %d; uncapped %d findings", len(rep.Findings), rep.Truncated, len(all.Findings))
	}
	// A clean report has no truncated field.
	if rep := c.Check(model.Draft{Text: "hello"}); rep.Truncated != 0 {
		t.Fatal("truncated on a clean post")
	}
}

// BenchmarkCheckFlood measures the memory a 1 MB post of one flagged word
// costs (B/op): bounded findings, working memory linear in the post.
func BenchmarkCheckFlood(b *testing.B) {
	c := compileDefault(b)
	d := model.Draft{Text: strings.Repeat("confidential ", 80000)}
	b.ReportAllocs()
	b.SetBytes(int64(len(d.Text)))
	for b.Loop() {
		if rep := c.Check(d); len(rep.Findings) > 200 {
			b.Fatal(len(rep.Findings))
		}
	}
}
