package detect

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/herald-gov/herald/internal/policy"
)

// defaultPhoneRegions are tried, in order, for numbers written without an
// international prefix: the regions of the pack's languages and of the
// organization's largest operations.
var defaultPhoneRegions = []string{
	"US", "GB", "FR", "ES", "CH", "BE", "CA", "DK", "SE", "NL", "IT", "DE",
	"AU", "IN", "KE", "NG", "ZA", "MX", "CO", "AR", "PE",
}

// phoneCues are words that announce a phone number nearby (en, fr, es).
var phoneCues = wordSet(`tel tél tele phone phones telephone téléphone tlf tfno tf ph
	call calls calling mobile mob cell cellphone whatsapp fax sms text hotline helpline
	dial ring contact reach appelez appeler appelle appel portable joindre
	teléfono telefono llame llama llamar llámanos llamanos llámame llamame llámenos
	llamenos móvil movil celular contacto marque signal viber telegram`)

// serviceCues name a line the public is asked to call: a service's number,
// not a person's (3.4(g) is about personal data).
var serviceCues = []string{"free line", "toll-free", "toll free", "freephone", "hotline", "helpline", "help line",
	"to report", "report any problem", "numéro vert", "numéro gratuit", "ligne gratuite", "ligne verte",
	"ligne d'assistance", "pour signaler", "signalez tout problème", "línea gratuita", "número gratuito",
	"línea de ayuda", "línea de atención", "línea verde", "para reportar", "para denunciar", "cualquier problema",
	"helpdesk", "help desk", "our line", "feedback line", "complaints line", "procurement line", "is free",
	"service d'assistance", "notre ligne", "ligne de retour", "est gratuite", "servicio de atención",
	"nuestra línea", "es gratuita"}

// serviceLine reports a service cue in the sentence before a number, at
// most 80 bytes back.
func serviceLine(s string, start int) bool {
	lo := max(0, start-80)
	win := s[lo:start]
	if k := strings.LastIndexAny(win, ".!?\n"); k >= 0 {
		win = win[k+1:]
	}
	win = strings.ToLower(win)
	for _, c := range serviceCues {
		if strings.Contains(win, c) {
			return true
		}
	}
	return false
}

// phoneLabels may be glued to a number by a dash: "082 490 1693-Office".
var phoneLabels = wordSet(`office home work mobile cell fax tel phone bureau domicile fixe
	portable oficina casa trabajo móvil movil`)

// notPhoneCues are words that name another kind of number just before it.
var notPhoneCues = wordSet(`zip postcode postal cep cp ref reference référence referencia
	invoice facture factura order commande pedido account compte cuenta iban swift bic ssn
	nir dni nie passport passeport pasaporte id isbn issn doi case dossier expediente
	serial série serie lot batch contract contrat contrato`)

// amountWords are words that make a number before them an amount or a count.
var amountWords = wordSet(`million millions billion billions thousand trillion bn
	milliard milliards millón millones mil dollars euros francs pesos
	usd eur gbp chf people personnes personas km kg`)

// currencyWords are codes that make the number after them an amount.
var currencyWords = wordSet(`usd eur gbp chf cad aud kes ngn inr dkk sek nok mxn cop ars brl
	pen clp xof xaf us rs`)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// maxPhoneLookups bounds the metadata look-ups (Parse and IsValidNumber in
// one region) of one text: each costs 10-20 µs, and only candidates of a
// region's length and leading digits reach one, so a real phone needs one
// or two.
const maxPhoneLookups = 8

type phoneDetector struct {
	regions []*regionShape
	public  []string // digits of the organization's public numbers
}

func newPhone(ps *params, org *policy.Organization, _ *policy.Parameters) (Detector, error) {
	regions, err := ps.strings("regions", defaultPhoneRegions)
	if err != nil {
		return nil, err
	}
	supported := phonenumbers.GetSupportedRegions()
	out := make([]*regionShape, len(regions))
	for i, r := range regions {
		code := strings.ToUpper(r)
		if !supported[code] {
			return nil, ps.errorf("regions", "%q is not a region with phone metadata", r)
		}
		if out[i], err = newRegionShape(code); err != nil {
			return nil, ps.errorf("regions", "%v", err)
		}
	}
	d := &phoneDetector{regions: out}
	var public []string
	if org != nil {
		public = org.Phones
	}
	for _, p := range public {
		if digits := phoneDigits(p); len(digits) >= 7 {
			d.public = append(d.public, digits)
		} else {
			return nil, fmt.Errorf("organization phone %q has fewer than 7 digits", p)
		}
	}
	return d, nil
}

// phoneDigits is a number's digits without an international "00" prefix.
func phoneDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return strings.TrimPrefix(b.String(), "00")
}

// isPublic reports whether a number found in a post is one of the
// organization's public numbers, written internationally or nationally
// (without the country code, with or without a trunk 0).
func (d *phoneDetector) isPublic(number string) bool {
	n := phoneDigits(number)
	for _, p := range d.public {
		if n == p || (len(n) >= 7 && (strings.HasSuffix(p, n) || strings.HasSuffix(p, strings.TrimPrefix(n, "0")))) {
			return true
		}
	}
	return false
}

func (d *phoneDetector) Detect(in *Input) []Match {
	s := in.Text
	if countDigits(s, 7) < 7 {
		return nil
	}
	var out []Match
	budget := maxPhoneLookups
	var addrs addressSpans
	for i := 0; i < len(s); {
		c := s[i]
		if (!isDigit(c) && c != '+' && c != '(') || !runStart(s, i) {
			i++
			continue
		}
		// Most runs are short numbers: count their digits before reading them.
		j, n := i, 0
		for j < len(s) && n < 7 && (isDigit(s[j]) || sepByte(s[j]) || s[j] == '+') {
			if isDigit(s[j]) {
				n++
			}
			j++
		}
		if n < 7 {
			i = j
			continue
		}
		r := scanRun(s, i)
		if len(r.groups) == 0 {
			i++
			continue
		}
		end := phoneExtension(s, r.end)
		if budget > 0 && (runEndsCleanly(s, end) || labelAfter(s, end)) && d.isPhone(s, r, end, &budget, &addrs) &&
			!d.isPublic(s[r.start:r.end]) && !serviceLine(s, r.start) {
			out = append(out, Match{Start: r.start, End: end})
		}
		i = end
	}
	return out
}

// phoneExtension returns the end of an extension written after a number
// ending at i ("x4587", " ext. 12", " poste 301"), or i when there is none.
func phoneExtension(s string, i int) int {
	j := i
	for j < len(s) && s[j] == ' ' {
		j++
	}
	rest := lowerASCII(s[j:min(len(s), j+10)])
	for _, p := range []string{"extension", "ext.", "ext", "poste", "x", "#"} {
		if !strings.HasPrefix(rest, p) {
			continue
		}
		k := j + len(p)
		if p == "x" && j != i && k < len(s) && s[k] != ' ' && !isDigit(s[k]) {
			return i
		}
		for k < len(s) && s[k] == ' ' {
			k++
		}
		e := k
		for e < len(s) && e-k < 6 && isDigit(s[e]) {
			e++
		}
		if e > k {
			return e
		}
		return i
	}
	return i
}

// isPhone judges a candidate run; each metadata look-up it makes is taken
// from budget; the text's addresses are read once, when first needed.
func (d *phoneDetector) isPhone(s string, r numRun, end int, budget *int, addrs *addressSpans) bool {
	digits := r.digits
	intl := r.plus
	if !intl && !r.paren && strings.HasPrefix(digits, "00") && len(digits) > 2 && digits[2] != '0' {
		intl = true
		digits = digits[2:]
	}
	n := len(digits)
	if intl && (n < 8 || n > 15) || !intl && (n < 7 || n > 13) {
		return false
	}
	if prevTokenMixed(s, r.start) || amountContext(s, r.start, end) {
		return false
	}
	if !intl {
		if neverPhone(r) || notPhoneCue(s, r.start) || addrs.overlap(s, r.start, r.end) {
			return false
		}
		if n >= 13 && luhn(digits) {
			return false // a payment card's business
		}
		if !phoneShaped(r) && !hasPhoneCue(s, r.start, end) {
			return false
		}
	}
	// A number the metadata does not know may still be written as a phone
	// number beyond doubt: in phone groups, with a cue word or an extension
	// (or a '+'), and of a length its country uses. Such numbers are not yet
	// assigned, newer than the metadata, or made up; all are phone numbers to
	// the reader of a post.
	written := phoneShaped(r) && (end > r.end || hasPhoneCue(s, r.start, end))
	if intl {
		*budget--
		num, err := phonenumbers.Parse("+"+digitsAfterTrunk(r, digits), "")
		return err == nil && (phonenumbers.IsValidNumber(num) ||
			(written || r.plus && phoneShaped(r)) && phonenumbers.IsPossibleNumber(num))
	}
	possible := false
	for _, rs := range d.regions {
		possible = possible || written && rs.possibleLength(digits)
		if *budget <= 0 {
			break
		}
		if !rs.mayBeValid(digits) {
			continue
		}
		*budget--
		num, err := phonenumbers.Parse(digits, rs.region)
		if err == nil && phonenumbers.IsValidNumber(num) {
			return true
		}
	}
	return possible
}

// digitsAfterTrunk drops a "(0)" trunk group that some write after the
// country code ("+41 (0)69 ...").
func digitsAfterTrunk(r numRun, digits string) string {
	if len(r.groups) < 3 || !r.paren || r.groups[1] != 1 || digits[r.groups[0]] != '0' {
		return digits
	}
	return digits[:r.groups[0]] + digits[r.groups[0]+1:]
}

// neverPhone reports shapes that are something else whatever the context:
// year ranges, dates, dated numbers, time ranges and IPv4 addresses.
func neverPhone(r numRun) bool {
	g, d := r.groups, r.digits
	// A year in parentheses closing the run dates what comes before it
	// ("resolution 1244 (1999)"); a phone's parentheses hold its area code
	// or trunk prefix, before the subscriber number.
	if n := len(g); n >= 2 && strings.Contains(r.seps[n-2], "(") && isYear(d[len(d)-4:]) && g[n-1] == 4 {
		return true
	}
	switch len(g) {
	case 2:
		// 2019-2020, and the life or reign of someone: 1738-1789.
		return g[0] == 4 && g[1] == 4 && (isYear(d[:4]) && isYear(d[4:]) || yearRange(d[:4], d[4:]))
	case 3:
		// 15.02.2019, 2019-02-15, 15/02/2019; and 123-45-6789 is a US SSN.
		return g[0] == 3 && g[1] == 2 && g[2] == 4 && r.seps[0] == "-" && r.seps[1] == "-" || (g[0] <= 2 && g[1] <= 2 && g[2] == 4 && isYear(d[len(d)-4:])) ||
			(g[0] == 4 && g[1] <= 2 && g[2] <= 2 && isYear(d[:4]))
	case 4:
		// 10.30-11.30 as a time range; 192.168.1.100 as an address.
		if g[0] == 2 && g[1] == 2 && g[2] == 2 && g[3] == 2 && r.seps[0] == r.seps[2] && r.seps[1] != r.seps[0] {
			return true
		}
		if r.seps[0] == "." && r.seps[1] == "." && r.seps[2] == "." && g[0] <= 3 && g[1] <= 3 && g[2] <= 3 && g[3] <= 3 {
			return true
		}
	}
	return false
}

// yearRange reports two years from 1000 to 2099, in order, at most 150
// years apart.
func yearRange(a, b string) bool {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	return x >= 1000 && y < 2100 && x < y && y-x <= 150
}

func isYear(d string) bool {
	return len(d) == 4 && (d[:2] == "19" || d[:2] == "20")
}

// phoneShaped reports groups that look like a written phone number: two or
// more groups of two or more digits (a lone leading 0 or 1 allowed), not a
// thousands grouping ("3 000 000", "120.000.000"), not led by a year, and
// no slash (dates and fractions use it far more than phones).
func phoneShaped(r numRun) bool {
	g, d := r.groups, r.digits
	if len(g) < 2 {
		return false
	}
	for _, sep := range r.seps {
		if strings.Contains(sep, "/") {
			return false
		}
	}
	for i, n := range g {
		if n > 8 || (n < 2 && !(i == 0 && (d[0] == '0' || d[0] == '1'))) {
			return false
		}
	}
	if g[0] == 4 && isYear(d[:4]) {
		return false
	}
	return !(d[0] != '0' && !r.paren && thousands(r))
}

// thousands reports a run grouped like a large number: one to three
// digits, then groups of three, all joined by the same space or dot.
func thousands(r numRun) bool {
	if r.groups[0] > 3 {
		return false
	}
	for i, n := range r.groups[1:] {
		if n != 3 || r.seps[i] != r.seps[0] {
			return false
		}
	}
	return r.seps[0] == " " || r.seps[0] == "." || r.seps[0] == "\u00a0" || r.seps[0] == "\u202f"
}

// amountContext reports a currency before the run or an amount word after.
func amountContext(s string, start, end int) bool {
	prev := runeBefore(s, start)
	if prev == ' ' {
		prev = runeBefore(s, start-1)
	}
	if prev == '$' || prev == '€' || prev == '£' || prev == '¥' || prev == '₹' || prev == '₦' || prev == '₱' {
		return true
	}
	if ws := wordsBefore(s, start, 1); len(ws) == 1 && ws[0].end >= start-2 &&
		currencyWords[strings.ToLower(s[ws[0].start:ws[0].end])] {
		return true
	}
	if w, ok := wordAfter(s, end); ok && w.start <= end+1 && amountWords[strings.ToLower(s[w.start:w.end])] {
		return true
	}
	// A percent sign after the last group: "26 000 (81 %)" is a count and
	// its share, not a number to call.
	rest := strings.TrimLeft(s[end:], " \u00a0\u202f")
	return strings.HasPrefix(rest, "%")
}

// hasPhoneCue looks for a cue word within 40 bytes before the number or
// 25 bytes after it, or a telephone emoji.
func hasPhoneCue(s string, start, end int) bool {
	lo, hi := max(0, start-40), min(len(s), end+25)
	win := s[lo:hi]
	if strings.Contains(win, "☎") || strings.Contains(win, "📞") || strings.Contains(win, "📱") {
		return true
	}
	for i := 0; i < len(win); {
		r, size := utf8.DecodeRuneInString(win[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		j := i
		for j < len(win) {
			r, size := utf8.DecodeRuneInString(win[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += size
		}
		// A word cut by the window's edge is not a cue.
		if (i > 0 || lo == 0) && (j < len(win) || hi == len(s)) && phoneCues[strings.ToLower(win[i:j])] {
			return true
		}
		i = j
	}
	return false
}

// labelAfter reports a phone label glued by a dash after a number.
func labelAfter(s string, end int) bool {
	if end >= len(s) || s[end] != '-' {
		return false
	}
	w, ok := wordAfter(s, end+1)
	return ok && w.start == end+1 && phoneLabels[strings.ToLower(s[w.start:w.end])] && !isWordRune(runeAfter(s, w.end))
}

// notPhoneCue reports a word naming another kind of number among the two
// words before the run ("ZIP: 75534-030", "Order 1234 5678").
func notPhoneCue(s string, start int) bool {
	for _, w := range wordsBefore(s, start, 2) {
		if w.end < start-12 {
			break
		}
		if notPhoneCues[strings.ToLower(s[w.start:w.end])] {
			return true
		}
	}
	return false
}

// addressSpans are the street addresses of a text, found on first use:
// a run inside one is a building and a house number ("55523 175 Iroon
// Polytechniou Avenue") or a postal code line ("Suite 638, Hania, 43
// 73313"), not a phone number.
// The runs are asked about from left to right, so a cursor skips the
// addresses already passed.
type addressSpans struct {
	read bool
	ms   []Match
	next int
}

func (a *addressSpans) overlap(s string, start, end int) bool {
	if !a.read {
		a.ms, a.read = findAddresses(s), true
	}
	for a.next < len(a.ms) && a.ms[a.next].End <= start {
		a.next++
	}
	return a.next < len(a.ms) && a.ms[a.next].Start < end
}
