package detect

import (
	"strings"

	"github.com/herald-gov/herald/internal/policy"
)

// ibanLengths is the length of an IBAN per country (ISO 13616 registry,
// plus the national formats in use in West and Central Africa).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
	"BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
	"DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
	"FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
	"GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
	"LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27,
	"MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28,
	"PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
	"SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
	"AO": 25, "BF": 28, "BJ": 28, "CF": 27, "CG": 27, "CI": 28, "CM": 27, "CV": 25,
	"DZ": 26, "GA": 27, "GQ": 27, "GW": 25, "HN": 28, "IR": 26, "KM": 27, "MA": 28,
	"MG": 27, "ML": 28, "MZ": 25, "NE": 28, "SN": 28, "TD": 27, "TG": 28,
}

type ibanDetector struct{}

func newIBAN(*params, *policy.Organization, *policy.Parameters) (Detector, error) {
	return ibanDetector{}, nil
}

func (ibanDetector) Detect(in *Input) []Match {
	s := in.Text
	var out []Match
	for i := 0; i+4 <= len(s); i++ {
		if !isASCIILetter(s[i]) || !isASCIILetter(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) ||
			isWordRune(runeBefore(s, i)) {
			continue
		}
		if end, ok := ibanAt(s, i); ok {
			out = append(out, Match{Start: i, End: end})
			i = end - 1
		}
	}
	return out
}

// ibanAt reads an IBAN starting at i, written whole or in groups joined by
// single spaces or dashes, and checks its length and mod-97 check digits.
func ibanAt(s string, i int) (end int, ok bool) {
	want := ibanLengths[strings.ToUpper(s[i:i+2])]
	if want == 0 {
		return 0, false
	}
	var b [34]byte
	n, j := 0, i
	for j < len(s) && n < want {
		c := s[j]
		switch {
		case isDigit(c) || isASCIILetter(c):
			b[n] = c | 0x20*boolByte(isASCIILetter(c)) // lower-case letters
			n++
			j++
		case (c == ' ' || c == '-') && j > i && j+1 < len(s) && (isDigit(s[j+1]) || isASCIILetter(s[j+1])):
			j++
		default:
			return 0, false
		}
	}
	if n != want || isWordRune(runeAfter(s, j)) {
		return 0, false
	}
	return j, mod97(string(b[4:n])+string(b[:4])) == 1
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// mod97 computes the ISO 7064 remainder of an IBAN-ordered string, letters
// (lower-case) counting as 10 to 35.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'a') + 10) % 97
		}
	}
	return r
}
