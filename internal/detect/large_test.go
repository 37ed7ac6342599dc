package detect

import (
	"strings"
	"testing"
)

// TestLargeInputs runs every detector over large hostile texts; the cost
// is linear, so this finishes in well under a second per megabyte.
func TestLargeInputs(t *testing.T) {
	texts := []string{
		strings.Repeat("1 rue de la Paix 12 Calle Mayor 5 ", 30000),
		strings.Repeat("+41 22 917 8000 06 12 34 56 78 ", 30000),
		strings.Repeat("a@b.co ", 100000) + strings.Repeat("x", 100000) + strings.Repeat("@", 100000),
		strings.Repeat("In 2015, 3 million. ", 50000),
		strings.Repeat("4°51'34\"N 31°34'17\"E -1.2921,36.8219 ", 20000),
		strings.Repeat("9", 1<<20),
		strings.Repeat("GB82 ", 200000),
	}
	for _, n := range Names() {
		d := mustNew(t, n, nil)
		for _, text := range texts {
			for _, m := range d.Detect(&Input{Text: text, Org: testOrg, Params: testParams, Now: testNow}) {
				if m.Start < 0 || m.Start > m.End || m.End > len(text) {
					t.Fatalf("%s: bad span %+v", n, m)
				}
			}
		}
	}
}
