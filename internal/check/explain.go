package check

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/herald-gov/herald/internal/model"
)

// Part is a concept found in a draft, as `herald check --explain` shows it.
type Part struct {
	Concept    string `json:"concept"`
	Text       string `json:"text"`
	Start, End int    `json:"-"`
}

// Explained is a finding with what made it: the frame's parts, or the
// rule's kind of detection.
type Explained struct {
	model.Finding
	Parts []Part
}

// Unit is one sentence (or clause) of the draft as a frame of the rule
// explained saw it.
type Unit struct {
	Text      string
	Frame     int      // index of the frame in the rule
	Found     []Part   // concepts of the frame found in the unit
	Missing   []string // groups with no part found
	Cancelled *Part    // a concept under none that cancels the frame here
	Fired     bool
}

// Explanation is the report of a check with, for each finding, its parts,
// and for the rule asked about, why it fired or not.
type Explanation struct {
	Report   model.Report
	Findings []Explained
	Rule     string
	Why      []string // for a rule without frames, or one that does not apply
	Units    []Unit
	// Dropped are the rule's term matches that its detect.unless dropped.
	Dropped []Dropped
}

// trace records, during one check, the parts of every frame match and how
// the frames of one rule saw each sentence.
type trace struct {
	rule    int32 // -1 for none
	frame   int
	units   []Unit
	dropped []Dropped
	parts   map[[3]int][]Part // rule, start, end of a finding → parts
	why     []string          // how the rule's model judged the text
	echoes  bool              // keep models' findings that echo another's (dropEchoes), for a rule's examples
}

// Explain checks d and says what made each finding and, when rule names a
// rule of the pack, why that rule fired or did not.
func (c *Checker) Explain(d model.Draft, ruleID string) Explanation {
	tr := &trace{rule: -1, parts: map[[3]int][]Part{}}
	ex := Explanation{Rule: ruleID}
	if ruleID != "" {
		i := c.ruleIndex(ruleID)
		switch {
		case i < 0:
			ex.Why = append(ex.Why, fmt.Sprintf("the pack has no enabled rule %q", ruleID))
		default:
			tr.rule = int32(i)
			r := &c.rules[i]
			if !r.applies(d.Account.Kind, d.Platform) {
				kind := d.Account.Kind
				if kind == "" {
					kind = "personal"
				}
				ex.Why = append(ex.Why, fmt.Sprintf("the rule does not apply to a %s account on platform %q (applies: kinds %v, platforms %v)", kind, d.Platform, r.Applies.Kinds, r.Applies.Platforms))
			} else if len(r.frames) == 0 && len(r.Detect.Unless) > 0 {
				ex.Why = append(ex.Why, fmt.Sprintf("the rule has no frames; it fires on its %s, except in a sentence that holds %s (unless)", detection(r), strings.Join(r.Detect.Unless, " or ")))
			} else if len(r.frames) == 0 {
				ex.Why = append(ex.Why, "the rule has no frames; it fires on its "+detection(r)+" alone")
			}
		}
	}
	ex.Report = c.check(d, tr)
	for _, f := range ex.Report.Findings {
		ex.Findings = append(ex.Findings, Explained{Finding: f, Parts: tr.parts[[3]int{c.ruleIndex(f.Rule), f.Start, f.End}]})
	}
	ex.Units = tr.units
	ex.Dropped = tr.dropped
	ex.Why = append(ex.Why, tr.why...)
	return ex
}

func (c *Checker) ruleIndex(id string) int {
	return slices.IndexFunc(c.rules, func(r rule) bool { return r.ID == id })
}

func detection(r *rule) string {
	d := &r.Detect
	switch {
	case d.Builtin != "":
		return "built-in detector " + d.Builtin
	case len(d.Frames) > 0:
		return "frames"
	case len(d.Patterns) > 0:
		return "patterns"
	case d.Near != nil:
		return fmt.Sprintf("terms with a near word within %d words", d.Near.Window)
	case d.Classifier != nil && len(d.Terms) == 0:
		return "model " + d.Classifier.Model
	case d.Classifier != nil:
		return "terms and model " + d.Classifier.Model
	}
	return "terms"
}

// traceUnit describes one sentence or clause as frame f saw it.
func (c *Checker) traceUnit(st *state, f *frame, hs []chit, found uint32, cancel int) Unit {
	u := Unit{}
	for i := range hs {
		m := f.mask[hs[i].concept]
		if m&^noneBit != 0 {
			u.Found = append(u.Found, c.partOf(st, hs[i]))
		}
	}
	if cancel >= 0 {
		p := c.partOf(st, hs[cancel])
		u.Cancelled = &p
	}
	for gi, g := range f.groups {
		bit := uint32(1) << gi
		if f.anyBit != 0 && gi == len(f.groups)-1 {
			bit = f.anyBit
		}
		if found&bit == 0 {
			u.Missing = append(u.Missing, g)
		}
	}
	// The unit's text: from its first token to its last (unit ids grow
	// with the tokens, so two binary searches find them).
	if len(hs) > 0 {
		unit := func(tk token) int32 {
			switch f.scope {
			case scopeClause:
				return tk.clause
			case scopeText:
				return 0
			}
			return tk.sent
		}
		id := unit(st.toks[min(st.tokenAt(hs[0].start), len(st.toks)-1)])
		a := sort.Search(len(st.toks), func(i int) bool { return unit(st.toks[i]) >= id })
		b := sort.Search(len(st.toks), func(i int) bool { return unit(st.toks[i]) > id })
		if a < b {
			os, oe := st.norm.span(int(st.toks[a].start), int(st.toks[b-1].end))
			u.Text = st.src[os:oe]
		}
	}
	return u
}

func (c *Checker) partOf(st *state, h chit) Part {
	s, e := st.norm.span(h.start, h.end)
	return Part{Concept: c.concepts[h.concept].id, Text: st.src[s:e], Start: s, End: e}
}

// String prints a dropped match for people.
func (d Dropped) String() string {
	return fmt.Sprintf("%q at %d-%d dropped by unless: %s (%s) in %q", d.Excerpt, d.Start, d.End, d.By.Concept, d.By.Text, d.Sentence)
}

// String prints a unit for people.
func (u Unit) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q\n", u.Text)
	var found []string
	for _, p := range u.Found {
		found = append(found, fmt.Sprintf("%s (%s)", p.Concept, p.Text))
	}
	if len(found) > 0 {
		fmt.Fprintf(&b, "      found: %s\n", strings.Join(found, ", "))
	}
	if len(u.Missing) > 0 {
		fmt.Fprintf(&b, "      missing: %s\n", strings.Join(u.Missing, "; "))
	}
	if u.Cancelled != nil {
		fmt.Fprintf(&b, "      cancelled by: %s (%s)\n", u.Cancelled.Concept, u.Cancelled.Text)
	}
	if u.Fired {
		b.WriteString("      fired\n")
	} else if len(u.Missing) == 0 && u.Cancelled == nil {
		b.WriteString("      not fired: the parts are further apart than the frame's window\n")
	}
	return b.String()
}
