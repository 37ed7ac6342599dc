package registry

import (
	"bufio"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"unicode"
)

// splitEmail returns the folded local part and domain of a bare address,
// or ok false when addr is not one.
func splitEmail(addr string) (local, domain string, ok bool) {
	addr = strings.TrimSpace(addr)
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr {
		return "", "", false
	}
	at := strings.LastIndexByte(addr, '@')
	local, domain = strings.ToLower(addr[:at]), strings.ToLower(addr[at+1:])
	if !strings.Contains(domain, ".") {
		return "", "", false
	}
	return local, domain, true
}

// onDomain reports whether domain is one of ds or a subdomain of one.
func onDomain(domain string, ds []string) bool {
	for _, d := range ds {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "*."))
		if d != "" && (domain == d || strings.HasSuffix(domain, "."+d)) {
			return true
		}
	}
	return false
}

// checkEmailDomain fires on an address that is malformed or neither on the
// organization's domains nor on a webmail domain (that one has its own rule).
func checkEmailDomain(c *checkContext, _ map[string]any) bool {
	if strings.TrimSpace(c.in.Email) == "" {
		return false
	}
	_, domain, ok := splitEmail(c.in.Email)
	if !ok {
		return true
	}
	return !onDomain(domain, c.pack.Organization.Domains) && !onDomain(domain, c.pack.Parameters.WebmailDomains)
}

func checkEmailWebmail(c *checkContext, _ map[string]any) bool {
	_, domain, ok := splitEmail(c.in.Email)
	return ok && onDomain(domain, c.pack.Parameters.WebmailDomains)
}

// checkEmailPersonal fires when an address on the organization's domains
// belongs to a person rather than a team (4.4(d)): it is in the staff
// directory, or it looks like first.last@, f.last@ or firstlast@ with a
// given name from params, and carries no team word.
//
// Params: team_words (words that make a mailbox a team's: comms, info,
// office, ...), given_names (first names that reveal "mariagarcia@").
func checkEmailPersonal(c *checkContext, p map[string]any) bool {
	local, domain, ok := splitEmail(c.in.Email)
	if !ok || !onDomain(domain, c.pack.Organization.Domains) {
		return false
	}
	local = strings.TrimRightFunc(local, unicode.IsDigit)
	if c.dir.has(local) {
		return true
	}
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' })
	if len(parts) == 0 {
		return false
	}
	team := map[string]bool{}
	for _, w := range stringList(p, "team_words") {
		team[compact(w)] = true
	}
	for _, n := range c.orgNames() {
		team[compact(n)] = true
	}
	for _, w := range words(c.projectName()) {
		if !stopWords[w] {
			team[w] = true
		}
	}
	for _, part := range parts {
		if team[part] {
			return false
		}
		for w := range team {
			// "kenyaoffice", "socialmediateam": a team word glued to another.
			if len(w) >= 4 && strings.Contains(part, w) {
				return false
			}
		}
	}
	for _, part := range parts {
		if !isLetters(part) {
			return false
		}
	}
	if len(parts) >= 2 {
		// first.last, f.last, first.middle.last
		return len(parts) <= 3 && len(parts[len(parts)-1]) >= 2
	}
	for _, g := range stringList(p, "given_names") {
		g = compact(g)
		if g != "" && (local == g || strings.HasPrefix(local, g) && len(local)-len(g) >= 3) {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// Directory is a staff directory: the mailbox forms of personnel names
// (mariagarcia, mgarcia, garciamaria, ...), so that a personal mailbox is
// caught whatever its separators.
type Directory struct {
	forms map[string]bool
}

// NewDirectory builds a directory from full names ("María García López",
// or "García López, María").
func NewDirectory(names []string) *Directory {
	d := &Directory{forms: map[string]bool{}}
	for _, n := range names {
		d.add(n)
	}
	return d
}

// ReadDirectory reads one full name per line; blank lines and lines that
// start with # are skipped.
func ReadDirectory(r io.Reader) (*Directory, error) {
	d := &Directory{forms: map[string]bool{}}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if !d.add(s) {
			return nil, fmt.Errorf("directory line %d: %q is not a full name", line, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	return d, nil
}

// add records the forms of one name; it needs a given name and a surname.
// "Surname, Given" says where the surname starts; otherwise every split
// of the words into given names and surnames is tried.
func (d *Directory) add(name string) bool {
	var splits [][2][]string
	if last, first, ok := strings.Cut(name, ","); ok {
		g, s := words(first), words(last)
		if len(g) == 0 || len(s) == 0 {
			return false
		}
		splits = append(splits, [2][]string{g, s})
	} else {
		ws := words(name)
		for k := 1; k < len(ws); k++ {
			splits = append(splits, [2][]string{ws[:k], ws[k:]})
		}
	}
	if len(splits) == 0 {
		return false
	}
	for _, sp := range splits {
		given, surnames := sp[0], sp[1]
		gs := append([]string{strings.Join(given, ""), string([]rune(given[0])[0])}, given...)
		ss := append([]string{strings.Join(surnames, "")}, surnames...)
		for _, g := range gs {
			for _, s := range ss {
				d.forms[g+s] = true
				d.forms[s+g] = true
			}
		}
	}
	return true
}

// has reports whether a mailbox's local part is a directory name.
func (d *Directory) has(local string) bool {
	if d == nil {
		return false
	}
	return d.forms[compact(local)]
}
