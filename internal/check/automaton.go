package check

import "slices"

// automaton is an Aho-Corasick automaton over bytes, compiled to a full
// transition table: searching costs one table look-up per byte of text
// whatever the number of patterns. Bytes that occur in no pattern share
// class 0, which keeps the table narrow.
//
// The table is the checker's largest working set (the default pack's
// 35,000 states), so it is laid out for the cache: states are numbered
// breadth first, which puts the shallow states, where a scan spends most
// of its steps, in the first rows; entries are 16 bits wide when the
// states fit (small), else 32 (delta). States with outputs come last,
// from firstOut on, so a step tests one number instead of reading the
// output index.
type automaton struct {
	class    [256]uint8
	width    int      // number of byte classes
	small    []uint16 // small[state*width+class] = next state, or nil
	delta    []int32  // the same when the states do not fit in 16 bits
	firstOut int      // states from firstOut on have outputs
	outAt    []int32  // outputs of state s are outs[outAt[s-firstOut]:outAt[s-firstOut+1]]
	outs     []int32  // pattern indexes
	length   []int32  // length of each pattern
}

// newAutomaton builds the automaton for patterns (non-empty byte strings).
func newAutomaton(patterns []string) *automaton { return buildAutomaton(patterns, 1<<16) }

// buildAutomaton builds the automaton with 16-bit entries when it has at
// most maxSmall states.
func buildAutomaton(patterns []string, maxSmall int) *automaton {
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
	none := make([]int32, w) // a row without edges
	for i := range none {
		none[i] = -1
	}
	delta := append(make([]int32, 0, size*w), none...)
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
				delta = append(delta, none...)
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
	queue := make([]int32, 1, states)
	for c, t := range delta[:w] { // the root: a missing edge stays there
		if t > 0 {
			queue = append(queue, t)
		} else {
			delta[c] = 0
		}
	}
	for k := 1; k < len(queue); k++ {
		s := queue[k]
		f := fail[s]
		if len(outputs[f]) == 0 {
			outputs[s] = own[s]
		} else {
			outputs[s] = slices.Concat(own[s], outputs[f])
		}
		row, frow := delta[int(s)*w:int(s+1)*w], delta[int(f)*w:int(f+1)*w]
		frow = frow[:len(row)]
		for c, t := range row {
			if t > 0 {
				fail[t] = frow[c]
				queue = append(queue, t)
			} else {
				row[c] = frow[c]
			}
		}
	}
	// Number the states in breadth-first order, those with outputs last.
	// The root has none (no pattern is empty), so it stays state 0.
	order := make([]int32, 0, states)
	for _, s := range queue {
		if len(outputs[s]) == 0 {
			order = append(order, s)
		}
	}
	a.firstOut = len(order)
	for _, s := range queue {
		if len(outputs[s]) > 0 {
			order = append(order, s)
		}
	}
	renum := make([]int32, states)
	for n, s := range order {
		renum[s] = int32(n)
	}
	if states <= maxSmall {
		a.small = make([]uint16, states*w)
		for n, s := range order {
			dst := a.small[n*w : (n+1)*w]
			for c, t := range delta[int(s)*w : int(s+1)*w][:len(dst)] {
				dst[c] = uint16(renum[t])
			}
		}
	} else {
		a.delta = make([]int32, states*w)
		for n, s := range order {
			dst := a.delta[n*w : (n+1)*w]
			for c, t := range delta[int(s)*w : int(s+1)*w][:len(dst)] {
				dst[c] = renum[t]
			}
		}
	}
	a.outAt = make([]int32, states-a.firstOut+1)
	for k, s := range order[a.firstOut:] {
		a.outAt[k] = int32(len(a.outs))
		a.outs = append(a.outs, outputs[s]...)
	}
	a.outAt[states-a.firstOut] = int32(len(a.outs))
	return a
}

// scan calls emit(pattern, end) for every occurrence of every pattern in
// text, ends increasing.
func (a *automaton) scan(text []byte, emit func(pattern int32, end int)) {
	if a.small != nil {
		scanTable(a, a.small, text, emit)
	} else {
		scanTable(a, a.delta, text, emit)
	}
}

func scanTable[T uint16 | int32](a *automaton, delta []T, text []byte, emit func(pattern int32, end int)) {
	s := 0
	w, first := a.width, a.firstOut
	for i, b := range text {
		s = int(delta[s*w+int(a.class[b])])
		if s >= first {
			k := s - first
			for _, p := range a.outs[a.outAt[k]:a.outAt[k+1]] {
				emit(p, i+1)
			}
		}
	}
}
