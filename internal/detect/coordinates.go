package detect

import (
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/policy"
)

type coordinatesDetector struct {
	minDecimals int
}

func newCoordinates(ps *params, _ *policy.Organization, _ *policy.Parameters) (Detector, error) {
	n, err := ps.int("min_decimals", 3, 1, 10)
	if err != nil {
		return nil, err
	}
	return &coordinatesDetector{minDecimals: n}, nil
}

func (d *coordinatesDetector) Detect(in *Input) []Match {
	s := in.Text
	hasDegree := strings.Contains(s, "°") || strings.Contains(s, "º")
	if !hasDegree && !strings.Contains(s, ".") {
		return nil
	}
	var out []Match
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && c != '-' && c != '+' && c != 'N' && c != 'S' {
			continue
		}
		if c != 'N' && c != 'S' && !decimalOrDegreeAt(s, i) {
			continue
		}
		if end, ok := d.pairAt(s, i, hasDegree); ok {
			out = append(out, Match{Start: i, End: end})
			i = end - 1
		}
	}
	return out
}

// coord is one latitude or longitude as written.
type coord struct {
	end      int
	value    float64
	decimals int
	hemi     byte // N, S, E, W (O for oeste/ouest) or 0
	degree   bool // written with a degree sign
	minutes  bool // written with minutes or seconds
}

// pairAt reads a position starting at i: a latitude then a longitude,
// decimal or in degrees, with hemisphere letters before or after.
func (d *coordinatesDetector) pairAt(s string, i int, hasDegree bool) (int, bool) {
	if isWordRune(runeBefore(s, i)) || runeBefore(s, i) == '.' {
		return 0, false
	}
	lat, ok := readCoord(s, i, "NS", hasDegree)
	if !ok || lat.value > 90 {
		return 0, false
	}
	// A latitude in degrees, minutes and hemisphere is a position alone.
	strong := lat.degree && lat.minutes && lat.hemi != 0
	// Between the two: a comma, semicolon, slash or spaces.
	j := lat.end
	for j < len(s) && (s[j] == ' ' || s[j] == ',' || s[j] == ';' || s[j] == '/') && j-lat.end < 4 {
		j++
	}
	lon, ok := readCoord(s, j, "EWO", hasDegree)
	if j == lat.end || !ok || lon.value > 180 {
		return lat.end, strong
	}
	marked := lat.hemi != 0 || lon.hemi != 0 || lat.degree || lon.degree
	if lat.degree || lon.degree {
		// 4°51'34"N 31°34'17"E or 4.85° N, 31.57° E: degrees with a
		// hemisphere or minutes on at least one side.
		if !(lat.hemi != 0 || lon.hemi != 0 || lat.minutes || lon.minutes) {
			return 0, false
		}
		return lon.end, true
	}
	need := d.minDecimals
	if marked {
		need = 1
	}
	if lat.decimals < need || lon.decimals < need {
		return 0, false
	}
	// "1.500, 2.300" is a pair of amounts in many languages: exactly three
	// decimals on both sides needs a sign or a hemisphere to count.
	if !marked && lat.decimals == 3 && lon.decimals == 3 && s[i] != '-' && s[j] != '-' {
		return 0, false
	}
	return lon.end, true
}

// readCoord reads [hemi ]['-'|'+']deg[.dec][°[ min['|′][ sec["|″]]]][ hemi].
func readCoord(s string, i int, hemis string, hasDegree bool) (coord, bool) {
	var c coord
	if i < len(s) && strings.IndexByte(hemis, s[i]) >= 0 {
		c.hemi = s[i]
		i++
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') && c.hemi == 0 {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) && i-start < 4 {
		i++
	}
	if i == start || i-start > 3 {
		return c, false
	}
	intEnd := i
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		c.decimals = i - intEnd - 1
	}
	v, err := strconv.ParseFloat(s[start:i], 64)
	if err != nil {
		return c, false
	}
	c.value = v
	if neg && v == 0 {
		return c, false
	}
	c.end = i
	if hasDegree {
		if n := degreeSign(s, i); n > 0 {
			c.degree = true
			i += n
			c.end = i
			if end, ok := minutesSeconds(s, i); ok {
				c.minutes = true
				i, c.end = end, end
			}
		}
	}
	// A trailing hemisphere letter standing alone.
	j := i
	for j < len(s) && s[j] == ' ' && j-i < 1 {
		j++
	}
	if c.hemi == 0 && j < len(s) && strings.IndexByte(hemis, s[j]) >= 0 && !isWordRune(runeAfter(s, j+1)) {
		c.hemi = s[j]
		c.end = j + 1
	} else if next := runeAfter(s, c.end); isWordRune(next) || next == '.' && isWordRune(runeAfter(s, c.end+1)) {
		return c, false
	}
	return c, true
}

// degreeSign returns the width of a degree sign (or the ordinal sign some
// keyboards give) at i, else 0.
func degreeSign(s string, i int) int {
	if strings.HasPrefix(s[i:], "°") || strings.HasPrefix(s[i:], "º") {
		return 2
	}
	return 0
}

// minutesSeconds reads " 51' 34\"" or "51.5′" after a degree sign.
func minutesSeconds(s string, i int) (int, bool) {
	read := func(i int, marks ...string) (int, bool) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		start := i
		for i < len(s) && (isDigit(s[i]) || s[i] == '.' && i > start) && i-start < 8 {
			i++
		}
		if i == start {
			return 0, false
		}
		for _, m := range marks {
			if strings.HasPrefix(s[i:], m) {
				return i + len(m), true
			}
		}
		return 0, false
	}
	end, ok := read(i, "'", "′", "’")
	if !ok {
		return 0, false
	}
	if e, ok := read(end, "\"", "″", "''", "”"); ok {
		end = e
	}
	return end, true
}

// decimalOrDegreeAt reports a signed or unsigned number of at most three
// integer digits at i followed by a decimal part or a degree sign: the only
// places a coordinate can start.
func decimalOrDegreeAt(s string, i int) bool {
	if s[i] == '-' || s[i] == '+' {
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) && j-i < 4 {
		j++
	}
	if j == i || j-i > 3 || j >= len(s) {
		return false
	}
	return s[j] == '.' && j+1 < len(s) && isDigit(s[j+1]) || degreeSign(s, j) > 0
}
