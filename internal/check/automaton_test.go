package check

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestAutomatonMatchesNaive compares the automaton, with 16-bit and with
// 32-bit tables, with a naive search on random texts over a small
// alphabet, where overlaps and shared suffixes abound.
func TestAutomatonMatchesNaive(t *testing.T) {
	for _, maxSmall := range []int{1 << 16, 0} {
		testAutomatonMatchesNaive(t, maxSmall)
	}
}

func testAutomatonMatchesNaive(t *testing.T, maxSmall int) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abc "[rng.IntN(4)]
		}
		return string(b)
	}
	for round := range 200 {
		var pats []string
		for range 1 + rng.IntN(8) {
			pats = append(pats, word(1+rng.IntN(4)))
		}
		text := word(rng.IntN(60))
		a := buildAutomaton(pats, maxSmall)
		if (a.small != nil) != (maxSmall > 0) {
			t.Fatalf("maxSmall %d: 16-bit table %v", maxSmall, a.small != nil)
		}
		type hit struct{ p, end int }
		var got, want []hit
		a.scan([]byte(text), func(p int32, end int) { got = append(got, hit{int(p), end}) })
		for end := 1; end <= len(text); end++ {
			for p, pat := range pats {
				if strings.HasSuffix(text[:end], pat) {
					want = append(want, hit{p, end})
				}
			}
		}
		cmp := func(a, b hit) int {
			if a.end != b.end {
				return a.end - b.end
			}
			return a.p - b.p
		}
		slices.SortFunc(got, cmp)
		slices.SortFunc(want, cmp)
		if !slices.Equal(got, want) {
			t.Fatalf("maxSmall %d, round %d: patterns %q text %q: got %v want %v", maxSmall, round, pats, text, got, want)
		}
	}
}
