package connector

import (
	"html"
	"strings"
)

// htmlText turns the small HTML of a Mastodon status or bio into plain
// text: paragraphs and line breaks become newlines, other tags go, entities
// are decoded.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break // an unclosed tag: drop the rest
		}
		tag := strings.ToLower(strings.TrimLeft(s[i+1:i+j], "/ "))
		switch {
		case strings.HasPrefix(tag, "br"):
			b.WriteByte('\n')
		case strings.HasPrefix(tag, "p") && s[i+1] == '/':
			b.WriteString("\n\n")
		}
		s = s[i+j+1:]
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}
