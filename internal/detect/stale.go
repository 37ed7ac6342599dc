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
		if j-i != 4 || !isYear(s[i:j]) || !numberStart(s, i) || isWordRune(runeAfter(s, j)) {
			i = j
			continue
		}
		year, _ := strconv.Atoi(s[i:j])
		// In a range ("2015-2016", "2015/16") the later year counts.
		if k := j + 1; j < len(s) && (s[j] == '-' || s[j] == '/') && k < len(s) && isDigit(s[k]) {
			i = j
			continue
		}
		if year > limit {
			i = j
			continue
		}
		if m, ok := figureNear(s, i, j); ok {
			m.Detail = s[i:j]
			if len(out) == 0 || m.Start >= out[len(out)-1].End {
				out = append(out, m)
			}
		}
		i = j
	}
	return out
}

// figureNear looks for a figure in the year's sentence, within a few words
// of it, and returns the span from the year to the figure.
func figureNear(s string, ys, ye int) (Match, bool) {
	lo, hi := sentenceBounds(s, ys, ye)
	toks := tokenize(s, lo, hi)
	y := 0
	for y < len(toks) && toks[y].start != ys {
		y++
	}
	if y == len(toks) {
		return Match{}, false
	}
	if y > 0 && sinceWords[fold(toks[y-1].text)] {
		return Match{}, false
	}
	for d := 1; d <= 12; d++ {
		for _, k := range []int{y + d, y - d} {
			if d > 8 && k < y || k < 0 || k >= len(toks) {
				continue
			}
			if isFigure(s, toks, k) {
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
	return true
}

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
