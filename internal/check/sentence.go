package check

import (
	"strings"
	"unicode/utf8"
)

// token is a word or a punctuation mark of the normalized text, with the
// sentence and clause it belongs to and, for a word, its index.
type token struct {
	start, end   int32
	word         bool
	sent, clause int32
	wi           int32 // index of this word, or of the next word for punctuation
}

// abbreviations end in a full stop that does not end a sentence (folded).
var abbreviations = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`mr mrs ms dr prof st mt no nos nr vs etc approx dept gen col lt capt sgt
		gov sen rep jr sr inc ltd co corp ave av blvd rd fig vol ed pp mme mlle mgr me dre sra srta sres ud uds
		dna lic ing arq tel ref art cf env ca min max jan feb febr apr aug sept oct nov dec janv fevr avr juil
		ene abr ago dic num art pres excl tfn`) {
		m[w] = true
	}
	return m
}()

// Sentences returns the sentences of text, each as written, split as the
// frames split them (tokenize). Training reads it to teach the models
// short texts: a clean post's sentences are clean.
func Sentences(text string) []string {
	st, spans := sentenceSpans(text)
	out := make([]string, len(spans))
	for i, sp := range spans {
		os, oe := st.norm.span(sp[0], sp[1])
		out[i] = text[os:oe]
	}
	return out
}

// sentenceSpans normalizes and tokenizes text, and returns the state and
// each sentence's [start, end) in the normalized text.
func sentenceSpans(text string) (*state, [][2]int) {
	st := new(state)
	st.norm.normalize(text)
	st.tokenize(text)
	var out [][2]int
	cur := int32(-1)
	for _, tk := range st.toks {
		if tk.sent != cur {
			out = append(out, [2]int{int(tk.start), int(tk.end)})
			cur = tk.sent
		}
		out[len(out)-1][1] = int(tk.end)
	}
	return st, out
}

// tokenize splits st.norm.text into tokens, sentences and clauses. src is
// the text as given, read for line breaks. A sentence ends at ". ", "! ",
// "? ", "… " or a line break, but not after an abbreviation or an initial
// ("Dr. Mwangi", "J. Smith", "p.m. today"); decimals, times and URLs hold
// no ". " so they never split. A clause also ends at "; ", ": " and a
// dash between spaces.
func (st *state) tokenize(src string) {
	t := st.norm.text
	off := st.norm.off
	toks := st.toks[:0]
	var sent, clause, wi int32
	brk := 0 // what the previous token asked for: 1 a new clause, 2 a new sentence
	for i := 0; i < len(t); {
		c := t[i]
		if c == ' ' {
			if strings.IndexByte(src[off[i]:off[i+1]], '\n') >= 0 {
				brk = 2
			}
			i++
			continue
		}
		switch brk {
		case 2:
			sent++
			clause++
		case 1:
			clause++
		}
		brk = 0
		if wordAt(t, i) {
			j := wordEnd(t, i)
			toks = append(toks, token{start: int32(i), end: int32(j), word: true, sent: sent, clause: clause, wi: wi})
			wi++
			i = j
			continue
		}
		r, size := utf8.DecodeRune(t[i:])
		j := i + size
		toks = append(toks, token{start: int32(i), end: int32(j), sent: sent, clause: clause, wi: wi})
		spaced := j == len(t) || t[j] == ' '
		switch {
		case !spaced && r != '|' && r != '•':
		case r == '!' || r == '?' || r == '…' || r == '|' || r == '•':
			brk = 2
		case r == '.':
			if !abbreviationBefore(t, toks) {
				brk = 2
			}
		case r == ';' || r == ':' || r == '—' || r == '–':
			brk = 1
		case r == '-' && i > 0 && t[i-1] == ' ':
			brk = 1
		}
		i = j
	}
	st.toks = toks
}

// abbreviationBefore reports whether the full stop that is the last token
// closes an abbreviation or an initial.
func abbreviationBefore(t []byte, toks []token) bool {
	if len(toks) < 2 {
		return false
	}
	w := toks[len(toks)-2]
	if !w.word || w.end != toks[len(toks)-1].start {
		return false
	}
	word := t[w.start:w.end]
	if len(word) == 1 {
		return word[0] < '0' || word[0] > '9'
	}
	return len(word) <= 5 && abbreviations[string(word)]
}

// tokenAt returns the index of the first token starting at or after p.
func (st *state) tokenAt(p int) int {
	lo, hi := 0, len(st.toks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(st.toks[m].start) < p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
