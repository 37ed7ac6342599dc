package check

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/detect"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// state is the scratch space of one check, pooled between checks.
type state struct {
	norm    normalized
	hits    []hit
	words   []int // sorted normalized positions whose word index is needed
	wordIdx []int
	union   []hit
	matches []match
	applies []bool

	// Frames: whether any frame rule applies, concepts found and their
	// except phrases, candidate frames, tokens, parts of frame matches.
	framing bool
	chits   []chit
	cset    []uint64 // bit set of the concepts in chits
	cexcept []hit
	cands   [][2]int32
	toks    []token
	rel     []int32
	nones   []int32
	parts   []part
	src     string
	scores  []float64       // by model of the checker's bank
	scored  []bool          // by table of the bank: scores filled
	vec     classify.Vector // the text's features, shared by its models
	needles [][]string      // the words naming the draft's project (ModelText)
	mtext   []byte          // the folded text as the models read it: norm.text or mbuf
	mbuf    []byte
	counts  [onImages][len(stopLangs)]int // stop words of the text and the reply, by language

	// concepts: the scan keeps the text's concept terms (a frame rule or a
	// rule with detect.unless applies).
	concepts bool
	usents   [][2]int32 // dropUnless: sentence and chit index of a rule's unless concepts
	gsents   []int32    // gateOpen: sentences of a model rule's unless concepts
	rivals   []rival    // classify: the matches of rules with classifier.rivals
}

var states = sync.Pool{New: func() any { return new(state) }}

// hit is a literal of a rule found in the normalized text.
type hit struct {
	rule       int32
	kind       ownerKind
	idx        int32
	start, end int
}

// match is a place a rule fires, in original byte offsets.
type match struct {
	rule       int32
	start, end int
	term       int32 // index into rule.terms, or -1
	detail     string
	image      *int
	reply      bool  // start and end are offsets into the draft's reply_to
	alone      bool  // a model's finding with no term, frame or pattern of its rule
	plo, phi   int32 // a frame match's parts: st.parts[plo:phi]
	verdict    *model.ClassifierScore
}

// regexWindow is how far (bytes of normalized text) on each side of an
// anchor a pattern looks; a window grows further to the nearest space.
const (
	regexWindow    = 160
	regexSlack     = 64
	maxRegexWindow = 4096
)

// Validate reports what in a draft the checker cannot take: a platform or
// account kind it does not know. Check itself accepts any draft.
func (c *Checker) Validate(d model.Draft) error {
	if d.Platform != "" && !c.pack.KnownPlatform(d.Platform) {
		return fmt.Errorf("unknown platform %q", d.Platform)
	}
	if d.Account.Kind != "" && !policy.KnownKind(d.Account.Kind) {
		return fmt.Errorf("unknown account kind %q", d.Account.Kind)
	}
	return nil
}

// Check checks one draft. Findings are sorted by start offset, then rule.
func (c *Checker) Check(d model.Draft) model.Report { return c.check(d, nil) }

func (c *Checker) check(d model.Draft, tr *trace) model.Report {
	checkSlots <- struct{}{} // see slots.go
	defer func() { <-checkSlots }()
	st := states.Get().(*state)
	defer states.Put(st)
	// One Input for the whole check: the report's length and the detectors
	// share what it memoizes (length, URLs, hashtags).
	text := detect.Input{Text: d.Text, Draft: &d, Org: &c.pack.Organization, Params: &c.pack.Parameters}
	rep := model.Report{
		ID:       d.ID,
		Pack:     model.PackRef{ID: c.pack.Pack.ID, Version: c.pack.Pack.Version},
		Platform: c.usage(&text),
		Findings: []model.Finding{},
	}
	st.applies = st.applies[:0]
	for i := range c.rules {
		st.applies = append(st.applies, c.rules[i].applies(d.Account.Kind, d.Platform))
	}
	st.matches = st.matches[:0]
	st.framing = false
	for _, ri := range c.frameRules {
		st.framing = st.framing || st.applies[ri]
	}
	st.concepts = st.framing
	for _, ri := range c.unlessRules {
		st.concepts = st.concepts || st.applies[ri]
	}
	st.chits, st.cexcept, st.parts, st.toks = st.chits[:0], st.cexcept[:0], st.parts[:0], st.toks[:0]
	st.src = d.Text
	st.needles = nil
	if d.Account.Project != nil {
		st.needles = text.ProjectNeedles() // memoized: the project-focus rule reads them too
	}
	st.counts = [onImages][len(stopLangs)]int{}

	c.scan(st, d.ReplyTo, onReply)
	c.classify(st, d.ReplyTo, onReply, 0, tr)
	for i := range st.matches {
		st.matches[i].reply = true
	}
	textFirst := len(st.matches)
	c.scan(st, d.Text, onText) // last: the language guess below reads st.norm
	c.conceptExcepts(st)
	c.frames(st, d.Text, tr)
	c.dropUnless(st, d.Text, textFirst, tr)
	c.classify(st, d.Text, onText, textFirst, tr)

	if c.hasBuiltins(st) {
		text.Now = c.now()
		reply := detect.Input{Text: d.ReplyTo, Draft: &d, Org: &c.pack.Organization, Params: &c.pack.Parameters, Now: text.Now}
		for i := range c.rules {
			r := &c.rules[i]
			if r.det == nil || !st.applies[i] || (r.on == onReply && d.ReplyTo == "") {
				continue
			}
			in := &text
			if r.on == onReply {
				in = &reply
			}
			for _, m := range r.det.Detect(in) {
				s, e := m.Start, m.End
				if s < 0 || e < s || e > len(in.Text) {
					s, e = 0, 0 // a detector's bad offsets never reach the report
				}
				st.matches = append(st.matches, match{rule: int32(i), start: s, end: e, term: -1, detail: m.Detail, image: m.Image, reply: r.on == onReply})
			}
		}
	}

	slices.SortFunc(st.matches, func(a, b match) int {
		return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
	})
	// Only messages need the language, so a clean post skips the guess.
	if len(st.matches) > 0 {
		rep.Lang = c.language(d.Lang, st)
	}
	lang := rep.Lang
	// One finding per phrase: matches of one rule that overlap (several
	// patterns of the rule on one sentence) merge into one span. The
	// matches are sorted by rule then start, so merging is one pass.
	merged := st.matches[:0]
	for _, m := range st.matches {
		if n := len(merged); n > 0 {
			p := &merged[n-1]
			if p.rule == m.rule && p.reply == m.reply && p.image == nil && m.image == nil &&
				(p.start == m.start && p.end == m.end || m.start < p.end) {
				p.end = max(p.end, m.end)
				continue
			}
		}
		merged = append(merged, m)
	}
	merged = c.dropEchoes(merged, tr)
	perRule, perReport := c.caps()
	for i, m := range merged { // by rule, then start: the earliest of each rule are kept
		if i >= perRule && merged[i-perRule].rule == m.rule {
			rep.Truncated++
			continue
		}
		f := c.finding(&d, st, m, lang)
		if tr != nil && m.phi > m.plo {
			var ps []Part
			for _, p := range st.parts[m.plo:m.phi] {
				ps = append(ps, c.partOf(st, chit{concept: p.concept, start: p.start, end: p.end}))
			}
			tr.parts[[3]int{int(m.rule), f.Start, f.End}] = ps
		}
		rep.Findings = append(rep.Findings, f)
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := &rep.Findings[i], &rep.Findings[j]
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.End, b.End)) < 0
	})
	if len(rep.Findings) > perReport {
		rep.Truncated += len(rep.Findings) - perReport
		rep.Findings = slices.Clip(rep.Findings[:perReport])
	}
	return rep
}

// dropEchoes drops a model's finding where another finding of the same
// clause, on the same text and at its severity or higher, says what the
// model says: it would only echo it with a score and a few words, where the
// other names what it found. Of several models' findings of a clause and
// severity, the first rule's stands. A detector's finding (a phone number,
// a photo's position) is another matter than a model's reading, though
// under the same clause, and silences none. The order of ms is kept.
func (c *Checker) dropEchoes(ms []match, tr *trace) []match {
	if tr != nil && tr.echoes {
		return ms
	}
	echo := func(m match) (int, bool) {
		r := &c.rules[m.rule]
		for k, o := range ms {
			if o.rule == m.rule || o.reply != m.reply || c.rules[o.rule].det != nil {
				continue
			}
			or := &c.rules[o.rule]
			if or.Clause != r.Clause || model.SeverityRank(or.Severity) < model.SeverityRank(r.Severity) {
				continue
			}
			if !o.alone || model.SeverityRank(or.Severity) > model.SeverityRank(r.Severity) || o.rule < m.rule {
				return k, true
			}
		}
		return 0, false
	}
	kept := ms[:0]
	for _, m := range ms {
		if m.alone {
			if k, ok := echo(m); ok {
				if tr != nil && tr.rule == m.rule {
					tr.why = append(tr.why, fmt.Sprintf("its model's finding yields to the finding of %s, of the same clause %s (%s): it would only echo it",
						c.rules[ms[k].rule].ID, c.rules[m.rule].Clause, c.rules[ms[k].rule].Severity))
				}
				continue
			}
		}
		kept = append(kept, m)
	}
	return kept
}

// caps are the pack's finding caps, defaults filled in.
func (c *Checker) caps() (perRule, perReport int) {
	f := c.pack.Parameters.Findings
	return cmp.Or(f.MaxPerRule, 20), cmp.Or(f.MaxPerReport, 200)
}

func (c *Checker) hasBuiltins(st *state) bool {
	for i := range c.rules {
		if c.rules[i].det != nil && st.applies[i] {
			return true
		}
	}
	return false
}

// usage is the draft's length as its platform counts it. A draft that
// names no platform, or one the pack has no parameters for, is counted in
// characters with no limit.
func (c *Checker) usage(in *detect.Input) model.PlatformUsage {
	name := in.Draft.Platform
	pp, ok := c.pack.Parameters.Platforms[name]
	if !ok {
		pp = policy.PlatformParams{Counter: "characters"}
	}
	return model.PlatformUsage{Name: name, Length: in.Length(pp), Limit: pp.Limit}
}

// finding turns a match into a finding with its message in lang.
func (c *Checker) finding(d *model.Draft, st *state, m match, lang string) model.Finding {
	r := &c.rules[m.rule]
	f := model.Finding{Rule: r.ID, Clause: r.Clause, Severity: r.Severity, Classifier: m.verdict}
	src := d.Text
	if m.reply {
		src = d.ReplyTo
	} else {
		f.Start, f.End = m.start, m.end
	}
	if m.image != nil {
		i := *m.image
		f.Image = &i
		f.Start, f.End = 0, 0
	} else {
		f.Excerpt = src[m.start:m.end]
	}
	var alt string
	if m.term >= 0 {
		alt = r.terms[m.term].Alt
	}
	if m.phi > m.plo {
		m.detail = c.describeParts(d.Text, st, m, lang)
	}
	f.Message = c.fill(pick(r.Message, lang, c.pack.Pack.Languages), f.Excerpt, alt, m.detail)
	f.Suggestion = c.fill(pick(r.Suggestion, lang, c.pack.Pack.Languages), f.Excerpt, alt, m.detail)
	return f
}
