package detect

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/herald-gov/herald/internal/testutil"
)

type presidioRecord struct {
	Text  string `json:"full_text"`
	Spans []struct {
		Type  string `json:"entity_type"`
		Start int    `json:"start_position"`
		End   int    `json:"end_position"`
	} `json:"spans"`
}

// TestPresidioQuality measures precision and recall of the personal-data
// detectors on the synthetic Presidio set. A prediction counts as right
// when it overlaps a gold span of its entity type; recall counts gold
// spans that some prediction overlaps. The floors are sane minimums, not
// the figures reached (those are logged and kept in docs/QUALITY.md).
func TestPresidioQuality(t *testing.T) {
	path := testutil.SharedFile(t, "presidio-synth/dev.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []presidioRecord
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		detector, entity        string
		minPrecision, minRecall float64
	}{
		{"phone", "PHONE_NUMBER", 0.8, 0.5},
		{"email", "EMAIL_ADDRESS", 0.9, 0.9},
		{"payment-card", "CREDIT_CARD", 0.9, 0.8},
		{"iban", "IBAN_CODE", 0.9, 0.9},
		{"street-address", "STREET_ADDRESS", 0.8, 0.2},
		{"national-id", "US_SSN", 0.8, 0.8},
	}
	for _, c := range cases {
		d := mustNew(t, c.detector, nil)
		var tp, fp, gold, hit int
		for _, r := range recs {
			// Presidio's offsets count code points; ours are bytes.
			idx := byteIndex(r.Text)
			matches := d.Detect(&Input{Text: r.Text, Org: testOrg, Params: testParams, Now: testNow})
			for _, s := range r.Spans {
				if s.Type != c.entity {
					continue
				}
				gold++
				missed := true
				for _, m := range matches {
					if m.Start < idx[s.End] && idx[s.Start] < m.End {
						hit++
						missed = false
						break
					}
				}
				if missed && testing.Verbose() {
					t.Logf("%s missed: %q", c.detector, r.Text[idx[s.Start]:idx[s.End]])
				}
			}
			for _, m := range matches {
				ok := false
				for _, s := range r.Spans {
					if s.Type == c.entity && m.Start < idx[s.End] && idx[s.Start] < m.End {
						ok = true
					}
				}
				if ok {
					tp++
				} else {
					fp++
					t.Logf("%s false positive: %q in %q", c.detector, r.Text[m.Start:m.End], r.Text)
				}
			}
		}
		precision, recall := ratio(tp, tp+fp), ratio(hit, gold)
		t.Logf("%-15s %-15s precision %.3f (%d/%d)  recall %.3f (%d/%d)", c.detector, c.entity, precision, tp, tp+fp, recall, hit, gold)
		if precision < c.minPrecision || recall < c.minRecall {
			t.Errorf("%s: precision %.3f recall %.3f below the floors %.2f/%.2f", c.detector, precision, recall, c.minPrecision, c.minRecall)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// byteIndex maps code point offsets to byte offsets (one past the end too).
func byteIndex(s string) []int {
	idx := make([]int, 0, len(s)+1)
	for i := range s {
		idx = append(idx, i)
	}
	return append(idx, len(s))
}
