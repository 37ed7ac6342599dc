// Package classify holds Herald's trained text classifiers: logistic
// regression over hashed features of a post (word unigrams and bigrams,
// character 4-grams within words, a few shape features), the model file
// format, training and evaluation. The checker uses a model beside a rule's
// word lists; `herald model` trains, shows, evaluates and exports.
//
// A model reads text already folded by the checker (lower case, accents
// removed, white space collapsed: internal/check's normalization), so a post
// is normalized once per check. The caller passes the folding function to
// the trainer; the model header names it, and a model folded another way is
// refused.
package classify

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// Shape features, stored after the hashed buckets in this order.
const (
	shapeShout    = iota // share of the letters of the text as written in shouted words (shouting)
	shapeYou             // second person: you, your, u, ur, ... (up to three, scaled to 1)
	shapeExclaim         // a run of two or more '!'
	shapeQuestion        // a run of two or more '?' or "?!"
	numShape
)

// shapeNames name the shape features in the header, in order.
var shapeNames = [numShape]string{"shouted-words", "second-person", "exclaim-run", "question-run"}

// Hash seeds keep the feature families apart in the shared buckets.
const (
	seedWord   uint32 = 0x811c9dc5 // FNV-1a offset basis
	seedBigram uint32 = 0x9747b28c
	seedChar   uint32 = 0x5bd1e995
	fnvPrime   uint32 = 16777619
)

// Character n-grams are 4-grams of runes, within a word marked at both
// ends ("<word>"). On the shared data, 4-grams alone gave the same average
// precision as 3- to 5-grams (offensive 0.734 against 0.730, subjectivity
// 0.957 against 0.953) from a third of the features, so a third of the time.
const (
	gram    = 4
	maxWord = 48 // bytes of a word that feed its character n-grams
)

// gramHash hashes a character 4-gram: four ASCII bytes are themselves a
// 32-bit number; a gram with longer runes hashes its bytes (FNV-1a).
func gramHash(g []byte) uint32 {
	if len(g) == gram {
		return spread(binary.LittleEndian.Uint32(g) ^ seedChar)
	}
	h := seedChar
	for _, c := range g {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return spread(h)
}

// spread finishes a feature's hash: a multiply by 2^32/φ (Fibonacci
// hashing) carries every bit of h into the high bits, and a model with 2^b
// buckets reads the top b bits (bucket). One multiply, where a full mixer
// would take five operations, for each of the hundreds of features of a post.
func spread(h uint32) uint32 { return h * 0x9e3779b1 }

// bucket is the bucket of a spread hash among 2^bits.
func bucket(h uint32, bits int) uint32 { return h >> (32 - bits) }

// isWordRune is the checker's word character: letters, digits, marks, '_'.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z')
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// word is a span of folded text.
type word struct{ start, end int }

// wordByte marks the bytes that are word characters on their own: ASCII
// letters, digits and '_'.
var wordByte = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = isWordRune(rune(c))
	}
	return t
}()

// nextToken returns the next token of t at or after i: a run of word
// characters (an apostrophe between two of them stays inside: "don't"), or
// a single symbol rune at or above U+2000 (emoji, arrows). ok is false at
// the end.
func nextToken(t []byte, i int) (w word, next int, ok bool) {
	for i < len(t) {
		c := t[i]
		if wordByte[c] {
			break
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(t[i:])
		if isWordRune(r) {
			break
		}
		if r >= 0x2000 && r != utf8.RuneError && !unicode.IsSpace(r) && !unicode.IsPunct(r) {
			return word{i, i + size}, i + size, true
		}
		i += size
	}
	if i >= len(t) {
		return word{}, i, false
	}
	s := i
	for i < len(t) {
		c := t[i]
		if wordByte[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if c == '\'' && i+1 < len(t) && i > s && wordByte[t[i+1]] {
				i++
				continue
			}
			break
		}
		r, size := utf8.DecodeRune(t[i:])
		if !isWordRune(r) {
			break
		}
		i += size
	}
	return word{s, i}, i, true
}

// isSecondPerson reports whether a folded word addresses the reader: you,
// your, u, ur, y'all, ...
func isSecondPerson(w []byte) bool {
	switch string(w) {
	case "you", "your", "yours", "yourself", "yourselves", "you're", "youre", "you've", "you'll", "you'd",
		"u", "ur", "ya", "y'all", "yall":
		return true
	}
	return false
}

// featureSet is the hashed features of one text: spread hashes (bucket
// reads a model's bucket from one), repeated as often as they occur. With
// tokens, tok[i] says where idx[i] comes from: the token toks[tok[i]], or
// for a bigram (tok[i] < 0) the token -tok[i] and the one before it.
type featureSet struct {
	idx    []uint32
	tokens bool
	tok    []int32
	toks   []word
}

func (f *featureSet) reset(tokens bool) {
	f.idx, f.tok, f.toks, f.tokens = f.idx[:0], f.tok[:0], f.toks[:0], tokens
}

// foldDigit maps the digits 1 to 9 to 0 and every other byte to itself, so
// that every number of the same shape is one word feature and one set of
// n-grams.
var foldDigit = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if c >= '1' && c <= '9' {
			t[c] = '0'
		}
	}
	return t
}()

// extract computes the hashed features of the folded text t into f and
// returns the shape features of the text as written (orig) and t. It runs
// for nearly every post the checker reads, so each token is read once for
// its word hash and its character n-grams together.
func (f *featureSet) extract(orig string, t []byte) (shape [numShape]float32) {
	idx, tokOf := f.idx, f.tok
	var buf [maxWord + 2]byte
	var prev uint32
	you := 0
	for i, n := 0, int32(0); ; n++ {
		w, next, ok := nextToken(t, i)
		if !ok {
			break
		}
		i = next
		tok := t[w.start:w.end]
		hw, g, ascii := foldWord(&buf, tok)
		idx = append(idx, spread(hw))
		if n > 0 {
			idx = append(idx, spread(prev*0x85ebca6b^hw^seedBigram))
		}
		prev = hw
		if len(tok) <= 10 && (tok[0] == 'y' || tok[0] == 'u') && isSecondPerson(tok) {
			you++
		}
		if ascii {
			idx = asciiGrams(idx, g)
		} else {
			idx = runeGrams(idx, g)
		}
		if f.tokens {
			f.toks = append(f.toks, w)
			tokOf = append(tokOf, n)
			if n > 0 {
				tokOf = append(tokOf, -n)
			}
			for range len(idx) - len(tokOf) { // the n-grams
				tokOf = append(tokOf, n)
			}
		}
	}
	f.idx, f.tok = idx, tokOf
	shape[shapeYou] = float32(min(you, 3)) / 3
	shape[shapeShout] = shouting(orig)
	if bytes.Contains(t, []byte("!!")) {
		shape[shapeExclaim] = 1
	}
	if bytes.Contains(t, []byte("??")) || bytes.Contains(t, []byte("?!")) {
		shape[shapeQuestion] = 1
	}
	return shape
}

// foldWord returns the hash of a token (FNV-1a of its bytes, digits
// folded) and writes into buf the token as its character n-grams read it:
// "<token>", digits folded, cut to its first maxWord bytes (at a rune
// boundary). ascii says whether g holds only ASCII bytes. A function of its
// own, with few live values, so that the compiler keeps them in registers.
func foldWord(buf *[maxWord + 2]byte, tok []byte) (hw uint32, g []byte, ascii bool) {
	k := min(len(tok), maxWord)
	for k > 0 && k < len(tok) && !utf8.RuneStart(tok[k]) {
		k--
	}
	src := tok[:k]
	dst := buf[1 : len(src)+1]
	hw = seedWord
	high := byte(0)
	for j, c := range src {
		c = foldDigit[c]
		hw = (hw ^ uint32(c)) * fnvPrime
		high |= c
		dst[j] = c
	}
	for _, c := range tok[k:] {
		hw = (hw ^ uint32(foldDigit[c])) * fnvPrime
	}
	buf[0], buf[k+1] = '<', '>'
	return hw, buf[:k+2], high < utf8.RuneSelf
}

// asciiGrams appends the 4-grams of the ASCII bytes g: each is the 32-bit
// number of its four bytes (gramHash), slid one byte at a time.
func asciiGrams(idx []uint32, g []byte) []uint32 {
	if len(g) < gram {
		return idx
	}
	x := uint32(g[0])<<8 | uint32(g[1])<<16 | uint32(g[2])<<24
	for _, c := range g[3:] {
		x = x>>8 | uint32(c)<<24
		idx = append(idx, spread(x^seedChar))
	}
	return idx
}

// runeGrams appends the 4-grams of g counted in runes.
func runeGrams(idx []uint32, g []byte) []uint32 {
	for s := 0; s < len(g); {
		e := s
		for r := 0; r < gram && e < len(g); r++ {
			_, size := utf8.DecodeRune(g[e:])
			e += size
		}
		if utf8.RuneCount(g[s:e]) < gram {
			break
		}
		idx = append(idx, gramHash(g[s:e]))
		_, size := utf8.DecodeRune(g[s:])
		s += size
	}
	return idx
}

// shouting is the share of the letters of s (as written) that stand in
// shouted words: runs of three or more words in capitals, each of two
// letters or more and no digit (a one-letter word, "I", neither breaks a
// run nor counts in it). An acronym, a code or a town written in capitals
// is not shouting ("My IBAN is GB93…", "ZIP: 7412 SL", "UNOPS and WFP
// met the WHO team"); the share of all capital letters, which the models
// read until session 11, made such short texts score as taking sides.
func shouting(s string) float32 {
	if !mayShout(s) {
		return 0
	}
	var w shoutWalk
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// Runs of lower-case letters, most of a text, in a tight loop.
			switch shoutClass[c] {
			case clLower:
				j := i + 1
				for j < len(s) && shoutClass[s[j]] == clLower {
					j++
				}
				w.wl += j - i
				i = j
				continue
			case clUpper:
				j := i + 1
				for j < len(s) && shoutClass[s[j]] == clUpper {
					j++
				}
				w.wl += j - i
				w.wu += j - i
				i = j
				continue
			case clDigit:
				w.digit = true
				i++
				continue
			case clJoin: // inside a word: DON'T
				i++
				continue
			}
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch {
			case unicode.IsLetter(r):
				w.wl++
				if unicode.IsUpper(r) {
					w.wu++
				}
				continue
			case unicode.IsDigit(r):
				w.digit = true
				continue
			case unicode.IsMark(r):
				continue
			}
		}
		w.endWord() // a separator
	}
	w.endWord()
	w.endRun()
	if w.letters == 0 {
		return 0
	}
	return float32(w.shouted) / float32(w.letters)
}

// shoutWalk is shouting's count of a text's words so far.
type shoutWalk struct {
	letters, shouted int
	wl, wu           int  // the current word's letters and capitals
	digit            bool // whether the current word holds a digit
	run, runLetters  int  // the current run of shouted words
}

// endWord counts the current word, if any, in the letters and the run.
func (w *shoutWalk) endWord() {
	if w.wl == 0 && !w.digit {
		return
	}
	w.letters += w.wl
	switch {
	case w.wl >= 2 && w.wu == w.wl && !w.digit:
		w.run++
		w.runLetters += w.wl
	case w.wl == 1 && w.wu == 1 && !w.digit: // "I" neither breaks a run nor counts
	default:
		w.endRun()
	}
	w.wl, w.wu, w.digit = 0, 0, false
}

// endRun counts the run's letters as shouted when it has three words.
func (w *shoutWalk) endRun() {
	if w.run >= 3 {
		w.shouted += w.runLetters
	}
	w.run, w.runLetters = 0, 0
}

// mayShout reports whether s may hold a run of shouted words. Each
// shouted word has two adjacent capitals, so three of them need three
// runs of capitals two long or more; the org's own name in capitals
// ("UNOPS") is one. ASCII is read eight bytes at a time (an apostrophe
// and '_' count as capitals, being inside words); other runes are read one
// by one (capLike). The answer errs only towards yes, and most posts,
// with an acronym or two, skip the word walk.
func mayShout(s string) bool {
	runs := 0
	// Whether the byte or rune before counted as a capital (prevU) and
	// ended a pair (prevP), as 0x80.
	prevU, prevP := uint64(0), uint64(0)
	i := 0
	for i < len(s) && runs < 3 {
		if i+8 <= len(s) {
			x := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
			if x&highs == 0 {
				u := inRange(x, 'A', 'Z') | inRange(x, '\'', '\'') | inRange(x, '_', '_')
				p := u & (u<<8 | prevU)
				runs += bits.OnesCount64(p &^ (p<<8 | prevP))
				prevU, prevP = u>>56, p>>56
				i += 8
				continue
			}
		}
		u, extra, size := capLike(s[i:])
		p := u & prevU
		runs += int(p&^prevP)>>7 + int(p&extra)>>7
		prevU, prevP = u, p
		i += size
	}
	return runs >= 3
}

// capLike says whether the rune at the start of s counts as a capital
// for mayShout (0x80 or 0), and its size. A rune it cannot tell cheaply
// counts as a capital, with extra set: it may be a separator between two
// shouted words ("STOP🙄NOW"), so within a run it counts as a run of its own.
func capLike(s string) (u, extra uint64, size int) {
	c := s[0]
	switch {
	case c < utf8.RuneSelf:
		if c >= 'A' && c <= 'Z' || c == '\'' || c == '_' {
			return 0x80, 0, 1
		}
		return 0, 0, 1
	case len(s) < 2 || s[1] < 0x80 || s[1] > 0xbf: // invalid UTF-8, or a rune of one byte cut off
	case c == 0xc2: // Latin-1 punctuation and symbols, ª, º, µ: no capital
		return 0, 0, 2
	case c == 0xc3 && s[1] != 0x97: // À to Þ are capitals, ß to ÿ not (× is a sign, below)
		if s[1] <= 0x9e {
			return 0x80, 0, 2
		}
		return 0, 0, 2
	case c == 0xe2 && len(s) > 2 && (s[1] == 0x80 || s[1] == 0x81) && s[2] >= 0x80 && s[2] <= 0xbf: // general punctuation: ’ “ ” — …
		return 0, 0, 3
	}
	_, size = utf8.DecodeRuneInString(s)
	return 0x80, 0x80, size
}

// ASCII bytes eight at a time: each byte of a word gets its high bit set
// when the byte is in a range (the bytes being below 0x80).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// inRange marks the bytes of x (all below 0x80) that lie in [lo, hi].
func inRange(x uint64, lo, hi byte) uint64 {
	return (x + (0x80-uint64(lo))*ones) &^ (x + (0x7f-uint64(hi))*ones) & highs
}

// Classes of ASCII bytes for shouting; bytes from 0x80 are clSep (a
// rune's bytes are read apart).
const (
	clSep = iota
	clLower
	clUpper
	clDigit
	clJoin
)

var shoutClass = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		switch {
		case c >= 'a' && c <= 'z':
			t[c] = clLower
		case c >= 'A' && c <= 'Z':
			t[c] = clUpper
		case c >= '0' && c <= '9':
			t[c] = clDigit
		case c == '\'' || c == '_':
			t[c] = clJoin
		}
	}
	return t
}()

// Combined is the score of a rule that reads two models
// (policy.Classifier.Combine): the geometric mean of theirs, high only
// where both lean the same way.
func Combined(a, b float64) float64 { return math.Sqrt(a * b) }

// sigmoid is the logistic function.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
