package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// unlikeSets are everyday texts unlike the evaluation corpus, none of them
// a problem for the corpus models' clauses: the Presidio development
// sentences (personal data aside, plain requests and statements), the
// objective sentences of the subjectivity dev split and the non-offensive
// tweets of TweetEval's validation split (some of which take political
// sides, so 3.4(i) may rightly fire there).
var unlikeSets = []struct {
	name string
	read func(shared string) ([]string, error)
}{
	{"presidio-synth dev", func(shared string) ([]string, error) {
		docs, err := presidioDev(shared)
		out := make([]string, len(docs))
		for i, d := range docs {
			out[i] = d.Text
		}
		return out, err
	}},
	{"subjectivity dev, objective", func(shared string) ([]string, error) {
		return negatives(subjectivityDev(shared))
	}},
	{"tweeteval-offensive val, not offensive", func(shared string) ([]string, error) {
		return negatives(offensiveVal(shared))
	}},
}

// negatives keeps the texts of a labelled set that are not positive.
func negatives(set []labelled, err error) ([]string, error) {
	var out []string
	for _, l := range set {
		if !l.actual {
			out = append(out, l.text)
		}
	}
	return out, err
}

// unlikeCorpus prints how often the corpus models' rules warn on text
// unlike the corpus, each text checked as a country office's post: the
// share of texts with any such finding, then per rule.
func unlikeCorpus(w io.Writer, p *policy.Pack, c *check.Checker, shared string, markdown bool) error {
	var rules []string
	for _, r := range p.Rules {
		if cl := r.Detect.Classifier; cl != nil && strings.HasPrefix(cl.Model, "corpus-") && !r.Disabled {
			rules = append(rules, r.ID)
		}
	}
	slices.Sort(rules)
	fmt.Fprintln(w, "\ncorpus models on text unlike the corpus (each text a country office's post): texts with a finding")
	if markdown {
		fmt.Fprintf(w, "\n| set | texts | any | %s |\n|---|---:|---:|%s\n", strings.Join(rules, " | "), strings.Repeat("---:|", len(rules)))
	}
	for _, set := range unlikeSets {
		texts, err := set.read(shared)
		if err != nil {
			return fmt.Errorf("%s: %w", set.name, err)
		}
		per := make(map[string]int)
		anyRule := 0
		for _, t := range texts {
			rep := c.Check(model.Draft{Text: t, Account: model.DraftAccount{Kind: model.KindCountryOffice}})
			hit := false
			for _, id := range rules {
				if hasRule(rep, id) {
					per[id]++
					hit = true
				}
			}
			if hit {
				anyRule++
			}
		}
		cells := make([]string, len(rules))
		for i, id := range rules {
			cells[i] = fmt.Sprint(per[id])
		}
		if markdown {
			fmt.Fprintf(w, "| %s | %d | %s | %s |\n", set.name, len(texts), ratio(anyRule, len(texts)), strings.Join(cells, " | "))
			continue
		}
		fmt.Fprintf(w, "  %-40s %4d texts, any %s;", set.name, len(texts), ratio(anyRule, len(texts)))
		for i, id := range rules {
			fmt.Fprintf(w, " %s %s", id, cells[i])
		}
		fmt.Fprintln(w)
	}
	return nil
}
