package check

import "slices"

// stopWords are frequent short words of each message language, folded.
// Words shared by two languages count for both.
var stopWords = map[string][]string{
	"en": {"the", "and", "of", "to", "is", "are", "for", "with", "our", "we", "this", "that", "in", "on", "by", "from", "will", "has", "have", "was", "it"},
	"fr": {"le", "la", "les", "des", "et", "est", "sont", "pour", "dans", "nous", "notre", "nos", "une", "du", "au", "aux", "avec", "sur", "par", "qui", "ce", "cette", "un"},
	"es": {"el", "los", "las", "y", "es", "son", "para", "con", "una", "del", "por", "que", "nuestro", "nuestra", "nuestros", "en", "al", "este", "esta", "un", "se"},
}

// stopIndex maps a stop word to the languages it belongs to.
var stopIndex = func() map[string][]string {
	m := map[string][]string{}
	for lang, words := range stopWords {
		for _, w := range words {
			m[w] = append(m[w], lang)
		}
	}
	return m
}()

// maxStopWord is the length in bytes of the longest stop word.
var maxStopWord = func() int {
	n := 0
	for w := range stopIndex {
		n = max(n, len(w))
	}
	return n
}()

// langScanBytes bounds the text read to guess a language.
const langScanBytes = 4096

// language is the language of the messages: the one asked for when the
// pack has messages in it, else the one whose stop words are most frequent
// in the normalized text, else the pack's first language.
func (c *Checker) language(asked string, t []byte) string {
	langs := c.pack.Pack.Languages
	if slices.Contains(langs, asked) {
		return asked
	}
	def := "en"
	if len(langs) > 0 && !slices.Contains(langs, "en") {
		def = langs[0]
	}
	t = t[:min(len(t), langScanBytes)]
	var counts [3]int
	names := [3]string{"en", "fr", "es"}
	for i := 0; i < len(t); {
		if !wordAt(t, i) {
			i++
			continue
		}
		j := wordEnd(t, i)
		if j-i <= maxStopWord { // spares the map look-up of longer words
			for _, lang := range stopIndex[string(t[i:j])] {
				counts[slices.Index(names[:], lang)]++
			}
		}
		i = j
	}
	best, bestN := def, 0
	for k, n := range counts {
		if n > bestN && slices.Contains(langs, names[k]) {
			best, bestN = names[k], n
		}
	}
	return best
}
