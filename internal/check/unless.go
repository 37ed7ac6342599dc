package check

import (
	"cmp"
	"slices"
	"sort"
)

// Dropped is a term match that detect.unless dropped: one of the rule's
// unless concepts was found in the match's sentence.
type Dropped struct {
	Excerpt    string // the term as written
	Start, End int    // byte offsets of the term in the draft
	By         Part   // the concept that dropped it
	Sentence   string // the sentence both are in
}

// dropUnless drops, among the text's matches st.matches[first:], the term
// matches of rules with detect.unless that have one of the rule's concepts
// in their sentence. The sentences are the frames' (tokenize), split only
// when such a rule matched and one of its concepts is somewhere in the text;
// a rule without unless costs nothing here. Per rule, the sentences holding
// one of its concepts are listed once and each match looks its sentence up
// there, so the work grows with the matches and concepts found, not their
// product. tr, when not nil, records what the rule it names lost.
func (c *Checker) dropUnless(st *state, src string, first int, tr *trace) {
	if len(c.unlessRules) == 0 || len(st.chits) == 0 {
		return
	}
	need := false
	for k := first; k < len(st.matches) && !need; k++ {
		m := &st.matches[k]
		need = c.rules[m.rule].unless != nil && m.term >= 0
	}
	if need {
		need = false
		for i := range st.chits {
			if c.unlessConcept[st.chits[i].concept] {
				need = true
				break
			}
		}
	}
	if !need {
		return
	}
	if len(st.toks) == 0 { // the frames did not split the text
		st.tokenize(src)
	}
	if len(st.toks) == 0 {
		return
	}
	cur := int32(-1) // the rule whose sentences st.usents holds
	kept := st.matches[:first]
	for _, m := range st.matches[first:] {
		r := &c.rules[m.rule]
		if r.unless == nil || m.term < 0 {
			kept = append(kept, m)
			continue
		}
		if m.rule != cur { // a rule's term matches are together: once per rule
			cur = m.rule
			st.usents = st.usents[:0]
			for i := range st.chits {
				if h := &st.chits[i]; slices.Contains(r.unless, h.concept) {
					st.usents = append(st.usents, [2]int32{st.sentenceAt(h.start), int32(i)})
				}
			}
			slices.SortFunc(st.usents, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		}
		ns, _, ok := st.norm.toNormalized(m.start, m.end)
		if !ok {
			kept = append(kept, m)
			continue
		}
		sent := st.sentenceAt(ns)
		k, found := slices.BinarySearchFunc(st.usents, sent, func(u [2]int32, s int32) int { return cmp.Compare(u[0], s) })
		if !found {
			kept = append(kept, m)
			continue
		}
		if tr != nil && tr.rule == m.rule {
			tr.dropped = append(tr.dropped, Dropped{Excerpt: src[m.start:m.end], Start: m.start, End: m.end,
				By: c.partOf(st, st.chits[st.usents[k][1]]), Sentence: st.sentenceText(sent)})
		}
	}
	st.matches = kept
}

// sentenceAt is the sentence of the token at or after normalized position p
// (st.toks must be filled).
func (st *state) sentenceAt(p int) int32 {
	return st.toks[min(st.tokenAt(p), len(st.toks)-1)].sent
}

// sentenceText is sentence sent of the draft as written.
func (st *state) sentenceText(sent int32) string {
	a := sort.Search(len(st.toks), func(i int) bool { return st.toks[i].sent >= sent })
	b := sort.Search(len(st.toks), func(i int) bool { return st.toks[i].sent > sent })
	if a >= b {
		return ""
	}
	os, oe := st.norm.span(int(st.toks[a].start), int(st.toks[b-1].end))
	return st.src[os:oe]
}
