package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"text/tabwriter"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/classify/familydata"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// opinionGrid asks for the English 4.4(b) grid: factual.opinion's threshold
// and agree measured on dev and, held out, on the corpus's tune half.
var opinionGrid bool

// Folds of the held-out measure.
const (
	opinionFolds     = 5
	opinionPrecision = 0.85 // the 4.4(b) target on dev
)

// englishOpinion is one text of the grid: its label, whether the lists-only
// pack flags it by factual.stance or by factual.opinion's terms, and its
// scores by subjective-en and corpus-opinion.
type englishOpinion struct {
	positive, project, stance, terms bool
	subjective, corpusOpinion        float64
}

// fires says whether the 4.4(b) rules flag x with factual.opinion at
// threshold t and agree a, and factual.model at m.
func (x englishOpinion) fires(t, a, m float64) bool {
	return x.stance || x.terms && x.subjective >= a || x.subjective >= t || x.corpusOpinion >= m
}

// printOpinionGrid prints, for a grid of factual.opinion's (threshold,
// agree), precision and recall on dev (with precision less two standard
// errors) and the English drafts of the corpus's tune half found and
// flagged, held out: subjective-en retrained over folds of those drafts
// with its embedded settings, corpus-opinion's cross-validated scores. The
// tune half trained both models, so its in-sample figures say nothing.
func printOpinionGrid(w io.Writer, p *policy.Pack, lists *check.Checker, shared, corpusDir string) error {
	items, err := corpus.Load(corpusDir, corpus.Tune)
	if err != nil {
		return err
	}
	train, err := classify.ReadFile(filepath.Join(shared, "subjectivity", "train.jsonl"), "")
	if err != nil {
		return err
	}
	dev, err := classify.ReadFile(filepath.Join(shared, "subjectivity", "dev.jsonl"), "")
	if err != nil {
		return err
	}
	subj, err := classify.Embedded("subjective-en")
	if err != nil {
		return err
	}
	co, err := classify.Embedded("corpus-opinion")
	if err != nil {
		return err
	}
	modelCl, _, err := ruleClassifier(p, "factual.model")
	if err != nil {
		return err
	}
	flagged := func(d model.Draft) (stance, terms bool) {
		rep := lists.Check(d)
		return hasRule(rep, "factual.stance"), hasRule(rep, "factual.opinion")
	}

	// Held-out subjective-en scores of the English tune drafts.
	sh := subj.Header
	opts := classify.TrainOptions{Name: sh.Name, Language: sh.Language, Fold: check.Fold, Folding: check.FoldName,
		BucketBits: sh.Features.BucketBits, Seed: sh.Training.Seed, TargetPrecision: sh.Validation.TargetPrecision, Created: sh.Created}
	rng := rand.New(rand.NewPCG(sh.Training.Seed, 0x6f70696e))
	fold := make([]int, len(items))
	for i := range fold {
		fold[i] = rng.IntN(opinionFolds)
	}
	held := make([]float64, len(items))
	for f := range opinionFolds {
		tr := slices.Clone(train)
		for i, it := range items {
			if it.Lang == "en" && fold[i] != f {
				tr = append(tr, classify.Example{Text: it.Text, Label: it.Family == "opinion", Folded: check.ModelText(it.Text, it.Account)})
			}
		}
		m, err := classify.Train(tr, dev, opts)
		if err != nil {
			return err
		}
		for i, it := range items {
			if it.Lang == "en" && fold[i] == f {
				held[i] = m.Score(it.Text, check.ModelText(it.Text, it.Account))
			}
		}
	}
	// corpus-opinion's held-out scores: the L2 strength and epochs its
	// header records, on the examples corpusmodels trains it on.
	var general []classify.Example
	for _, e := range train {
		if !e.Label {
			general = append(general, e)
		}
	}
	var kinds []string // factual.model's, as corpusmodels reads them
	for _, r := range p.Rules {
		if r.ID == "factual.model" {
			kinds = r.Applies.Kinds
		}
	}
	set := familydata.Examples(items, "opinion", kinds, general)
	at := make([]int, len(items)) // index in set.Examples of a project draft; -1 otherwise
	for i := range at {
		at[i] = -1
	}
	for j, i := range set.Index {
		at[i] = j
	}
	ch := co.Header
	cv, err := classify.CrossValidate(set.Examples, opinionFolds, classify.TrainOptions{Name: ch.Name, Language: ch.Language,
		Fold: check.Fold, Folding: check.FoldName, BucketBits: ch.Features.BucketBits, Seed: ch.Training.Seed,
		Lambdas: []float64{ch.Training.Lambda}, MaxEpochs: ch.Training.Epochs, Groups: set.Groups, Weights: set.Weights})
	if err != nil {
		return err
	}

	var tune, devSet []englishOpinion
	for i, it := range items {
		if it.Lang != "en" || it.Account.Kind != model.KindProject {
			continue
		}
		x := englishOpinion{positive: it.Family == "opinion", subjective: held[i], corpusOpinion: cv.Scores[at[i]]}
		x.stance, x.terms = flagged(it.Draft())
		tune = append(tune, x)
	}
	for _, e := range dev {
		f := check.Fold(e.Text)
		x := englishOpinion{positive: e.Label, subjective: subj.Score(e.Text, f), corpusOpinion: co.Score(e.Text, f)}
		x.stance, x.terms = flagged(model.Draft{Text: e.Text, Account: model.DraftAccount{Kind: model.KindProject}})
		devSet = append(devSet, x)
	}

	pos, neg := 0, 0
	for _, x := range tune {
		if x.positive {
			pos++
		} else {
			neg++
		}
	}
	fmt.Fprintf(w, "\n4.4(b) in English: factual.opinion's threshold and agree (factual.stance as in the pack, factual.model at %.2f)\n", modelCl.Threshold)
	fmt.Fprintf(w, "dev: %d sentences; tune half held out: %d English opinions, %d other English project drafts\n", len(devSet), pos, neg)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "threshold\tagree\tdev P\tP - 2 s.e.\tdev R\ttune opinions found\tothers flagged\t")
	for _, t := range []float64{0.5, 0.6, 0.75, 0.9} {
		for _, a := range []float64{0, 0.02, 0.05, 0.1, 0.2, 0.3, t} {
			var d row
			for _, x := range devSet {
				d.count(x.fires(t, a, modelCl.Threshold), x.positive)
			}
			found, others := 0, 0
			for _, x := range tune {
				switch {
				case x.fires(t, a, modelCl.Threshold) && x.positive:
					found++
				case x.fires(t, a, modelCl.Threshold):
					others++
				}
			}
			prec := float64(d.tp) / float64(max(d.tp+d.fp, 1))
			low := prec - 2*math.Sqrt(prec*(1-prec)/float64(max(d.tp+d.fp, 1)))
			mark := ""
			if low >= opinionPrecision {
				mark = " *"
			}
			fmt.Fprintf(tw, "%.2f\t%.2f\t%s\t%.3f%s\t%s\t%d / %d\t%d / %d\t\n", t, a, d.precision(), low, mark, d.recall(), found, pos, others, neg)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "* dev precision less two standard errors at or above %.2f; among those, the pack takes the most opinions found, then the fewest others flagged, then the most dev recall\n", opinionPrecision)
	return nil
}
