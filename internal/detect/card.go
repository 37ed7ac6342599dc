package detect

import (
	"strings"

	"github.com/herald-gov/herald/internal/policy"
)

type cardDetector struct{}

func newPaymentCard(*params, *policy.Organization, *policy.Parameters) (Detector, error) {
	return cardDetector{}, nil
}

func (cardDetector) Detect(in *Input) []Match {
	s := in.Text
	if countDigits(s, 12) < 12 {
		return nil
	}
	var out []Match
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || !numberStart(s, i) {
			continue
		}
		var r cardDigits
		cardRun(&r, s, i)
		// The whole run, or else its first groups: an expiry date or a
		// security code may follow a card's number ("4111 1111 1111 1111 123").
		for g := r.groups - 1; g >= 0; g-- {
			n, end := r.digitsTo[g], r.groupEnd[g]
			if n < 12 {
				break
			}
			if d := string(r.digits[:n]); n <= 19 && numberEnd(s, end) && luhn(d) && knownIIN(d) {
				out = append(out, Match{Start: i, End: end})
				break
			}
		}
		i = r.end
	}
	return out
}

// numberStart reports whether a number may start at i: no word character
// or decimal/code part glued before it.
func numberStart(s string, i int) bool {
	prev := runeBefore(s, i)
	if isWordRune(prev) {
		return false
	}
	if prev == '.' || prev == ',' || prev == '-' || prev == '/' {
		return !isWordRune(runeBefore(s, i-1))
	}
	return true
}

// numberEnd reports whether a number ending at end stands alone.
func numberEnd(s string, end int) bool {
	next := runeAfter(s, end)
	if isWordRune(next) || next == '%' {
		return false
	}
	if next == '.' || next == ',' || next == '-' || next == '/' {
		return !isWordRune(runeAfter(s, end+1))
	}
	return true
}

// cardDigits is a run of digit groups read by cardRun.
type cardDigits struct {
	end      int      // where the run ends
	digits   [20]byte // its digits, at most 20
	groups   int
	groupEnd [20]int // byte offset after each group
	digitsTo [20]int // digits up to the end of each group
}

// cardRun reads into r the digits joined by one kind of separator (a
// space, a no-break space or a dash) from i. It consumes at most 20 digits
// so a long run is read whole but cannot pass as a card.
func cardRun(r *cardDigits, s string, i int) {
	n, j := 0, i
	sep := ""
	for j < len(s) && n < 20 {
		c := s[j]
		if isDigit(c) {
			r.digits[n] = c
			n++
			j++
			r.end = j
			continue
		}
		w := cardSep(s[j:])
		if w != "" && (sep == "" || sep == w) && j+len(w) < len(s) && isDigit(s[j+len(w)]) {
			r.closeGroup(n, j)
			sep = w
			j += len(w)
			continue
		}
		break
	}
	r.closeGroup(n, r.end)
}

func (r *cardDigits) closeGroup(n, end int) {
	if r.groups < len(r.groupEnd) {
		r.groupEnd[r.groups], r.digitsTo[r.groups] = end, n
		r.groups++
	}
}

// cardSep returns the separator that starts s, or "".
func cardSep(s string) string {
	switch {
	case s[0] == ' ' || s[0] == '-':
		return s[:1]
	case strings.HasPrefix(s, "\u00a0"):
		return "\u00a0"
	case strings.HasPrefix(s, "\u202f"):
		return "\u202f"
	}
	return ""
}

// knownIIN reports whether a card number starts with an issuer prefix in
// use for its length.
func knownIIN(d string) bool {
	n := len(d)
	p2 := int(d[0]-'0')*10 + int(d[1]-'0')
	p4 := p2*100 + int(d[2]-'0')*10 + int(d[3]-'0')
	// Maestro's lists of prefixes include the older 0604 beside 5018, 5020,
	// 5038, 6304, 6759 and 6761-6763, for 12 to 19 digits.
	if n == 12 { // only Maestro issues 12-digit cards, from these ranges
		switch {
		case p4 == 5018, p4 == 5020, p4 == 5038, p4 == 604, p4 == 6304, p4 == 6390, p4 == 6759, p4 >= 6761 && p4 <= 6763:
			return true
		}
		return false
	}
	switch {
	case d[0] == '4': // Visa
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard
		return n == 16
	case p2 == 34 || p2 == 37: // American Express
		return n == 15
	case p2 == 35: // JCB (assigned 3528-3589; the rest of 35 is reserved to it)
		return n >= 16
	case p4 == 2131 || p4 == 1800: // JCB, older
		return n == 15
	case p2 == 36 || p2 == 38 || p2 == 39 || p4 >= 3000 && p4 <= 3059 || p4 == 3095: // Diners
		return n >= 14
	case p4 >= 2200 && p4 <= 2204: // Mir
		return n >= 16
	case p2 == 50 || p2 >= 56 && p2 <= 69, p4 == 604: // Maestro, Discover, UnionPay, RuPay
		return true
	case p2 == 81 || p2 == 82: // RuPay
		return n == 16
	case p4 == 9792: // Troy
		return n == 16
	}
	return false
}
