package policy

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// Severities, detection targets, account kinds and counters a pack may name.
var (
	severities = []string{"error", "warning", "advice"}
	targets    = []string{"", "text", "reply_to", "images"}
	kinds      = []string{"corporate", "country-office", "project", "personal"}
	counters   = []string{"twitter", "mastodon", "graphemes", "characters"}
	// Platforms are the platforms a draft may name (ARCHITECTURE.md); a
	// pack may add others under parameters.platforms.
	Platforms = []string{"x", "mastodon", "bluesky", "threads", "linkedin", "facebook", "instagram", "youtube"}
)

var dottedID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$`)

// Clause returns the clause with this id, or nil.
func (p *Pack) Clause(id string) *Clause {
	for i := range p.Clauses {
		if p.Clauses[i].ID == id {
			return &p.Clauses[i]
		}
	}
	return nil
}

// KnownPlatform reports whether a draft may name this platform.
func (p *Pack) KnownPlatform(name string) bool {
	_, ok := p.Parameters.Platforms[name]
	return ok || slices.Contains(Platforms, name)
}

// KnownKind reports whether k is an account kind.
func KnownKind(k string) bool { return slices.Contains(kinds, k) }

// validate checks what the YAML schema cannot: references, uniqueness,
// languages, regular expressions and examples. Built-in detector names and
// parameters are checked by the checker when it compiles the pack.
func (p *Pack) validate() error {
	var ps problems
	file := pos{file: p.src.file}
	id := p.Pack
	if id.ID == "" {
		ps.add(file, "", "pack.id is missing")
	}
	if id.Version == "" {
		ps.add(file, "", "pack.version is missing")
	}
	if len(id.Languages) == 0 {
		ps.add(file, "", "pack.languages is missing")
	}
	for _, e := range p.Organization.Emblems {
		if !validEmblemName(e) {
			ps.add(file, "", "organization.emblems: %q must be a file name beside the pack (no directories)", e)
		}
	}

	clauses := map[string]bool{}
	for i, c := range p.Clauses {
		at := p.src.clausePos[i]
		switch {
		case c.ID == "":
			ps.add(at, "", "clause without id")
		case clauses[c.ID]:
			ps.add(at, "", "clause %s is defined twice", c.ID)
		}
		clauses[c.ID] = true
		switch {
		case strings.TrimSpace(c.Title.In("")) == "":
			ps.add(at, "", "clause %s has no title", c.ID)
		case c.Title[""] == "": // titles per language: every language of the pack
			p.checkText(&ps, at, "", "clause "+c.ID+" title", c.Title, true)
		}
		p.checkText(&ps, at, "", "clause "+c.ID+" summary", c.Summary, true)
	}

	for name, pp := range p.Parameters.Platforms {
		if pp.Limit <= 0 {
			ps.add(file, "", "parameters.platforms.%s.limit must be positive", name)
		}
		if !slices.Contains(counters, pp.Counter) {
			ps.add(file, "", "parameters.platforms.%s.counter %q is not one of %s", name, pp.Counter, strings.Join(counters, ", "))
		}
		if pp.URLLength < 0 || pp.HashtagCap < 0 {
			ps.add(file, "", "parameters.platforms.%s: url_length and hashtag_cap must not be negative", name)
		}
	}
	if p.Parameters.StaleFigureYears < 0 || p.Parameters.MinPostsPerWeek < 0 || p.Parameters.PublicClosedDays < 0 {
		ps.add(file, "", "parameters: stale_figure_years, min_posts_per_week and public_closed_days must not be negative")
	}
	if f := p.Parameters.Findings; f.MaxPerRule < 0 || f.MaxPerReport < 0 {
		ps.add(file, "", "parameters.findings: max_per_rule and max_per_report must not be negative")
	}
	// A pack without a health block is valid (internal/health then has
	// nothing to apply); one that has it must be applicable.
	if h := p.Parameters.Health; !reflect.ValueOf(h).IsZero() {
		if err := h.Validate(); err != nil {
			for _, e := range unjoin(err) {
				ps.add(p.src.healthPos, "", "%v", e)
			}
		}
	}

	concepts := p.validateConcepts(&ps)

	seen := map[string]bool{}
	for i, item := range p.Checklist {
		if item.ID == "" || seen["checklist:"+item.ID] {
			ps.add(file, "", "checklist item %d: missing or duplicate id %q", i+1, item.ID)
		}
		seen["checklist:"+item.ID] = true
		if item.Clause != "" && !clauses[item.Clause] {
			ps.add(file, "", "checklist item %s: unknown clause %q", item.ID, item.Clause)
		}
		p.checkText(&ps, file, "", "checklist item "+item.ID+" text", item.Text, true)
	}

	for i := range p.Rules {
		r := &p.Rules[i]
		at := p.src.rulePos[i]
		if !dottedID.MatchString(r.ID) {
			ps.add(at, r.ID, "id must be dotted lower-case words, like safety.phone-number")
		} else if seen[r.ID] {
			ps.add(at, r.ID, "id is used by another rule")
		}
		seen[r.ID] = true
		p.validateRule(&ps, at, r, clauses)
		validateFrames(&ps, at, r, concepts)
		p.validateUnless(&ps, at, r, concepts)
	}

	for name, path := range p.Models {
		if !modelName.MatchString(name) || path == "" {
			ps.add(file, "", "models: %q: want a model name (lower-case letters, digits, dashes) and a file", name)
		}
	}

	for _, a := range p.AccountRules {
		if !dottedID.MatchString(a.ID) || seen[a.ID] {
			ps.add(file, a.ID, "account rule id must be dotted and unique")
		}
		seen[a.ID] = true
		if a.Clause != "" && !clauses[a.Clause] {
			ps.add(file, a.ID, "unknown clause %q", a.Clause)
		}
		if !slices.Contains(severities, a.Severity) {
			ps.add(file, a.ID, "severity %q is not one of error, warning, advice", a.Severity)
		}
		for _, k := range a.Kinds {
			if !KnownKind(k) {
				ps.add(file, a.ID, "unknown account kind %q", k)
			}
		}
		if a.Check == "" {
			ps.add(file, a.ID, "check is missing")
		}
		p.checkText(&ps, file, a.ID, "message", a.Message, true)
		p.checkText(&ps, file, a.ID, "suggestion", a.Suggestion, false)
	}
	return ps.err()
}

func (p *Pack) validateRule(ps *problems, at pos, r *Rule, clauses map[string]bool) {
	if r.Clause != "" && !clauses[r.Clause] {
		ps.add(at, r.ID, "unknown clause %q", r.Clause)
	}
	if !slices.Contains(severities, r.Severity) {
		ps.add(at, r.ID, "severity %q is not one of error, warning, advice", r.Severity)
	}
	for _, k := range r.Applies.Kinds {
		if !KnownKind(k) {
			ps.add(at, r.ID, "applies: unknown account kind %q", k)
		}
	}
	for _, pl := range r.Applies.Platforms {
		if !p.KnownPlatform(pl) {
			ps.add(at, r.ID, "applies: unknown platform %q", pl)
		}
	}
	p.checkText(ps, at, r.ID, "message", r.Message, true)
	p.checkText(ps, at, r.ID, "suggestion", r.Suggestion, false)

	d := &r.Detect
	methods := 0
	if len(d.Terms) > 0 {
		methods++
	}
	if len(d.Patterns) > 0 {
		methods++
	}
	if d.Builtin != "" {
		methods++
	}
	if len(d.Frames) > 0 {
		methods++
		if d.On != "" && d.On != "text" {
			ps.add(at, r.ID, "detect.frames read the text only (detect.on %q)", d.On)
		}
	}
	if c := d.Classifier; c != nil && len(d.Terms) == 0 {
		methods++ // beside terms, a classifier is no second method
	}
	if methods != 1 {
		ps.add(at, r.ID, "detect must have exactly one of terms, patterns, builtin, frames, classifier (has %d; a classifier may join terms)", methods)
	}
	if c := d.Classifier; c != nil {
		validateClassifier(ps, at, r.ID, c, len(d.Terms) > 0, d.On)
	}
	if !slices.Contains(targets, d.On) {
		ps.add(at, r.ID, "detect.on %q is not one of text, reply_to, images", d.On)
	}
	if d.On == "images" && d.Builtin == "" {
		ps.add(at, r.ID, "detect.on: images needs a built-in detector")
	}
	if d.Builtin == "" && len(d.Params) > 0 {
		ps.add(at, r.ID, "detect.params is only for built-in detectors")
	}
	if len(d.Terms) == 0 && (d.Near != nil || len(d.Except) > 0) {
		ps.add(at, r.ID, "detect.near and detect.except apply to terms only")
	}
	if len(d.Unless) > 0 {
		switch {
		case len(d.Terms) == 0:
			ps.add(at, r.ID, "detect.unless applies to terms only (a frame is cancelled by its none)")
		case d.On != "" && d.On != "text":
			ps.add(at, r.ID, "detect.unless reads the text only (detect.on %q)", d.On)
		}
	}
	for lang, terms := range d.Terms {
		for _, t := range terms {
			if err := checkTerm(t.Term); err != nil {
				ps.add(at, r.ID, "terms.%s: %v", lang, err)
			}
		}
	}
	for lang, phrases := range d.Except {
		for _, e := range phrases {
			if err := checkTerm(e); err != nil || strings.HasSuffix(e, "*") {
				ps.add(at, r.ID, "except.%s: %q is not a plain word or phrase", lang, e)
			}
		}
	}
	if d.Near != nil {
		if d.Near.Window <= 0 {
			ps.add(at, r.ID, "near.window must be a positive number of words")
		}
		n := 0
		for lang, words := range d.Near.Terms {
			for _, w := range words {
				n++
				if err := checkTerm(w); err != nil {
					ps.add(at, r.ID, "near.terms.%s: %v", lang, err)
				}
			}
		}
		if n == 0 {
			ps.add(at, r.ID, "near.terms is empty")
		}
	}
	for i, pt := range d.Patterns {
		if _, err := regexp.Compile(pt.Regex); err != nil || pt.Regex == "" {
			ps.add(at, r.ID, "patterns[%d]: regex does not compile: %v", i, err)
		}
		if len(pt.Anchors) == 0 {
			ps.add(at, r.ID, "patterns[%d]: no anchors (a pattern runs only near one of its literal anchors)", i)
		}
		for _, a := range pt.Anchors {
			if strings.TrimSpace(a) == "" {
				ps.add(at, r.ID, "patterns[%d]: empty anchor", i)
			}
		}
	}

	if d.On != "images" {
		if len(r.Examples.Fire) == 0 || len(r.Examples.Pass) == 0 {
			ps.add(at, r.ID, "examples: at least one fire and one pass example are required")
		}
	}
	for _, ex := range slices.Concat(r.Examples.Fire, r.Examples.Pass) {
		if ex.Kind != "" && !KnownKind(ex.Kind) {
			ps.add(at, r.ID, "example %q: unknown kind %q", short(ex.Text), ex.Kind)
		}
		if ex.Platform != "" && !p.KnownPlatform(ex.Platform) {
			ps.add(at, r.ID, "example %q: unknown platform %q", short(ex.Text), ex.Platform)
		}
	}
}

// validateClassifier checks a rule's classifier settings; whether the model
// exists is checked when the checker compiles the pack.
func validateClassifier(ps *problems, at pos, id string, c *Classifier, terms bool, on string) {
	if !modelName.MatchString(c.Model) {
		ps.add(at, id, "classifier.model %q is not a model name (lower-case letters, digits, dashes)", c.Model)
	}
	if c.Combine != "" && (!modelName.MatchString(c.Combine) || c.Combine == c.Model) {
		ps.add(at, id, "classifier.combine %q is not the name of a second model", c.Combine)
	}
	if c.Combine != "" && c.Threshold == 0 {
		ps.add(at, id, "classifier.combine needs a threshold: the models' files record thresholds for their own scores, not for their mean")
	}
	if !(c.Rivals >= 0 && c.Rivals <= 1) {
		ps.add(at, id, "classifier.rivals must be a share from 0 to 1 (0: the rule has no rivals)")
	}
	if on != "" && on != "text" && on != "reply_to" {
		ps.add(at, id, "a classifier reads text or reply_to, not %s", on)
	}
	if !(c.Threshold >= 0 && c.Threshold < 1) || !(c.Agree >= 0 && c.Agree < 1) {
		ps.add(at, id, "classifier.threshold and classifier.agree must be scores from 0 to 1 (0: the default)")
	}
	if c.Agree > 0 && !terms {
		ps.add(at, id, "classifier.agree applies beside terms only")
	}
	if c.Agree > 0 && c.Threshold > 0 && c.Agree > c.Threshold {
		ps.add(at, id, "classifier.agree %v is above classifier.threshold %v: a term match should need less agreement than the model alone", c.Agree, c.Threshold)
	}
}

var modelName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// checkText requires a sentence in every language of the pack when
// required, and in every language or none otherwise.
func (p *Pack) checkText(ps *problems, at pos, rule, what string, t Text, required bool) {
	if !required && len(t) == 0 {
		return
	}
	for _, lang := range p.Pack.Languages {
		if strings.TrimSpace(t[lang]) == "" {
			ps.add(at, rule, "%s: missing language %q", what, lang)
		}
	}
}

// checkTerm accepts a word or phrase. A trailing "*" is the prefix
// wildcard; a "*" elsewhere is a literal character ("f**k").
func checkTerm(t string) error {
	if strings.Trim(t, "* \t") == "" {
		return fmt.Errorf("empty term %q", t)
	}
	return nil
}

func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// unjoin lists the errors errors.Join put together, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
