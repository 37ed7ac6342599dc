package check

import (
	"cmp"
	bits64 "math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/herald-gov/herald/internal/gazetteer"
	"github.com/herald-gov/herald/internal/policy"
)

// part is one concept found in a frame: its concept and its span in
// normalized text.
type part struct {
	concept    int32
	start, end int
}

// chit is a concept found in the text: by a term, a built-in detector or
// (for "numbered" concepts) a term with the identifier after it.
type chit struct {
	concept    int32
	start, end int
	unit       int32 // sentence or clause index, set per frame scope
	sent       int32
	clause     int32
	word       int32
}

// placeFinder finds places in the text as given (byte offsets): the
// embedded gazetteer. Tests may replace it.
var placeFinder = func(text string) []span {
	ms := gazetteer.Find(text)
	out := make([]span, len(ms))
	for i, m := range ms {
		out[i] = span{m.Start, m.End}
	}
	return out
}

// frames evaluates the frame rules that apply on the concepts found by the
// scan (st.chits, st.cexcept) and appends their matches. tr, when not nil,
// records why the rule it names fired or not.
func (c *Checker) frames(st *state, src string, tr *trace) {
	if !st.framing {
		return
	}
	// Which frames could fire: each of their groups has a term found or a
	// built-in concept that needs none, and at least one group has a term
	// found (so that a post with no term of a frame costs no tokenizing).
	st.cands = st.cands[:0]
	st.cset = slices.Grow(st.cset[:0], len(c.concepts)/64+1)[:len(c.concepts)/64+1]
	clear(st.cset)
	for _, h := range st.chits {
		st.cset[h.concept/64] |= 1 << (h.concept % 64)
	}
	var runs [numBuiltins]bool
	for _, ri := range c.frameRules {
		if !st.applies[ri] {
			continue
		}
		r := &c.rules[ri]
		for fi := range r.frames {
			f := &r.frames[fi]
			// The groups found: the masks of the concepts found that are
			// parts of the frame (most frames have none in a post).
			var bits uint32
			for k, set := range f.parts {
				for in := set & st.cset[k]; in != 0; in &= in - 1 {
					bits |= f.mask[k*64+bits64.TrailingZeros64(in)]
				}
			}
			possible := bits&f.need != 0 && (bits|f.free)&f.need == f.need && c.near(st, f) && st.textCancel(f) < 0
			if possible || (tr != nil && tr.rule == ri) {
				st.cands = append(st.cands, [2]int32{ri, int32(fi)})
				for _, b := range f.runs {
					runs[b] = true
				}
			}
		}
	}
	if len(st.cands) == 0 {
		return
	}
	st.tokenize(src)
	x := tokens{t: st.norm.text, toks: st.toks, src: src, off: st.norm.off}
	c.builtins(st, &x, runs)
	slices.SortFunc(st.chits, func(a, b chit) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	for i := range st.chits {
		h := &st.chits[i]
		k := st.tokenAt(h.start)
		if k >= len(st.toks) {
			k = len(st.toks) - 1
		}
		if k < 0 {
			continue
		}
		tk := st.toks[k]
		h.sent, h.clause, h.word = tk.sent, tk.clause, tk.wi
	}
	for _, cand := range st.cands {
		r := &c.rules[cand[0]]
		if tr != nil {
			tr.frame = int(cand[1])
		}
		c.evalFrame(st, cand[0], &r.frames[cand[1]], tr)
	}
}

// conceptExcepts drops the concept terms of the text overlapped by one of
// their concept's except phrases.
func (c *Checker) conceptExcepts(st *state) {
	if len(st.cexcept) > 0 {
		slices.SortFunc(st.cexcept, func(a, b hit) int { return cmp.Or(cmp.Compare(a.idx, b.idx), cmp.Compare(a.start, b.start)) })
		kept := st.chits[:0]
		for _, h := range st.chits {
			ex := st.cexcept
			lo := sort.Search(len(ex), func(i int) bool { return ex[i].idx >= int32(h.concept) })
			cancelled := false
			for i := lo; i < len(ex) && ex[i].idx == h.concept && ex[i].start < h.end; i++ {
				if ex[i].end > h.start {
					cancelled = true
					break
				}
			}
			if !cancelled {
				kept = append(kept, h)
			}
		}
		st.chits = kept
	}
}

// nearHits bounds the concept hits near checks pair by pair; with more, the
// frame is evaluated in full.
const nearHits = 24

// near reports whether the terms found could make frame f within its
// window: some hit has a hit of every group within f.window words. It
// counts words only between hits, so it costs far less than tokenizing,
// and it never rejects a frame that would fire. Frames with built-in
// concepts, without a window, or with many hits pass.
func (c *Checker) near(st *state, f *frame) bool {
	if f.free != 0 || f.window == 0 || len(st.chits) > nearHits {
		return true
	}
	t := st.norm.text
	for i := range st.chits {
		a := &st.chits[i]
		if f.mask[a.concept]&^noneBit == 0 {
			continue
		}
		var covered uint32
		for j := range st.chits {
			b := &st.chits[j]
			m := f.mask[b.concept] &^ noneBit
			if m == 0 || m&^covered == 0 {
				continue
			}
			lo, hi := min(a.start, b.start), max(a.start, b.start)
			if wordsWithin(t[lo:hi], f.window) {
				covered |= m
			}
		}
		if covered&f.need == f.need {
			return true
		}
	}
	return false
}

// wordsWithin reports whether at most n words start in t after its first
// byte (the distance in words between a part starting at t[0] and one
// starting at len(t)).
func wordsWithin(t []byte, n int) bool {
	count := 0
	for i := 1; i < len(t); i++ {
		if wordAt(t, i) && !wordBefore(t, i) {
			if count++; count > n {
				return false
			}
		}
	}
	return true
}

// builtins runs the built-in concept detectors asked for and checks the
// numbered concepts' terms.
func (c *Checker) builtins(st *state, x *tokens, runs [numBuiltins]bool) {
	if runs[biNumbered] {
		kept := st.chits[:0]
		for _, h := range st.chits {
			if c.concepts[h.concept].builtin == biNumbered {
				e, ok := numbered(x, hit{start: h.start, end: h.end})
				if !ok {
					continue
				}
				h.end = e
			}
			kept = append(kept, h)
		}
		st.chits = kept
	}
	for b, on := range runs {
		if !on || uint8(b) == biNumbered || uint8(b) == biNone {
			continue
		}
		emit := func(s span) {
			for ci := range c.concepts {
				if c.concepts[ci].builtin == uint8(b) {
					st.chits = append(st.chits, chit{concept: int32(ci), start: s.start, end: s.end})
				}
			}
		}
		switch uint8(b) {
		case biClock:
			clocks(x, emit)
		case biDate:
			dates(x, emit)
		case biPerson:
			people(x, emit)
		case biPastYear:
			pastYears(x, c.now().Year(), emit)
		case biCoordinates:
			coordinates(x, emit)
		case biNamedPlace:
			namedPlaces(x, emit)
		case biPlace:
			if placeFinder != nil {
				for _, s := range placeFinder(x.src) {
					if a, b, ok := st.norm.toNormalized(s.start, s.end); ok {
						emit(span{a, b})
					}
				}
			}
		}
	}
}

// toNormalized maps original byte offsets [s, e) to the normalized text.
func (n *normalized) toNormalized(s, e int) (int, int, bool) {
	a := sort.Search(len(n.text), func(i int) bool { return int(n.off[i]) >= s })
	b := sort.Search(len(n.text), func(i int) bool { return int(n.off[i]) >= e })
	return a, b, a < b
}

// textCancel returns the index in st.chits of a concept of f.noneText
// found in the draft, or -1.
func (st *state) textCancel(f *frame) int {
	if f.noneText == nil {
		return -1
	}
	for k, set := range f.noneText {
		if set&st.cset[k] == 0 {
			continue
		}
		for i := range st.chits {
			if c := st.chits[i].concept; f.noneText[c/64]&(1<<(c%64)) != 0 {
				return i
			}
		}
	}
	return -1
}

// evalFrame finds, in each sentence or clause, the first stretch of at
// most window words holding a part of every group, unless a cancelling
// concept is in that sentence or clause.
func (c *Checker) evalFrame(st *state, ri int32, f *frame, tr *trace) {
	hs := st.chits
	unit := func(h *chit) int32 {
		switch f.scope {
		case scopeClause:
			return h.clause
		case scopeText:
			return 0
		}
		return h.sent
	}
	tracing := tr != nil && tr.rule == ri
	if k := st.textCancel(f); k >= 0 {
		if tracing {
			p := c.partOf(st, hs[k])
			tr.units = append(tr.units, Unit{Text: st.src, Frame: tr.frame, Cancelled: &p})
		}
		return
	}
	for a := 0; a < len(hs); {
		u := unit(&hs[a])
		b := a + 1
		for b < len(hs) && unit(&hs[b]) == u {
			b++
		}
		unitHits := hs[a:b]
		a = b
		cancel := -1
		var found uint32
		st.rel, st.nones = st.rel[:0], st.nones[:0]
		for i := range unitHits {
			m := f.mask[unitHits[i].concept]
			if m&noneBit != 0 {
				st.nones = append(st.nones, int32(i))
				if cancel < 0 && f.noneWindow == 0 {
					cancel = i
				}
			}
			if m &^= noneBit; m != 0 {
				found |= m
				st.rel = append(st.rel, int32(i))
			}
		}
		if tracing && (found != 0 || cancel >= 0) {
			u := c.traceUnit(st, f, unitHits, found, cancel)
			u.Frame = tr.frame
			tr.units = append(tr.units, u)
		}
		if cancel >= 0 || found&f.need != f.need {
			continue
		}
		// Slide a window of words over the relevant hits.
		var counts [32]int32
		var have uint32
		rel := st.rel
		j := 0
		for i := 0; i < len(rel); {
			for j < len(rel) && (f.window == 0 || unitHits[rel[j]].word-unitHits[rel[i]].word <= int32(f.window)) {
				m := f.mask[unitHits[rel[j]].concept] &^ noneBit
				for m != 0 {
					bit := m & -m
					counts[bitIndex(bit)]++
					have |= bit
					m &^= bit
				}
				j++
			}
			if have&f.need == f.need {
				if k := c.cancelNear(f, unitHits, rel[i:j], st.nones); k >= 0 {
					if tracing {
						p := c.partOf(st, unitHits[k])
						tr.units[len(tr.units)-1].Cancelled = &p
					}
				} else {
					c.emitFrame(st, ri, f, unitHits, rel[i:j])
					if tracing {
						tr.units[len(tr.units)-1].Fired = true
					}
				}
				i, have, counts = j, 0, [32]int32{}
				continue
			}
			m := f.mask[unitHits[rel[i]].concept] &^ noneBit
			for m != 0 {
				bit := m & -m
				k := bitIndex(bit)
				if counts[k]--; counts[k] == 0 {
					have &^= bit
				}
				m &^= bit
			}
			i++
		}
	}
}

// cancelNear returns the index in hs of a cancelling concept (nones, in
// word order) among the parts rel or up to f.noneWindow words before them
// ("is not right"), or -1.
func (c *Checker) cancelNear(f *frame, hs []chit, rel, nones []int32) int {
	if f.noneWindow == 0 || len(rel) == 0 {
		return -1
	}
	lo, hi := hs[rel[0]].word-int32(f.noneWindow), hs[rel[len(rel)-1]].word
	k := sort.Search(len(nones), func(i int) bool { return hs[nones[i]].word >= lo })
next:
	for ; k < len(nones) && hs[nones[k]].word <= hi; k++ {
		n := &hs[nones[k]]
		for _, r := range rel { // a "no" inside a part ("no ha hecho nada") is the part's own
			if h := &hs[r]; h.start <= n.start && n.end <= h.end && f.mask[h.concept]&^noneBit != 0 {
				continue next
			}
		}
		return int(nones[k])
	}
	return -1
}

func bitIndex(bit uint32) int {
	n := 0
	for bit > 1 {
		bit >>= 1
		n++
	}
	return n
}

// emitFrame appends a match spanning one part of each group (the first
// found), with its parts in st.parts.
func (c *Checker) emitFrame(st *state, ri int32, f *frame, hs []chit, rel []int32) {
	plo := int32(len(st.parts))
	var used uint32
	s, e := -1, 0
	for _, k := range rel {
		h := &hs[k]
		m := f.mask[h.concept] &^ noneBit &^ used
		if m&f.need == 0 {
			continue
		}
		used |= m & f.need
		st.parts = append(st.parts, part{concept: h.concept, start: h.start, end: h.end})
		if s < 0 || h.start < s {
			s = h.start
		}
		e = max(e, h.end)
		if used&f.need == f.need {
			break
		}
	}
	os, oe := st.norm.span(s, e)
	st.matches = append(st.matches, match{rule: ri, start: os, end: oe, term: -1, plo: plo, phi: int32(len(st.parts))})
}

// joiners put the last part of a list after "and" in each language.
var joiners = map[string]string{"en": " and ", "fr": " et ", "es": " y "}

// describeParts names the parts of a frame finding in lang: "a movement
// (leaves), a time (06:00) and a place (Bukavu)".
func (c *Checker) describeParts(src string, st *state, m match, lang string) string {
	ps := st.parts[m.plo:m.phi]
	if len(ps) == 0 {
		return ""
	}
	sorted := slices.Clone(ps)
	slices.SortFunc(sorted, func(a, b part) int { return cmp.Compare(a.start, b.start) })
	var b strings.Builder
	for i, p := range sorted {
		switch {
		case i == 0:
		case i == len(sorted)-1:
			j, ok := joiners[lang]
			if !ok {
				j = ", "
			}
			b.WriteString(j)
		default:
			b.WriteString(", ")
		}
		b.WriteString(c.conceptLabel(p.concept, lang))
		s, e := st.norm.span(p.start, p.end)
		b.WriteString(" (")
		b.WriteString(strings.TrimSpace(src[s:e]))
		b.WriteString(")")
	}
	return b.String()
}

func (c *Checker) conceptLabel(ci int32, lang string) string {
	k := &c.concepts[ci]
	if l := pick(k.label, lang, c.pack.Pack.Languages); l != "" {
		return l
	}
	return k.id
}

// compileFrames compiles the frames of rule r.
func (c *Checker) compileFrames(p *policy.Pack, index map[string]int32, r *rule) {
	for _, f := range r.Detect.Frames {
		r.frames = append(r.frames, c.compileFrame(p, index, f))
	}
}
