package detect

import (
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/policy"
)

// National ID numbers whose format carries a check (or, for the US SSN, a
// strict enough format). Detail names the kind found.
const (
	detailNIR  = "FR NIR"
	detailDNI  = "ES DNI"
	detailNIE  = "ES NIE"
	detailCF   = "IT codice fiscale"
	detailSSN  = "US SSN (format only: it has no check digit)"
	dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"
)

type nationalIDDetector struct{}

func newNationalID(*params, *policy.Organization, *policy.Parameters) (Detector, error) {
	return nationalIDDetector{}, nil
}

func (nationalIDDetector) Detect(in *Input) []Match {
	s := in.Text
	if countDigits(s, 7) < 7 {
		return nil
	}
	var out []Match
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || isASCIILetter(c)) || isWordRune(runeBefore(s, i)) {
			continue
		}
		end, detail := 0, ""
		switch {
		case isDigit(c):
			if end = ssnAt(s, i); end > 0 {
				detail = detailSSN
			} else if end = nirAt(s, i); end > 0 {
				detail = detailNIR
			} else if end = dniAt(s, i); end > 0 {
				detail = detailDNI
			}
		case c == 'X' || c == 'Y' || c == 'Z':
			if end = nieAt(s, i); end > 0 {
				detail = detailNIE
			} else if end = codiceFiscaleAt(s, i); end > 0 {
				detail = detailCF
			}
		default:
			if end = codiceFiscaleAt(s, i); end > 0 {
				detail = detailCF
			}
		}
		if end > 0 {
			out = append(out, Match{Start: i, End: end, Detail: detail})
			i = end - 1
		}
	}
	return out
}

// fixedDigits reports whether s[i:i+n] is n ASCII digits.
func fixedDigits(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for k := i; k < i+n; k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	return true
}

// ssnAt reads AAA-GG-SSSS with the never-issued ranges excluded.
func ssnAt(s string, i int) int {
	if !fixedDigits(s, i, 3) || i+11 > len(s) || s[i+3] != '-' || !fixedDigits(s, i+4, 2) ||
		s[i+6] != '-' || !fixedDigits(s, i+7, 4) || !numberEnd(s, i+11) || !numberStart(s, i) {
		return 0
	}
	area, group, serial := s[i:i+3], s[i+4:i+6], s[i+7:i+11]
	if area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000" {
		return 0
	}
	// Numbers printed in advertising and examples, never anyone's.
	if v := s[i : i+11]; v == "078-05-1120" || v == "123-45-6789" || v == "219-09-9999" {
		return 0
	}
	return i + 11
}

// nirAt reads a French social security number (NIR): sex (1 or 2), year, month,
// department (2A/2B for Corsica), commune, order and a two-digit key equal
// to 97 minus the number mod 97, whole or in its usual spaced groups.
func nirAt(s string, i int) int {
	if !numberStart(s, i) || (s[i] != '1' && s[i] != '2') {
		return 0
	}
	var b [15]byte
	n, j := 0, i
	for j < len(s) && n < 15 {
		c := s[j]
		switch {
		case isDigit(c), n == 6 && b[5] == '2' && (c == 'A' || c == 'B'):
			b[n] = c
			n++
			j++
		case c == ' ' && n > 0 && j+1 < len(s) && (isDigit(s[j+1]) || s[j+1] == 'A' || s[j+1] == 'B'):
			j++
		default:
			return 0
		}
	}
	if n != 15 || !numberEnd(s, j) {
		return 0
	}
	month := int(b[3]-'0')*10 + int(b[4]-'0')
	if month == 0 || month > 12 && month < 20 || month > 42 {
		return 0
	}
	body := string(b[:13])
	// Corsica's 2A and 2B count as 19 and 18 in the key.
	switch b[6] {
	case 'A':
		body = body[:5] + "19" + body[7:]
	case 'B':
		body = body[:5] + "18" + body[7:]
	}
	num, err := strconv.ParseInt(body, 10, 64)
	if err != nil {
		return 0
	}
	key, _ := strconv.Atoi(string(b[13:15]))
	if int64(key) != 97-num%97 {
		return 0
	}
	return j
}

// dniAt reads a Spanish DNI: eight digits and the letter of their value
// mod 23, optionally after a dash or space.
func dniAt(s string, i int) int {
	if !fixedDigits(s, i, 8) || !numberStart(s, i) {
		return 0
	}
	j := i + 8
	if j < len(s) && (s[j] == '-' || s[j] == ' ') {
		j++
	}
	if j >= len(s) {
		return 0
	}
	n, _ := strconv.Atoi(s[i : i+8])
	if s[j]&^0x20 != dniLetters[n%23] || isWordRune(runeAfter(s, j+1)) {
		return 0
	}
	return j + 1
}

// nieAt reads a Spanish foreigner's number: X, Y or Z (standing for 0, 1,
// 2), seven digits and the DNI check letter.
func nieAt(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '-' {
		j++
	}
	if !fixedDigits(s, j, 7) {
		return 0
	}
	n, _ := strconv.Atoi(string('0'+s[i]-'X') + s[j:j+7])
	j += 7
	if j < len(s) && s[j] == '-' {
		j++
	}
	if j >= len(s) || s[j] != dniLetters[n%23] || isWordRune(runeAfter(s, j+1)) {
		return 0
	}
	return j + 1
}

// Italian codice fiscale: values of characters in odd positions (1st,
// 3rd, ...) for the check character; digits map like A..J.
var cfOdd = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// codiceFiscaleAt reads a 16-character codice fiscale in capitals: six
// letters, year, month letter, day, town code and the check letter. Digits
// may be replaced by the omocodia letters L-V.
func codiceFiscaleAt(s string, i int) int {
	if i+16 > len(s) || isWordRune(runeAfter(s, i+16)) {
		return 0
	}
	cf := s[i : i+16]
	for k := 0; k < 16; k++ {
		c := cf[k]
		switch k {
		case 0, 1, 2, 3, 4, 5, 11, 15:
			if c < 'A' || c > 'Z' {
				return 0
			}
		case 8:
			if strings.IndexByte("ABCDEHLMPRST", c) < 0 {
				return 0
			}
		default:
			if !isDigit(c) && strings.IndexByte("LMNPQRSTUV", c) < 0 {
				return 0
			}
		}
	}
	sum := 0
	for k := 0; k < 15; k++ {
		v := int(cf[k] - 'A')
		if isDigit(cf[k]) {
			v = int(cf[k] - '0')
		}
		if k%2 == 0 {
			sum += cfOdd[v]
		} else {
			sum += v
		}
	}
	if cf[15] != byte('A'+sum%26) {
		return 0
	}
	return i + 16
}
