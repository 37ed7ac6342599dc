package registry

import (
	"strings"
	"unicode"
)

// containsName reports whether text carries name, tolerant of case, accents
// and separators: "UNOPS_es", "UNOPS-Kenya", "#UNOPS" and "UNOPSKenya" all
// carry "UNOPS".
func containsName(text, name string) bool {
	tw, nw := words(text), words(name)
	if len(nw) == 0 || len(tw) == 0 {
		return false
	}
	if hasSequence(tw, nw) {
		return true
	}
	// A name glued to another word ("UNOPSKenya", "#UnitedNationsOPS") is
	// accepted only when long enough not to turn up by chance.
	cn := strings.Join(nw, "")
	if len(nw) == 1 && len(cn) >= 4 {
		for _, t := range tw {
			if strings.HasPrefix(t, cn) || strings.HasSuffix(t, cn) {
				return true
			}
		}
		return false
	}
	return len(cn) >= 8 && strings.Contains(strings.Join(tw, ""), cn)
}

// hasSequence reports whether seq appears in tokens as consecutive items.
func hasSequence(tokens, seq []string) bool {
	for i := 0; i+len(seq) <= len(tokens); i++ {
		match := true
		for j := range seq {
			if tokens[i+j] != seq[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// containsAnyName reports whether text carries one of names.
func containsAnyName(text string, names []string) bool {
	for _, n := range names {
		if containsName(text, n) {
			return true
		}
	}
	return false
}

// containsProject reports whether a display name carries a project's name:
// the name itself, all its significant words in any order, its initials
// ("Juba Bridges Programme" → "JBP"), or one of the abbreviations given.
// generic are words such as "programme" that a display name may leave out.
func containsProject(display, project string, generic map[string]bool, abbreviations []string) bool {
	if containsName(display, project) || containsAnyName(display, abbreviations) {
		return true
	}
	tw := words(display)
	have := map[string]bool{}
	for _, t := range tw {
		have[stem(t)] = true
	}
	all := words(project)
	var significant []string
	for _, w := range all {
		if !stopWords[w] && !generic[w] {
			significant = append(significant, w)
		}
	}
	if len(significant) > 0 {
		every := true
		for _, w := range significant {
			if !have[stem(w)] {
				every = false
				break
			}
		}
		if every {
			return true
		}
	}
	for _, ini := range projectInitials(all) {
		for _, t := range tw {
			if t == ini {
				return true
			}
		}
	}
	return false
}

// projectInitials lists the acronyms a project name is commonly shortened to:
// the initials of every word, and of the words that are not stop words.
// Acronyms of fewer than two letters would match by chance and are left out.
func projectInitials(ws []string) []string {
	var every, content strings.Builder
	for _, w := range ws {
		r := []rune(w)[0]
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		every.WriteRune(r)
		if !stopWords[w] {
			content.WriteRune(r)
		}
	}
	var out []string
	for _, s := range []string{every.String(), content.String()} {
		if len([]rune(s)) >= 2 && (len(out) == 0 || out[0] != s) {
			out = append(out, s)
		}
	}
	return out
}

// stem strips a plural ending so "bridges" meets "bridge", "escuelas"
// "escuela" and "ecoles" "ecole"; it is deliberately crude.
func stem(w string) string {
	if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}
