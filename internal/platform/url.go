package platform

import (
	"unicode"
	"unicode/utf8"
)

// URL extraction follows twitter-text's rules (its Java Regex and Extractor):
// an optional http(s) scheme, a host of letter-digit labels ending in a known
// top-level domain (or, after a scheme, one label of any script), an optional
// port, a path that may not end in punctuation and may hold balanced
// parentheses, and a query. Hosts must survive IDNA (labels of at most 63
// bytes in their ASCII form) and URLs are at most 4096 characters. It is
// written by hand, linear in the text, and allocates nothing for a post with
// up to eight URLs.

const (
	maxURLLength     = 4096
	maxTcoSlugLength = 40
	runWindow        = maxURLLength + 64
)

// ASCII character classes.
const (
	clAlnum    = 1 << iota
	clPath     // may appear in a path
	clPathEnd  // may end a path
	clQuery    // may appear in a query
	clQueryEnd // may end a query
	clNotLabel // punctuation or space: never in a host label of any script
	clBadPrev  // may not come right before a URL
	clLabel    // may appear in a Latin host label
)

var asciiClass [utf8.RuneSelf]uint8

func init() {
	set := func(chars string, cl uint8) {
		for i := 0; i < len(chars); i++ {
			asciiClass[chars[i]] |= cl
		}
	}
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	set(alnum, clAlnum|clPath|clPathEnd|clQuery|clQueryEnd|clBadPrev)
	set("!*';:=+,.$/%#[]-_~|&@", clPath)
	set("=_#/-+", clPathEnd)
	set("!?*'();:&=+$/%#[]-_.,~|@", clQuery)
	set("-_&=#/", clQueryEnd)
	set("-_!\"#$%&'()*+,./:;<=>?@[\\]^`{|}~ \t\n\v\f\r", clNotLabel)
	set("@$#", clBadPrev)
	set(alnum+"-_", clLabel)
}

func isAlnum(c byte) bool { return c < utf8.RuneSelf && asciiClass[c]&clAlnum != 0 }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lower(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// isLatinAccent reports whether r is one of twitter-text's accented Latin
// letters, which count as letters in hosts and paths.
func isLatinAccent(r rune) bool {
	switch {
	case r < 0xC0:
		return false
	case r <= 0x24F:
		return r != 0xD7 && r != 0xF7
	case r <= 0x2BB:
		switch r {
		case 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x263, 0x268, 0x26F, 0x272, 0x289, 0x28B, 0x2BB:
			return true
		}
		return false
	}
	return (r >= 0x300 && r <= 0x36F) || (r >= 0x1E00 && r <= 0x1EFF)
}

func isCyrillic(r rune) bool { return r >= 0x400 && r <= 0x4FF }

// decode returns the rune at s[i] and its size; a byte that is not valid
// UTF-8 is a rune of its own (utf8.RuneError, size 1).
func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// validPreceding reports whether a URL may start right after r: not after a
// letter, digit, @, $, # (ASCII or full-width) or an invalid character.
func validPreceding(r rune, size int) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&clBadPrev == 0
	}
	switch r {
	case 0xFF20, 0xFF03, 0xFFFE, 0xFEFF, 0xFFFF:
		return false
	case utf8.RuneError:
		return size != 1
	}
	return true
}

// isLabelChar reports whether r may appear in a host label of twitter-text's
// Latin alphabet (letters, digits, accented letters, hyphen, underscore).
func isLabelChar(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&clLabel != 0
	}
	return isLatinAccent(r)
}

// isUnicodeLabelChar reports whether r may appear in a host label of any
// script (after a scheme): anything but punctuation, spaces and general
// punctuation.
func isUnicodeLabelChar(r rune, size int) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&clNotLabel == 0 && r > ' ' && r != 0x7F
	}
	if r == utf8.RuneError && size == 1 {
		return false
	}
	return !(r >= 0x2000 && r <= 0x206F) && !unicode.Is(unicode.Z, r)
}

func isPathChar(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&clPath != 0
	}
	return isLatinAccent(r) || isCyrillic(r) || r == 0x2013
}

func isPathEnd(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&clPathEnd != 0
	}
	return isLatinAccent(r) || isCyrillic(r)
}

// URLs returns the URLs in text as twitter-text extracts them, with or
// without a scheme, as byte spans in order.
func URLs(text string) []Span {
	return scanURLs(text, true, nil)
}

// scanURLs appends the URLs of s to out. Without withoutScheme only URLs
// that start with http:// or https:// count, as on Mastodon.
func scanURLs(s string, withoutScheme bool, out []Span) []Span {
	if !containsByte(s, '.') {
		return out
	}
	sc := urlScanner{s: s}
	prevOK := true
	var prev byte // the preceding byte when ASCII, else 0
	for i := 0; i < len(s); {
		if prevOK && mayStartURL(s, i) {
			if m, ok := sc.match(i); ok {
				if sp, ok := sc.accept(m, prev, withoutScheme); ok {
					out = append(out, sp)
				}
				// The match is consumed, and its last character cannot
				// precede the next URL.
				i, prevOK, prev = m.end, false, 0
				continue
			}
			// No start inside a run of host characters without a dot can
			// match, unless a scheme's "://" follows the run: step to the
			// run's last character.
			if sc.n == 0 && i >= sc.runStart && i < sc.runEnd && (sc.runEnd == len(s) || s[sc.runEnd] != ':') {
				_, last := utf8.DecodeLastRuneInString(s[:sc.runEnd])
				if j := sc.runEnd - last; j > i {
					i, prevOK = j, false
				}
			}
		}
		if c := s[i]; c < utf8.RuneSelf {
			prevOK, prev = asciiClass[c]&clBadPrev == 0, c
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		prevOK, prev = validPreceding(r, size), 0
		i += size
	}
	return out
}

// mayStartURL reports whether s[i] can begin a scheme or a host.
func mayStartURL(s string, i int) bool {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiClass[c]&clAlnum != 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isLatinAccent(r)
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// urlMatch is a candidate URL before validation.
type urlMatch struct {
	start, end         int
	scheme             bool
	hostStart, hostEnd int
}

// label is one dot-separated part of a run of Latin host characters.
type label struct {
	start, end int  // the label is s[start:end]; s[end] is '.' when dot
	dot        bool // followed by a dot
	lastOK     bool // ends with a letter or digit
	underscore int  // offset of the label's last '_', or -1
	tldEnd     int  // end of a TLD right after the dot, or -1
	best       int  // index of the label that ends the longest host from here, or -1
}

func (sc *urlScanner) label(k int) *label {
	if sc.big != nil {
		return &sc.big[k]
	}
	return &sc.small[k]
}

func (sc *urlScanner) push(l label) {
	switch {
	case sc.big != nil:
		sc.big = append(sc.big, l)
	case sc.n < len(sc.small):
		sc.small[sc.n] = l
	default:
		sc.big = append(append(make([]label, 0, 4*len(sc.small)), sc.small[:]...), l)
	}
	sc.n++
}

// urlScanner keeps the labels of the current run of host characters, so
// that every start inside one run costs O(1) after the run is read once.
type urlScanner struct {
	s                string
	runStart, runEnd int
	cursor           int // the label that held the last start; starts only grow
	n                int // labels in the run
	small            [8]label
	big              []label // all labels once a run has more than fit in small
}

func (sc *urlScanner) match(i int) (urlMatch, bool) {
	s := sc.s
	c := s[i]
	if c == 'h' || c == 'H' {
		p := 0
		if hasPrefixFold(s[i:], "http://") {
			p = i + 7
		} else if hasPrefixFold(s[i:], "https://") {
			p = i + 8
		}
		if p > 0 && p < len(s) {
			end, ok := sc.host(p)
			if !ok {
				end, ok = unicodeHost(s, p)
			}
			if ok {
				return sc.rest(urlMatch{start: i, scheme: true, hostStart: p, hostEnd: end}), true
			}
		}
	}
	if end, ok := sc.host(i); ok {
		return sc.rest(urlMatch{start: i, hostStart: i, hostEnd: end}), true
	}
	return urlMatch{}, false
}

// host returns the end of the longest host of Latin labels that starts at
// s[d] and ends in a known TLD.
func (sc *urlScanner) host(d int) (int, bool) {
	s := sc.s
	if c := s[d]; c < utf8.RuneSelf {
		if asciiClass[c]&clAlnum == 0 {
			return 0, false
		}
	} else if r, _ := utf8.DecodeRuneInString(s[d:]); !isLatinAccent(r) {
		return 0, false
	}
	if d < sc.runStart || d >= sc.runEnd {
		sc.readRun(d)
	}
	if sc.n == 0 {
		return 0, false
	}
	k := sc.cursor
	for k < sc.n-1 && sc.label(k).end < d {
		k++
	}
	sc.cursor = k
	l := sc.label(k)
	if !l.dot || !l.lastOK {
		return 0, false
	}
	// Labels before the last may hold underscores; the last may not.
	if k+1 < sc.n {
		if j := sc.label(k + 1).best; j >= 0 {
			return sc.label(j).tldEnd, true
		}
	}
	if l.underscore < d && l.tldEnd >= 0 {
		return l.tldEnd, true
	}
	return 0, false
}

// readRun splits the run of host characters and dots that holds s[d] into
// labels and works out, for each, the longest host that can follow it.
func (sc *urlScanner) readRun(d int) {
	s := sc.s
	sc.n, sc.cursor = 0, 0
	if sc.big != nil {
		sc.big = sc.big[:0]
	}
	// Most runs are words without a dot: no host, nothing to split. A host
	// longer than a URL may be is refused anyway, so a long run with dots
	// is read in windows: a start before runEnd sees at least runWindow
	// bytes ahead, and memory stays bounded.
	j, dot, from, long := d, false, d, false
	for j < len(s) {
		if dot && j-from >= 2*runWindow {
			long = true
			break
		}
		if c := s[j]; c < utf8.RuneSelf {
			if c == '.' && !dot {
				dot, from = true, j
			} else if c != '.' && asciiClass[c]&clLabel == 0 {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isLatinAccent(r) {
			break
		}
		j += size
	}
	sc.runStart, sc.runEnd = d, j
	if !dot {
		return
	}
	limit := j
	if long {
		sc.runEnd = j - runWindow
	}
	cur := label{start: d, underscore: -1, tldEnd: -1, best: -1}
	j = d
	for j < limit {
		r, size := decode(s, j)
		if r == '.' {
			cur.end, cur.dot = j, true
			sc.push(cur)
			cur = label{start: j + 1, underscore: -1, tldEnd: -1, best: -1}
			j++
			continue
		}
		if !isLabelChar(r) {
			break
		}
		if r == '_' {
			cur.underscore = j
		}
		cur.lastOK = r != '-' && r != '_'
		j += size
	}
	cur.end = j
	sc.push(cur)
	for k := sc.n - 1; k >= 0; k-- {
		l := sc.label(k)
		if !l.dot {
			continue
		}
		l.tldEnd = tldEnd(s, l.end+1, true)
		first, _ := decode(s, l.start)
		sub := l.end > l.start && first != '-' && first != '_' && l.lastOK
		if next := k + 1; sub && next < sc.n && sc.label(next).best >= 0 {
			l.best = sc.label(next).best
		} else if sub && l.underscore < 0 && l.tldEnd >= 0 {
			l.best = k
		}
	}
}

// unicodeHost matches one label of any script and a TLD at s[p], the host
// form twitter-text allows only after a scheme.
func unicodeHost(s string, p int) (int, bool) {
	j, lastOK := p, false
	for j < len(s) {
		r, size := decode(s, j)
		if r == '-' && j > p {
			lastOK = false
		} else if isUnicodeLabelChar(r, size) {
			lastOK = true
		} else {
			break
		}
		j += size
	}
	if !lastOK || j >= len(s) || s[j] != '.' {
		return 0, false
	}
	if e := tldEnd(s, j+1, false); e >= 0 {
		return e, true
	}
	return 0, false
}

// rest extends a URL over its port, path and query.
func (sc *urlScanner) rest(m urlMatch) urlMatch {
	s := sc.s
	e := m.hostEnd
	if e+1 < len(s) && s[e] == ':' && isDigit(s[e+1]) {
		e += 2
		for e < len(s) && isDigit(s[e]) {
			e++
		}
	}
	if e < len(s) && s[e] == '/' {
		e = pathEnd(s, e)
	}
	if e < len(s) && s[e] == '?' {
		e = queryEnd(s, e)
	}
	m.end = e
	return m
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// pathEnd returns the end of the path that starts with the '/' at s[i]: the
// longest run of path characters and balanced parentheses that ends in a
// character allowed at the end.
func pathEnd(s string, i int) int {
	j, last := i+1, i+1
	for j < len(s) {
		r, size := decode(s, j)
		if r == '(' {
			e, ok := balancedParens(s, j)
			if !ok {
				break
			}
			j, last = e, e
			continue
		}
		if !isPathChar(r) {
			break
		}
		j += size
		if isPathEnd(r) {
			last = j
		}
	}
	return last
}

// balancedParens matches "(x)" or "(x(y)z)" at s[i], x and y not empty.
func balancedParens(s string, i int) (int, bool) {
	j := pathRun(s, i+1)
	if j < len(s) && s[j] == ')' && j > i+1 {
		return j + 1, true
	}
	if j < len(s) && s[j] == '(' {
		k := pathRun(s, j+1)
		if k < len(s) && s[k] == ')' && k > j+1 {
			m := pathRun(s, k+1)
			if m < len(s) && s[m] == ')' {
				return m + 1, true
			}
		}
	}
	return 0, false
}

func pathRun(s string, j int) int {
	for j < len(s) {
		r, size := decode(s, j)
		if !isPathChar(r) {
			break
		}
		j += size
	}
	return j
}

// queryEnd returns the end of the query that starts with the '?' at s[i],
// or i when no query character may end it.
func queryEnd(s string, i int) int {
	last := i
	for j := i + 1; j < len(s) && s[j] < utf8.RuneSelf && asciiClass[s[j]]&clQuery != 0; j++ {
		if asciiClass[s[j]]&clQueryEnd != 0 {
			last = j + 1
		}
	}
	return last
}

// accept applies twitter-text's checks after a match: the scheme rule, the
// t.co slug rule, the host's IDNA form and the URL's length.
func (sc *urlScanner) accept(m urlMatch, prev byte, withoutScheme bool) (Span, bool) {
	s := sc.s
	if !m.scheme {
		if !withoutScheme {
			return Span{}, false
		}
		switch prev {
		case '-', '_', '.', '/':
			return Span{}, false
		}
	}
	end := m.end
	if m.scheme && m.end-m.hostStart > 5 && hasPrefixFold(s[m.hostStart:], "t.co/") {
		j := m.hostStart + 5
		for j < m.end && isAlnum(s[j]) {
			j++
		}
		if slug := j - m.hostStart - 5; slug > 0 {
			if slug > maxTcoSlugLength {
				return Span{}, false
			}
			end = j
			if j < len(s) && s[j] == '?' {
				end = queryEnd(s, j)
			}
		}
	}
	asciiHost, ok := idnaLength(s[m.hostStart:m.hostEnd])
	if !ok {
		return Span{}, false
	}
	n := utf16Len(s[m.start:end]) - utf16Len(s[m.hostStart:m.hostEnd]) + asciiHost
	if !m.scheme {
		n += len("https://")
	}
	if n > maxURLLength {
		return Span{}, false
	}
	return Span{m.start, end}, true
}

// idnaLength returns the length of host's ASCII (punycode) form, and false
// when IDNA would refuse it: an empty label, a label longer than 63 bytes
// in ASCII form, or a non-ASCII label that claims to be punycode already.
func idnaLength(host string) (int, bool) {
	n := 0
	for start := 0; start <= len(host); {
		end := start
		for end < len(host) && host[end] != '.' {
			end++
		}
		l := host[start:end]
		size := len(l)
		if !isASCII(l) {
			if hasPrefixFold(l, "xn--") {
				return 0, false
			}
			size = punycodeLength(l)
		}
		if size == 0 || size > maxLabel {
			return 0, false
		}
		n += size
		if end < len(host) {
			n++
		}
		start = end + 1
	}
	return n, true
}

func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n++
		if r >= 0x10000 {
			n++
		}
		i += size
	}
	return n
}
