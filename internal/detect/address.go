package detect

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/policy"
)

// Street-type words, folded (lower case, no accents).
var (
	// enStreetTypes follow the street's name: "221B Baker Street".
	enStreetTypes = wordSet(`street st str road rd avenue ave boulevard blvd lane ln drive dr way
		close crescent place pl square sq terrace highway hwy parkway pkwy mews grove`)
	// leadStreetTypes come before the name, in French, Spanish and the
	// plot numbers of East Africa: "12 rue de la Paix", "Calle Mayor 5".
	leadStreetTypes = wordSet(`rue avenue av ave bd boulevard bld chemin allee impasse place quai
		route cours passage square ruelle calle c avenida avda carrera cra kr paseo plaza camino
		carretera ronda travesia transversal diagonal callejon bulevar pasaje glorieta via plot
		rua ul`)
	// unitWords name a dwelling or a mailbox when a number follows:
	// "Apt. 5", "Suite 727", "P.O. Box 211", "B.P. 1234", "Apartado 10".
	unitWords = wordSet(`apt apartment appt appartement apto depto suite box bp apartado casilla`)
	// streetSuffixes end one-word street names in Germanic and Nordic
	// languages: "Marmorvej 51", "Brixtonlaan 380".
	streetSuffixes = []string{"vej", "gade", "vænget", "straße", "strasse", "straat", "gasse", "weg",
		"laan", "gata", "gatan", "vagen", "vägen", "gränd", "veien", "allee", "platz", "plein",
		"katu", "kuja", "tie"}
	// nameConnectors may stand inside a street's name.
	nameConnectors = wordSet(`de del la las los el du des le les d l y e di da do dos das van von der`)
	// measureWords after a number make it a quantity, not a house number.
	measureWords = wordSet(`hours hour horas heures minutes minutos km people personas personnes
		days dias jours years anos ans times veces fois percent`)
	// yearPrepositions before a year-like number make it a year.
	yearPrepositions = wordSet(`in since by from until of en desde depuis hasta jusqu`)
	accentFolder     = strings.NewReplacer("á", "a", "à", "a", "â", "a", "ä", "a", "é", "e", "è", "e",
		"ê", "e", "ë", "e", "í", "i", "î", "i", "ï", "i", "ó", "o", "ô", "o", "ö", "o", "ú", "u",
		"ù", "u", "û", "u", "ü", "u", "ñ", "n", "ç", "c")
)

// streetWords joins every word that may make a number an address.
var streetWords = func() map[string]bool {
	m := map[string]bool{"strasse": true, "straße": true}
	for _, set := range []map[string]bool{enStreetTypes, leadStreetTypes, unitWords} {
		for w := range set {
			m[w] = true
		}
	}
	return m
}()

func fold(w string) string { return accentFolder.Replace(strings.ToLower(w)) }

type streetAddressDetector struct{}

func newStreetAddress(*params, *policy.Organization, *policy.Parameters) (Detector, error) {
	return streetAddressDetector{}, nil
}

// token is a word, a number (with an optional letter: 221B) or one
// punctuation byte.
type token struct {
	start, end int
	kind       byte // 'w' word, 'n' number, 'p' punctuation
	text       string
}

func (t token) capitalized() bool {
	r, _ := utf8.DecodeRuneInString(t.text)
	return t.kind == 'w' && unicode.IsUpper(r)
}

// tokenize splits s[lo:hi] into tokens; spaces separate, a newline is
// punctuation (an address line break ends a name).
func tokenize(s string, lo, hi int) []token {
	var out []token
	for i := lo; i < hi; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ' || r == '\t' || r == '\u00a0':
			i += size
		case unicode.IsDigit(r):
			j := i
			for j < hi && isDigit(s[j]) {
				j++
			}
			if j == i { // a non-ASCII digit
				j = i + size
			}
			if j < hi && isASCIILetter(s[j]) && (j+1 >= hi || !isWordRune(runeAfter(s, j+1))) {
				j++
			}
			out = append(out, token{i, j, 'n', s[i:j]})
			i = j
		case unicode.IsLetter(r):
			j := i + size
			for j < hi {
				r, size := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r) || (r == '-' || r == '\'' || r == '’') && j+size < hi && unicode.IsLetter(runeAfter(s, j+size)) {
					j += size
					continue
				}
				break
			}
			out = append(out, token{i, j, 'w', s[i:j]})
			i = j
		default:
			out = append(out, token{i, i + size, 'p', s[i : i+size]})
			i += size
		}
	}
	return out
}

func (streetAddressDetector) Detect(in *Input) []Match {
	s := in.Text
	if countDigits(s, 1) == 0 || !hasStreetWord(s) {
		return nil
	}
	var out []Match
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i > 5 || !numberStart(s, i) {
			i = j
			continue
		}
		lo, hi := max(0, i-80), min(len(s), j+80)
		for lo > 0 && !utf8.RuneStart(s[lo]) {
			lo--
		}
		toks := tokenize(s, lo, hi)
		k := 0
		for k < len(toks) && toks[k].start != i {
			k++
		}
		if k == len(toks) || toks[k].kind != 'n' {
			i = j
			continue
		}
		if m, ok := addressAround(s, toks, k); ok {
			if len(out) == 0 || m.Start >= out[len(out)-1].End {
				out = append(out, m)
			}
			i = max(j, m.End)
			continue
		}
		i = j
	}
	return out
}

// addressAround judges the house number toks[k].
func addressAround(s string, toks []token, k int) (Match, bool) {
	num := toks[k]
	if isWordRune(runeAfter(s, num.end)) {
		return Match{}, false
	}
	if k > 0 && toks[k-1].text == "Plot" {
		return Match{Start: toks[k-1].start, End: num.end}, true
	}
	if start, ok := unitBefore(toks, k); ok {
		return Match{Start: start, End: num.end}, true
	}
	if end, ok := numberFirst(toks, k); ok {
		if isYear(num.text) && k > 0 && yearPrepositions[fold(toks[k-1].text)] {
			return Match{}, false
		}
		return Match{Start: num.start, End: end}, true
	}
	if k+1 < len(toks) && measureWords[fold(toks[k+1].text)] {
		return Match{}, false
	}
	if start, ok := nameFirst(toks, k); ok {
		return Match{Start: start, End: num.end}, true
	}
	return Match{}, false
}

// numberFirst reads "221B Baker Street" or "12, rue de la Paix" after the
// number toks[k] and returns the end of the address.
func numberFirst(toks []token, k int) (int, bool) {
	j := k + 1
	if j < len(toks) && toks[j].text == "," {
		j++
	}
	if j+1 < len(toks) && toks[j].kind == 'w' && leadStreetTypes[fold(toks[j].text)] && fold(toks[j].text) != "plot" {
		if end, ok := streetName(toks, j+1); ok {
			return end, true
		}
	}
	// English: one to three capitalized words, then the street type.
	j = k + 1
	for n := 0; n < 3 && j < len(toks) && toks[j].capitalized(); n++ {
		j++
		if j < len(toks) && toks[j].kind == 'w' && enStreetTypes[fold(toks[j].text)] {
			end := toks[j].end
			if j+1 < len(toks) && toks[j+1].text == "." && toks[j+1].start == end {
				end++
			}
			return end, true
		}
	}
	return 0, false
}

// streetName reads a name after a leading street type: capitalized words
// and connectors, ending on a capitalized word.
func streetName(toks []token, j int) (int, bool) {
	end := 0
	for n := 0; n < 6 && j < len(toks) && toks[j].kind == 'w'; n++ {
		t := toks[j]
		if t.capitalized() && !nameConnectors[fold(t.text)] || n > 0 && t.capitalized() {
			end = t.end
		} else if !nameConnectors[fold(strings.TrimRight(t.text, "'’"))] && !strings.ContainsAny(t.text, "'’") {
			break
		}
		j++
	}
	return end, end > 0
}

// nameFirst reads "Calle Mayor 5", "Avenida de la Constitución, nº 12",
// "Carrera 7 # 45", "Villacher Strasse 89" or "Marmorvej 51" before the
// number toks[k] and returns where the address starts.
func nameFirst(toks []token, k int) (int, bool) {
	j := k - 1
	// "nº", "no.", "n°", "#", "núm." before the number
	if j >= 0 && (toks[j].text == "#" || toks[j].text == "°" || toks[j].text == "º" || toks[j].text == ".") {
		j--
	}
	if j >= 0 && toks[j].kind == 'w' {
		switch f := fold(toks[j].text); {
		case f == "nº" || f == "no" || f == "num" || f == "numero", f == "n" && j < k-1:
			j--
		}
	}
	if j >= 0 && toks[j].text == "," {
		j--
	}
	if j < 0 {
		return 0, false
	}
	// Colombian: "Calle 26 # 13-19", "Carrera 7 No. 45".
	if toks[j].kind == 'n' && j < k-1 && j > 0 && leadStreetTypes[fold(toks[j-1].text)] {
		return toks[j-1].start, true
	}
	if toks[j].kind != 'w' {
		return 0, false
	}
	last := fold(toks[j].text)
	if toks[j].capitalized() {
		for _, suf := range streetSuffixes {
			if strings.HasSuffix(last, suf) && len(last) > len(suf)+2 {
				return toks[j].start, true
			}
		}
	}
	if last == "strasse" || last == "straße" || last == "str" || last == "weg" || last == "gasse" || last == "allee" {
		if j > 0 && toks[j-1].capitalized() {
			return toks[j-1].start, true
		}
	}
	// Walk back over the name to its leading type word.
	named := false
	for n := 0; n < 6 && j >= 0 && toks[j].kind == 'w'; n++ {
		f := fold(toks[j].text)
		if leadStreetTypes[f] && named && (toks[j].capitalized() || f != "c") {
			return toks[j].start, true
		}
		if toks[j].capitalized() {
			named = true
		} else if !nameConnectors[f] {
			return 0, false
		}
		j--
	}
	return 0, false
}

// unitBefore reads "Apt. 5", "Suite 727", "P.O. Box 211" or "B.P. 12"
// before the number toks[k] and returns where it starts.
func unitBefore(toks []token, k int) (int, bool) {
	j := k - 1
	if j >= 0 && (toks[j].text == "." || toks[j].text == "#") {
		j--
	}
	if j < 0 || toks[j].kind != 'w' || !unitWords[fold(toks[j].text)] {
		return 0, false
	}
	start := toks[j].start
	// "P.O. Box", "PO Box": the box needs its post office.
	if fold(toks[j].text) == "box" {
		i := j - 1
		for i >= 0 && (toks[i].text == "." || fold(toks[i].text) == "o" || fold(toks[i].text) == "p" || fold(toks[i].text) == "po") {
			i--
		}
		if i == j-1 {
			return 0, false
		}
		start = toks[i+1].start
	}
	if fold(toks[j].text) == "bp" && toks[j].text != "BP" {
		return 0, false
	}
	return start, true
}

// hasStreetWord reports whether any word of s could make a number an
// address: a street type, a unit word or a street-name suffix. It spares
// the token windows in the common case of a post without one.
func hasStreetWord(s string) bool {
	var buf [64]byte
	letterAt := func(i int) (bool, int) {
		if c := s[i]; c < utf8.RuneSelf {
			return isASCIILetter(c), 1
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		return unicode.IsLetter(r), size
	}
	for i := 0; i < len(s); {
		ok, size := letterAt(i)
		if !ok {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			ok, size := letterAt(j)
			if !ok {
				break
			}
			j += size
		}
		w := s[i:j]
		i = j
		if len(w) > 40 {
			continue
		}
		f := foldInto(buf[:0], w)
		if streetWords[string(f)] {
			return true
		}
		if first, _ := utf8.DecodeRuneInString(w); len(f) < 6 || !unicode.IsUpper(first) {
			continue
		}
		for _, suf := range streetSuffixes {
			if len(f) > len(suf)+2 && bytes.HasSuffix(f, []byte(suf)) {
				return true
			}
		}
	}
	return false
}

// foldInto appends fold(w) to b without allocating (for short words): each
// rune lower-cased, then the accents accentFolder knows removed.
func foldInto(b []byte, w string) []byte {
	for i := 0; i < len(w); {
		if c := w[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		i += size
		b = utf8.AppendRune(b, unaccent(unicode.ToLower(r)))
	}
	return b
}

// unaccent is accentFolder for one lower-case rune.
func unaccent(r rune) rune {
	switch r {
	case 'á', 'à', 'â', 'ä':
		return 'a'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'í', 'î', 'ï':
		return 'i'
	case 'ó', 'ô', 'ö':
		return 'o'
	case 'ú', 'ù', 'û', 'ü':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	}
	return r
}
