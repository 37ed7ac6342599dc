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
	"encoding/binary"
	"math"
	"unicode"
	"unicode/utf8"
)

// Shape features, stored after the hashed buckets in this order.
const (
	shapeCaps     = iota // share of upper-case letters among the letters of the text as written
	shapeYou             // second person: you, your, u, ur, ... (up to three, scaled to 1)
	shapeExclaim         // a run of two or more '!'
	shapeQuestion        // a run of two or more '?' or "?!"
	numShape
)

// shapeNames name the shape features in the header, in order.
var shapeNames = [numShape]string{"caps-ratio", "second-person", "exclaim-run", "question-run"}

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

// hashWord hashes a word, digits folded to 0 so that every number of the
// same shape is one feature.
func hashWord(seed uint32, w []byte) uint32 {
	h := seed
	for _, c := range w {
		if c >= '1' && c <= '9' {
			c = '0'
		}
		h ^= uint32(c)
		h *= fnvPrime
	}
	return h
}

// isWordRune is the checker's word character: letters, digits, marks, '_'.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z')
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// word is a span of folded text.
type word struct{ start, end int }

// asciiWord marks the ASCII bytes that are word characters.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
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
		if c < utf8.RuneSelf {
			if asciiWord[c] {
				break
			}
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
		if c < utf8.RuneSelf {
			if asciiWord[c] {
				i++
				continue
			}
			if c == '\'' && i+1 < len(t) && i > s && t[i+1] < utf8.RuneSelf && asciiWord[t[i+1]] {
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

func (f *featureSet) add(h uint32, tok int32) {
	f.idx = append(f.idx, h)
	if f.tokens {
		f.tok = append(f.tok, tok)
	}
}

// extract computes the hashed features of the folded text t into f and
// returns the shape features of the text as written (orig) and t.
func (f *featureSet) extract(orig string, t []byte) (shape [numShape]float32) {
	var buf [maxWord + 2]byte
	var prev uint32
	you := 0
	for i, n := 0, int32(0); ; n++ {
		w, next, ok := nextToken(t, i)
		if !ok {
			break
		}
		i = next
		if f.tokens {
			f.toks = append(f.toks, w)
		}
		tok := t[w.start:w.end]
		hw := hashWord(seedWord, tok)
		f.add(spread(hw), n)
		if n > 0 {
			f.add(spread(prev*0x85ebca6b^hw^seedBigram), -n)
		}
		prev = hw
		if len(tok) <= 10 && isSecondPerson(tok) {
			you++
		}
		// Character n-grams of "<word>", counted in runes.
		k := min(len(tok), maxWord)
		for k > 0 && k < len(tok) && !utf8.RuneStart(tok[k]) {
			k--
		}
		// Digits fold to 0 as in hashWord; a byte '1'..'9' is always an
		// ASCII digit in UTF-8.
		buf[0] = '<'
		ascii := true
		for j, c := range tok[:k] {
			if c >= '1' && c <= '9' {
				c = '0'
			}
			ascii = ascii && c < utf8.RuneSelf
			buf[j+1] = c
		}
		buf[k+1] = '>'
		g := buf[:k+2]
		if ascii {
			for s := 0; s+gram <= len(g); s++ {
				f.add(gramHash(g[s:s+gram]), n)
			}
			continue
		}
		for s := 0; s < len(g); {
			e := s
			for r := 0; r < gram && e < len(g); r++ {
				_, size := utf8.DecodeRune(g[e:])
				e += size
			}
			if utf8.RuneCount(g[s:e]) < gram {
				break
			}
			f.add(gramHash(g[s:e]), n)
			_, size := utf8.DecodeRune(g[s:])
			s += size
		}
	}
	shape[shapeYou] = float32(min(you, 3)) / 3
	shape[shapeCaps] = capsRatio(orig)
	shape[shapeExclaim], shape[shapeQuestion] = runs(t)
	return shape
}

// capsRatio is the share of upper-case letters among the letters of s, 0
// for fewer than four letters (an acronym alone is not shouting).
func capsRatio(s string) float32 {
	upper, letters := 0, 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case c >= 'A' && c <= 'Z':
				upper++
				letters++
			case c >= 'a' && c <= 'z':
				letters++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size - 1
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters < 4 {
		return 0
	}
	return float32(upper) / float32(letters)
}

// runs reports whether t has a run of two or more '!', and of two or more
// '?' (or a "?!").
func runs(t []byte) (exclaim, question float32) {
	for i := 0; i+1 < len(t); i++ {
		switch {
		case t[i] == '!' && t[i+1] == '!':
			exclaim = 1
		case t[i] == '?' && (t[i+1] == '?' || t[i+1] == '!'):
			question = 1
		}
	}
	return exclaim, question
}

// sigmoid is the logistic function.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
