package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// sweep asks for the threshold grid of each classifier rule, terms for
// what each term of its list matches on the training split.
var sweep, terms bool

// withoutClassifiers is a copy of p whose rules use their word lists only.
func withoutClassifiers(p *policy.Pack) *policy.Pack {
	lp := *p
	lp.Rules = slices.Clone(p.Rules)
	for i := range lp.Rules {
		lp.Rules[i].Detect.Classifier = nil
	}
	return &lp
}

// labelled is one text of a development set.
type labelled struct {
	text   string
	actual bool
}

// offensiveVal and subjectivityDev read the two development sets.
func offensiveVal(shared string) ([]labelled, error) {
	dir := filepath.Join(shared, "tweeteval-offensive")
	texts, err := readLines(filepath.Join(dir, "val_text.txt"))
	if err != nil {
		return nil, fmt.Errorf("tweeteval-offensive: %w", err)
	}
	labels, err := readLines(filepath.Join(dir, "val_labels.txt"))
	if err != nil {
		return nil, fmt.Errorf("tweeteval-offensive: %w", err)
	}
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("tweeteval-offensive: %d texts but %d labels", len(texts), len(labels))
	}
	out := make([]labelled, len(texts))
	for i := range texts {
		out[i] = labelled{texts[i], strings.TrimSpace(labels[i]) == "1"}
	}
	return out, nil
}

func subjectivityDev(shared string) ([]labelled, error) {
	f, err := os.Open(filepath.Join(shared, "subjectivity", "dev.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("subjectivity: %w", err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var s struct{ Text, Label string }
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, fmt.Errorf("subjectivity/dev.jsonl:%d: %w", n, err)
		}
		out = append(out, labelled{s.Text, s.Label == "subjective"})
	}
	return out, sc.Err()
}

// classifierRules are the default pack's rules with a model, the data set
// each is measured on and how a text of it is checked.
var classifierRules = []struct {
	rule, clause, dataset string
	read                  func(string) ([]labelled, error)
	draft                 func(string) model.Draft
}{
	{"generosity.insult", "3.4(n)", "tweeteval-offensive", offensiveVal,
		func(s string) model.Draft {
			return model.Draft{Text: s, Account: model.DraftAccount{Kind: model.KindPersonal}}
		}},
	{"trolls.abusive-reply", "3.4(p)", "tweeteval-offensive", offensiveVal,
		func(s string) model.Draft {
			return model.Draft{Text: "Thank you for your message.", ReplyTo: s, Account: model.DraftAccount{Kind: model.KindCorporate}}
		}},
	{"factual.opinion", "4.4(b)", "subjectivity", subjectivityDev,
		func(s string) model.Draft {
			return model.Draft{Text: s, Account: model.DraftAccount{Kind: model.KindProject}}
		}},
}

// ruleClassifier returns a rule's classifier settings and model.
func ruleClassifier(p *policy.Pack, id string) (*policy.Classifier, *classify.Model, error) {
	for _, r := range p.Rules {
		if r.ID != id || r.Detect.Classifier == nil {
			continue
		}
		cl := r.Detect.Classifier
		var m *classify.Model
		var err error
		if path, ok := p.Models[cl.Model]; ok {
			m, err = classify.LoadFile(path)
		} else {
			m, err = classify.Embedded(cl.Model)
		}
		return cl, m, err
	}
	return nil, nil, fmt.Errorf("rule %s has no classifier", id)
}

// modelsAlone measures each classifier rule's model by itself at the
// rule's threshold.
func modelsAlone(p *policy.Pack, shared string) ([]row, error) {
	var rows []row
	for _, cr := range classifierRules {
		cl, m, err := ruleClassifier(p, cr.rule)
		if err != nil {
			return rows, err
		}
		data, err := cr.read(shared)
		if err != nil {
			return rows, err
		}
		// At the threshold the model file records (chosen on this set for
		// its target precision), and at the rule's, when it sets its own.
		ts := []float64{m.Header.Threshold}
		if cl.Threshold != 0 && cl.Threshold != m.Header.Threshold {
			ts = append(ts, cl.Threshold)
		}
		scores := make([]float64, len(data))
		for i, l := range data {
			scores[i] = m.Score(l.text, check.Fold(l.text))
		}
		for k, t := range ts {
			what := "the model's"
			if k > 0 {
				what = cr.rule + "'s"
			}
			r := row{detector: fmt.Sprintf("%s %s alone (score ≥ %.2f, %s threshold)", cr.clause, m.Header.Name, t, what), dataset: cr.dataset}
			for i, l := range data {
				r.count(scores[i] >= t, l.actual)
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// sweepThresholds prints, per classifier rule, precision and recall on its
// development set for a grid of (agree, threshold): a list hit counts when
// the score reaches agree, the model alone when it reaches threshold. The
// list hits come from the pack without classifiers; every text of these
// sets is English, so the model always has its say.
func sweepThresholds(w io.Writer, p *policy.Pack, lists *check.Checker, shared string) error {
	for _, cr := range classifierRules {
		_, m, err := ruleClassifier(p, cr.rule)
		if err != nil {
			return err
		}
		data, err := cr.read(shared)
		if err != nil {
			return err
		}
		hit := make([]bool, len(data))
		score := make([]float64, len(data))
		for i, l := range data {
			hit[i] = hasRule(lists.Check(cr.draft(l.text)), cr.rule)
			score[i] = m.Score(l.text, check.Fold(l.text))
		}
		fmt.Fprintf(w, "\n%s %s with %s on %s: precision/recall by agree (rows) and threshold (columns)\n", cr.clause, cr.rule, m.Header.Name, cr.dataset)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		thresholds := []float64{0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.01}
		fmt.Fprint(tw, "agree\\threshold\t")
		for _, t := range thresholds {
			if t > 1 {
				fmt.Fprint(tw, "lists only\t")
			} else {
				fmt.Fprintf(tw, "%.2f\t", t)
			}
		}
		fmt.Fprintln(tw)
		for _, a := range []float64{0, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5} {
			fmt.Fprintf(tw, "%.3g\t", a)
			for _, t := range thresholds {
				var r row
				for i, l := range data {
					r.count(hit[i] && score[i] >= a || score[i] >= t, l.actual)
				}
				fmt.Fprintf(tw, "%s/%s\t", r.precision(), r.recall())
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	return nil
}

// trainSets are the training splits of the shared sets, for judging list
// terms: a term is kept or dropped on what it does there, never on val/dev.
var trainSets = map[string]func(string) ([]labelled, error){
	"tweeteval-offensive": func(shared string) ([]labelled, error) {
		ex, err := classify.ReadFile(filepath.Join(shared, "tweeteval-offensive", "train_text.txt"), "")
		return fromExamples(ex), err
	},
	"subjectivity": func(shared string) ([]labelled, error) {
		ex, err := classify.ReadFile(filepath.Join(shared, "subjectivity", "train.jsonl"), "")
		return fromExamples(ex), err
	},
}

func fromExamples(ex []classify.Example) []labelled {
	out := make([]labelled, len(ex))
	for i, e := range ex {
		out[i] = labelled{e.Text, e.Label}
	}
	return out
}

// termPrecision prints, for each classifier rule, the terms of its word
// list that match texts of the training split, with how many of those texts
// are positive: the terms that cost precision.
func termPrecision(w io.Writer, lists *check.Checker, shared string) error {
	for _, cr := range classifierRules {
		data, err := trainSets[cr.dataset](shared)
		if err != nil {
			return err
		}
		type count struct{ pos, neg int }
		counts := map[string]*count{}
		for _, l := range data {
			seen := map[string]bool{}
			for _, f := range lists.Check(cr.draft(l.text)).Findings {
				term := strings.ToLower(f.Excerpt)
				if f.Rule != cr.rule || seen[term] {
					continue
				}
				seen[term] = true
				c := counts[term]
				if c == nil {
					c = &count{}
					counts[term] = c
				}
				if l.actual {
					c.pos++
				} else {
					c.neg++
				}
			}
		}
		terms := make([]string, 0, len(counts))
		for t := range counts {
			terms = append(terms, t)
		}
		slices.SortFunc(terms, func(a, b string) int { return counts[b].neg - counts[a].neg })
		fmt.Fprintf(w, "\n%s %s on the training split of %s: texts matched by each term, positive/negative (most negatives first)\n", cr.clause, cr.rule, cr.dataset)
		for _, t := range terms {
			c := counts[t]
			fmt.Fprintf(w, "  %-28s %5d %5d  %.2f\n", t, c.pos, c.neg, float64(c.pos)/float64(c.pos+c.neg))
		}
	}
	return nil
}
