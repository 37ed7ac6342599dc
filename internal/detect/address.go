package detect

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/policy"
)

// Street-type words, folded (lower case, no accents).
var (
	// enStreetTypes follow the street's name: "221B Baker Street".
	enStreetTypes = wordSet(`street st str road rd avenue ave boulevard blvd lane ln drive dr way
		close crescent place pl square sq terrace highway hwy parkway pkwy mews grove loop trail trl
		turnpike tpke pike expressway expy freeway fwy bypass causeway alley aly circle cir`)
	// houseSuffixes follow a house number in French addresses: "12 bis".
	houseSuffixes = wordSet(`bis ter quater`)
	// unitsAfter name a unit only after an address ("12 Main St, Unit 5",
	// "Calle Luna 9, piso 3"): alone, "Unit 5" or "Floor 2" is anything.
	unitsAfter = wordSet(`unit flat floor fl ste room rm piso planta etage bureau oficina local porte
		puerta`)
	// leadStreetTypes come before the name, in French, Spanish, Italian,
	// Portuguese, Polish and the plot numbers of East Africa: "12 rue de la
	// Paix", "Calle Mayor 5", "Piazza Navona 3", "Praça da Sé 10".
	leadStreetTypes = wordSet(`rue avenue av ave bd boulevard bld chemin allee impasse place quai
		route cours passage square ruelle voie calle c avenida avda carrera cra kr paseo plaza camino
		carretera ronda travesia transversal diagonal callejon bulevar pasaje glorieta jiron via plot
		rua travessa praca alameda estrada rodovia viale piazza piazzale corso vicolo strada ul aleja
		plac`)
	// unitWords name a dwelling or a mailbox when a number follows:
	// "Apt. 5", "Suite 727", "P.O. Box 211", "B.P. 1234", "Apartado 10",
	// "Postfach 12".
	unitWords = wordSet(`apt apartment appt appartement apto depto suite box bp apartado casilla
		postfach postbus postboks`)
	// streetSuffixes end one-word street names in Germanic and Nordic
	// languages: "Marmorvej 51", "Brixtonlaan 380".
	streetSuffixes = []string{"vej", "gade", "vænget", "straße", "strasse", "straat", "gasse", "weg",
		"laan", "gata", "gatan", "vagen", "vägen", "gränd", "veien", "allee", "platz", "plein",
		"katu", "kuja", "tie", "gracht", "kade", "dijk", "singel", "steeg", "damm", "ufer", "chaussee"}
	// nameConnectors may stand inside a street's name.
	nameConnectors = wordSet(`de del la las los el du des le les d l y e di da do dos das van von der`)
	// measureWords after a number make it a quantity, not a house number.
	measureWords = wordSet(`hours hour horas heures minutes minutos km people personas personnes
		days dias jours years anos ans times veces fois percent weeks semanas semaines months
		meses mois am pm h hrs`)
	// militaryPostOffices and militaryAreas write a US forces address's
	// last line: "APO AE 09123", "FPO AP 96601".
	militaryPostOffices = wordSet(`APO FPO DPO`)
	militaryAreas       = wordSet(`AA AE AP`)
	// addressNouns announce an address a few words ahead, even across a
	// question ("What is your address? It is ..."): "address:", "esquina de".
	addressNouns = wordSet(`address addresses addr adresse adresses direccion direcciones domicilio
		domicile residence residencia corner esquina intersection junction angle carrefour cruce`)
	// addressVerbs announce an address when a preposition follows them:
	// "lives at", "moved to", "vit à", "vive en", "send it to".
	// Only the verbs of one person's message: reports of deliveries ("sent
	// to Kakuma 2") name camps and sites, not homes.
	addressVerbs = wordSet(`live lives lived living reside resides resided residing stay stays staying
		move moved moving meet send ship deliver mail return stop drop habite habitent habitait vit
		vivent demeure envoyez envoyer livrer retrouve rejoins vive viven vivo vivimos vivia
		enviar envie envia entregar mude mudo mudamos`)
	// addressPrepositions lead from an address verb to the address.
	addressPrepositions = wordSet(`at to in on a au aux en al chez`)
	// notStreetNames are capitalized words that a number follows without
	// making an address: venues inside a building, documents, versions,
	// months and weekdays ("Saturday 14 March").
	notStreetNames = wordSet(`gate booth stand hall room terminal platform table stage level floor
		page chapter section article goal phase step part week day year grade class team group
		version episode season covid sdg figure item line bus flight seat lot tent block sector camp zone
		site area ward district region unit exit km kilometre kilometer mile pavilion pavillon pabellon
		hangar warehouse entrepot almacen dock berth pier track
		january february march april may june july august september october november december
		janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
		enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
		monday tuesday wednesday thursday friday saturday sunday
		lundi mardi mercredi jeudi vendredi samedi dimanche
		lunes martes miercoles jueves viernes sabado domingo`)
	// afterHouseNumber are the lower-case words that may follow a house
	// number; any other lower-case word makes the number a count ("Juba 3
	// trucks").
	afterHouseNumber = wordSet(`in at on near by for from to and or if when since until is was
		which where please then en a au et ou y o de del du pour para por cerca pres`)
	// stopWords are never read as names in a text written all in lower
	// case, where capitals tell nothing.
	stopWords = wordSet(`the a an of at in on to and or is it me my we you us our your for with near
		by from this that there here le la les un une des et ou est au aux el los las un una y o es en
		mi su con por para que`)
	// yearPrepositions before a year-like number make it a year.
	yearPrepositions = wordSet(`in since by from until of en desde depuis hasta jusqu`)
	accentFolder     = strings.NewReplacer("á", "a", "à", "a", "â", "a", "ä", "a", "é", "e", "è", "e",
		"ê", "e", "ë", "e", "í", "i", "î", "i", "ï", "i", "ó", "o", "ô", "o", "ö", "o", "ú", "u",
		"ù", "u", "û", "u", "ü", "u", "ñ", "n", "ç", "c")
)

// streetWords joins every word that may make a number an address.
var streetWords = func() map[string]bool {
	m := map[string]bool{"strasse": true, "straße": true, "apo": true, "fpo": true, "dpo": true}
	for _, set := range []map[string]bool{enStreetTypes, leadStreetTypes, unitWords, addressNouns, addressVerbs} {
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
	name       bool // may stand in a name: capitalized, or any word but a stop word in a text without capitals
}

func (t token) capitalized() bool { return t.name }

// tokenize splits s[lo:hi] into tokens; spaces separate, a newline is
// punctuation (an address line break ends a name).
func tokenize(s string, lo, hi int) []token { return tokenizeInto(nil, s, lo, hi) }

// tokenizeInto appends the tokens of s[lo:hi] to out. In a stretch written
// all in lower case ("meet me at 2407 tawastintie 6"), capitals tell
// nothing, so every word but a stop word may stand in a name.
func tokenizeInto(out []token, s string, lo, hi int) []token {
	caseless := true
	for i := lo; i < hi && caseless; {
		if c := s[i]; c < utf8.RuneSelf {
			caseless = c < 'A' || c > 'Z'
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		caseless = !unicode.IsUpper(r)
		i += size
	}
	for i := lo; i < hi; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ' || r == '\t' || r == '\u00a0' || r == '\r':
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
			out = append(out, token{start: i, end: j, kind: 'n', text: s[i:j]})
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
			t := token{start: i, end: j, kind: 'w', text: s[i:j]}
			t.name = unicode.IsUpper(r) || caseless && len(t.text) > 1 && !stopWords[fold(t.text)]
			out = append(out, t)
			i = j
		default:
			out = append(out, token{start: i, end: i + size, kind: 'p', text: s[i : i+size]})
			i += size
		}
	}
	return out
}

func (streetAddressDetector) Detect(in *Input) []Match {
	return findAddresses(in.Text)
}

// findAddresses returns the street addresses of s, each from its first
// number or name to its last line that carries a unit or a postal code.
func findAddresses(s string) []Match {
	if countDigits(s, 1) == 0 || !hasStreetWord(s) {
		return nil
	}
	var out []Match
	var toks []token
	winLo, winHi := len(s), 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i > 5 || !numberStart(s, i) && !unicode.In(runeBefore(s, i), unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) {
			i = j
			continue
		}
		// The tokens of a window from 100 bytes before the number to at
		// least 160 after, tokenized once for the numbers it covers.
		if lo, hi := max(0, i-100), min(len(s), j+160); lo < winLo || hi > winHi {
			for lo > 0 && !utf8.RuneStart(s[lo]) {
				lo--
			}
			winLo, winHi = lo, max(hi, min(len(s), lo+addressWindow))
			toks = tokenizeInto(toks[:0], s, winLo, winHi)
		}
		k := tokenAt(toks, i)
		if k == len(toks) || toks[k].start != i || toks[k].kind != 'n' {
			i = j
			continue
		}
		if m, ok := addressAround(s, toks, k); ok {
			m = extendAddress(toks, m)
			if n := len(out); n > 0 && m.Start < out[n-1].End {
				out[n-1].Start = min(out[n-1].Start, m.Start)
				out[n-1].End = max(out[n-1].End, m.End)
			} else {
				out = append(out, m)
			}
			i = max(j, m.End)
			continue
		}
		i = j
	}
	return out
}

// addressWindow is how many bytes findAddresses tokenizes at once: each
// number reads tokens up to 160 bytes ahead, so a window serves the
// numbers of its first 3.9 KB and the text is tokenized about once.
const addressWindow = 4096

// tokenAt returns the index of the first token starting at or after i.
func tokenAt(toks []token, i int) int {
	return sort.Search(len(toks), func(x int) bool { return toks[x].start >= i })
}

// addressAround judges the house number toks[k].
func addressAround(s string, toks []token, k int) (Match, bool) {
	num := toks[k]
	if m, ok := eastAsian(toks, k); ok {
		return m, true
	}
	if isWordRune(runeAfter(s, num.end)) {
		return Match{}, false
	}
	if m, ok := japaneseRomanized(toks, k); ok {
		return m, true
	}
	if k > 0 && toks[k-1].text == "Plot" {
		return Match{Start: toks[k-1].start, End: num.end}, true
	}
	if start, ok := military(toks, k); ok {
		return Match{Start: start, End: num.end}, true
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
	if !houseNumberEnds(s, toks, k) {
		return Match{}, false
	}
	if start, ok := nameFirst(toks, k); ok {
		return Match{Start: start, End: num.end}, true
	}
	if start, ok := announcedName(toks, k); ok {
		return Match{Start: start, End: num.end}, true
	}
	return Match{}, false
}

// East Asian addresses run from the largest area to the house, without
// spaces in Chinese and Japanese: "北京市朝阳区建国路88号", "東京都千代田区霞が関1丁目2番3号",
// "東京都渋谷区神南1-2-3", "서울특별시 종로구 세종대로 209".
var (
	// cjkAddressRunes are the characters that let the pre-scan look further.
	cjkAddressRunes = "号號丁番路街道巷弄区區町市県縣省길로"
	// cjkStrongMarks after a number make it a dwelling's: chōme, lot number.
	cjkStrongMarks = []string{"丁目", "番地", "번지"}
	// cjkStreetEnds end the name of a street or road.
	cjkStreetEnds = []string{"大道", "胡同", "路", "街", "巷", "弄", "通り", "대로", "길"}
	// cjkAreaMarks end a prefecture, ward, city or town's name.
	cjkAreaMarks = "都府県縣区區市町村省"
	// cjkBuildings may follow 号 in a building's or a room's number.
	cjkBuildings = []string{"", "院", "楼", "樓", "室", "栋", "棟", "館", "馆"}
)

// eastAsian reads a Chinese, Japanese or Korean address whose house
// number is toks[k] and returns it from its first area to its last mark.
func eastAsian(toks []token, k int) (Match, bool) {
	glued := func(a, b int) bool { return a >= 0 && b < len(toks) && toks[a].end == toks[b].start }
	startFrom := func(j int) int { // back over the glued name before toks[j]
		for n := 0; n < 8 && j > 0 && glued(j-1, j) && (toks[j-1].kind == 'w' && hasCJK(toks[j-1].text) || toks[j-1].kind == 'n' || toks[j-1].text == "-"); n++ {
			j--
		}
		return j
	}
	endFrom := func(j int) int { // on over numbers and marks glued after toks[j]
		for n := 0; n < 8 && glued(j, j+1) && (toks[j+1].kind == 'n' || toks[j+1].text == "-" || toks[j+1].kind == 'w' && mark(toks[j+1].text)); n++ {
			j++
		}
		if toks[j].text == "-" {
			j--
		}
		return j
	}
	prev := -1
	if k > 0 && toks[k-1].kind == 'w' && hasCJK(toks[k-1].text) && (glued(k-1, k) || toks[k-1].end+1 == toks[k].start) {
		prev = k - 1
	}
	next := ""
	if glued(k, k+1) && toks[k+1].kind == 'w' {
		next = toks[k+1].text
	}
	switch {
	case hasAnyPrefix(next, cjkStrongMarks): // 1丁目, 12番地, 123번지
	case prev >= 0 && (hasAnySuffix(toks[prev].text, cjkStreetEnds) || koreanRoad(toks, prev)) &&
		(next == "" || mark(next) || koreanParticle(next)) && !isYear(toks[k].text):
		// 建国路88号, 세종대로 209, 강남구 테헤란로 152
	case prev >= 0 && glued(prev, k) && strings.ContainsAny(toks[prev].text, cjkAreaMarks) &&
		(mark(next) || k+2 < len(toks) && toks[k+1].text == "-" && glued(k, k+1) && toks[k+2].kind == 'n' && glued(k+1, k+2)):
		// 霞が関1番, 渋谷区神南1-2-3: an area, then a mark or numbers joined by dashes
	default:
		return Match{}, false
	}
	start := k
	if prev >= 0 {
		start = startFrom(prev)
	}
	last := toks[endFrom(k)]
	end := last.end
	if rest, ok := strings.CutPrefix(last.text, "号"); ok && !hasAnyPrefix(rest, cjkBuildings[1:]) {
		end = last.start + len("号") // not the words glued after: 3号に住んでいます
	} else if rest, ok := strings.CutPrefix(last.text, "號"); ok && !hasAnyPrefix(rest, cjkBuildings[1:]) {
		end = last.start + len("號")
	}
	return Match{Start: toks[start].start, End: end}, true
}

// koreanRoad reports a road ending in 로 after its district ("강남구
// 테헤란로"): alone, 로 is also the particle "by, to".
func koreanRoad(toks []token, i int) bool {
	return strings.HasSuffix(toks[i].text, "로") && i > 0 && toks[i-1].kind == 'w' &&
		hasAnySuffix(toks[i-1].text, []string{"구", "시", "군"})
}

// mark reports the words that may follow a number in an East Asian
// address: 丁目, 番地, 번지, 番, or 号 alone or with a building or room.
func mark(w string) bool {
	if hasAnyPrefix(w, cjkStrongMarks) || w == "番" {
		return true
	}
	rest, ok := strings.CutPrefix(w, "号")
	if !ok {
		rest, ok = strings.CutPrefix(w, "號")
	}
	if !ok {
		return false
	}
	// 号 alone, before a building or room (号院, 号楼), or before kana
	// (号に住んでいます), but not as in 3号线, a line.
	r, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || hasAnyPrefix(rest, cjkBuildings[1:]) || !unicode.Is(unicode.Han, r)
}

// koreanParticle reports a particle glued after a house number: "209에".
func koreanParticle(w string) bool {
	return hasAnyPrefix(w, []string{"에", "번지", "입니다", "이에요", "예요"})
}

func hasCJK(w string) bool {
	for _, r := range w {
		if r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(w string, ps []string) bool {
	for _, p := range ps {
		if w != "" && strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

func hasAnySuffix(w string, ss []string) bool {
	for _, x := range ss {
		if strings.HasSuffix(w, x) {
			return true
		}
	}
	return false
}

// jpWards end a romanized Japanese ward, city, town or district, after a
// dash: "Chiyoda-ku", "Kita-machi", "Nishi-gun"; chome stands alone too.
var jpWards = wordSet(`ku shi cho machi gun chome`)

// jpWard reports a folded word that is a romanized ward or a chōme.
func jpWard(f string) bool {
	if f == "chome" {
		return true
	}
	i := strings.LastIndexByte(f, '-')
	return i > 0 && jpWards[f[i+1:]]
}

// japaneseRomanized reads "1-2-3 Kasumigaseki, Chiyoda-ku" or "3-chome
// 2-1 Ginza": block numbers joined by dashes from toks[k], then within a
// few words a ward, city or chōme.
func japaneseRomanized(toks []token, k int) (Match, bool) {
	// Block numbers are short: "2019-2020 Minato-ku" is a time span.
	dashed := func(j int, kind byte) bool {
		return j+2 < len(toks) && len(toks[j].text) <= 3 && toks[j+1].text == "-" && toks[j+1].start == toks[j].end &&
			toks[j+2].kind == kind && toks[j+2].start == toks[j+1].end && (kind == 'w' || len(toks[j+2].text) <= 3)
	}
	if dashed(k, 'w') && fold(toks[k+2].text) == "chome" { // "3-chome"
		return Match{Start: toks[k].start, End: toks[k+2].end}, true
	}
	j := k
	for n := 0; n < 2 && dashed(j, 'n'); n++ {
		j += 2
	}
	if j == k {
		return Match{}, false
	}
	for i := j + 1; i < len(toks) && i <= j+5; i++ {
		t := toks[i]
		if t.kind == 'w' && jpWard(fold(t.text)) {
			return Match{Start: toks[k].start, End: t.end}, true
		}
		if t.kind == 'w' && !t.capitalized() || t.text == "\n" {
			break
		}
	}
	return Match{}, false
}

// houseNumberEnds reports whether what follows the number toks[k] lets it
// be a house number after a street's name: not a unit of measure, a time,
// a percentage, nor a count of things ("Juba 3 trucks").
func houseNumberEnds(s string, toks []token, k int) bool {
	if next := runeAfter(s, toks[k].end); next == ':' || next == '%' || next == '/' {
		return false
	}
	// A day: "el camino de Kalehe el 24 de noviembre", "on 24 November".
	if k > 0 && dayArticles[fold(toks[k-1].text)] {
		j := k + 1
		if j < len(toks) && fold(toks[j].text) == "de" {
			j++
		}
		if j < len(toks) && monthWords[fold(toks[j].text)] {
			return false
		}
	}
	if k+1 < len(toks) && toks[k+1].kind == 'w' {
		f := fold(toks[k+1].text)
		if measureWords[f] {
			return false
		}
		r, _ := utf8.DecodeRuneInString(toks[k+1].text)
		if !unicode.IsUpper(r) && !afterHouseNumber[f] && !unitWords[f] && toks[k+1].start-toks[k].end < 2 {
			return false
		}
	}
	return true
}

// dayArticles before a number and a month make it a day of the month.
var dayArticles = wordSet(`el le on the du del au`)

// military reads a US forces address ending in the number toks[k]: "PSC
// 3117, Box 0609 / APO AA 44332", "USNS Mercy / FPO AP 96601", and returns
// where its first line starts.
func military(toks []token, k int) (int, bool) {
	if k < 2 || len(toks[k].text) != 5 || !militaryAreas[toks[k-1].text] || !militaryPostOffices[toks[k-2].text] {
		return 0, false
	}
	start := toks[k-2].start
	j := k - 3
	for j >= 0 && toks[j].text == "," {
		j--
	}
	if j < 0 || toks[j].text != "\n" {
		return start, true
	}
	// The line above: its capitalized words, numbers and commas.
	for j--; j >= 0 && k-j < 10 && (toks[j].kind == 'n' || toks[j].capitalized() || toks[j].text == ","); j-- {
		if toks[j].text != "," {
			start = toks[j].start
		}
	}
	return start, true
}

// announcedName reads a street's name without a street type before the
// number toks[k] ("Kuusiku 7", "Dunajska 56", "Aasa 43"), which alone
// could be anything numbered; it takes it for an address only when words
// before announce one ("lives at", "address:", "the corner of") or lines
// after complete one (a unit, or a postal code within three lines).
func announcedName(toks []token, k int) (int, bool) {
	j := k - 1
	if j < 0 || toks[j].kind != 'w' || !toks[j].capitalized() || notStreetName(toks[j].text) {
		return 0, false
	}
	// A year is not a house number, nor a group of a longer code ("GB82
	// WEST 1234 5698").
	if isYear(toks[k].text) || k+1 < len(toks) && toks[k+1].kind == 'n' || j > 0 && toks[j-1].kind == 'n' && toks[j-1].end < toks[j].start && j > 1 && toks[j-2].kind == 'w' && toks[j-2].end == toks[j-1].start {
		return 0, false
	}
	start := j
	for n := 0; n < 3 && start > 0; n++ {
		t := toks[start-1]
		if t.kind != 'w' || !t.capitalized() && !nameConnectors[fold(t.text)] {
			break
		}
		start--
	}
	for start < j && !toks[start].capitalized() { // a name does not start with "de"
		start++
	}
	if addressAnnounced(toks, start) || addressCompleted(toks, k+1) {
		return toks[start].start, true
	}
	return 0, false
}

// notStreetName reports a word of notStreetNames, singular or plural.
func notStreetName(w string) bool {
	f := fold(w)
	return notStreetNames[f] || len(f) > 3 && f[len(f)-1] == 's' && notStreetNames[f[:len(f)-1]]
}

// addressAnnounced looks back from toks[i] for an address noun within
// eight tokens, or an address verb with a preposition between it and the
// address, not across a paragraph or a sentence's end ("… la dirección
// regional de salud. A 3.700 m, …": "dirección" is also a directorate).
func addressAnnounced(toks []token, i int) bool {
	prep := false
	for j := i - 1; j >= 0 && i-j <= 8; j-- {
		t := toks[j]
		if t.text == "\n" && j > 0 && toks[j-1].text == "\n" || sentenceEnd(toks, j) {
			return false
		}
		if t.kind != 'w' {
			continue
		}
		f := fold(t.text)
		if addressNouns[f] || prep && addressVerbs[f] {
			return true
		}
		if addressPrepositions[f] {
			prep = true
		}
	}
	return false
}

// sentenceEnd reports whether toks[j] ends a sentence: a full stop, '!'
// or '?' after a lower-case word of four letters or more, so that an
// abbreviation ("Av.", "No.", "St.") does not end one, and before a
// capital ("What is your address? it is 5638 Aasa 43" goes on).
func sentenceEnd(toks []token, j int) bool {
	if t := toks[j].text; t != "." && t != "!" && t != "?" || j == 0 || j+1 == len(toks) {
		return false
	}
	w, next := toks[j-1], toks[j+1]
	if w.kind != 'w' || utf8.RuneCountInString(w.text) < 4 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w.text)
	n, _ := utf8.DecodeRuneInString(next.text)
	return unicode.IsLower(r) && unicode.IsUpper(n)
}

// addressCompleted reports whether the segments from toks[i] on complete
// an address: a unit right away, or a postal code within three segments.
func addressCompleted(toks []token, i int) bool {
	for n, seg := 0, i; n < 3; n++ {
		kind, end := addressSegment(toks, seg, n == 0, false)
		if kind == 'u' || kind == 'z' {
			return true
		}
		if kind != 'c' {
			return false
		}
		seg = end
	}
	return false
}

// extendAddress widens an address match over a building number written
// before it on the same line ("3654 Brixtonlaan 380") and over the lines
// or comma-separated parts after it, up to the last one that carries a
// unit or a postal code ("..., Suite 727, Charleroi, Belgium 42940").
func extendAddress(toks []token, m Match) Match {
	first, last := tokenAt(toks, m.Start), tokenAt(toks, m.End)-1
	if first == len(toks) || toks[first].start != m.Start || last < 0 || toks[last].end != m.End {
		return m
	}
	if first > 0 && toks[first-1].kind == 'n' && len(toks[first-1].text) <= 6 &&
		toks[first-1].end < toks[first].start && (first < 2 || toks[first-2].kind == 'p' || toks[first-2].kind == 'w' && toks[first-2].end < toks[first-1].start) {
		m.Start = toks[first-1].start
	}
	if corner(toks, first) {
		last = secondStreet(toks, last)
		m.End = toks[last].end
	}
	seg := last + 1
	for n := 0; n < 6; n++ {
		kind, end := addressSegment(toks, seg, n == 0, true)
		if kind == 0 {
			break
		}
		if kind == 'u' || kind == 'z' {
			e := end - 1
			if toks[e].text == "." && e > 0 && len(toks[e-1].text) > 4 { // a full stop, not an abbreviation's dot
				e--
			}
			m.End = toks[e].end
		}
		seg = end
	}
	return m
}

// corner reports an intersection announced before toks[i]: "the corner of",
// "l'angle de", "la esquina de", "the junction of".
func corner(toks []token, i int) bool {
	for j := i - 1; j >= 0 && i-j <= 3; j-- {
		switch fold(toks[j].text) {
		case "corner", "angle", "esquina", "intersection", "junction", "carrefour", "cruce":
			return true
		}
	}
	return false
}

// secondStreet returns the last token of the street that crosses the one
// ending at toks[last] ("... and Inna Loop St.", "... y Calle 5"), or
// last when none follows.
func secondStreet(toks []token, last int) int {
	j := last + 1
	if j+1 < len(toks) && toks[j].kind == 'w' && enStreetTypes[fold(toks[j].text)] {
		last, j = j, j+1
	}
	if j < len(toks) && toks[j].text == "." {
		j++
	}
	if j >= len(toks) || !(toks[j].text == "&" || toks[j].kind == 'w' && (fold(toks[j].text) == "and" || fold(toks[j].text) == "et" || fold(toks[j].text) == "y")) {
		return last
	}
	end := last
	for j++; j < len(toks) && j-last < 8; j++ {
		t := toks[j]
		if t.kind == 'n' || t.capitalized() || t.kind == 'w' && nameConnectors[fold(t.text)] {
			if t.kind != 'w' || t.capitalized() {
				end = j
			}
			continue
		}
		if t.text == "." && toks[end].end == t.start && enStreetTypes[fold(toks[end].text)] && len(toks[end].text) <= 4 {
			end = j
		}
		break
	}
	return end
}

// addressSegment reads one part of an address from toks[i]: after
// separators (commas, line breaks, the '>' of a quoted mail; or nothing
// when glued is set and a unit follows), up to the next separator. It
// returns the part's kind: 'u' a unit ("Apt. 8"), 'z' a part with a postal
// code ("75116 Paris", "Belgium 42940", "CO 70079"), 'c' a place of
// capitalized words ("Charleroi", "GE"), or 0 for anything else, and the
// index after the part.
func addressSegment(toks []token, i int, glued, years bool) (byte, int) {
	j, breaks := i, 0
	for j < len(toks) && (toks[j].text == "," || toks[j].text == "\n" || toks[j].text == ">") {
		if toks[j].text == "\n" {
			breaks++
		}
		j++
	}
	if breaks > 1 || j == i && !glued || j >= len(toks) {
		return 0, i
	}
	start := j
	var words, numbers, zips, floors int
	for ; j < len(toks) && j-start < 7; j++ {
		t := toks[j]
		if t.text == "," || t.text == "\n" || t.text == ">" {
			break
		}
		switch {
		case t.kind == 'n':
			numbers++
			if n := len(t.text); n >= 3 && n <= 6 && (years || !isYear(t.text)) {
				zips++
			}
		case t.kind == 'w' && (t.capitalized() || nameConnectors[fold(t.text)]):
			words++
		case t.text == "º" || t.text == "ª" || t.text == "°":
			floors++
		case t.text == "." || t.text == "-" || t.text == "#" || t.text == "(" || t.text == ")":
		case t.kind == 'w' && (unitWords[fold(t.text)] || unitsAfter[fold(t.text)]):
			words++
		default:
			return 0, i
		}
	}
	if j == start || j-start >= 7 && j < len(toks) && toks[j].text != "," && toks[j].text != "\n" {
		return 0, i
	}
	if j == start+1 && toks[start].text == "." {
		return 0, i
	}
	switch {
	case (unitWords[fold(toks[start].text)] || unitsAfter[fold(toks[start].text)] || toks[start].text == "#") && numbers > 0,
		floors > 0 && numbers == 1 && zips == 0 && words <= 1:
		return 'u', j // "Apt. 8", "Unit 5", "#4", or a floor and door: "3º B"
	case j == i && glued:
		return 0, i // glued on: only a unit
	case zips > 0 && numbers <= 2 && words <= 4:
		return 'z', j
	case numbers == 0 && words > 0 && words <= 4:
		return 'c', j
	}
	return 0, i
}

// numberFirst reads "221B Baker Street" or "12, rue de la Paix" after the
// number toks[k] and returns the end of the address.
func numberFirst(toks []token, k int) (int, bool) {
	// A range of house numbers ("12-14 Baker Street"), or a number with
	// bis, ter or quater ("12 bis rue de la Paix").
	if k+2 < len(toks) && toks[k+1].text == "-" && toks[k+1].start == toks[k].end && toks[k+2].kind == 'n' && toks[k+2].start == toks[k+1].end {
		k += 2
	}
	if k+1 < len(toks) && toks[k+1].kind == 'w' && houseSuffixes[fold(toks[k+1].text)] {
		k++
	}
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
		} else if f := fold(strings.TrimRight(t.text, "'’")); !nameConnectors[f] && !strings.ContainsAny(t.text, "'’") &&
			(n == 0 || stopWords[f] || afterHouseNumber[f]) {
			break // another lower-case word inside a name ("rue des lieutenants Thomazo") counts only before a capitalized one
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
	// Walk back over the name to its leading type word, which may be
	// abbreviated with a dot ("ul. Narewska 94", "Av. Foch 5").
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
		if named && j > 1 && toks[j-1].text == "." && toks[j-2].end == toks[j-1].start && toks[j-2].kind == 'w' &&
			leadStreetTypes[fold(toks[j-2].text)] && len(toks[j-2].text) <= 4 {
			return toks[j-2].start, true
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
// the token windows in the common case of a post without one. A word of
// ASCII letters, the usual case, is lower-cased as it is read and looked up
// only when a street word of its first letter and length exists;
// FuzzHasStreetWord compares it with the word-at-a-time reference.
func hasStreetWord(s string) bool {
	var buf [64]byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && !isASCIILetter(c) {
			if (c == ',' || c == '\n') && postcodeCity(s, i+1) {
				return true
			}
			i++
			continue
		}
		if c < utf8.RuneSelf {
			j := i
			for j < len(s) && j-i < len(buf) && isASCIILetter(s[j]) {
				buf[j-i] = s[j] | 0x20
				j++
			}
			if j == len(s) || s[j] < utf8.RuneSelf && !isASCIILetter(s[j]) {
				if asciiStreetWord(s, i, j, buf[:j-i]) {
					return true
				}
				i = j
				continue
			}
			// The word goes on past the buffer or in a non-ASCII rune.
		}
		j, found := slowStreetWord(s, i, &buf)
		if found {
			return true
		}
		i = j
	}
	return false
}

// asciiStreetWord is hasStreetWord's test of the ASCII word s[i:j], whose
// lower case is f.
func asciiStreetWord(s string, i, j int, f []byte) bool {
	if len(f) > 40 {
		return false
	}
	if streetShapes[f[0]-'a']>>len(f)&1 != 0 && streetWords[string(f)] {
		return true
	}
	if i > 0 && s[i-1] == '-' && jpWards[string(f)] || string(f) == "chome" {
		return true
	}
	return len(f) >= 6 && s[i] <= 'Z' && hasStreetSuffix(f)
}

// streetShapes[c-'a'] has bit n set when a street word of n bytes starts
// with the ASCII letter c.
var streetShapes = func() (t [26]uint64) {
	for w := range streetWords {
		if c := w[0]; c >= 'a' && c <= 'z' && len(w) < 64 {
			t[c-'a'] |= 1 << len(w)
		}
	}
	return t
}()

// slowStreetWord reads the word at s[i] rune by rune, when it is not all
// ASCII letters, and tests it; j is where the word ends.
func slowStreetWord(s string, i int, buf *[64]byte) (j int, found bool) {
	letterAt := func(i int) (bool, int) {
		if c := s[i]; c < utf8.RuneSelf {
			return isASCIILetter(c), 1
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		return unicode.IsLetter(r), size
	}
	ok, size := letterAt(i)
	if !ok {
		return i + size, false
	}
	j = i
	for j < len(s) {
		ok, size := letterAt(j)
		if !ok {
			break
		}
		j += size
	}
	return j, streetWordAt(s, i, j, buf)
}

// streetWordAt is hasStreetWord's test of the word s[i:j], whatever its
// runes: a CJK address rune, a street word (a romanized ward after '-'), or
// a capitalized name with a street suffix.
func streetWordAt(s string, i, j int, buf *[64]byte) bool {
	w := s[i:j]
	if w[0] >= utf8.RuneSelf && strings.ContainsAny(w, cjkAddressRunes) {
		return true
	}
	if len(w) > 40 {
		return false
	}
	f := foldInto(buf[:0], w)
	if streetWords[string(f)] || i > 0 && s[i-1] == '-' && jpWards[string(f)] || string(f) == "chome" {
		return true
	}
	if first, _ := utf8.DecodeRuneInString(w); len(f) < 6 || !unicode.IsUpper(first) {
		return false
	}
	return hasStreetSuffix(f)
}

// hasStreetSuffix reports whether the folded word f ends in a street-name
// suffix with more than two bytes before it ("Nørrebrogade").
func hasStreetSuffix(f []byte) bool {
	for _, suf := range streetSuffixes {
		if len(f) > len(suf)+2 && bytes.HasSuffix(f, []byte(suf)) {
			return true
		}
	}
	return false
}

// postcodeCity reports a postal code and a city's capital at i, after
// spaces: "2100 Roskilde", "602 00 Brno", "1100-053 Lisboa".
func postcodeCity(s string, i int) bool {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j-i < 3 || j-i > 6 {
		return false
	}
	if j+1 < len(s) && (s[j] == ' ' || s[j] == '-') && isDigit(s[j+1]) {
		k := j + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k-j-1 > 3 {
			return false
		}
		j = k
	}
	if j+1 >= len(s) || s[j] != ' ' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[j+1:])
	return unicode.IsUpper(r)
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
