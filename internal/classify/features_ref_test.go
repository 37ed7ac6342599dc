package classify

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// refExtract is the feature extraction written plainly, one pass per
// feature family, as the model files were first trained with it: extract
// must give the same features in the same order, the same tokens and the
// same shape, or the embedded models would score differently.
func refExtract(f *featureSet, orig string, t []byte) (shape [numShape]float32) {
	var buf [maxWord + 2]byte
	var prev uint32
	you := 0
	for i, n := 0, int32(0); ; n++ {
		w, next, ok := refNextToken(t, i)
		if !ok {
			break
		}
		i = next
		if f.tokens {
			f.toks = append(f.toks, w)
		}
		tok := t[w.start:w.end]
		hw := refHashWord(seedWord, tok)
		f.add(spread(hw), n)
		if n > 0 {
			f.add(spread(prev*0x85ebca6b^hw^seedBigram), -n)
		}
		prev = hw
		if len(tok) <= 10 && isSecondPerson(tok) {
			you++
		}
		k := min(len(tok), maxWord)
		for k > 0 && k < len(tok) && !utf8.RuneStart(tok[k]) {
			k--
		}
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
	shape[shapeShout] = refShouting(orig)
	for i := 0; i+1 < len(t); i++ {
		switch {
		case t[i] == '!' && t[i+1] == '!':
			shape[shapeExclaim] = 1
		case t[i] == '?' && (t[i+1] == '?' || t[i+1] == '!'):
			shape[shapeQuestion] = 1
		}
	}
	return shape
}

func (f *featureSet) add(h uint32, tok int32) {
	f.idx = append(f.idx, h)
	if f.tokens {
		f.tok = append(f.tok, tok)
	}
}

func refNextToken(t []byte, i int) (w word, next int, ok bool) {
	for i < len(t) {
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
		r, size := utf8.DecodeRune(t[i:])
		if r == '\'' && i+1 < len(t) && i > s && t[i+1] < utf8.RuneSelf && isWordRune(rune(t[i+1])) {
			i++
			continue
		}
		if !isWordRune(r) {
			break
		}
		i += size
	}
	return word{s, i}, i, true
}

func refShouting(s string) float32 {
	letters, shouted := 0, 0
	var run []int // letters of the shouted words of the current run
	flush := func() {
		if len(run) >= 3 {
			for _, n := range run {
				shouted += n
			}
		}
		run = run[:0]
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && r != '\'' && r != '_'
	}) {
		n, upper, digit := 0, 0, false
		for _, r := range w {
			switch {
			case unicode.IsLetter(r):
				n++
				if unicode.IsUpper(r) {
					upper++
				}
			case unicode.IsDigit(r):
				digit = true
			}
		}
		letters += n
		switch {
		case digit:
			flush()
		case n >= 2 && upper == n:
			run = append(run, n)
		case n <= 1 && upper == n:
		default:
			flush()
		}
	}
	flush()
	if letters == 0 {
		return 0
	}
	return float32(shouted) / float32(letters)
}

// featureTexts are texts to compare the extractions on: the shared
// validation tweets when present, and random texts of words, digits,
// apostrophes, accents, other scripts, emoji, punctuation runs and words
// longer than maxWord.
func featureTexts(t testing.TB) []string {
	var texts []string
	if data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "testdata", "tweeteval-offensive", "val_text.txt")); err == nil {
		texts = strings.Split(string(data), "\n")
	} else {
		t.Logf("shared data absent (%v): random texts only", err)
	}
	pieces := []string{"you", "YOU", "u", "ur", "y'all", "don't", "'", "it's", "a", "Bridge", "1", "2026", "09h30", "é", "É", "ß",
		"NO", "STOP", "I", "A", "L'A", "O_K", "DÉJÀ", "ÉTAT", "WHO", "GB93", "AbC", "DON'T", "E\u0301", "ΣΩ", "IX2", "×", "«", "»", "¿", "—", "’", "\xc3", "Ñ", "ñ", "🙄",
		"naïve", "日本", "ж", "Σ", "🙄", "→", "!", "!!", "?", "?!", "??", " ", " ", " ", "\n", "_", "-", "#", "@",
		strings.Repeat("x", maxWord-1), strings.Repeat("é", maxWord/2+1), strings.Repeat("7", 60), "\xff", "\xe2\x82"}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		texts = append(texts, b.String())
	}
	return texts
}

func TestExtractMatchesReference(t *testing.T) {
	for _, text := range featureTexts(t) {
		compareExtract(t, text)
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{"I don't know, YOU ARE WRONG!! 🙄 #tag", "Ça va?! 12 ans", strings.Repeat("é", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) { compareExtract(t, text) })
}

func compareExtract(t *testing.T, text string) {
	t.Helper()
	folded := fold(text)
	for _, tokens := range []bool{false, true} {
		var got, want featureSet
		got.reset(tokens)
		want.reset(tokens)
		gs, ws := got.extract(text, folded), refExtract(&want, text, folded)
		if gs != ws || !slices.Equal(got.idx, want.idx) || !slices.Equal(got.tok, want.tok) || !slices.Equal(got.toks, want.toks) {
			t.Fatalf("%q (tokens %v): shape %v, want %v; %d features, want %d; tokens %v, want %v",
				text, tokens, gs, ws, len(got.idx), len(want.idx), got.toks, want.toks)
		}
	}
}

// refHashWord hashes a word, digits folded to 0 so that every number of the
// same shape is one feature.
func refHashWord(seed uint32, w []byte) uint32 {
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
