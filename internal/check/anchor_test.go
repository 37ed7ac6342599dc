package check

import (
	"slices"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// TestAnchorWords: an anchor wakes its pattern only as a whole word,
// unless it ends in "*", when it may start a longer word.
func TestAnchorWords(t *testing.T) {
	base, err := policy.Load("../policy/testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The regex alone would match every text below; only the anchors decide.
	ov := `overlay: {id: o, version: 1, base: test-pack}
add_rules:
  - id: anchor.word
    severity: warning
    detect: {patterns: [{anchors: [part], regex: 'p\w+'}]}
    message: {en: m, fr: m, es: m}
    examples: {fire: [part], pass: [partners]}
  - id: anchor.prefix
    severity: warning
    detect: {patterns: [{anchors: ["convoi*"], regex: 'c\w+'}]}
    message: {en: m, fr: m, es: m}
    examples: {fire: [convois], pass: [reconvoi]}
`
	p, err := policy.ApplyOverlay(base, "o.yaml", []byte(ov))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		{"Le convoi part à 6h", []string{"anchor.prefix", "anchor.word"}},
		{"Nos partenaires et partners", nil},
		{"Part.", []string{"anchor.word"}},
		{"Les convois", []string{"anchor.prefix"}},
		{"reconvois counterpart", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range c.Check(model.Draft{Text: tt.text}).Findings {
			if strings.HasPrefix(f.Rule, "anchor.") && !slices.Contains(got, f.Rule) {
				got = append(got, f.Rule)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: rules %v, want %v", tt.text, got, tt.want)
		}
	}
}
