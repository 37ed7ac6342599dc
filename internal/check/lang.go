package check

import "slices"

// stopWords are frequent short words of each message language, folded.
// Words shared by two languages count for both.
var stopWords = map[string][]string{
	"en": {"the", "and", "of", "to", "is", "are", "for", "with", "our", "we", "this", "that", "in", "on", "by", "from", "will", "has", "have", "was", "it"},
	"fr": {"le", "la", "les", "des", "et", "est", "sont", "pour", "dans", "nous", "notre", "nos", "une", "du", "au", "aux", "avec", "sur", "par", "qui", "ce", "cette", "un"},
	"es": {"el", "los", "las", "y", "es", "son", "para", "con", "una", "del", "por", "que", "nuestro", "nuestra", "nuestros", "en", "al", "este", "esta", "un", "se"},
}

// stopLangs are the languages of stopWords, in the order of stopCounts.
var stopLangs = [...]string{"en", "fr", "es"}

// stopKeys maps each stop word, packed into a uint64 (none is longer than
// 8 bytes), to the languages it belongs to, one bit each in the order of
// stopLangs: a cheaper look-up than by string, done for every word of
// nearly every post.
var stopKeys = func() map[uint64]uint8 {
	m := map[uint64]uint8{}
	for k, lang := range stopLangs {
		for _, w := range stopWords[lang] {
			if len(w) > 8 {
				panic("stop word longer than 8 bytes: " + w)
			}
			m[packWord([]byte(w))] |= 1 << k
		}
	}
	return m
}()

func packWord(w []byte) uint64 {
	var k uint64
	for _, c := range w {
		k = k<<8 | uint64(c)
	}
	return k
}

// langScanBytes bounds the text read to guess a language.
const langScanBytes = 4096

// stopCounts counts the stop words of each language of stopLangs in the
// folded text t (its first langScanBytes).
func stopCounts(t []byte) (counts [len(stopLangs)]int) {
	t = t[:min(len(t), langScanBytes)]
	for i := 0; i < len(t); {
		if !wordAt(t, i) {
			i++
			continue
		}
		j := wordEnd(t, i)
		if j-i <= 8 {
			if bits := stopKeys[packWord(t[i:j])]; bits != 0 {
				for k := range counts {
					counts[k] += int(bits >> k & 1)
				}
			}
		}
		i = j
	}
	return counts
}

// textCounts are the stop-word counts of the draft's text, counted once a
// check: the model rules and the messages' language both read them. The
// text must be in st.norm.
func (st *state) textCounts() *[len(stopLangs)]int {
	if !st.counted {
		st.counts, st.counted = stopCounts(st.norm.text), true
	}
	return &st.counts
}

// language is the language of the messages: the one asked for when the
// pack has messages in it, else the one whose stop words are most frequent
// in the draft's text, else the pack's first language.
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
	for k, n := range st.textCounts() {
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
