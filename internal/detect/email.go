package detect

import (
	"strings"

	"github.com/herald-gov/herald/internal/policy"
)

// defaultFunctionalLocalParts are mailbox names that belong to a function,
// not a person (en, fr, es).
var defaultFunctionalLocalParts = []string{
	"info", "information", "informations", "contact", "contacts", "press", "media", "medias",
	"communications", "communication", "comms", "socialmedia", "social", "hello", "support",
	"office", "admin", "jobs", "careers", "recruitment", "hr", "procurement", "tenders",
	"news", "newsroom", "web", "webmaster", "postmaster", "noreply", "no-reply", "donotreply",
	"feedback", "enquiries", "inquiries", "help", "helpdesk", "service", "services", "sales",
	"events", "partnerships", "secretariat", "registry", "team", "desk", "relations", "general",
	"digital", "editor", "editors", "ethics", "investigations", "hotline", "finance",
	"prensa", "presse", "contacto", "comunicacion", "comunicación", "comunicaciones",
	"medios", "informacion", "información", "ayuda", "soporte", "empleo", "empleos",
	"oficina", "secretaria", "adquisiciones", "recrutement", "emploi", "emplois",
	"bureau", "accueil", "partenariats", "alianzas", "noticias", "actualites",
}

type emailDetector struct {
	mailboxes  map[string]bool
	functional map[string]bool
}

func newEmail(ps *params, org *policy.Organization, _ *policy.Parameters) (Detector, error) {
	parts, err := ps.strings("functional_local_parts", defaultFunctionalLocalParts)
	if err != nil {
		return nil, err
	}
	d := &emailDetector{mailboxes: map[string]bool{}, functional: map[string]bool{}}
	for _, p := range parts {
		d.functional[strings.ToLower(p)] = true
	}
	for _, m := range org.Mailboxes {
		d.mailboxes[strings.ToLower(strings.TrimSpace(m))] = true
	}
	return d, nil
}

func localByte(c byte) bool {
	return isDigit(c) || isASCIILetter(c) || strings.IndexByte("._%+-'", c) >= 0
}

func domainByte(c byte) bool {
	return isDigit(c) || isASCIILetter(c) || c == '-' || c == '.'
}

func (d *emailDetector) Detect(in *Input) []Match {
	s := in.Text
	var out []Match
	for from := 0; ; {
		at := strings.IndexByte(s[from:], '@')
		if at < 0 {
			return out
		}
		at += from
		from = at + 1
		start, end, ok := emailAround(s, at)
		if !ok {
			continue
		}
		addr := strings.ToLower(s[start:end])
		if d.mailboxes[addr] || d.isFunctional(addr[:at-start]) {
			continue
		}
		out = append(out, Match{Start: start, End: end})
		from = end
	}
}

// emailAround returns the address around the '@' at offset at. A
// fediverse handle (@user@host) and a URL's user part are not addresses.
func emailAround(s string, at int) (start, end int, ok bool) {
	start = at
	for start > 0 && localByte(s[start-1]) {
		start--
	}
	for start < at && (s[start] == '.' || s[start] == '\'' || s[start] == '-') {
		start++
	}
	if start == at || s[at-1] == '.' || start > 0 && (s[start-1] == '@' || s[start-1] == '/') {
		return 0, 0, false
	}
	end = at + 1
	for end < len(s) && domainByte(s[end]) {
		end++
	}
	for end > at+1 && (s[end-1] == '.' || s[end-1] == '-') {
		end--
	}
	domain := s[at+1 : end]
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || strings.Contains(domain, "..") || len(domain)-dot-1 < 2 {
		return 0, 0, false
	}
	for _, c := range []byte(domain[dot+1:]) {
		if !isASCIILetter(c) {
			return 0, 0, false
		}
	}
	if isWordRune(runeAfter(s, end)) {
		return 0, 0, false
	}
	return start, end, true
}

// isFunctional reports a local part made only of functional words
// ("press", "media.relations", "prensa-oficina").
func (d *emailDetector) isFunctional(local string) bool {
	if d.functional[local] {
		return true
	}
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '-' || r == '_' || r == '+' })
	for _, p := range parts {
		if !d.functional[p] {
			return false
		}
	}
	return len(parts) > 0
}
