package check

import "slices"

// stopWords are frequent short words of each message language, folded.
// Words shared by two languages count for both.
var stopWords = map[string][]string{
	"en": {"the", "and", "of", "to", "is", "are", "for", "with", "our", "we", "this", "that", "in", "on", "by", "from", "will", "has", "have", "was", "it"},
	"fr": {"le", "la", "les", "des", "et", "est", "sont", "pour", "dans", "nous", "notre", "nos", "une", "du", "au", "aux", "avec", "sur", "par", "qui", "ce", "cette", "un"},
	"es": {"el", "los", "las", "y", "es", "son", "para", "con", "una", "del", "por", "que", "nuestro", "nuestra", "nuestros", "en", "al", "este", "esta", "un", "se"},
}

// stopLangs are the languages of stopWords in a fixed order: the bits of an
// ownStop owner and the counts the scan keeps (state.counts).
var stopLangs = [...]string{"en", "fr", "es"}

// langScanBytes bounds the text read to guess a language.
const langScanBytes = 4096

// language is the language of the messages: the one asked for when the
// pack has messages in it, else the one whose stop words are most frequent
// in the draft's text (counted by the scan), else the pack's first language.
func (c *Checker) language(asked string, st *state) string {
	langs := c.pack.Pack.Languages
	if slices.Contains(langs, asked) {
		return asked
	}
	def := "en"
	if len(langs) > 0 && !slices.Contains(langs, "en") {
		def = langs[0]
	}
	best, bestN := def, 0
	for k, n := range st.counts[onText] {
		if n > bestN && slices.Contains(langs, stopLangs[k]) {
			best, bestN = stopLangs[k], n
		}
	}
	return best
}

// textLanguage guesses the language of a text from its stop-word counts:
// the language with strictly the most, or "" when none leads.
func textLanguage(counts *[len(stopLangs)]int) string {
	best, n, tie := "", 0, false
	for k, c := range counts {
		switch {
		case c > n:
			best, n, tie = stopLangs[k], c, false
		case c == n && c > 0:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}
