package policy

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// overlay is a file applied on top of a base pack; docs/POLICY-PACKS.md
// describes it. Lists under *_add are appended; parameters are merged key by
// key (a platform's fields one by one); rule changes name existing rules.
type overlay struct {
	Overlay struct {
		ID      string `yaml:"id"`
		Version string `yaml:"version"`
		Base    string `yaml:"base"` // the base pack's id
	} `yaml:"overlay"`
	OrganizationAdd struct {
		Names         []string `yaml:"names"`
		Handles       []string `yaml:"handles"`
		Domains       []string `yaml:"domains"`
		InternalHosts []string `yaml:"internal_hosts"`
		Mailboxes     []string `yaml:"mailboxes"`
		Phones        []string `yaml:"phones"`
	} `yaml:"organization_add"`
	Parameters    *Parameters `yaml:"parameters"`
	ParametersAdd struct {
		Shorteners     []string `yaml:"shorteners"`
		DeniedDomains  []string `yaml:"denied_domains"`
		WebmailDomains []string `yaml:"webmail_domains"`
	} `yaml:"parameters_add"`
	Rules      []ruleChange `yaml:"rules"`
	AddClauses []Clause     `yaml:"add_clauses"`
	AddRules   []Rule       `yaml:"add_rules"`
	// Concepts adds terms to concepts of the base pack (a country's
	// parties and leaders); AddConcepts defines new ones.
	Concepts    []conceptChange `yaml:"concepts"`
	AddConcepts []Concept       `yaml:"add_concepts"`
	// Models name the organization's own model files (Pack.Models).
	Models map[string]string `yaml:"models"`
}

// ruleChange alters one rule of the base pack.
type ruleChange struct {
	ID        string              `yaml:"id"`
	Severity  string              `yaml:"severity"`
	Disabled  *bool               `yaml:"disabled"`
	AddTerms  map[string][]Term   `yaml:"add_terms"`
	AddExcept map[string][]string `yaml:"add_except"`
	Params    map[string]any      `yaml:"params"` // merged key by key into detect.params
	// Classifier replaces the rule's classifier settings (model, thresholds).
	Classifier *Classifier `yaml:"classifier"`
	// Unless replaces the concepts of the rule's detect.unless ([] keeps
	// every match); AddUnless adds to them.
	Unless    *[]string `yaml:"unless"`
	AddUnless []string  `yaml:"add_unless"`
}

// ApplyOverlay returns a new pack: base with the overlay in data applied
// (name is used in errors). base is not changed. The result is validated as
// a whole and its version reads "BASE+OVERLAY@VERSION".
func ApplyOverlay(base *Pack, name string, data []byte) (*Pack, error) {
	root, err := parseDocument(name, data)
	if err != nil {
		return nil, err
	}
	var ps problems
	loc := newLocator(name, root, "rules", "add_rules")
	checkKeys(root, reflect.TypeFor[overlay](), loc, &ps)
	var o overlay
	decode(root, &o, loc, &ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	file := pos{file: name, line: root.Line}
	if o.Overlay.ID == "" || o.Overlay.Version == "" {
		ps.add(file, "", "overlay.id and overlay.version are required")
	}
	if o.Overlay.Base != base.Pack.ID {
		ps.add(file, "", "overlay.base %q does not name the base pack %q", o.Overlay.Base, base.Pack.ID)
	}

	p := base.clone()
	p.Pack.Version = fmt.Sprintf("%s+%s@%s", base.Pack.Version, o.Overlay.ID, o.Overlay.Version)
	org := &p.Organization
	org.Names = append(org.Names, o.OrganizationAdd.Names...)
	org.Handles = append(org.Handles, o.OrganizationAdd.Handles...)
	org.Domains = append(org.Domains, o.OrganizationAdd.Domains...)
	org.InternalHosts = append(org.InternalHosts, o.OrganizationAdd.InternalHosts...)
	org.Mailboxes = append(org.Mailboxes, o.OrganizationAdd.Mailboxes...)
	org.Phones = append(org.Phones, o.OrganizationAdd.Phones...)

	if n := mapValue(root, "parameters"); n != nil {
		mergeParameters(&p.Parameters, n, loc, &ps)
		if h := mapValue(n, "health"); h != nil {
			p.src.healthPos = pos{file: name, line: h.Line}
		}
	}
	pa := &p.Parameters
	pa.Shorteners = append(pa.Shorteners, o.ParametersAdd.Shorteners...)
	pa.DeniedDomains = append(pa.DeniedDomains, o.ParametersAdd.DeniedDomains...)
	pa.WebmailDomains = append(pa.WebmailDomains, o.ParametersAdd.WebmailDomains...)

	changePos := loc.itemPosOr("rules", len(o.Rules), file)
	for i, ch := range o.Rules {
		j := slices.IndexFunc(p.Rules, func(r Rule) bool { return r.ID == ch.ID })
		if j < 0 {
			ps.add(changePos[i], ch.ID, "the base pack has no such rule")
			continue
		}
		if r := &p.Rules[j]; len(r.Detect.Frames) > 0 && (len(ch.AddTerms) > 0 || len(ch.AddExcept) > 0) {
			// A frame rule has no word list of its own: its words are its
			// concepts' (discretion.violence was a word list until 2026-12-05).
			ps.add(changePos[i], ch.ID, "the rule detects by frames and has no word list: add_terms and add_except go to its concepts (overlay concepts:, e.g. %s)", strings.Join(frameConcepts(r), ", "))
			continue
		}
		if r := &p.Rules[j]; len(r.Detect.Terms) == 0 && (ch.Unless != nil && len(*ch.Unless) > 0 || len(ch.AddUnless) > 0) {
			ps.add(changePos[i], ch.ID, "unless and add_unless apply to rules that detect by terms (a frame is cancelled by its none)")
			continue
		}
		ch.apply(&p.Rules[j])
	}

	conceptChangePos := loc.itemPosOr("concepts", len(o.Concepts), file)
	for i, ch := range o.Concepts {
		j := slices.IndexFunc(p.Concepts, func(c Concept) bool { return c.ID == ch.ID })
		if j < 0 {
			ps.add(conceptChangePos[i], "", "concept %s: the base pack has no such concept", ch.ID)
			continue
		}
		ch.apply(&p.Concepts[j])
	}
	first := len(p.Concepts)
	p.Concepts = append(p.Concepts, o.AddConcepts...)
	p.src.conceptPos = append(p.src.conceptPos[:min(first, len(p.src.conceptPos))], loc.itemPos("add_concepts")...)
	p.readPlaces(name, first, &ps)
	// The concepts an unless names, at the overlay's line (the overlay's
	// own concepts count).
	for i, ch := range o.Rules {
		var ids []string
		if ch.Unless != nil {
			ids = *ch.Unless
		}
		for _, id := range slices.Concat(ids, ch.AddUnless) {
			if p.Concept(id) == nil {
				ps.add(changePos[i], ch.ID, "unless names unknown concept %q", id)
			}
		}
	}

	p.Models = modelPaths(p.Models, o.Models, name)
	p.Clauses = append(p.Clauses, o.AddClauses...)
	for _, at := range loc.itemPos("add_clauses") {
		p.src.clausePos = append(p.src.clausePos, at)
	}
	p.Rules = append(p.Rules, o.AddRules...)
	p.src.rulePos = append(p.src.rulePos, loc.itemPos("add_rules")...)
	if err := ps.err(); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// LoadOverlay reads the overlay file at path and applies it to base.
func LoadOverlay(base *Pack, path string) (*Pack, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return ApplyOverlay(base, path, data)
}

func (ch *ruleChange) apply(r *Rule) {
	if ch.Severity != "" {
		r.Severity = ch.Severity
	}
	if ch.Disabled != nil {
		r.Disabled = *ch.Disabled
	}
	d := &r.Detect
	if ch.Classifier != nil {
		d.Classifier = ch.Classifier
	}
	if ch.Unless != nil {
		d.Unless = slices.Clone(*ch.Unless)
	}
	if len(ch.AddUnless) > 0 {
		d.Unless = slices.Concat(d.Unless, ch.AddUnless)
	}
	if len(ch.AddTerms) > 0 {
		d.Terms = appendPerLang(d.Terms, ch.AddTerms)
	}
	if len(ch.AddExcept) > 0 {
		d.Except = appendPerLang(d.Except, ch.AddExcept)
	}
	if len(ch.Params) > 0 {
		d.Params = maps.Clone(d.Params)
		if d.Params == nil {
			d.Params = map[string]any{}
		}
		maps.Copy(d.Params, ch.Params)
	}
}

// mergeParameters decodes the overlay's parameters over dst: keys present
// replace the base's, and each platform named keeps the fields it does not set.
func mergeParameters(dst *Parameters, n *yaml.Node, loc *locator, ps *problems) {
	before := maps.Clone(dst.Platforms) // decoding replaces named platforms whole
	decode(n, dst, loc, ps)
	platforms := mapValue(n, "platforms")
	if platforms == nil || platforms.Kind != yaml.MappingNode {
		return
	}
	merged := before
	if merged == nil {
		merged = map[string]PlatformParams{}
	}
	for i := 0; i+1 < len(platforms.Content); i += 2 {
		name := platforms.Content[i].Value
		pp := merged[name]
		decode(platforms.Content[i+1], &pp, loc, ps)
		merged[name] = pp
	}
	dst.Platforms = merged
}

// clone copies a pack deeply enough that an overlay never changes its base.
func (p *Pack) clone() *Pack {
	c := *p
	c.Clauses = slices.Clone(p.Clauses)
	c.Checklist = slices.Clone(p.Checklist)
	c.Rules = slices.Clone(p.Rules)
	c.Concepts = slices.Clone(p.Concepts)
	c.AccountRules = slices.Clone(p.AccountRules)
	o := &c.Organization
	o.Names = slices.Clone(o.Names)
	o.Handles = slices.Clone(o.Handles)
	o.Domains = slices.Clone(o.Domains)
	o.InternalHosts = slices.Clone(o.InternalHosts)
	o.Mailboxes = slices.Clone(o.Mailboxes)
	o.Phones = slices.Clone(o.Phones)
	pa := &c.Parameters
	pa.Platforms = maps.Clone(pa.Platforms)
	pa.Shorteners = slices.Clone(pa.Shorteners)
	pa.DeniedDomains = slices.Clone(pa.DeniedDomains)
	pa.WebmailDomains = slices.Clone(pa.WebmailDomains)
	pa.Health = pa.Health.Clone() // an overlay's engagement_floor must not reach the base
	c.Models = maps.Clone(p.Models)
	c.src = sources{file: p.src.file, rulePos: slices.Clone(p.src.rulePos), clausePos: slices.Clone(p.src.clausePos), conceptPos: slices.Clone(p.src.conceptPos), healthPos: p.src.healthPos}
	return &c
}

// appendPerLang returns a copy of base with add's lists appended language by
// language; base itself is left alone, since it belongs to the base pack.
func appendPerLang[T any](base, add map[string][]T) map[string][]T {
	out := maps.Clone(base)
	if out == nil {
		out = map[string][]T{}
	}
	for lang, l := range add {
		out[lang] = slices.Concat(out[lang], l)
	}
	return out
}

// frameConcepts are the concepts a frame rule's frames name in their all
// and any groups, sorted, once each.
func frameConcepts(r *Rule) []string {
	var ids []string
	for _, f := range r.Detect.Frames {
		for _, g := range f.All {
			ids = append(ids, g...)
		}
		ids = append(ids, f.Any...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
