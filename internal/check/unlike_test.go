package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// TestCorpusModelsOnTextUnlikeCorpus checks the corpus models' rules on
// the Presidio development sentences (plain requests and statements, with
// personal data), none of which takes sides, leaks, tells an incident or
// scorns anyone: trained on the corpus alone, the models warned on 37% of
// them, most as taking sides. The bound leaves room for the models'
// retraining; bench/quality prints the figure and two other sets.
func TestCorpusModelsOnTextUnlikeCorpus(t *testing.T) {
	texts, err := sharedTexts(filepath.Join(sharedTestdata, "presidio-synth", "dev.json"))
	if os.IsNotExist(err) {
		t.Skip("the shared test data is absent")
	} else if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	modelRules := map[string]bool{}
	for _, r := range p.Rules {
		if c := r.Detect.Classifier; c != nil && strings.HasPrefix(c.Model, "corpus-") {
			modelRules[r.ID] = true
		}
	}
	c, err := Compile(p, Options{Now: func() time.Time { return corpus.Date }})
	if err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for _, text := range texts {
		for _, f := range c.Check(model.Draft{Text: text, Account: model.DraftAccount{Kind: model.KindCountryOffice}}).Findings {
			if modelRules[f.Rule] {
				flagged++
				break
			}
		}
	}
	const bound = 0.15
	share := float64(flagged) / float64(len(texts))
	t.Logf("corpus model rules warn on %d of %d sentences (%.3f)", flagged, len(texts), share)
	if len(texts) < 400 || share > bound {
		t.Errorf("corpus model rules warn on %d of %d Presidio sentences (%.3f), more than %.2f", flagged, len(texts), share, bound)
	}
}
