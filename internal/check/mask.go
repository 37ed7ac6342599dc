package check

import (
	"cmp"
	"slices"
	"strings"

	"github.com/herald-gov/herald/internal/detect"
	"github.com/herald-gov/herald/internal/model"
)

// personalData are the built-in detectors whose matches are personal data.
var personalData = []string{"phone", "email", "coordinates", "street-address", "iban", "payment-card", "national-id"}

// MaskPersonal returns text with what the pack's personal-data detectors
// find (phone numbers, e-mail addresses, positions, street addresses, bank
// and card numbers, national ids) replaced by the detector's name in
// brackets, "[phone]", and every @mention replaced by "@user", whatever
// the rules' account kinds: for review history leaving the database as
// training data.
func (c *Checker) MaskPersonal(text string) string {
	d := model.Draft{Text: text, Account: model.DraftAccount{Kind: model.KindPersonal}}
	in := detect.Input{Text: text, Draft: &d, Org: &c.pack.Organization, Params: &c.pack.Parameters, Now: c.now()}
	type span struct {
		start, end int
		name       string
	}
	var spans []span
	for i := range c.rules {
		r := &c.rules[i]
		if r.det == nil || r.on != onText || !slices.Contains(personalData, r.Detect.Builtin) {
			continue
		}
		for _, m := range r.det.Detect(&in) {
			if m.Start >= 0 && m.Start < m.End && m.End <= len(text) {
				spans = append(spans, span{m.Start, m.End, r.Detect.Builtin})
			}
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end)) })
	var b strings.Builder
	at := 0
	for _, s := range spans {
		if s.start < at {
			continue // inside a span already masked
		}
		b.WriteString(maskMentions(text[at:s.start]))
		b.WriteString("[" + s.name + "]")
		at = s.end
	}
	b.WriteString(maskMentions(text[at:]))
	return b.String()
}

// maskMentions replaces @handles (and Mastodon's @user@domain) by "@user".
func maskMentions(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '@' || (i > 0 && isHandleByte(s[i-1])) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i + 1
		for j < len(s) && (isHandleByte(s[j]) || s[j] == '.' && j+1 < len(s) && isHandleByte(s[j+1]) || s[j] == '@' && j+1 < len(s) && isHandleByte(s[j+1])) {
			j++
		}
		if j == i+1 {
			b.WriteByte('@')
			i++
			continue
		}
		b.WriteString("@user")
		i = j
	}
	return b.String()
}

func isHandleByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
