package check

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// classifier is a rule's compiled detect.classifier.
type classifier struct {
	m         *classify.Model
	bank      int             // m's index in the checker's bank
	combine   *classify.Model // nil, or the model whose score m's is combined with (policy.Classifier.Combine)
	cbank     int             // combine's index in the bank
	threshold float64         // the model alone fires at this score
	rivals    float64         // policy.Classifier.Rivals: 0, or the share of the highest rival score the model's must reach
	agree     float64         // a term match stands at this score (0: always)
	unless    []int32         // concepts whose terms in the text keep the model alone from firing
	with      []int32         // concepts one of whose terms the model alone needs in the text
	gate      [2]string       // with and unless as the pack names them, for explanations
}

// explainWords is how many of the heaviest words a finding names.
const explainWords = 3

// loadClassifier finds the model a rule names: a file the pack's models
// map names it to, else a model embedded in the binary. loaded caches the
// models of one compilation.
func loadClassifier(p *policy.Pack, c *policy.Classifier, concepts map[string]int32, loaded map[string]*classify.Model) (*classifier, error) {
	m, err := loadModel(p, c.Model, loaded)
	if err != nil {
		return nil, err
	}
	cl := &classifier{m: m, threshold: c.Threshold, agree: c.Agree, rivals: c.Rivals,
		gate: [2]string{strings.Join(c.With, " or "), strings.Join(c.Unless, " or ")}}
	if c.Combine != "" {
		if cl.combine, err = loadModel(p, c.Combine, loaded); err != nil {
			return nil, err
		}
		if l := cl.combine.Header.Language; l != m.Header.Language && l != classify.Multilingual {
			return nil, fmt.Errorf("classifier: model %s judges %s text, model %s combined with it %s", c.Model, m.Header.Language, c.Combine, l)
		}
	}
	for _, id := range c.Unless {
		if _, ok := concepts[id]; !ok {
			return nil, fmt.Errorf("classifier: unless names unknown concept %q", id)
		}
		cl.unless = append(cl.unless, members(p, concepts, id)...)
	}
	for _, id := range c.With {
		if _, ok := concepts[id]; !ok {
			return nil, fmt.Errorf("classifier: with names unknown concept %q", id)
		}
		cl.with = append(cl.with, members(p, concepts, id)...)
	}
	if cl.threshold == 0 {
		cl.threshold = m.Header.Threshold
	}
	if cl.agree > cl.threshold {
		return nil, fmt.Errorf("classifier: agree %v is above the threshold %v of model %s", cl.agree, cl.threshold, c.Model)
	}
	return cl, nil
}

// loadModel finds a model by name: a file the pack's models map names it
// to, else a model embedded in the binary. loaded caches the models of one
// compilation.
func loadModel(p *policy.Pack, name string, loaded map[string]*classify.Model) (*classify.Model, error) {
	if m := loaded[name]; m != nil {
		return m, nil
	}
	var m *classify.Model
	var err error
	if path, ok := p.Models[name]; ok {
		m, err = classify.LoadFile(path)
	} else {
		m, err = classify.Embedded(name)
	}
	if err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	if f := m.Header.Features.Folding; f != FoldName {
		return nil, fmt.Errorf("classifier: model %s reads text folded by %q; this checker folds by %q (retrain it)", name, f, FoldName)
	}
	loaded[name] = m
	return m, nil
}

// newBank lays out the weights of the rules' models side by side, so that
// a text is read once for all the models of a table.
func (c *Checker) newBank() {
	var models []*classify.Model
	for i := range c.rules {
		cl := c.rules[i].clf
		if cl == nil {
			continue
		}
		cl.bank, models = bankIndex(models, cl.m)
		if cl.combine != nil {
			cl.cbank, models = bankIndex(models, cl.combine)
		}
	}
	c.bank = classify.NewBank(models)
}

// bankIndex is m's index in models, appended when it is not there yet.
func bankIndex(models []*classify.Model, m *classify.Model) (int, []*classify.Model) {
	if i := slices.Index(models, m); i >= 0 {
		return i, models
	}
	return len(models), append(models, m)
}

// classify applies the classifier rules on target to text, whose folded
// form is in st.norm; the rules' term matches are st.matches[first:]. A
// term match stands when the model agrees (or has no say: the text is in
// another language, or in no language the stop words tell); the model alone
// adds a match on the heaviest word. tr, when not nil, records how the
// model of the rule it names judged the text.
func (c *Checker) classify(st *state, text string, on target, first int, tr *trace) {
	if text == "" {
		return
	}
	extracted := false
	lang := "?" // guessed once, when a model rule applies
	st.rivals = st.rivals[:0]
	for i := range c.rules {
		r := &c.rules[i]
		cl := r.clf
		if cl == nil || r.on != on || !st.applies[i] {
			continue
		}
		// The model has a say only on text in its language (or text whose
		// language cannot be told); elsewhere the terms work alone, and the
		// text is not read for features at all.
		if lang == "?" {
			lang = textLanguage(&st.counts[on], text)
		}
		if lang != "" && lang != cl.m.Header.Language && cl.m.Header.Language != classify.Multilingual {
			if tr != nil && tr.rule == int32(i) {
				tr.why = append(tr.why, fmt.Sprintf("model %s judges %s text only; this %s reads as %s, so the rule's terms work alone", cl.m.Header.Name, cl.m.Header.Language, on, lang))
			}
			continue
		}
		if !extracted {
			st.mtext = st.norm.text
			if st.needles != nil {
				st.mbuf = maskProject(st.mbuf[:0], st.norm.text, st.needles)
				st.mtext = st.mbuf
			}
			st.vec.Extract(text, st.mtext)
			extracted = true
			st.scores = slices.Grow(st.scores[:0], c.bank.Len())[:c.bank.Len()]
			st.scored = slices.Grow(st.scored[:0], c.bank.Groups())[:c.bank.Groups()]
			clear(st.scored)
		}
		// The first rule of a table scores the text with every model of it.
		c.scoreGroup(st, cl.bank)
		score := st.scores[cl.bank]
		if cl.combine != nil {
			c.scoreGroup(st, cl.cbank)
			score = classify.Combined(score, st.scores[cl.cbank])
		}
		terms := false
		for k := first; k < len(st.matches); k++ {
			terms = terms || st.matches[k].rule == int32(i)
		}
		if tr != nil && tr.rule == int32(i) {
			tr.why = append(tr.why, c.modelWhy(st, cl, on, text, score, terms))
		}
		if !terms && (score < cl.threshold || !st.gateOpen(cl, text)) {
			continue
		}
		// The model may veto the word list only on text known to be in its
		// language: a short text whose language cannot be told ("¡Un día
		// increíble en la nueva escuela!" ties French and Spanish) keeps its
		// term matches, and the model may still add a finding.
		if terms && score < cl.agree && (lang != "" || cl.m.Header.Language == classify.Multilingual) {
			// The model disagrees with the word list: drop the rule's matches.
			kept := st.matches[:first]
			for _, m := range st.matches[first:] {
				if m.rule != int32(i) {
					kept = append(kept, m)
				}
			}
			st.matches = kept
			continue
		}
		verdict := &model.ClassifierScore{Model: cl.m.Header.Name, Score: math.Round(score*1000) / 1000}
		top := cl.m.Explain(text, st.mtext, explainWords)
		for _, w := range top {
			s, e := st.norm.span(w.Start, w.End)
			verdict.Words = append(verdict.Words, text[s:e])
		}
		if terms {
			for k := first; k < len(st.matches); k++ {
				if st.matches[k].rule == int32(i) {
					st.matches[k].verdict = verdict
				}
			}
			continue
		}
		m := match{rule: int32(i), term: -1, verdict: verdict, alone: true, detail: fmt.Sprintf("%s %.2f", verdict.Model, score)}
		if len(top) > 0 {
			m.start, m.end = st.norm.span(top[0].Start, top[0].End)
		}
		if cl.rivals > 0 {
			st.rivals = append(st.rivals, rival{rule: int32(i), score: st.scores[cl.bank]})
		}
		st.matches = append(st.matches, m)
	}
	c.dropRivals(st, first, tr)
}

// rival is a rule with classifier.rivals that fired on its model alone,
// and its own model's score. (Its match is found again by rule: a later
// rule's veto may move it in st.matches.)
type rival struct {
	rule  int32
	score float64
}

// dropRivals drops the match of each rival whose model scores less than
// its share (classifier.rivals) of the highest rival's model score. The
// models' own scores are compared, not the combined ones: the default
// pack's rivals all combine with corpus-problem, whose part is the same in
// each.
func (c *Checker) dropRivals(st *state, first int, tr *trace) {
	if len(st.rivals) < 2 {
		return
	}
	top := st.rivals[0]
	for _, r := range st.rivals[1:] {
		if r.score > top.score {
			top = r
		}
	}
	for _, r := range st.rivals {
		cl := c.rules[r.rule].clf
		if r.score >= cl.rivals*top.score {
			continue
		}
		if tr != nil && tr.rule == r.rule {
			winner := c.rules[top.rule]
			tr.why = append(tr.why, fmt.Sprintf("its model's %.3f is below %g of the %.3f of %s (%s), a rival rule, so the finding yields to it (rivals)",
				r.score, cl.rivals, top.score, winner.ID, winner.clf.m.Header.Name))
		}
		// The rule's one match of its model alone (term -1) goes.
		for k := first; k < len(st.matches); k++ {
			if m := &st.matches[k]; m.rule == r.rule && m.alone {
				st.matches = slices.Delete(st.matches, k, k+1)
				break
			}
		}
	}
}

// scoreGroup scores the text, unless done, with every model of the table
// that holds the bank's model i.
func (c *Checker) scoreGroup(st *state, i int) {
	if g := c.bank.Group(i); !st.scored[g] {
		c.bank.ScoreGroup(g, &st.vec, st.scores)
		st.scored[g] = true
	}
}

// modelWhy says, for --explain-rule, how a rule's model judged the text.
func (c *Checker) modelWhy(st *state, cl *classifier, on target, text string, score float64, terms bool) string {
	s := fmt.Sprintf("model %s scores %.3f on the %s; it fires alone from %g", cl.m.Header.Name, score, on, cl.threshold)
	if cl.combine != nil {
		s = fmt.Sprintf("model %s scores %.3f on the %s and %s %.3f, whose geometric mean %.3f fires alone from %g",
			cl.m.Header.Name, st.scores[cl.bank], on, cl.combine.Header.Name, st.scores[cl.cbank], score, cl.threshold)
	}
	if terms {
		return s + fmt.Sprintf(", and the rule's term match stands from %g", cl.agree)
	}
	if score < cl.threshold || st.gateOpen(cl, text) {
		return s
	}
	if cl.with != nil && !st.hasConcept(cl.with) {
		return s + fmt.Sprintf(", but no term of %s is in the text (with)", cl.gate[0])
	}
	var found []string
	for _, h := range st.chits {
		if slices.Contains(cl.unless, h.concept) {
			p := c.partOf(st, h)
			found = append(found, fmt.Sprintf("%s (%q)", p.Concept, p.Text))
		}
	}
	if cl.with != nil {
		return s + ", but each sentence with a term of " + cl.gate[0] + " also holds one of unless: " + strings.Join(found, ", ")
	}
	return s + ", but the text holds a term of unless: " + strings.Join(found, ", ")
}

// gateOpen reports whether the model alone may fire on text. Without
// `with`, a term of an unless concept anywhere in the text closes the gate.
// With it, one sentence must hold a term of a with concept and none of an
// unless concept: "Back from Goma yesterday. Tomorrow I fly to Bukavu." is a
// plan in its second sentence, whatever the first reports.
func (st *state) gateOpen(cl *classifier, text string) bool {
	if cl.with == nil {
		return !st.hasConcept(cl.unless)
	}
	if !st.hasConcept(cl.with) {
		return false
	}
	if !st.hasConcept(cl.unless) {
		return true
	}
	if len(st.toks) == 0 { // neither the frames nor unless split the text
		st.tokenize(text)
	}
	if len(st.toks) == 0 {
		return false
	}
	// The sentences holding an unless term, sorted, then each with term's
	// sentence looked up there: linear in the terms found, up to a log.
	st.gsents = st.gsents[:0]
	for i := range st.chits {
		if h := &st.chits[i]; slices.Contains(cl.unless, h.concept) {
			st.gsents = append(st.gsents, st.sentenceAt(h.start))
		}
	}
	slices.Sort(st.gsents)
	for i := range st.chits {
		h := &st.chits[i]
		if !slices.Contains(cl.with, h.concept) {
			continue
		}
		if _, closed := slices.BinarySearch(st.gsents, st.sentenceAt(h.start)); !closed {
			return true
		}
	}
	return false
}

// hasConcept reports whether the terms of one of the concepts were found
// in the text (st.chits, kept when a frame rule or a rule with
// detect.unless applies to the draft).
func (st *state) hasConcept(concepts []int32) bool {
	for _, h := range st.chits {
		if slices.Contains(concepts, h.concept) {
			return true
		}
	}
	return false
}
