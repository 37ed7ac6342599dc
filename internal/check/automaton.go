package check

import "slices"

// automaton is an Aho-Corasick automaton over bytes, compiled to a full
// transition table: searching costs one table look-up per byte of text
// whatever the number of patterns. Bytes that occur in no pattern share
// class 0, which keeps the table narrow.
type automaton struct {
	class  [256]uint8
	width  int     // number of byte classes
	delta  []int32 // delta[state*width+class] = next state
	outAt  []int32 // outputs of state s are outs[outAt[s]:outAt[s+1]]
	outs   []int32 // pattern indexes
	length []int32 // length of each pattern
}

// newAutomaton builds the automaton for patterns (non-empty byte strings).
func newAutomaton(patterns []string) *automaton {
	a := &automaton{length: make([]int32, len(patterns))}
	a.width = 1
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if a.class[p[i]] == 0 {
				if a.width == 256 {
					break // unreachable: 255 classes plus class 0 cover every byte
				}
				a.class[p[i]] = uint8(a.width)
				a.width++
			}
		}
	}
	w := a.width
	// The trie, with -1 for a missing edge. It has at most one state per
	// pattern byte, so one allocation holds it.
	size := 1
	for _, p := range patterns {
		size += len(p)
	}
	delta := make([]int32, w, size*w)
	for i := range delta {
		delta[i] = -1
	}
	own := make([][]int32, 1, size)
	for pi, p := range patterns {
		a.length[pi] = int32(len(p))
		s := 0
		for i := 0; i < len(p); i++ {
			c := int(a.class[p[i]])
			next := delta[s*w+c]
			if next < 0 {
				next = int32(len(own))
				delta[s*w+c] = next
				own = append(own, nil)
				for range w {
					delta = append(delta, -1)
				}
			}
			s = int(next)
		}
		own[s] = append(own[s], int32(pi))
	}
	states := len(own)
	// Breadth-first, filling each missing edge in place from the failure
	// state, whose row is complete by then (it is shallower), and inheriting
	// its outputs.
	fail := make([]int32, states)
	outputs := make([][]int32, states)
	queue := []int32{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		outputs[s] = slices.Concat(own[s], outputs[fail[s]])
		if s == 0 {
			outputs[0] = own[0]
		}
		for c := range w {
			i := int(s)*w + c
			var viaFail int32
			if s != 0 {
				viaFail = delta[int(fail[s])*w+c]
			}
			if t := delta[i]; t > 0 {
				fail[t] = viaFail
				queue = append(queue, t)
			} else {
				delta[i] = viaFail
			}
		}
	}
	a.delta = slices.Clone(delta) // drops the unused capacity
	a.outAt = make([]int32, states+1)
	for s := range states {
		a.outAt[s] = int32(len(a.outs))
		a.outs = append(a.outs, outputs[s]...)
	}
	a.outAt[states] = int32(len(a.outs))
	return a
}

// scan calls emit(pattern, end) for every occurrence of every pattern in
// text, ends increasing.
func (a *automaton) scan(text []byte, emit func(pattern int32, end int)) {
	s := 0
	w := a.width
	for i, b := range text {
		s = int(a.delta[s*w+int(a.class[b])])
		if lo, hi := a.outAt[s], a.outAt[s+1]; lo != hi {
			for _, p := range a.outs[lo:hi] {
				emit(p, i+1)
			}
		}
	}
}
