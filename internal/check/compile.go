// Package check is the post checker: it compiles a policy pack once into an
// immutable Checker and checks drafts against it.
//
// Every literal of every rule (terms, except phrases, near words, pattern
// anchors) goes into one Aho-Corasick automaton, run once over the
// normalized text; regular expressions run only in a window around an
// anchor the automaton saw; built-in detectors come from internal/detect.
package check

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/detect"
	"github.com/herald-gov/herald/internal/policy"
)

// Options tune a Checker.
type Options struct {
	// Now is the clock for date-dependent rules (stale figures); nil means
	// time.Now.
	Now func() time.Time
}

// Checker checks drafts against one compiled pack. It is immutable and safe
// for concurrent use.
type Checker struct {
	pack   *policy.Pack
	now    func() time.Time
	rules  []rule
	ac     *automaton
	owners [][]owner // by automaton pattern
	// concepts are the pack's concepts; frameRules the rules with frames.
	concepts   []concept
	frameRules []int32
	// unlessRules are the word-list rules with detect.unless;
	// unlessConcept[c] says whether one of them names concept c.
	unlessRules   []int32
	unlessConcept []bool
	bank          *classify.Bank // the weights of the rules' models
}

// target is what a rule searches.
type target uint8

const (
	onText target = iota
	onReply
	onImages
)

// String names a target in explanations.
func (t target) String() string {
	switch t {
	case onReply:
		return "reply"
	case onImages:
		return "images"
	}
	return "text"
}

// rule is a compiled policy rule.
type rule struct {
	*policy.Rule
	on       target
	terms    []policy.Term // every language's terms, indexed by owner.idx
	window   int           // near window in words; 0 without near
	patterns []*regexp.Regexp
	windows  []int // per pattern: bytes on each side of an anchor
	det      detect.Detector
	frames   []frame
	clf      *classifier // a trained model beside or instead of terms
	unless   []int32     // concepts (with what they include) that drop a term match in their sentence
}

// ownerKind says what a literal of the automaton stands for.
type ownerKind uint8

const (
	ownTerm ownerKind = iota
	ownExcept
	ownNear
	ownAnchor
	ownConcept       // a term of concept idx; rule is -1
	ownConceptExcept // an except phrase of concept idx
	ownStop          // a stop word of the languages in bits idx (stopLangs order); rule is -1
)

// owner is one use of an automaton pattern by a rule.
type owner struct {
	kind   ownerKind
	prefix bool  // a term or anchor with a trailing "*": it may start a longer word
	rule   int32 // index into Checker.rules
	idx    int32 // term index for ownTerm, pattern index for ownAnchor
}

// Compile builds a Checker for p. Built-in detectors are built here, so an
// unknown detector or a bad parameter is an error naming the rule and the
// line where it is written. Disabled rules are left out.
func Compile(p *policy.Pack, opts Options) (*Checker, error) {
	c := &Checker{pack: p, now: opts.Now}
	if c.now == nil {
		c.now = time.Now
	}
	var literals []string
	index := map[string]int32{}
	models := map[string]*classify.Model{}
	add := func(lit string, o owner) error {
		f := foldString(lit)
		if f == "" {
			return fmt.Errorf("%q has nothing to match once normalized", lit)
		}
		i, ok := index[f]
		if !ok {
			i = int32(len(literals))
			index[f] = i
			literals = append(literals, f)
			c.owners = append(c.owners, nil)
		}
		if o.kind >= ownConcept && slices.Contains(c.owners[i], o) {
			return nil // the same word in two languages of one concept
		}
		c.owners[i] = append(c.owners[i], o)
		return nil
	}
	conceptIndex, err := c.compileConcepts(p, add)
	if err != nil {
		return nil, err
	}
	for k, lang := range stopLangs {
		for _, w := range stopWords[lang] {
			if err := add(w, owner{kind: ownStop, rule: -1, idx: 1 << k}); err != nil {
				return nil, err
			}
		}
	}
	for i := range p.Rules {
		pr := &p.Rules[i]
		if pr.Disabled {
			continue
		}
		fail := func(err error) error { return fmt.Errorf("%s: rule %s: %w", p.RulePos(pr.ID), pr.ID, err) }
		r := rule{Rule: pr}
		switch pr.Detect.On {
		case "reply_to":
			r.on = onReply
		case "images":
			r.on = onImages
		}
		ri := int32(len(c.rules))
		for _, lang := range sortedKeys(pr.Detect.Terms) {
			for _, t := range pr.Detect.Terms[lang] {
				o := owner{kind: ownTerm, rule: ri, idx: int32(len(r.terms)), prefix: strings.HasSuffix(t.Term, "*")}
				r.terms = append(r.terms, t)
				if err := add(strings.TrimSuffix(t.Term, "*"), o); err != nil {
					return nil, fail(err)
				}
			}
		}
		for _, lang := range sortedKeys(pr.Detect.Except) {
			for _, e := range pr.Detect.Except[lang] {
				if err := add(e, owner{kind: ownExcept, rule: ri}); err != nil {
					return nil, fail(err)
				}
			}
		}
		if n := pr.Detect.Near; n != nil {
			r.window = n.Window
			for _, lang := range sortedKeys(n.Terms) {
				for _, w := range n.Terms[lang] {
					if err := add(strings.TrimSuffix(w, "*"), owner{kind: ownNear, rule: ri, prefix: strings.HasSuffix(w, "*")}); err != nil {
						return nil, fail(err)
					}
				}
			}
		}
		for pi, pt := range pr.Detect.Patterns {
			re, err := regexp.Compile(pt.Regex)
			if err != nil {
				return nil, fail(err)
			}
			if pt.Window < 0 || pt.Window > maxRegexWindow {
				return nil, fail(fmt.Errorf("pattern %d: window %d is not between 0 and %d", pi+1, pt.Window, maxRegexWindow))
			}
			r.patterns = append(r.patterns, re)
			r.windows = append(r.windows, cmp.Or(pt.Window, regexWindow))
			for _, a := range pt.Anchors {
				if err := add(strings.TrimSuffix(a, "*"), owner{kind: ownAnchor, rule: ri, idx: int32(pi), prefix: strings.HasSuffix(a, "*")}); err != nil {
					return nil, fail(err)
				}
			}
		}
		if pr.Detect.Builtin != "" {
			d, err := detect.New(pr.Detect.Builtin, pr.Detect.Params, &p.Organization, &p.Parameters)
			if err != nil {
				return nil, fail(err)
			}
			r.det = d
		}
		if len(pr.Detect.Frames) > 0 {
			c.compileFrames(p, conceptIndex, &r)
			c.frameRules = append(c.frameRules, ri)
		}
		for _, id := range pr.Detect.Unless {
			if _, ok := conceptIndex[id]; !ok {
				return nil, fail(fmt.Errorf("detect.unless names unknown concept %q", id))
			}
			for _, m := range members(p, conceptIndex, id) {
				if c.concepts[m].builtin != biNone {
					return nil, fail(fmt.Errorf("detect.unless: concept %q is found by a built-in detector", c.concepts[m].id))
				}
				if !slices.Contains(r.unless, m) {
					r.unless = append(r.unless, m)
				}
				if c.unlessConcept == nil {
					c.unlessConcept = make([]bool, len(c.concepts))
				}
				c.unlessConcept[m] = true
			}
		}
		if len(r.unless) > 0 {
			c.unlessRules = append(c.unlessRules, ri)
		}
		if pc := pr.Detect.Classifier; pc != nil {
			cl, err := loadClassifier(p, pc, conceptIndex, models)
			if err != nil {
				return nil, fail(err)
			}
			r.clf = cl
		}
		c.rules = append(c.rules, r)
	}
	c.ac = newAutomaton(literals) // never empty: the stop words are in it
	c.newBank()
	return c, nil
}

// Pack returns the pack the checker was compiled from.
func (c *Checker) Pack() *policy.Pack { return c.pack }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// applies reports whether r applies to a draft from an account of this kind
// on this platform. An empty kind is a personal account; a rule limited to
// some platforms does not apply to a draft that names none.
func (r *rule) applies(kind, platform string) bool {
	if kind == "" {
		kind = "personal"
	}
	a := &r.Applies
	return (len(a.Kinds) == 0 || slices.Contains(a.Kinds, kind)) &&
		(len(a.Platforms) == 0 || slices.Contains(a.Platforms, platform))
}
