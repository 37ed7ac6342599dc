// Package policy holds the policy pack: the versioned YAML document that says
// what the organization's social media policy requires, its clauses, word
// lists, thresholds and names. The checker and the registry read it; nothing
// about the policy is written in Go.
package policy

import (
	"maps"
	"slices"
)

// Pack is a whole policy pack. Unknown keys anywhere are errors.
type Pack struct {
	Pack         Identity     `yaml:"pack"`
	Organization Organization `yaml:"organization"`
	Parameters   Parameters   `yaml:"parameters"`
	Clauses      []Clause     `yaml:"clauses"`
	// Checklist holds the principles software cannot judge (honesty,
	// integrity, ...), which authors tick before submitting a draft.
	Checklist []ChecklistItem `yaml:"checklist"`
	// Concepts are the ideas frames combine (docs/POLICY-PACKS.md).
	Concepts []Concept `yaml:"concepts"`
	Rules    []Rule    `yaml:"rules"`
	// AccountRules check an account's profile: institutional accounts in
	// the registry (4.3, 4.4) and personal accounts in the self-check (5.2).
	AccountRules []AccountRule `yaml:"account_rules"`
	// Models maps the name of a trained classifier (internal/classify) to
	// its model file, for rules whose detect.classifier names it; a relative
	// path is read from the folder of the file that declares it. Names not
	// listed are the models embedded in the binary (offensive-en,
	// subjective-en).
	Models map[string]string `yaml:"models"`

	// src says where each rule and clause was written, for error messages.
	src sources
}

// Identity says which pack this is and which policy it implements.
type Identity struct {
	ID        string    `yaml:"id"`      // e.g. unops-oi-cg-2019-02
	Version   string    `yaml:"version"` // semantic version of the pack, e.g. 1.0.0
	Policy    PolicyRef `yaml:"policy"`
	Languages []string  `yaml:"languages"` // languages every message must exist in: en, fr, es
}

// PolicyRef identifies the written policy.
type PolicyRef struct {
	Reference  string   `yaml:"reference"` // OI.CG.2019.02
	Title      string   `yaml:"title"`
	Effective  string   `yaml:"effective"` // YYYY-MM-DD
	Supersedes []string `yaml:"supersedes"`
	Issuer     string   `yaml:"issuer"` // who promulgated it
}

// Organization holds the organization's names and addresses.
type Organization struct {
	Name     string `yaml:"name"`      // short name: UNOPS
	FullName string `yaml:"full_name"` // United Nations Office for Project Services
	// Names are every form that counts as the organization's name in a
	// display name or username (short, full, translations).
	Names []string `yaml:"names"`
	// Handles are the corporate handles (UNOPS, UNOPS_es, UNOPS_fr).
	Handles []string `yaml:"handles"`
	Domains []string `yaml:"domains"` // unops.org
	// InternalHosts are hosts whose links must not appear in public posts
	// (intranet, document sites). A leading "*." matches any subdomain.
	InternalHosts []string `yaml:"internal_hosts"`
	// Mailboxes are functional addresses that may appear in posts.
	Mailboxes []string `yaml:"mailboxes"`
	// Phones are the organization's public numbers (switchboard, press
	// line) that posts may give; the phone rule does not flag them.
	Phones []string `yaml:"phones"`
	// Headquarters is the seat of the organization (never a personal location).
	Headquarters string `yaml:"headquarters"`
	// Emblems are the approved emblem images (4.3), files beside the pack:
	// official accounts' avatars should be one, and a found account using
	// one is more likely an impostor.
	Emblems []string `yaml:"emblems"`
}

// Parameters are the pack's thresholds and lists that are not word lists.
type Parameters struct {
	// StaleFigureYears: a figure tied to a year this many years or more
	// before the check date is flagged (3.4(c)).
	StaleFigureYears int `yaml:"stale_figure_years"`
	// Platforms maps platform name (x, mastodon, bluesky, threads, linkedin,
	// facebook, instagram, youtube) to how it counts length.
	Platforms map[string]PlatformParams `yaml:"platforms"`
	// Shorteners are URL shortener hosts: their destination is hidden (3.4(q)).
	Shorteners []string `yaml:"shorteners"`
	// DeniedDomains are hosts whose content must not be shared (3.4(q)).
	DeniedDomains []string `yaml:"denied_domains"`
	// WebmailDomains are public email providers (registry, 4.4(d)).
	WebmailDomains []string `yaml:"webmail_domains"`
	// MinPostsPerWeek is the least posting plan an account request may
	// declare (4.2, 4.6).
	MinPostsPerWeek float64 `yaml:"min_posts_per_week"`
	// PublicClosedDays is how long a closed account stays in the public
	// directory as "closed since" (issue 16); 0 takes 365.
	PublicClosedDays int `yaml:"public_closed_days"`
	// Health holds the activity and engagement thresholds (4.6).
	Health HealthParams `yaml:"health"`
	// Findings caps what one report lists, so that a hostile post cannot
	// make a report many times its own size; 0 takes the default.
	Findings FindingCaps `yaml:"findings"`
}

// FindingCaps bound a report: at most MaxPerRule findings of one rule and
// MaxPerReport in all (the earliest in the text); the rest are counted in
// the report's truncated. Defaults 20 and 200.
type FindingCaps struct {
	MaxPerRule   int `yaml:"max_per_rule"`
	MaxPerReport int `yaml:"max_per_report"`
}

// PlatformParams says how a platform counts a post and what it allows.
type PlatformParams struct {
	Limit int `yaml:"limit"`
	// Counter is the counting method: "twitter" (weighted, config v3),
	// "mastodon" (characters, URLs fixed, @user@domain as @user),
	// "graphemes", or "characters" (Unicode code points).
	Counter    string `yaml:"counter"`
	URLLength  int    `yaml:"url_length"`  // fixed weight of a URL, 0 for its real length
	HashtagCap int    `yaml:"hashtag_cap"` // most hashtags allowed, 0 for no cap
}

// Clause is one paragraph of the policy that a rule cites.
type Clause struct {
	ID      string `yaml:"id"`      // exactly as the policy numbers it: 3.4(g), 4.4(b), 4.6, 5.2(a)
	Title   Text   `yaml:"title"`   // the policy's heading, per language, or one plain title for all
	Summary Text   `yaml:"summary"` // one line in our own words, per language
}

// ChecklistItem is a principle a person must confirm before publishing.
type ChecklistItem struct {
	ID     string `yaml:"id"`
	Clause string `yaml:"clause"`
	Text   Text   `yaml:"text"`
}

// Text is a sentence per language code. Written as a plain string in YAML,
// it is one sentence for every language, kept under the code "".
type Text map[string]string

// In returns the text in lang, else English, else the first language
// present in code order; "" when there is none.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t["en"]; ok {
		return s
	}
	if len(t) == 0 {
		return ""
	}
	return t[slices.Min(slices.Collect(maps.Keys(t)))]
}

// Rule is one check. A rule fires findings from exactly one detection
// method: terms (with optional nearby context), patterns, a built-in
// detector, or frames of concepts.
type Rule struct {
	ID         string   `yaml:"id"` // dotted: safety.phone-number
	Clause     string   `yaml:"clause"`
	Severity   string   `yaml:"severity"` // error|warning|advice
	Applies    Applies  `yaml:"applies"`
	Detect     Detect   `yaml:"detect"`
	Message    Text     `yaml:"message"`
	Suggestion Text     `yaml:"suggestion"`
	Examples   Examples `yaml:"examples"`
	Disabled   bool     `yaml:"disabled"`
}

// Applies restricts a rule; empty lists mean "all".
type Applies struct {
	Kinds     []string `yaml:"kinds"`     // corporate, country-office, project, personal
	Platforms []string `yaml:"platforms"` // x, mastodon, ...
}

// Detect says what a rule looks for.
type Detect struct {
	// On is what is searched: "text" (default), "reply_to" (the message a
	// draft answers), or "images" (built-in detectors only).
	On string `yaml:"on"`
	// Terms per language. Matching is on normalized text (NFC, case and
	// diacritics folded) at word boundaries; every language's terms are
	// searched whatever the post's language.
	Terms map[string][]Term `yaml:"terms"`
	// Near, when set, keeps a term match only if one of these words or
	// phrases stands within Window words of it (e.g. "praise" near a
	// government).
	Near *Near `yaml:"near"`
	// Except are phrases per language that cancel a match they overlap
	// ("draft law" cancels "draft").
	Except map[string][]string `yaml:"except"`
	// Unless names concepts that cancel a term match in their sentence: a
	// match is dropped when one of them has a span in the same sentence
	// (an incident restated from a published statement), as a frame's None
	// does. Terms only, on the text; concepts found by terms (not by a
	// built-in detector).
	Unless []string `yaml:"unless"`
	// Patterns are regular expressions (RE2), each run only around one of
	// its literal anchors.
	Patterns []Pattern `yaml:"patterns"`
	// Builtin names a detector written in Go (phone, email, iban, ...)
	// with its parameters.
	Builtin string         `yaml:"builtin"`
	Params  map[string]any `yaml:"params"`
	// Frames fire when concepts co-occur in one sentence or clause; any
	// frame of the list suffices.
	Frames []Frame `yaml:"frames"`
	// Classifier, alone or beside Terms, lets a trained model judge the
	// whole text (or reply_to).
	Classifier *Classifier `yaml:"classifier"`
}

// Classifier is a trained text classifier a rule uses. Alone, the rule
// fires when the model's score reaches Threshold. Beside terms, a term
// match stands only when the score reaches Agree (every term match stands
// when Agree is 0), and the model fires by itself at Threshold. The model
// judges only text in its own language; elsewhere the terms work alone.
type Classifier struct {
	Model     string  `yaml:"model"`     // a name in Pack.Models, or an embedded model
	Threshold float64 `yaml:"threshold"` // 0: the threshold the model file records
	Agree     float64 `yaml:"agree"`     // with terms only; below Threshold
	// Unless names concepts whose terms, found anywhere in the text, keep
	// the model from firing alone (a past marker for a movement plan); With
	// names concepts one of whose terms must be in the text for it to fire
	// alone (a verb of going, a means of transport). With both, one sentence
	// must hold a term of With and none of Unless.
	Unless []string `yaml:"unless"`
	With   []string `yaml:"with"`
	// Combine names a second model: the rule reads the geometric mean of
	// the two scores, so that it fires where both models lean the same way
	// (corpus-problem, every family against clean posts, beside a family's
	// model, which tells its family from the others).
	Combine string `yaml:"combine"`
	// Rivals, from 0 to 1, makes the rule one of the rivals: the rules
	// whose classifier sets it. Where several of them fire on their model
	// alone, a finding stands only where its model's score is at least
	// Rivals times the highest of theirs. A post plainly of one family
	// lifts corpus-problem's score, and with it every family's combined
	// score; a family model that scores a quarter of another's has not
	// read its own problem there.
	Rivals float64 `yaml:"rivals"`
}

// Term is a word or phrase; in YAML either a plain string or a mapping
// {term, alt} where alt is a respectful or neutral alternative.
type Term struct {
	Term string `yaml:"term"`
	Alt  string `yaml:"alt"`
}

// Near is context that must stand close to a term for it to count.
type Near struct {
	Terms  map[string][]string `yaml:"terms"`
	Window int                 `yaml:"window"` // in words, either side
}

// Pattern is a regular expression with the literals that must be present.
type Pattern struct {
	Anchors []string `yaml:"anchors"` // case-insensitive literals; the regex runs only near one
	Regex   string   `yaml:"regex"`
	Lang    string   `yaml:"lang"` // language of the pattern, empty for any
	// Window is how many bytes of normalized text the regex sees on each
	// side of an anchor; 0 means the engine's default (160). A short window
	// keeps a pattern that only reads a few words around its anchor cheap.
	Window int `yaml:"window"`
}

// Examples are drafts the rule must and must not fire on; `herald pack
// test` runs them.
type Examples struct {
	Fire []Example `yaml:"fire"`
	Pass []Example `yaml:"pass"`
}

// Example is a small draft; in YAML either a plain string (the text) or a
// mapping with the fields below.
type Example struct {
	Text     string   `yaml:"text"`
	Lang     string   `yaml:"lang"`
	Platform string   `yaml:"platform"`
	Kind     string   `yaml:"kind"`
	ReplyTo  string   `yaml:"reply_to"`
	Project  string   `yaml:"project"`
	Keywords []string `yaml:"keywords"`
}

// AccountRule is a check of an account's profile, done by a named check in
// internal/registry with its parameters.
type AccountRule struct {
	ID         string         `yaml:"id"` // dotted: account.branding
	Clause     string         `yaml:"clause"`
	Severity   string         `yaml:"severity"`
	Kinds      []string       `yaml:"kinds"` // corporate, country-office, project, personal; empty means all
	Check      string         `yaml:"check"`
	Params     map[string]any `yaml:"params"`
	Message    Text           `yaml:"message"`
	Suggestion Text           `yaml:"suggestion"`
}
