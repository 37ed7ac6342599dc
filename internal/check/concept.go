package check

import (
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/policy"
)

// Built-in concept detectors (policy.ConceptBuiltins).
const (
	biNone uint8 = iota
	biClock
	biDate
	biPerson
	biNumbered
	biPlace
	biNamedPlace
	biCoordinates
	biPastYear
	numBuiltins
)

var conceptBuiltins = map[string]uint8{"": biNone, "clock": biClock, "date": biDate, "person": biPerson,
	"numbered": biNumbered, "place": biPlace, "named-place": biNamedPlace, "coordinates": biCoordinates, "past-year": biPastYear}

// concept is a compiled policy concept.
type concept struct {
	id      string
	label   policy.Text
	builtin uint8
}

// Scopes of a frame.
const (
	scopeSentence uint8 = iota
	scopeClause
	scopeText
)

// noneBit marks, in a frame's mask, a concept that cancels the frame.
const noneBit = 1 << 31

// frame is a compiled policy frame. mask[c] holds the bits of the groups
// concept c satisfies (through includes) and noneBit when it cancels.
type frame struct {
	scope      uint8 // scopeSentence, scopeClause, scopeText
	window     int
	noneWindow int
	mask       []uint32
	parts      []uint64 // bit set of the concepts that satisfy a group (not only none)
	need       uint32   // every all group, and the any bit when there is an any list
	anyBit     uint32
	free       uint32  // bits a non-numbered built-in concept may satisfy without any term
	runs       []uint8 // built-in detectors the frame's concepts need
	groups     []string
	cancels    []string
	noneText   []uint64 // bit set of the concepts that cancel the frame anywhere in the draft; nil: none
}

// compileConcepts indexes the pack's concepts and adds their terms and
// except phrases to the automaton's literals.
func (c *Checker) compileConcepts(p *policy.Pack, add func(string, owner) error) (map[string]int32, error) {
	index := map[string]int32{}
	for i, pc := range p.Concepts {
		index[pc.ID] = int32(i)
		c.concepts = append(c.concepts, concept{id: pc.ID, label: pc.Label, builtin: conceptBuiltins[pc.Builtin]})
	}
	for i, pc := range p.Concepts {
		fail := func(err error) error { return fmt.Errorf("%s: concept %s: %w", p.ConceptPos(pc.ID), pc.ID, err) }
		for _, lang := range sortedKeys(pc.Terms) {
			for _, t := range pc.Terms[lang] {
				if err := add(strings.TrimSuffix(t, "*"), owner{kind: ownConcept, rule: -1, idx: int32(i), prefix: strings.HasSuffix(t, "*")}); err != nil {
					return nil, fail(err)
				}
			}
		}
		for _, lang := range sortedKeys(pc.Except) {
			for _, e := range pc.Except[lang] {
				if err := add(e, owner{kind: ownConceptExcept, rule: -1, idx: int32(i)}); err != nil {
					return nil, fail(err)
				}
			}
		}
	}
	return index, nil
}

// members returns id and every concept it includes, directly or not.
func members(p *policy.Pack, index map[string]int32, id string) []int32 {
	var out []int32
	seen := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		i, ok := index[id]
		if !ok || seen[id] {
			return // unknown or a cycle: the loader refused both already
		}
		seen[id] = true
		out = append(out, i)
		for _, inc := range p.Concepts[i].Include {
			walk(inc)
		}
	}
	walk(id)
	return out
}

// compileFrame builds a frame's masks over the concepts.
func (c *Checker) compileFrame(p *policy.Pack, index map[string]int32, f policy.Frame) frame {
	fr := frame{window: f.Window, noneWindow: f.NoneWindow, mask: make([]uint32, len(c.concepts))}
	switch f.Scope {
	case "clause":
		fr.scope = scopeClause
	case "text":
		fr.scope = scopeText
	}
	set := func(ids []string, bit uint32) {
		for _, id := range ids {
			for _, m := range members(p, index, id) {
				fr.mask[m] |= bit
				if b := c.concepts[m].builtin; b != biNone {
					if b != biNumbered && bit != noneBit {
						fr.free |= bit
					}
					if !containsByte(fr.runs, b) {
						fr.runs = append(fr.runs, b)
					}
				}
			}
		}
	}
	for gi, g := range f.All {
		bit := uint32(1) << gi
		set(g, bit)
		fr.need |= bit
		fr.groups = append(fr.groups, strings.Join(g, " or "))
	}
	if len(f.Any) > 0 {
		fr.anyBit = 1 << len(f.All)
		set(f.Any, fr.anyBit)
		fr.need |= fr.anyBit
		fr.groups = append(fr.groups, strings.Join(f.Any, " or "))
	}
	set(f.None, noneBit)
	fr.cancels = f.None
	if len(f.NoneText) > 0 {
		fr.noneText = make([]uint64, len(c.concepts)/64+1)
		for _, id := range f.NoneText {
			for _, m := range members(p, index, id) {
				fr.noneText[m/64] |= 1 << (m % 64)
			}
		}
	}
	fr.parts = make([]uint64, len(c.concepts)/64+1)
	for ci, m := range fr.mask {
		if m&^noneBit != 0 {
			fr.parts[ci/64] |= 1 << (ci % 64)
		}
	}
	return fr
}

func containsByte(s []uint8, b uint8) bool {
	for _, x := range s {
		if x == b {
			return true
		}
	}
	return false
}
