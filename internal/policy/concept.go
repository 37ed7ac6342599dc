package policy

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Concept is a named idea the checker finds in a sentence: a movement, a
// time, a place, a political actor. It is found by its terms (per
// language, in the same automaton as the rules' terms), by a built-in
// detector, or through the concepts it includes. Frames (Detect.Frames)
// combine concepts.
type Concept struct {
	ID string `yaml:"id"` // lower-case words joined by "-": political-actor
	// Label names a part found in a message: "a time", "une heure", "una hora".
	Label  Text                `yaml:"label"`
	Terms  map[string][]string `yaml:"terms"`
	Except map[string][]string `yaml:"except"` // phrases that cancel a term they overlap
	// Builtin is one of ConceptBuiltins. "numbered" keeps a term only
	// when a number or identifier follows it ("tent 14", "RN4", "KQ 310").
	Builtin string `yaml:"builtin"`
	// Include names concepts whose spans count as this concept too.
	Include []string `yaml:"include"`
	// Places names a file of place names, one per line ("name" or
	// "name<TAB>country"), read beside the pack; its names become terms.
	Places string `yaml:"places"`
}

// ConceptBuiltins are the built-in concept detectors (internal/check):
// clock times, dates, people described by name and age, numbered terms,
// places from the gazetteer, capitalized names after a preposition of
// place ("to Juba", "à Bunia", "hacia Mopti"), GPS-like coordinates, and
// years before the current one ("in 2023", "l'attaque de 2024").
var ConceptBuiltins = []string{"clock", "date", "person", "numbered", "place", "named-place", "coordinates", "past-year"}

// Frame is a co-occurrence of concepts in one sentence (or clause), in any
// order: every group of All present, at least one concept of Any (when
// given), none of None, the parts within Window words.
type Frame struct {
	Scope  string   `yaml:"scope"`  // sentence (default), clause, or text (the whole draft)
	Window int      `yaml:"window"` // most words from the first part's start to the last's; 0: the whole scope
	All    []Group  `yaml:"all"`
	Any    []string `yaml:"any"`
	None   []string `yaml:"none"`
	// NoneWindow, when set, lets a None concept cancel only among the
	// frame's parts or this many words before them ("is not right"), not
	// anywhere in the sentence.
	NoneWindow int `yaml:"none_window"`
	// NoneText concepts cancel the frame when found anywhere in the draft:
	// a statement named in one sentence covers the incident told in the
	// next.
	NoneText []string `yaml:"none_text"`
}

// Group is one concept, or a list of concepts of which one suffices; in
// YAML a string or a sequence.
type Group []string

// UnmarshalYAML accepts a group as one concept id or a list of them.
func (g *Group) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*g = Group{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*g = l
	return nil
}

// maxFrameGroups bounds the groups of a frame (all groups plus any).
const maxFrameGroups = 30

var conceptID = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Concept returns the concept with this id, or nil.
func (p *Pack) Concept(id string) *Concept {
	for i := range p.Concepts {
		if p.Concepts[i].ID == id {
			return &p.Concepts[i]
		}
	}
	return nil
}

// validateConcepts checks ids, builtins, includes (known, no cycle) and
// terms of the concepts.
func (p *Pack) validateConcepts(ps *problems) map[string]bool {
	known := map[string]bool{}
	for i, c := range p.Concepts {
		at := p.conceptPos(i)
		switch {
		case !conceptID.MatchString(c.ID):
			ps.add(at, "", "concept %q: id must be lower-case words joined by \"-\", like political-actor", c.ID)
		case known[c.ID]:
			ps.add(at, "", "concept %s is defined twice", c.ID)
		}
		known[c.ID] = true
		if c.Builtin != "" && !slices.Contains(ConceptBuiltins, c.Builtin) {
			ps.add(at, "", "concept %s: unknown builtin %q (known: %s)", c.ID, c.Builtin, strings.Join(ConceptBuiltins, ", "))
		}
		if c.Builtin == "numbered" && len(c.Terms) == 0 {
			ps.add(at, "", "concept %s: builtin numbered needs terms", c.ID)
		}
		p.checkText(ps, at, "", "concept "+c.ID+" label", c.Label, false)
		for lang, terms := range c.Terms {
			for _, t := range terms {
				if err := checkTerm(t); err != nil {
					ps.add(at, "", "concept %s: terms.%s: %v", c.ID, lang, err)
				}
			}
		}
		for lang, phrases := range c.Except {
			for _, e := range phrases {
				if err := checkTerm(e); err != nil || strings.HasSuffix(e, "*") {
					ps.add(at, "", "concept %s: except.%s: %q is not a plain word or phrase", c.ID, lang, e)
				}
			}
		}
	}
	for i, c := range p.Concepts {
		for _, inc := range c.Include {
			if !known[inc] {
				ps.add(p.conceptPos(i), "", "concept %s: includes unknown concept %q", c.ID, inc)
			}
		}
	}
	// Cycles: a depth-first walk; a concept met again on the current path
	// closes a cycle, reported once at the concept where it was found.
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	index := map[string]int{}
	for i, c := range p.Concepts {
		index[c.ID] = i
	}
	var path []string
	var walk func(id string) bool
	walk = func(id string) bool {
		switch state[id] {
		case onPath:
			from := slices.Index(path, id)
			ps.add(p.conceptPos(index[id]), "", "concept %s: cycle between concepts: %s", id, strings.Join(append(slices.Clone(path[from:]), id), " → "))
			return false
		case done:
			return true
		}
		state[id] = onPath
		path = append(path, id)
		ok := true
		if i, found := index[id]; found {
			for _, inc := range p.Concepts[i].Include {
				if known[inc] && !walk(inc) {
					ok = false
					break
				}
			}
		}
		path = path[:len(path)-1]
		state[id] = done
		return ok
	}
	for _, c := range p.Concepts {
		if state[c.ID] == unseen {
			walk(c.ID)
		}
	}
	return known
}

func (p *Pack) conceptPos(i int) pos {
	if i < len(p.src.conceptPos) {
		return p.src.conceptPos[i]
	}
	return pos{file: p.src.file}
}

// validateFrames checks a rule's frames against the concepts known.
func validateFrames(ps *problems, at pos, r *Rule, known map[string]bool) {
	for fi, f := range r.Detect.Frames {
		what := fmt.Sprintf("frames[%d]", fi)
		if f.Scope != "" && f.Scope != "sentence" && f.Scope != "clause" && f.Scope != "text" {
			ps.add(at, r.ID, "%s: scope %q is not sentence, clause or text", what, f.Scope)
		}
		if f.Window < 0 || f.NoneWindow < 0 {
			ps.add(at, r.ID, "%s: window and none_window must not be negative", what)
		}
		if len(f.All) == 0 && len(f.Any) == 0 {
			ps.add(at, r.ID, "%s: needs concepts under all or any", what)
		}
		if len(f.All)+1 > maxFrameGroups {
			ps.add(at, r.ID, "%s: more than %d groups", what, maxFrameGroups-1)
		}
		ref := func(part, id string) {
			if !known[id] {
				ps.add(at, r.ID, "%s: %s names unknown concept %q", what, part, id)
			}
		}
		for gi, g := range f.All {
			if len(g) == 0 {
				ps.add(at, r.ID, "%s: all[%d] is an empty group", what, gi)
			}
			for _, id := range g {
				ref("all", id)
			}
		}
		for _, id := range f.Any {
			ref("any", id)
		}
		for _, id := range f.None {
			ref("none", id)
		}
		for _, id := range f.NoneText {
			ref("none_text", id)
		}
		if f.Any != nil && len(f.Any) == 0 || f.None != nil && len(f.None) == 0 || f.NoneText != nil && len(f.NoneText) == 0 {
			ps.add(at, r.ID, "%s: an empty group (any, none or none_text)", what)
		}
	}
	if c := r.Detect.Classifier; c != nil {
		for _, id := range c.Unless {
			if !known[id] {
				ps.add(at, r.ID, "classifier.unless names unknown concept %q", id)
			}
		}
		for _, id := range c.With {
			if !known[id] {
				ps.add(at, r.ID, "classifier.with names unknown concept %q", id)
			}
		}
	}
}

// validateUnless checks the concepts a word-list rule's detect.unless
// names: known, and found by terms, since a term match is dropped on the
// concepts' term spans of its sentence (a built-in detector, such as date,
// runs only for frames).
func (p *Pack) validateUnless(ps *problems, at pos, r *Rule, known map[string]bool) {
	for _, id := range r.Detect.Unless {
		if !known[id] {
			ps.add(at, r.ID, "detect.unless names unknown concept %q", id)
			continue
		}
		seen := map[string]bool{}
		var walk func(string) string
		walk = func(id string) string {
			c := p.Concept(id)
			if c == nil || seen[id] {
				return "" // unknown includes and cycles are reported with the concepts
			}
			seen[id] = true
			if c.Builtin != "" {
				return id
			}
			for _, inc := range c.Include {
				if b := walk(inc); b != "" {
					return b
				}
			}
			return ""
		}
		if b := walk(id); b != "" {
			ps.add(at, r.ID, "detect.unless: concept %q is found by the built-in detector %s; unless reads concepts found by terms", b, p.Concept(b).Builtin)
		}
	}
}

// maxPlaceNames bounds a places file.
const maxPlaceNames = 200_000

// loadPlaces reads the places files the concepts name, relative to the
// directory of the pack file, and adds their names to the concepts' terms
// under the key "places". A line that does not parse is an error with its
// file and line.
func (p *Pack) loadPlaces(dir string, ps *problems) {
	for i := range p.Concepts {
		c := &p.Concepts[i]
		if c.Places == "" {
			continue
		}
		path := c.Places
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		data, err := readFile(path)
		if err != nil {
			ps.add(p.conceptPos(i), "", "concept %s: places: %v", c.ID, err)
			continue
		}
		names, errs := parsePlaces(path, data)
		for _, e := range errs {
			*ps = append(*ps, e)
		}
		if len(errs) == 0 {
			terms := make(map[string][]string, len(c.Terms)+1)
			for k, v := range c.Terms {
				terms[k] = v
			}
			terms["places"] = append(slices.Clone(terms["places"]), names...)
			c.Terms = terms
		}
	}
}

// parsePlaces reads "name" or "name<TAB>country" lines; blank lines and
// lines starting with "#" are skipped.
func parsePlaces(file string, data []byte) (names []string, errs problems) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		at := pos{file, line}
		switch {
		case !utf8.ValidString(s):
			errs.add(at, "", "not valid UTF-8")
			continue
		case strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#"):
			continue
		}
		fields := strings.Split(s, "\t")
		name := strings.TrimSpace(fields[0])
		switch {
		case len(fields) > 2:
			errs.add(at, "", "want \"name\" or \"name<TAB>country\", got %d fields", len(fields))
		case name == "" || strings.Trim(name, "*") == "":
			errs.add(at, "", "empty place name")
		case len(fields) == 2 && !isCountryCode(strings.TrimSpace(fields[1])):
			errs.add(at, "", "country %q is not a two-letter code", fields[1])
		default:
			names = append(names, strings.TrimSuffix(name, "*"))
		}
		if len(names) > maxPlaceNames {
			errs.add(at, "", "more than %d place names", maxPlaceNames)
			break
		}
		if len(errs) >= maxProblems {
			break
		}
	}
	if err := sc.Err(); err != nil {
		errs.add(pos{file: file}, "", "%v", err)
	}
	return names, errs
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// conceptChange alters one concept of the base pack from an overlay: a
// country's parties and leaders added to political-actor, say.
type conceptChange struct {
	ID         string              `yaml:"id"`
	AddTerms   map[string][]string `yaml:"add_terms"`
	AddExcept  map[string][]string `yaml:"add_except"`
	AddInclude []string            `yaml:"add_include"`
}

func (ch *conceptChange) apply(c *Concept) {
	if len(ch.AddTerms) > 0 {
		c.Terms = appendPerLang(c.Terms, ch.AddTerms)
	}
	if len(ch.AddExcept) > 0 {
		c.Except = appendPerLang(c.Except, ch.AddExcept)
	}
	c.Include = slices.Concat(c.Include, ch.AddInclude)
}

// readPlacesAllowed reports whether the pack was read from a file whose
// directory can hold places files (not the embedded default).
func placesDir(name string) (string, bool) {
	if name == DefaultFile {
		return "", false
	}
	if _, err := os.Stat(name); err != nil {
		return "", false
	}
	return filepath.Dir(name), true
}

// readPlaces loads the places files of the concepts from index first on,
// which the file name (a pack or an overlay) placed.
func (p *Pack) readPlaces(name string, first int, ps *problems) {
	need := false
	for _, c := range p.Concepts[first:] {
		need = need || c.Places != ""
	}
	if !need {
		return
	}
	dir, ok := placesDir(name)
	if !ok {
		for i, c := range p.Concepts[first:] {
			if c.Places != "" {
				ps.add(p.conceptPos(first+i), "", "concept %s: places files are read only beside a pack or overlay file", c.ID)
			}
		}
		return
	}
	sub := &Pack{Concepts: p.Concepts[first:], src: sources{file: p.src.file, conceptPos: p.src.conceptPos[min(first, len(p.src.conceptPos)):]}}
	sub.loadPlaces(dir, ps)
}

// ConceptPos returns "file:line" where the concept with this id was
// written, or the pack's file name when unknown.
func (p *Pack) ConceptPos(id string) string {
	for i, c := range p.Concepts {
		if c.ID == id {
			return p.conceptPos(i).String()
		}
	}
	return p.src.file
}
