package check

import (
	"cmp"
	"slices"
	"sort"
)

// scan finds the literal and pattern matches of the rules on target in
// text and appends them to st.matches.
func (c *Checker) scan(st *state, text string, on target) {
	st.norm.normalize(text)
	t := st.norm.text
	st.hits = st.hits[:0]
	counts := &st.counts[on]
	c.ac.scan(t, func(p int32, end int) {
		start := end - int(c.ac.length[p])
		for _, o := range c.owners[p] {
			if o.kind == ownStop {
				// A whole word, counted as stopCounts counts the words of
				// the text's first langScanBytes.
				if end <= langScanBytes && !wordBefore(t, start) && !wordAt(t[:min(len(t), langScanBytes)], end) {
					for k := range counts {
						counts[k] += int(o.idx >> k & 1)
					}
				}
				continue
			}
			if o.kind >= ownConcept {
				if on != onText || !st.concepts {
					continue
				}
			} else if c.rules[o.rule].on != on || !st.applies[o.rule] {
				continue
			}
			e := end
			// Word boundaries: no word may run on into or out of a match,
			// unless the literal ends in "*" ("convoi*" anchors "convois").
			// Whole-word anchors keep "part" from waking a pattern on
			// every "partners".
			if wordAt(t, start) && wordBefore(t, start) {
				continue
			}
			if o.prefix {
				if o.kind != ownAnchor {
					e = wordEnd(t, end)
				}
			} else if wordBefore(t, end) && wordAt(t, end) {
				continue
			}
			switch o.kind {
			case ownConcept:
				st.chits = append(st.chits, chit{concept: o.idx, start: start, end: e})
			case ownConceptExcept:
				st.cexcept = append(st.cexcept, hit{rule: -1, kind: o.kind, idx: o.idx, start: start, end: e})
			default:
				st.hits = append(st.hits, hit{rule: o.rule, kind: o.kind, idx: o.idx, start: start, end: e})
			}
		}
	})
	if len(st.hits) == 0 {
		return
	}
	slices.SortFunc(st.hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.kind, b.kind), cmp.Compare(a.idx, b.idx), cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
	})
	c.wordIndexes(st)
	for lo := 0; lo < len(st.hits); {
		hi := lo + 1
		for hi < len(st.hits) && st.hits[hi].rule == st.hits[lo].rule {
			hi++
		}
		c.ruleHits(st, st.hits[lo:hi])
		lo = hi
	}
}

// ruleHits turns one rule's hits (sorted by kind, idx, start) into matches.
func (c *Checker) ruleHits(st *state, hs []hit) {
	r := &c.rules[hs[0].rule]
	var terms, excepts, nears, anchors []hit
	for i := 0; i < len(hs); {
		j := i
		for j < len(hs) && hs[j].kind == hs[i].kind {
			j++
		}
		switch hs[i].kind {
		case ownTerm:
			terms = hs[i:j]
		case ownExcept:
			excepts = hs[i:j]
		case ownNear:
			nears = hs[i:j]
		case ownAnchor:
			anchors = hs[i:j]
		}
		i = j
	}
	if len(anchors) > 0 {
		c.runPatterns(st, r, anchors)
		return
	}
	if len(terms) == 0 || (r.window > 0 && len(nears) == 0) {
		return
	}
	// Except phrases: a union of disjoint intervals, searched by binary search.
	st.union = st.union[:0]
	if len(excepts) > 0 {
		slices.SortFunc(excepts, func(a, b hit) int { return cmp.Compare(a.start, b.start) })
		for _, e := range excepts {
			if n := len(st.union); n > 0 && e.start <= st.union[n-1].end {
				st.union[n-1].end = max(st.union[n-1].end, e.end)
				continue
			}
			st.union = append(st.union, e)
		}
	}
	var nearWords []int
	if r.window > 0 {
		nearWords = make([]int, len(nears))
		for i, n := range nears {
			nearWords[i] = st.word(n.start)
		}
		slices.Sort(nearWords)
	}
	first := len(st.matches)
	for _, h := range terms {
		if k := sort.Search(len(st.union), func(i int) bool { return st.union[i].end > h.start }); k < len(st.union) && st.union[k].start < h.end {
			continue
		}
		if r.window > 0 {
			ws, we := st.word(h.start), st.word(h.end-1)
			k := sort.SearchInts(nearWords, ws-r.window)
			if k == len(nearWords) || nearWords[k] > we+r.window {
				continue
			}
		}
		s, e := st.norm.span(h.start, h.end)
		st.matches = append(st.matches, match{rule: h.rule, start: s, end: e, term: h.idx})
	}
	dropContained(st, first)
}

// dropContained removes, among st.matches[first:], matches inside another
// (the term "victims" inside the term "helpless victims").
func dropContained(st *state, first int) {
	ms := st.matches[first:]
	if len(ms) < 2 {
		return
	}
	slices.SortFunc(ms, func(a, b match) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end)) })
	out := ms[:1]
	for _, m := range ms[1:] {
		if m.end <= out[len(out)-1].end {
			continue
		}
		out = append(out, m)
	}
	st.matches = st.matches[:first+len(out)]
}

// runPatterns runs the rule's regular expressions on merged windows around
// their anchors (sorted by pattern, then start).
func (c *Checker) runPatterns(st *state, r *rule, anchors []hit) {
	t := st.norm.text
	first := len(st.matches)
	for i := 0; i < len(anchors); {
		pat := anchors[i].idx
		re, w := r.patterns[pat], r.windows[pat]
		lo, hi := window(t, anchors[i].start, anchors[i].end, w)
		for i++; ; i++ {
			if i < len(anchors) && anchors[i].idx == pat {
				l, h := window(t, anchors[i].start, anchors[i].end, w)
				if l <= hi {
					hi = max(hi, h)
					continue
				}
			}
			for _, m := range re.FindAllIndex(t[lo:hi], -1) {
				if m[1] > m[0] {
					s, e := st.norm.span(lo+m[0], lo+m[1])
					st.matches = append(st.matches, match{rule: anchors[0].rule, start: s, end: e, term: -1})
				}
			}
			if i >= len(anchors) || anchors[i].idx != pat {
				break
			}
			lo, hi = window(t, anchors[i].start, anchors[i].end, w)
		}
	}
	dropContained(st, first)
}

// window is the part of t a pattern sees around an anchor at [s, e): w
// bytes on each side, widened to the nearest space.
func window(t []byte, s, e, w int) (int, int) {
	lo := max(0, s-w)
	for stop := max(0, lo-regexSlack); lo > stop && t[lo-1] != ' '; lo-- {
	}
	hi := min(len(t), e+w)
	for stop := min(len(t), hi+regexSlack); hi < stop && t[hi] != ' '; hi++ {
	}
	return lo, hi
}

// wordIndexes prepares st.word for the positions the near rules ask about:
// term starts and ends, near-word starts.
func (c *Checker) wordIndexes(st *state) {
	st.words = st.words[:0]
	for _, h := range st.hits {
		if c.rules[h.rule].window == 0 || (h.kind != ownTerm && h.kind != ownNear) {
			continue
		}
		st.words = append(st.words, h.start)
		if h.kind == ownTerm {
			st.words = append(st.words, h.end-1)
		}
	}
	if len(st.words) == 0 {
		return
	}
	slices.Sort(st.words)
	st.words = slices.Compact(st.words)
	st.wordIdx = st.wordIdx[:0]
	t := st.norm.text
	n, k := 0, 0 // words started up to i; next position to answer
	for i := 0; i <= len(t) && k < len(st.words); i++ {
		if i < len(t) && wordAt(t, i) && !wordBefore(t, i) {
			n++
		}
		for k < len(st.words) && st.words[k] == i {
			st.wordIdx = append(st.wordIdx, n-1)
			k++
		}
	}
}

// word returns the index of the word at normalized position p, which
// wordIndexes prepared.
func (st *state) word(p int) int {
	k, _ := slices.BinarySearch(st.words, p)
	if k < len(st.wordIdx) {
		return st.wordIdx[k]
	}
	return 0
}
