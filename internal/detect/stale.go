package detect

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/policy"
)

// monthWords make a small number next to them a day, not a figure.
var monthWords = wordSet(`january february march april may june july august september october
	november december jan feb mar apr jun jul aug sep sept oct nov dec janvier fevrier mars
	avril mai juin juillet aout septembre octobre novembre decembre enero febrero marzo abril
	mayo junio julio agosto septiembre setiembre octubre noviembre diciembre`)

// sinceWords before a year make it the start of a period running to now.
var sinceWords = wordSet(`since desde depuis`)

// historyWords before a year ("founded in 1974", "créée en 1974") date an
// event, not a figure.
var historyWords = wordSet(`founded established created launched inaugurated opened born built
	incorporated fonde fondee fondes fondees cree creee crees creees etabli etablie ne nee
	inaugure inauguree lance lancee fundado fundada fundados fundadas creado creada establecido
	establecida nacido nacida inaugurado inaugurada construido construida`)

// nowWords put what follows them in the present: a figure after one is not
// the year's ("founded in 1974, the office now employs 300 people").
var nowWords = wordSet(`now today today's nowadays currently presently aujourd'hui
	aujourd’hui actuellement maintenant desormais hoy actualmente ahora`)

// nowPairs are two-word forms of nowWords.
var nowPairs = wordSet(`this_year to_date so_far at_present cette_annee ce_jour este_ano
	hasta_ahora la_fecha por_ahora`)

// durationWords after a number make it a span of time, not a figure:
// "50 years", "25 ans", "10 años".
var durationWords = wordSet(`year years yr yrs anniversary ans annee annees anniversaire ano anos
	aniversario decade decades decennies decadas`)

type staleFigureDetector struct {
	years int
}

func newStaleFigure(_ *params, _ *policy.Organization, p *policy.Parameters) (Detector, error) {
	if p.StaleFigureYears <= 0 {
		return nil, errors.New("detector stale-figure: parameters.stale_figure_years must be set to a positive number of years")
	}
	return &staleFigureDetector{years: p.StaleFigureYears}, nil
}

func (d *staleFigureDetector) Detect(in *Input) []Match {
	s := in.Text
	if countDigits(s, 5) < 5 {
		return nil // a year and a figure need five digits at least
	}
	now := in.Now
	if now.IsZero() {
		return nil
	}
	limit := now.Year() - d.years
	var out []Match
	for i := 0; i+4 <= len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i != 4 || !isYear(s[i:j]) || !numberStart(s, i) || isWordRune(runeAfter(s, j)) || inGroupedNumber(s, i, j) {
			i = j
			continue
		}
		year, _ := strconv.Atoi(s[i:j])
		// In a range ("2015-2016", "2015/16", "between 2023 and 2025") the
		// later year counts.
		if k := j + 1; j < len(s) && (s[j] == '-' || s[j] == '/') && k < len(s) && isDigit(s[k]) || yearFollows(s[j:]) {
			i = j
			continue
		}
		if year > limit {
			i = j
			continue
		}
		if m, ok := figureNear(s, i, j, limit, now.Year()); ok {
			m.Detail = s[i:j]
			if len(out) == 0 || m.Start >= out[len(out)-1].End {
				out = append(out, m)
			}
		}
		i = j
	}
	return out
}

// since reports a year that starts a period running to now: "since 2023",
// "since the 2023 cyclones", "depuis les inondations de 2022" is not read.
func since(toks []token, y int) bool {
	return y > 0 && sinceWords[fold(toks[y-1].text)] ||
		y > 1 && sinceArticles[fold(toks[y-1].text)] && sinceWords[fold(toks[y-2].text)]
}

// sinceArticles may stand between a since word and its year.
var sinceArticles = wordSet(`the le la les el los las`)

// cited reports a year in brackets right after a number: "resolution 1244
// (1999)", "Law 25 (2019)".
func cited(toks []token, y int) bool {
	return y >= 2 && y+1 < len(toks) && toks[y-1].text == "(" && toks[y+1].text == ")" && toks[y-2].kind == 'n'
}

// rangeWords join the two years of a range: "2023 and 2025", "de 2023 à 2025".
var rangeWords = wordSet(`and to through until et a au y hasta`)

// yearFollows reports s starting with a range word and a year: " and 2025".
func yearFollows(s string) bool {
	w := strings.TrimLeft(s, " ")
	end := strings.IndexByte(w, ' ')
	if end <= 0 || !rangeWords[fold(w[:end])] {
		return false
	}
	y := strings.TrimLeft(w[end:], " ")
	return len(y) >= 4 && isYear(y[:4]) && (len(y) == 4 || !isDigit(y[4]))
}

// figureNear looks for a figure in the year's sentence, within a few words
// of it, and returns the span from the year to the figure. A sentence that
// also names a year after limit (up to this one) compares the old year
// with it ("from 71% in 2022 to 88% in 2025"), and a year in brackets
// after a number dates a document ("resolution 1244 (1999)"): neither is
// an old figure given as current.
func figureNear(s string, ys, ye, limit, this int) (Match, bool) {
	lo, hi := sentenceBounds(s, ys, ye)
	toks := tokenize(s, lo, hi)
	y := 0
	for y < len(toks) && toks[y].start != ys {
		y++
	}
	if y == len(toks) {
		return Match{}, false
	}
	if since(toks, y) || historical(toks, y) || dayBefore(toks, y) || cited(toks, y) {
		return Match{}, false
	}
	for _, t := range toks {
		if t.kind == 'n' && isYear(t.text) {
			if n, _ := strconv.Atoi(t.text); n > limit && n <= this {
				return Match{}, false
			}
		}
	}
	for d := 1; d <= 12; d++ {
		for _, k := range []int{y + d, y - d} {
			if d > 8 && k < y || k < 0 || k >= len(toks) {
				continue
			}
			if isFigure(s, toks, k) && !nowBetween(toks, y, k) {
				return Match{Start: min(ys, toks[k].start), End: max(ye, figureEnd(toks, k))}, true
			}
		}
	}
	return Match{}, false
}

// sentenceBounds returns the sentence around [start, end), at most 160
// bytes either side.
func sentenceBounds(s string, start, end int) (lo, hi int) {
	lo = start
	for lo > 0 && start-lo < 160 {
		c := s[lo-1]
		if c == '\n' || (c == '.' || c == '!' || c == '?') && lo < len(s) && s[lo] == ' ' {
			break
		}
		lo--
	}
	hi = end
	for hi < len(s) && hi-end < 160 {
		c := s[hi]
		if c == '\n' || (c == '.' || c == '!' || c == '?') && (hi+1 == len(s) || s[hi+1] == ' ' || s[hi+1] == '\n') {
			break
		}
		hi++
	}
	for lo > 0 && lo < len(s) && !utf8.RuneStart(s[lo]) {
		lo--
	}
	return lo, hi
}

// isFigure reports whether toks[k] is a number that states a quantity: not
// a year, not a day beside a month, not an ordinal or part of a code.
func isFigure(s string, toks []token, k int) bool {
	t := toks[k]
	if t.kind != 'n' || !isDigit(t.text[len(t.text)-1]) {
		return false
	}
	if len(t.text) == 4 && isYear(t.text) {
		return false
	}
	if !numberStart(s, t.start) && !isDigit(s[t.start-1]) {
		// glued to a word before: COVID-19, G20 (1,200's "200" is fine)
		if prev := runeBefore(s, t.start); prev != ',' && prev != '.' {
			return false
		}
	}
	if next := runeAfter(s, t.end); unicode.IsLetter(next) || next == 'º' || next == 'ª' || next == '°' {
		return false // 2nd, 1er, 3º, 30°C
	}
	if k > 0 {
		p := toks[k-1]
		// SDG 4, COP 21, ISO 9001
		if p.kind == 'w' && len(p.text) > 1 && strings.ToUpper(p.text) == p.text && p.end+1 >= t.start {
			return false
		}
		if len(t.text) <= 2 && monthWords[fold(p.text)] {
			return false
		}
	}
	if k+1 < len(toks) && len(t.text) <= 2 && monthWords[fold(toks[k+1].text)] {
		return false
	}
	if k+1 < len(toks) && durationWords[fold(toks[k+1].text)] {
		return false
	}
	return true
}

// historical reports a year that dates an event: a history word before it,
// directly or across a preposition ("founded in 1974", "fundada en 1974").
func historical(toks []token, y int) bool {
	for k := y - 1; k >= 0 && k >= y-2; k-- {
		w := fold(toks[k].text)
		if historyWords[w] {
			return true
		}
		if !yearPrepositions[w] {
			return false
		}
	}
	return false
}

// dayBefore reports a year that ends a full date, day and month: "19
// August 2003", "le 19 août 2003", "el 8 de octubre de 2005", "August 19,
// 2003". A day dates an event (an attack, an earthquake, a signing); a
// statistic is dated by its year or month ("In 2015, 3 million people").
func dayBefore(toks []token, y int) bool {
	skip := func(k int) int {
		for k >= 0 && (toks[k].text == "," || fold(toks[k].text) == "de") {
			k--
		}
		return k
	}
	k := skip(y - 1)
	if k < 0 {
		return false
	}
	if monthWords[fold(toks[k].text)] {
		j := skip(k - 1)
		if j > 0 && toks[j].text == "er" && toks[j-1].end == toks[j].start { // "1er"
			j--
		}
		return j >= 0 && isDay(toks[j])
	}
	return isDay(toks[k]) && k > 0 && monthWords[fold(toks[k-1].text)]
}

// isDay reports a day of the month: a number from 1 to 31.
func isDay(t token) bool {
	n, err := strconv.Atoi(t.text)
	return err == nil && len(t.text) <= 2 && n >= 1 && n <= 31
}

// nowBetween reports a word putting the figure in the present: between the
// year and the figure, or, for a figure before the year, in the figure's
// clause before it ("Now 300 staff, founded 1974"). A semicolon also ends
// the year's clause.
func nowBetween(toks []token, y, k int) bool {
	lo, hi := min(y, k), max(y, k)
	if k < y {
		for lo > 0 && toks[lo-1].text != "," && toks[lo-1].text != ";" {
			lo--
		}
	}
	for i := lo; i < hi; i++ {
		w := fold(toks[i].text)
		if toks[i].text == ";" || nowWords[w] ||
			i+1 < len(toks) && nowPairs[w+"_"+fold(toks[i+1].text)] {
			return true
		}
	}
	return false
}

// inGroupedNumber reports a year-like group s[i:j] that is one group of a
// longer grouped number (an IBAN, a card, a phone or a reference number:
// "FR14 2004 1010 0505"): a number or code joined before it by one space,
// or after it a group of four or more digits, or groups that are not the
// thousands of a figure ("2015 300 000 people" stays a year and a figure).
// A year range ("2015 - 2016") is not a grouped number.
func inGroupedNumber(s string, i, j int) bool {
	if k := i - 1; k > 0 && isGroupSep(s[k]) && s[k-1] != ' ' {
		p := k
		for p > 0 && (isDigit(s[p-1]) || isASCIILetter(s[p-1])) {
			p--
		}
		if prev := s[p:k]; strings.ContainsAny(prev, "0123456789") && !(len(prev) == 4 && isYear(prev)) {
			return true
		}
	}
	var groups []int
	for k := j; k+1 < len(s) && isGroupSep(s[k]) && isDigit(s[k+1]); {
		e := k + 1
		for e < len(s) && isDigit(s[e]) {
			e++
		}
		if e < len(s) && isASCIILetter(s[e]) {
			return true // "3M02"
		}
		groups = append(groups, e-k-1)
		k = e
	}
	if len(groups) == 0 {
		return false
	}
	if groups[0] >= 4 {
		return true
	}
	if len(groups) == 1 {
		return false
	}
	for _, g := range groups {
		if g != 3 {
			return true
		}
	}
	return false
}

// isGroupSep reports a byte joining the groups of a grouped number.
func isGroupSep(c byte) bool { return c == ' ' || c == '-' || c == '.' }

// figureEnd extends a figure over its thousands groups, decimals and a
// percent sign: "1,200", "2.5", "40 %".
func figureEnd(toks []token, k int) int {
	end := toks[k].end
	for k+2 < len(toks) && (toks[k+1].text == "," || toks[k+1].text == ".") && toks[k+1].start == end &&
		toks[k+2].kind == 'n' && toks[k+2].start == end+1 {
		end = toks[k+2].end
		k += 2
	}
	if k+1 < len(toks) && toks[k+1].text == "%" && toks[k+1].start <= end+1 {
		end = toks[k+1].end
	}
	return end
}
