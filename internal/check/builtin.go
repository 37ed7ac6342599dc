package check

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The built-in concept detectors read the tokens of the normalized text
// (lower case, no accents) and, for capital letters, the text as given.
// Each is one walk over the tokens and emits spans of normalized text.

type span struct{ start, end int }

// words of the built-in detectors, folded.
var (
	months = setOf(`january february march april may june july august september october november december
		jan feb mar apr jun jul aug sep sept oct nov dec
		janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
		enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre`)
	clockUnits  = setOf(`am pm h hrs hr heures heure horas hora`)
	ageUnits    = setOf(`ans an years year yrs yo anos ano`)
	articles    = setOf(`the le el la`)
	numberSigns = setOf(`no n nº nr number numero num #`)
	// numberWords are the numbers 1 to 17 written out (ages, hours).
	numberWords = func() map[string]int {
		m := map[string]int{}
		for _, l := range []string{
			"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen",
			"un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept",
			"uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete",
		} {
			for i, w := range strings.Fields(l) {
				m[w] = i + 1
			}
		}
		m["une"], m["una"] = 1, 1
		return m
	}()
)

// age returns token k's value when it is a number up to 110, or a number
// word up to seventeen.
func (x *tokens) age(k int) (int, bool) {
	if n, ok := x.number(k, 3); ok && n <= 110 {
		return n, true
	}
	n, ok := numberWords[x.text(k)]
	return n, ok
}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	w := ""
	for _, r := range s + " " {
		if r == ' ' || r == '\n' || r == '\t' {
			if w != "" {
				m[w] = true
			}
			w = ""
			continue
		}
		w += string(r)
	}
	return m
}

// tokenizer views over st.toks.
type tokens struct {
	t    []byte
	toks []token
	src  string
	off  []int32
}

func (x *tokens) text(k int) string {
	if k < 0 || k >= len(x.toks) {
		return ""
	}
	return string(x.t[x.toks[k].start:x.toks[k].end])
}

// is reports whether token k is the word or mark w.
func (x *tokens) is(k int, w string) bool {
	if k < 0 || k >= len(x.toks) {
		return false
	}
	tk := x.toks[k]
	return int(tk.end-tk.start) == len(w) && string(x.t[tk.start:tk.end]) == w
}

// adjacent reports whether tokens k and k+1 touch (no space between).
func (x *tokens) adjacent(k int) bool {
	return k >= 0 && k+1 < len(x.toks) && x.toks[k].end == x.toks[k+1].start
}

// number returns token k's value when it is 1 to maxDigits digits.
func (x *tokens) number(k, maxDigits int) (int, bool) {
	if k < 0 || k >= len(x.toks) || !x.toks[k].word {
		return 0, false
	}
	w := x.t[x.toks[k].start:x.toks[k].end]
	if len(w) == 0 || len(w) > maxDigits {
		return 0, false
	}
	n := 0
	for _, c := range w {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// upper reports whether token k starts with a capital letter as written.
func (x *tokens) upper(k int) bool {
	r, _ := utf8.DecodeRuneInString(x.src[x.off[x.toks[k].start]:])
	return unicode.IsUpper(r)
}

// allUpper reports whether every letter of token k is a capital as written.
func (x *tokens) allUpper(k int) bool {
	tk := x.toks[k]
	s := x.src[x.off[tk.start]:x.off[tk.end]]
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

func (x *tokens) same(k, j int) bool {
	return j < len(x.toks) && x.toks[j].sent == x.toks[k].sent
}

func (x *tokens) span(a, b int) span { return span{int(x.toks[a].start), int(x.toks[b].end)} }

// digitsSuffix splits a word like "18h45" or "6am" into its leading
// number and the rest.
func digitsSuffix(w string) (int, int, string) {
	n, i := 0, 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		n = n*10 + int(w[i]-'0')
		i++
	}
	return n, i, w[i:]
}

// clocks finds clock times: 06:00, 6:30 pm, 6am, 6 pm, 6h, 6 h 30, 18h45,
// 0600 hrs, 0600h, 6.30pm, "a las 6".
func clocks(x *tokens, emit func(span)) {
	for k := 0; k < len(x.toks); k++ {
		if !x.toks[k].word {
			continue
		}
		w := x.text(k)
		n, nd, rest := digitsSuffix(w)
		if nd == 0 {
			if (w == "las" || w == "la") && x.is(k-1, "a") {
				h, ok := x.number(k+1, 2)
				if !ok {
					h, ok = numberWords[x.text(k+1)]
				}
				if ok && h >= 1 && h <= 12 && x.same(k, k+1) {
					emit(x.span(k-1, k+1))
					k++
				}
				continue
			}
			// "six heures", "seven o'clock"
			if h, ok := numberWords[w]; ok && h <= 12 {
				if u := x.text(k + 1); u == "heures" || u == "heure" {
					emit(x.span(k, k+1))
					k++
				} else if u == "o" && x.is(k+2, "'") && x.is(k+3, "clock") {
					emit(x.span(k, k+3))
					k += 3
				}
			}
			continue
		}
		end := -1
		switch {
		case rest == "" && nd <= 2 && n <= 24:
			switch {
			case (x.is(k+1, ":") || x.is(k+1, ".")) && x.adjacent(k) && x.adjacent(k+1):
				m, md, suf := digitsSuffix(x.text(k + 2))
				if md == 2 && m < 60 && (suf == "" || suf == "am" || suf == "pm" || suf == "h" || suf == "hrs") {
					if x.is(k+1, ".") && suf == "" && !clockUnits[x.text(k+3)] {
						continue // 3.50 is a decimal
					}
					end = k + 2
					if clockUnits[x.text(k+3)] {
						end = k + 3
					}
				}
			case clockUnits[x.text(k+1)] && x.same(k, k+1):
				end = k + 1
				if x.is(k+1, "h") {
					if m, ok := x.number(k+2, 2); ok && m < 60 {
						end = k + 2
					}
				}
			case (x.is(k+1, "a") || x.is(k+1, "p")) && x.is(k+2, ".") && x.is(k+3, "m"):
				end = k + 3
			}
		case rest == "" && nd == 4 && n/100 < 24 && n%100 < 60:
			if u := x.text(k + 1); u == "hrs" || u == "hr" || u == "hours" || u == "h" {
				end = k + 1
			}
		case nd <= 2 && n <= 24 && (rest == "am" || rest == "pm" || rest == "h" || rest == "hrs"):
			end = k
		case nd <= 2 && n <= 24 && len(rest) == 3 && rest[0] == 'h' && rest[1] >= '0' && rest[1] <= '5' && rest[2] >= '0' && rest[2] <= '9':
			end = k
		case nd == 4 && n/100 < 24 && n%100 < 60 && (rest == "h" || rest == "hrs"):
			end = k
		}
		if end >= 0 {
			emit(x.span(k, end))
			k = end
		}
	}
}

// ordinal returns the day of "14th", "1st", "1er", "1ro".
func ordinal(w string) (int, bool) {
	n, nd, rest := digitsSuffix(w)
	if nd == 0 || nd > 2 || n < 1 || n > 31 {
		return 0, false
	}
	switch rest {
	case "st", "nd", "rd", "th", "er", "re", "ro", "o":
		return n, true
	}
	return 0, false
}

// dates finds dates: 12 March, March 12, 12 de marzo, 1er mars, 12/03,
// 12/03/2026, 2026-03-12, 12.03.2026, "the 14th".
func dates(x *tokens, emit func(span)) {
	day := func(k int) bool {
		if n, ok := x.number(k, 2); ok && n >= 1 && n <= 31 {
			return true
		}
		_, ok := ordinal(x.text(k))
		return ok
	}
	for k := 0; k < len(x.toks); k++ {
		if !x.toks[k].word {
			continue
		}
		w := x.text(k)
		switch {
		case day(k):
			j := k + 1
			if x.is(j, "de") || x.is(j, "of") {
				j++
			}
			if months[x.text(j)] && x.same(k, j) {
				emit(x.span(k, j))
				k = j
				continue
			}
			if sep := x.text(k + 1); (sep == "/" || sep == "." || sep == "-") && x.adjacent(k) && x.adjacent(k+1) {
				if m, ok := x.number(k+2, 2); ok && m >= 1 && m <= 31 {
					three := x.is(k+3, sep) && x.adjacent(k+2) && x.adjacent(k+3)
					if three {
						if _, ok := x.number(k+4, 4); ok {
							emit(x.span(k, k+4))
							k += 4
							continue
						}
					}
					if sep == "/" && !three && !(x.text(k) == "24" && m == 7) {
						emit(x.span(k, k+2))
						k += 2
						continue
					}
				}
			}
			if _, ok := ordinal(w); ok && articles[x.text(k-1)] {
				emit(x.span(k-1, k))
			}
		case months[w]:
			if day(k+1) && x.same(k, k+1) && w != "may" && w != "mar" || (w == "may" || w == "mar") && day(k+1) && x.upper(k) {
				emit(x.span(k, k+1))
				k++
			}
		default:
			if n, ok := x.number(k, 4); ok && n >= 1900 && len(w) == 4 && x.is(k+1, "-") && x.adjacent(k) && x.adjacent(k+1) {
				if _, ok := x.number(k+2, 2); ok && x.is(k+3, "-") && x.adjacent(k+2) && x.adjacent(k+3) {
					if _, ok := x.number(k+4, 2); ok {
						emit(x.span(k, k+4))
						k += 4
					}
				}
			}
		}
	}
}

// pastYears finds years from 1900 to the one before now: "in 2023", "the
// 2024 attack", "de 2003". A year in a range ("2023-2026", "2023/24") is
// left out: the range may run to now.
func pastYears(x *tokens, now int, emit func(span)) {
	for k := range x.toks {
		if n, ok := x.number(k, 4); !ok || n < 1900 || n >= now || x.toks[k].end-x.toks[k].start != 4 {
			continue
		}
		if x.adjacent(k) && rangeMark(x.text(k+1)) || x.adjacent(k-1) && rangeMark(x.text(k-1)) {
			continue
		}
		emit(x.span(k, k))
	}
}

func rangeMark(s string) bool { return s == "-" || s == "/" || s == "–" }

// people finds a person described by first name and age: "Grace, 10",
// "Paul, 7 ans", "Sofía, de 6 años", "Grace (10)", and ages: "10-year-old",
// "10 years old", "aged 10", "âgée de 10 ans", "10 años de edad".
func people(x *tokens, emit func(span)) {
	for k := 0; k < len(x.toks); k++ {
		if !x.toks[k].word {
			continue
		}
		w := x.text(k)
		if _, ok := x.age(k); ok {
			switch {
			case x.is(k+1, "-") && x.is(k+2, "year") && x.is(k+3, "-") && x.is(k+4, "old"):
				emit(x.span(k, k+4))
				k += 4
				continue
			case (x.is(k+1, "years") || x.is(k+1, "year")) && x.is(k+2, "old"):
				emit(x.span(k, k+2))
				k += 2
				continue
			case x.is(k+1, "anos") && x.is(k+2, "de") && x.is(k+3, "edad"):
				emit(x.span(k, k+3))
				k += 3
				continue
			}
		}
		if w == "aged" || w == "agee" || w == "age" || w == "ages" || w == "agees" {
			j := k + 1
			if w != "aged" && x.is(j, "de") {
				j++
			}
			if n, ok := x.number(j, 3); ok && n <= 110 && (w == "aged" || x.is(j+1, "ans")) {
				end := j
				if x.is(j+1, "ans") {
					end = j + 1
				}
				emit(x.span(k, end))
				k = end
				continue
			}
		}
		// "she's 10", "he's 7"
		if (w == "she" || w == "he") && x.is(k+1, "'") && x.is(k+2, "s") {
			if n, ok := x.age(k + 3); ok && n <= 17 {
				emit(x.span(k, k+3))
				k += 3
				continue
			}
		}
		// First name, then ", 10", " (10)", " is 10", " a 10 ans", " tiene 10 años".
		if len(w) < 2 || !x.upper(k) || !letters(w) {
			continue
		}
		if v := x.text(k + 1); v == "is" || v == "a" || v == "tiene" {
			if n, ok := x.age(k + 2); ok && n <= 17 {
				unit := x.text(k + 3)
				if (v == "is" && (unit == "" || unit == "." || unit == "," || unit == "and" || unit == "now" || unit == "years" || !x.same(k, k+3))) ||
					(v == "a" && unit == "ans") || (v == "tiene" && unit == "anos") {
					end := k + 2
					if unit == "ans" || unit == "anos" || unit == "years" {
						end = k + 3
					}
					emit(x.span(k, end))
					k = end
					continue
				}
			}
		}
		// "(Amina 6, Idris 4)"
		if x.is(k-1, "(") || x.is(k-1, ",") {
			if n, ok := x.number(k+1, 2); ok && n <= 17 {
				end := k + 1
				if ageUnits[x.text(k+2)] {
					end = k + 2
				}
				if x.is(end+1, ",") || x.is(end+1, ")") {
					emit(x.span(k, end))
					k = end
					continue
				}
			}
		}
		j := k + 1
		paren := x.is(j, "(")
		if !paren && !(x.is(j, ",") && x.adjacent(k)) {
			continue
		}
		j++
		if x.is(j, "de") || x.is(j, "aged") {
			j++
		}
		if _, ok := x.age(j); !ok {
			continue
		}
		end := j
		switch next := x.text(j + 1); {
		case ageUnits[next]:
			end = j + 1
		case paren && next == ")":
			end = j + 1
		case next == "," || next == "." || next == ";" || next == "!" || next == ")" || next == "" || !x.same(j, j+1):
		default:
			continue // "Juba, 40 schools"
		}
		emit(x.span(k, end))
		k = end
	}
}

func letters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// numbered extends a term to the number or identifier that follows it
// ("tent 14", "block C", "shelter B-12", "room no. 5", "flight KQ 310",
// "RN4"), or reports false when none does.
func numbered(x *tokens, h hit) (int, bool) {
	// A prefix term already reaching into digits: "rn4", "n1".
	for i := h.start + 1; i < h.end; i++ {
		if c := x.t[i]; c >= '0' && c <= '9' {
			return h.end, true
		}
	}
	k := 0
	for lo, hi := 0, len(x.toks); lo < hi; {
		m := (lo + hi) / 2
		if int(x.toks[m].start) < h.end {
			lo = m + 1
		} else {
			hi = m
		}
		k = lo
	}
	if k >= len(x.toks) || x.toks[k].sent != x.toks[max(0, k-1)].sent {
		return 0, false
	}
	for step := 0; step < 3 && k < len(x.toks) && (numberSigns[x.text(k)] || x.is(k, ".") || x.is(k, "°")); step++ {
		k++
	}
	if k >= len(x.toks) || !x.toks[k].word {
		return 0, false
	}
	w := x.text(k)
	if n, ok := x.number(k, 5); ok {
		if len(w) == 4 && n >= 1950 && n <= 2100 {
			return 0, false // a year: "sector 2026"
		}
		return int(x.toks[k].end), true
	}
	switch {
	case len(w) == 1 && x.upper(k):
		if x.is(k+1, "-") && x.adjacent(k) && x.adjacent(k+1) {
			if _, ok := x.number(k+2, 5); ok {
				return int(x.toks[k+2].end), true
			}
		}
		return int(x.toks[k].end), true
	case len(w) <= 3 && letters(w) && x.allUpper(k):
		if _, ok := x.number(k+1, 5); ok && x.same(k, k+1) {
			return int(x.toks[k+1].end), true
		}
	case len(w) <= 8 && hasDigit(w) && !letters(w):
		if _, ok := ordinal(w); !ok {
			return int(x.toks[k].end), true
		}
	}
	return 0, false
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return true
		}
	}
	return false
}

// coordinates finds GPS-like pairs of decimal degrees: "-1.6789, 29.2345".
func coordinates(x *tokens, emit func(span)) {
	dec := func(k int) (int, bool) { // a decimal with 3+ decimals starting at token k (after an optional minus)
		s := k
		if x.is(k, "-") && x.adjacent(k) {
			k++
		}
		if n, ok := x.number(k, 3); ok && n <= 180 && x.is(k+1, ".") && x.adjacent(k) && x.adjacent(k+1) {
			if _, ok := x.number(k+2, 8); ok && len(x.text(k+2)) >= 3 {
				return k + 2, true
			}
		}
		_ = s
		return 0, false
	}
	for k := 0; k < len(x.toks); k++ {
		e, ok := dec(k)
		if !ok {
			continue
		}
		j := e + 1
		if x.is(j, ",") || x.is(j, ";") || x.is(j, "/") {
			j++
		}
		if e2, ok := dec(j); ok && x.same(k, j) {
			emit(x.span(k, e2))
			k = e2
			continue
		}
		k = e
	}
}

// placePrepositions introduce a place ("to Juba", "à Bunia", "hacia Mopti").
var (
	placePrepositions = setOf(`to in at from for via into towards toward near a au aux en de vers depuis pour hacia desde para por cerca entre`)
	notPlaces         = setOf(`monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche
		lunes martes miercoles jueves viernes sabado domingo i the`)
)

// namedPlaces finds a capitalized word after a preposition of place, a
// place name the gazetteer may not hold ("leave for Mahagi").
func namedPlaces(x *tokens, emit func(span)) {
	for k := 1; k < len(x.toks); k++ {
		tk := x.toks[k]
		if !tk.word || !placePrepositions[x.text(k-1)] || x.toks[k-1].sent != tk.sent || !x.upper(k) {
			continue
		}
		w := x.text(k)
		if months[w] || notPlaces[w] || !letters(w) || len(w) < 3 {
			continue
		}
		emit(x.span(k, k))
	}
}
