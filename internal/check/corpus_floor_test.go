package check_test

import (
	"os"
	"testing"

	"github.com/herald-gov/herald/internal/check/corpus"
)

// The floors of issue 9 on the test half of the evaluation corpus.
const (
	floorRecall = 0.95 // per clause family, all languages
	floorClean  = 0.98 // clean posts without an error or a warning
)

// TestEvalCorpusFloors asserts the floors on the test half. It names only
// rates, never a draft of the test half. The default pack does not reach
// them yet (docs/QUALITY.md has the figures), so the test runs when
// HERALD_CORPUS_FLOORS=1; the floors themselves are not lowered.
func TestEvalCorpusFloors(t *testing.T) {
	if os.Getenv("HERALD_CORPUS_FLOORS") != "1" {
		t.Skip("set HERALD_CORPUS_FLOORS=1 to assert the corpus floors (not reached yet: docs/QUALITY.md)")
	}
	s := corpus.Measure(loadCorpus(t, corpus.Test), defaultChecker(t).Check)
	for _, f := range corpus.Families {
		c := s.Cell(f.Name, "")
		rate, ok := c.Rate()
		if !ok {
			t.Errorf("%s: no draft in the test half", f.Name)
			continue
		}
		floor := floorRecall
		if f.Name == corpus.Clean {
			floor = floorClean
		}
		if rate < floor {
			t.Errorf("%s: %.3f (%d/%d), floor %.2f", f.Name, rate, c.Hits, c.N, floor)
		}
	}
}
