package check

import (
	"os"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// A word-list rule's unless drops a term match when one of its concepts
// (or a concept it includes) is in the same sentence, and only there; a
// concept's except phrase keeps it from counting.
func TestUnless(t *testing.T) {
	c := framesChecker(t)
	for text, want := range map[string]int{
		"An investigation has been opened.":                             1,
		"As said in our statement, an investigation has been opened.":   0,
		"An investigation, as our press release says, has been opened.": 0,
		"The abduction, published on Monday, ended well.":               0, // published: included by record
		// The concept in the next or the previous sentence does not cancel.
		"Our statement is out. An investigation has been opened.":  1,
		"An investigation has been opened. Our statement is out.":  1,
		"An investigation has been opened.\nOur statement is out.": 1,
		// Only the match in the sentence of the concept is dropped.
		"Our statement is out: an investigation. Another investigation has been opened.": 1,
		// An except phrase of the concept: "not published" is no record.
		"The report is not published: an investigation has been opened.": 1,
		// An abbreviation does not end the sentence.
		"Dr. Mwangi spoke of the abduction in our statement.": 0,
	} {
		fs := c.Check(model.Draft{Text: text}).Findings
		n := 0
		for _, f := range fs {
			if f.Rule == "discretion.sensitive" {
				n++
			}
		}
		if n != want {
			t.Errorf("%q: %d findings of discretion.sensitive, want %d (%+v)", text, n, want, fs)
		}
	}
}

// Without a frame rule that applies, the concepts of unless are still found.
func TestUnlessWithoutFrames(t *testing.T) {
	p, err := policy.Load("../policy/testdata/frames.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Rules {
		if len(p.Rules[i].Detect.Frames) > 0 {
			p.Rules[i].Applies.Kinds = []string{"project"}
		}
	}
	c := compilePack(t, p, nil)
	for text, want := range map[string]int{
		"As said in our statement, an investigation has been opened.": 0,
		"Our statement is out. An investigation has been opened.":     1,
	} {
		if got := len(c.Check(model.Draft{Text: text, Account: model.DraftAccount{Kind: "personal"}}).Findings); got != want {
			t.Errorf("%q: %d findings, want %d", text, got, want)
		}
	}
}

// An overlay's add_unless reaches the compiled rule.
func TestUnlessOverlay(t *testing.T) {
	base, err := policy.Load("../policy/testdata/frames.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ov := "overlay: {id: o, version: 1, base: frames-pack}\nrules:\n  - id: discretion.sensitive\n    add_unless: [past]\n"
	p, err := policy.ApplyOverlay(base, "o.yaml", []byte(ov))
	c := compilePack(t, p, err)
	text := "Yesterday an investigation was opened."
	if fs := c.Check(model.Draft{Text: text}).Findings; len(fs) != 0 {
		t.Errorf("with add_unless [past]: %+v", fs)
	}
	if fs := framesChecker(t).Check(model.Draft{Text: text}).Findings; len(fs) != 1 {
		t.Errorf("base pack: %+v", fs)
	}
	ov = "overlay: {id: o, version: 1, base: frames-pack}\nrules:\n  - id: discretion.sensitive\n    unless: []\n"
	p, err = policy.ApplyOverlay(base, "o.yaml", []byte(ov))
	c = compilePack(t, p, err)
	if fs := c.Check(model.Draft{Text: "As said in our statement, an investigation has been opened."}).Findings; len(fs) != 1 {
		t.Errorf("with unless []: %+v", fs)
	}
}

// --explain-rule says which match unless dropped, by which concept, in
// which sentence.
func TestUnlessExplain(t *testing.T) {
	c := framesChecker(t)
	text := "We reported the abduction in our statement. An investigation has been opened."
	ex := c.Explain(model.Draft{Text: text}, "discretion.sensitive")
	if len(ex.Findings) != 1 || ex.Findings[0].Excerpt != "investigation" {
		t.Fatalf("findings %+v", ex.Findings)
	}
	if len(ex.Dropped) != 1 {
		t.Fatalf("dropped %+v", ex.Dropped)
	}
	d := ex.Dropped[0]
	if d.Excerpt != "abduction" || text[d.Start:d.End] != "abduction" || d.By.Concept != "record" || d.By.Text != "our statement" ||
		d.Sentence != "We reported the abduction in our statement." {
		t.Errorf("dropped %+v", d)
	}
	if len(ex.Why) != 1 || !strings.Contains(ex.Why[0], "except in a sentence that holds record (unless)") {
		t.Errorf("why %q", ex.Why)
	}
	if s := d.String(); !strings.Contains(s, `"abduction" at 16-25 dropped by unless: record (our statement)`) {
		t.Errorf("String() = %q", s)
	}
	// Another rule asked about records nothing.
	if ex := c.Explain(model.Draft{Text: text}, "safety.movement"); len(ex.Dropped) != 0 {
		t.Errorf("dropped for another rule: %+v", ex.Dropped)
	}
}

// A pack without unless compiles no unless rule, so checks skip the step.
func TestNoUnlessRules(t *testing.T) {
	data, err := os.ReadFile("../policy/testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "unless") {
		t.Skip("the test pack uses unless")
	}
	c := compileFile(t, "../policy/testdata/pack.yaml")
	if len(c.unlessRules) != 0 {
		t.Fatalf("unless rules %v", c.unlessRules)
	}
}

// Hostile text: many matches and many concepts in alternate sentences. The
// matches in sentences without a concept stay, the others go; the work is
// the scan, one split into sentences and a binary search per match.
func TestUnlessHostile(t *testing.T) {
	c := framesChecker(t)
	for _, unit := range []string{"An investigation. Our statement. ", "our statement investigation "} {
		text := strings.Repeat(unit, (256<<10)/len(unit))
		rep := c.Check(model.Draft{Text: text})
		n := len(rep.Findings) + rep.Truncated
		want := 0
		if strings.Contains(unit, ".") {
			want = strings.Count(text, "investigation")
		}
		if n != want {
			t.Errorf("%q repeated: %d findings and truncated, want %d", unit, n, want)
		}
		checkOffsets(t, text, rep)
	}
}
