package check

import (
	"strings"

	"github.com/herald-gov/herald/internal/policy"
)

// pick returns t in lang, else in the pack's first language that has it.
func pick(t policy.Text, lang string, langs []string) string {
	if s := t[lang]; s != "" {
		return s
	}
	for _, l := range langs {
		if s := t[l]; s != "" {
			return s
		}
	}
	return ""
}

// fill replaces the placeholders of a message: {term} the matched text as
// written, {alt} the term's alternative, {detail} the detector's detail,
// {parts} the parts of a frame ("a movement (leaves) and a time (06:00)"),
// {org} the organization's short name. Other braces stay as they are.
func (c *Checker) fill(msg, term, alt, detail string) string {
	i := strings.IndexByte(msg, '{')
	if i < 0 {
		return msg
	}
	var b strings.Builder
	b.Grow(len(msg) + len(term) + len(alt) + len(detail))
	for i >= 0 {
		b.WriteString(msg[:i])
		msg = msg[i:]
		var val string
		n := 0
		switch {
		case strings.HasPrefix(msg, "{term}"):
			val, n = term, len("{term}")
		case strings.HasPrefix(msg, "{alt}"):
			val, n = alt, len("{alt}")
		case strings.HasPrefix(msg, "{detail}"):
			val, n = detail, len("{detail}")
		case strings.HasPrefix(msg, "{parts}"):
			val, n = detail, len("{parts}")
		case strings.HasPrefix(msg, "{org}"):
			val, n = c.pack.Organization.Name, len("{org}")
		default:
			val, n = "{", 1
		}
		b.WriteString(val)
		msg = msg[n:]
		i = strings.IndexByte(msg, '{')
	}
	b.WriteString(msg)
	return b.String()
}
