// Command corpusmodels trains one model per clause family of the checker's
// evaluation corpus on its tune half only (internal/check/testdata/corpus),
// in English, French and Spanish at once: the family's drafts are the
// positives, every other draft of the half (clean posts and the other
// families) the negatives; and corpus-problem, every family's drafts
// against the clean posts, whose score each family's rule combines with its
// own (familydata.Problem). The L2 strength, the epochs and the header's
// threshold come from 5-fold cross-validation of the tune half; the test
// half is never read.
//
//	go run ./internal/classify/corpusmodels [-out DIR] [-report [-flagged] [-choose]] [-fresh DIR]
//
// -report also prints, per family, the held-out recall and the clean posts
// flagged over a grid of thresholds (of the combined score), alone and together with the default
// pack's other rules, for choosing the pack's thresholds; -flagged lists
// the tune clean posts each model rule flags held out; -choose picks the
// seven thresholds together for budgets of tune clean posts flagged
// (chooseThresholds). A draft and its translations share a fold (Group).
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/classify/familydata"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// Settings of every family model: 2^16 buckets keep each file at 128 KB;
// the corpus has too few drafts to fill more.
const (
	bucketBits = 16
	folds      = 5
	seed       = 1
	created    = "2026-12-05"
	// Cross-validation chose the weakest L2 strength and the most epochs
	// of the former grid (1e-6, 30) for most families; on the tune half of
	// 1,366 drafts this grid raised held-out average precision by 0.004 to
	// 0.012 per family (sides 0.875 to 0.886, internal 0.859 to 0.869,
	// contempt 0.818 to 0.830).
	maxEpochs = 80
)

var lambdas = []float64{1e-6, 3e-7, 1e-7, 3e-8}

// generalNegatives adds, to a family's negatives, the negative examples of
// a training split of the shared data: everyday text of the kind the
// family's drafts are not. Contempt learned from the corpus alone fired on
// one tweet in five of the TweetEval validation split, at chance.
var generalNegatives = map[string]string{
	"contempt": "tweeteval-offensive/train_text.txt",
	// Opinion learns from project accounts' drafts only (readBy), 3,000
	// of them: alone, it read most objective sentences of the
	// subjectivity dev split (film plots) as opinions (every 4.4(b) rule
	// there 0.55 precision, factual.model at 0.55).
	"opinion": "subjectivity/train.jsonl",
	// The other five, learned from the corpus alone, warned on everyday
	// text: a model rule fired on 35% of the subjectivity dev split's
	// objective sentences, taking sides on most (docs/QUALITY.md, "Text
	// unlike the corpus").
	"sides":                "subjectivity/train.jsonl",
	"internal":             "subjectivity/train.jsonl",
	"sensitive-event":      "subjectivity/train.jsonl",
	"movement":             "subjectivity/train.jsonl",
	"beneficiary-location": "subjectivity/train.jsonl",
	familydata.Problem:     "subjectivity/train.jsonl",
}

// flagged asks -report to list the tune clean posts each family's rule
// flags held out, at the default pack's threshold.
var flagged = flag.Bool("flagged", false, "with -report: list the tune clean posts each model rule flags held out, at the pack's threshold")

// choose asks -report to pick every family model's threshold at once
// (chooseThresholds) for a few budgets of tune clean posts flagged.
var choose = flag.Bool("choose", false, "with -report: choose the family models' thresholds together, for budgets of tune clean posts flagged held out")

// equal asks -report to compare models at equal clean posts flagged.
var equal = flag.String("equal", "", "with -report: family=N,...: print each family's held-out recall at the lowest threshold that flags at most N tune clean posts")

// fraction asks for a learning curve: models, held-out scores and choices
// from a share of the tune half's triplets (sample).
var fraction = flag.Float64("fraction", 1, "learn and measure on this share (0 to 1) of the tune half's triplets, for a learning curve")

// sampleSeed draws another sample of the same share, for the spread of a
// learning curve's points.
var sampleSeed = flag.Int("sample-seed", 0, "with -fraction: which sample of the triplets (0, 1, ...)")

// sample keeps the drafts of a share of the triplets (corpus.Group), chosen
// by a hash of the seed and the group, so that a draft's translations stay
// with it and, for one seed, a smaller share is a subset of a larger one.
func sample(items []corpus.Item, share float64, seed int) []corpus.Item {
	var kept []corpus.Item
	for _, it := range items {
		key := corpus.Group(it.ID)
		if seed != 0 {
			key = strconv.Itoa(seed) + ":" + key
		}
		h := sha256.Sum256([]byte(key))
		if float64(binary.BigEndian.Uint64(h[:8])>>11)/(1<<53) < share {
			kept = append(kept, it)
		}
	}
	return kept
}

// packThresholds is the default pack's threshold of each family model, and
// the account kinds its rule applies to (none: all).
func packThresholds() (map[string]float64, map[string][]string, error) {
	p, err := policy.Default()
	if err != nil {
		return nil, nil, err
	}
	out, kinds := map[string]float64{}, map[string][]string{}
	for _, r := range p.Rules {
		if c := r.Detect.Classifier; c != nil && strings.HasPrefix(c.Model, "corpus-") {
			out[strings.TrimPrefix(c.Model, "corpus-")] = c.Threshold
			kinds[strings.TrimPrefix(c.Model, "corpus-")] = r.Applies.Kinds
		}
	}
	return out, kinds, nil
}

// Name is the model name of a clause family.
func Name(family string) string { return "corpus-" + family }

func main() {
	dir := flag.String("corpus", "../check/testdata/corpus", "the evaluation corpus")
	shared := flag.String("shared", "../../../shared/testdata", "the shared data sets, for generalNegatives")
	out := flag.String("out", "models", "folder the models are written to")
	report := flag.Bool("report", false, "print held-out recall and clean posts flagged over a grid of thresholds")
	fresh := flag.String("fresh", "", "a folder of new drafts (tune/*.jsonl, not yet in the corpus): print the grid on them, for models trained without them")
	flag.Parse()
	if err := run(*dir, *shared, *out, *report, *fresh); err != nil {
		fmt.Fprintln(os.Stderr, "corpusmodels:", err)
		os.Exit(1)
	}
}

func run(dir, shared, out string, report bool, freshDir string) error {
	items, err := corpus.Load(dir, corpus.Tune)
	if err != nil {
		return err
	}
	if !(*fraction > 0 && *fraction <= 1) {
		return fmt.Errorf("-fraction %g: want a share above 0 and at most 1", *fraction)
	}
	if *fraction < 1 {
		n := len(items)
		items = sample(items, *fraction, *sampleSeed)
		fmt.Printf("learning curve: %d of %d tune drafts (a share of %g of the triplets, sample %d)\n", len(items), n, *fraction, *sampleSeed)
	}
	general := map[string][]classify.Example{}
	for family, file := range generalNegatives {
		ex, err := classify.ReadFile(filepath.Join(shared, file), "")
		if err != nil {
			return fmt.Errorf("%s: %w (the shared data sets: -shared DIR)", family, err)
		}
		for _, e := range ex {
			if !e.Label {
				general[family] = append(general[family], e)
			}
		}
	}
	budget := map[string]int{} // -equal
	for _, kv := range strings.Split(*equal, ",") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return fmt.Errorf("-equal: %q is not family=N", kv)
		}
		budget[k] = n
	}
	var found []bool // by the pack without the corpus models
	var may map[string][]bool
	if report {
		if found, err = rulesAlone(items); err != nil {
			return err
		}
		if may, err = allowed(items); err != nil {
			return err
		}
	}
	thresholds, kinds, err := packThresholds()
	if err != nil {
		return err
	}
	var fresh []corpus.Item
	var freshFound []bool
	if freshDir != "" {
		if fresh, err = corpus.Load(freshDir, corpus.Tune); err != nil {
			return err
		}
		if freshFound, err = rulesAlone(fresh); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := subjective(items, shared, out); err != nil {
		return err
	}
	// The problem model first: every family model's rule reads its score
	// combined with the family's (familydata.Problem).
	prob, problem, err := train(items, familydata.Problem, nil, general, out)
	if err != nil {
		return err
	}
	var held []heldOut
	for _, f := range corpus.Families {
		if f.Name == corpus.Clean {
			continue
		}
		cv, m, err := train(items, f.Name, kinds[f.Name], general, out)
		if err != nil {
			return err
		}
		if report {
			// What the rule reads: the geometric mean of the two models'
			// held-out scores; 0 where the rule does not read.
			raw := make([]float64, len(items))
			for i, sc := range cv {
				raw[i] = classify.Combined(sc, prob[i])
			}
			scores := slices.Clone(raw)
			if m := may[f.Name]; m != nil {
				for i := range scores {
					if !m[i] {
						scores[i] = 0
					}
				}
			}
			printGrid(items, f.Name, scores, found)
			held = append(held, heldOut{family: f.Name, scores: scores})
			if n, ok := budget[f.Name]; ok {
				printEqual(items, f.Name, raw, scores, found, n)
			}
			if t, ok := thresholds[f.Name]; ok && *flagged {
				for i, it := range items {
					if it.Family == corpus.Clean && scores[i] >= t {
						fmt.Printf("  flagged held out at %.2f (%.3f): %s %q\n", t, scores[i], it.ID, it.Text)
					}
				}
			}
		}
		if fresh != nil {
			scores := make([]float64, len(fresh))
			for i, it := range fresh {
				t := check.ModelText(it.Text, it.Account)
				scores[i] = classify.Combined(m.Score(it.Text, t), problem.Score(it.Text, t))
			}
			fmt.Println("  on the fresh drafts:")
			printGrid(fresh, f.Name, scores, freshFound)
		}
	}
	if report && *choose {
		printChoice(items, found, held)
	}
	if fresh != nil {
		return printFresh(fresh, out)
	}
	return nil
}

// train trains and writes family's model (cross-validated, TrainCV) on the
// drafts of items on an account of kinds. It returns the model's held-out
// scores by item (0 for the items its rule does not read) and the model.
func train(items []corpus.Item, family string, kinds []string, general map[string][]classify.Example, out string) ([]float64, *classify.Model, error) {
	// A model learns from the drafts its rule reads: the opinion rule
	// reads project accounts only, where a personal post's judgment is not
	// a negative.
	set := familydata.Examples(items, family, kinds, general[family])
	source := "internal/check/testdata/corpus/tune"
	if g := generalNegatives[family]; g != "" && len(general[family]) > 0 {
		source += " and the negatives of " + g
	}
	desc := fmt.Sprintf("drafts of the %s family (%s) against the other drafts of the checker's evaluation corpus, tune half, en/fr/es (the other families' drafts weigh %g), and each sentence of a clean post of several", family, shown(family), familydata.OtherWeight)
	if family == familydata.Problem {
		desc = "drafts of every clause family against the clean posts of the checker's evaluation corpus, tune half, en/fr/es, and each sentence of a clean post of several"
	}
	m, cv, err := classify.TrainCV(set.Examples, folds, classify.TrainOptions{
		Name: Name(family), Language: classify.Multilingual, Fold: check.Fold, Folding: check.FoldName,
		Description: desc, BucketBits: bucketBits, Seed: seed, MaxEpochs: maxEpochs, Lambdas: lambdas,
		TargetPrecision: 0.9, Created: created, TrainSource: source, Groups: set.Groups, Weights: set.Weights,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", family, err)
	}
	path := filepath.Join(out, Name(family)+".hmdl")
	data := m.Marshal()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return nil, nil, err
	}
	v := m.Header.Validation
	fmt.Printf("%s: %d drafts (%d positive), lambda %g, %d epochs; held out: average precision %.3f, threshold %.3f (precision %.3f, recall %.3f); %d bytes\n",
		path, len(set.Examples), v.Positives, cv.Lambda, cv.Epochs, cv.AP, m.Header.Threshold, v.Precision, v.Recall, len(data))
	if n := len(general[family]); n > 0 {
		fa := 0
		for _, sc := range cv.Scores[len(set.Drafts) : len(set.Drafts)+n] {
			if sc >= 0.25 {
				fa++
			}
		}
		fmt.Printf("  general negatives: %d of %d score 0.25 or more held out\n", fa, n)
	}
	scores := make([]float64, len(items))
	for j, i := range set.Index {
		scores[i] = cv.Scores[j]
	}
	return scores, m, nil
}

// shown is how the corpus names a family's clauses.
func shown(family string) string {
	for _, f := range corpus.Families {
		if f.Name == family {
			return f.Shown
		}
	}
	return ""
}

// printFresh checks the fresh drafts with the default pack and the models
// just trained (without them) in out: the whole checker, as it would
// stand with these models, on text it has not seen. It prints each
// family's recall, every clean post it flags and every positive it misses,
// with the rules that fire.
func printFresh(fresh []corpus.Item, out string) error {
	p, err := policy.Default()
	if err != nil {
		return err
	}
	lp := *p
	lp.Models = maps.Clone(p.Models)
	if lp.Models == nil {
		lp.Models = map[string]string{}
	}
	paths, err := filepath.Glob(filepath.Join(out, "*.hmdl"))
	if err != nil {
		return err
	}
	for _, path := range paths {
		lp.Models[strings.TrimSuffix(filepath.Base(path), ".hmdl")] = path
	}
	c, err := check.Compile(&lp, check.Options{Now: func() time.Time { return corpus.Date }})
	if err != nil {
		return err
	}
	found, total := map[string]int{}, map[string]int{}
	var flagged, missed []string
	for _, it := range fresh {
		rep := c.Check(it.Draft())
		total[it.Family]++
		if it.Found(rep) {
			found[it.Family]++
			continue
		}
		var rules []string
		for _, f := range rep.Findings {
			if f.Severity == model.SeverityWarning || f.Severity == model.SeverityError {
				rules = append(rules, f.Rule)
			}
		}
		line := fmt.Sprintf("  %s (%s): %q", it.ID, strings.Join(slices.Compact(slices.Sorted(slices.Values(rules))), ", "), it.Text)
		if it.Family == corpus.Clean {
			flagged = append(flagged, line)
		} else {
			missed = append(missed, line)
		}
	}
	fmt.Println("fresh drafts, the whole checker with these models (a clean post is found when it has no warning or error):")
	for _, f := range corpus.Families {
		if n := total[f.Name]; n > 0 {
			fmt.Printf("  %-22s %.3f (%d/%d)\n", f.Name, float64(found[f.Name])/float64(n), found[f.Name], n)
		}
	}
	if len(flagged) > 0 {
		fmt.Println("clean posts flagged:")
		fmt.Println(strings.Join(flagged, "\n"))
	}
	if len(missed) > 0 {
		fmt.Println("positives missed (with the rules that fired, of other clauses):")
		fmt.Println(strings.Join(missed, "\n"))
	}
	return nil
}

// rulesAlone reports, for each item, whether the default pack without the
// corpus models gets it right.
func rulesAlone(items []corpus.Item) ([]bool, error) {
	p, err := policy.Default()
	if err != nil {
		return nil, err
	}
	lp := *p
	lp.Rules = slices.Clone(p.Rules)
	for i := range lp.Rules {
		if c := lp.Rules[i].Detect.Classifier; c != nil && strings.HasPrefix(c.Model, "corpus-") {
			lp.Rules[i].Detect.Classifier = nil
			if len(lp.Rules[i].Detect.Terms) == 0 && len(lp.Rules[i].Detect.Frames) == 0 {
				lp.Rules[i].Disabled = true
			}
		}
	}
	c, err := check.Compile(&lp, check.Options{Now: func() time.Time { return corpus.Date }})
	if err != nil {
		return nil, err
	}
	found := make([]bool, len(items))
	for i, it := range items {
		found[i] = it.Found(c.Check(it.Draft()))
	}
	return found, nil
}

// allowed reports, for each item, whether the rule of each family model
// may fire on it: the rule applies to the account and none of its unless
// concepts is in the text. It checks with every model rule's threshold
// near 0, so that such a rule fires exactly where it is allowed to.
func allowed(items []corpus.Item) (map[string][]bool, error) {
	p, err := policy.Default()
	if err != nil {
		return nil, err
	}
	lp := *p
	lp.Rules = slices.Clone(p.Rules)
	rules := map[string]string{} // rule id → family
	for i := range lp.Rules {
		c := lp.Rules[i].Detect.Classifier
		if c == nil || !strings.HasPrefix(c.Model, "corpus-") {
			continue
		}
		cc := *c
		cc.Threshold = 1e-9
		lp.Rules[i].Detect.Classifier = &cc
		rules[lp.Rules[i].ID] = strings.TrimPrefix(c.Model, "corpus-")
	}
	c, err := check.Compile(&lp, check.Options{Now: func() time.Time { return corpus.Date }})
	if err != nil {
		return nil, err
	}
	out := map[string][]bool{}
	for _, f := range rules {
		out[f] = make([]bool, len(items))
	}
	for i, it := range items {
		for _, fd := range c.Check(it.Draft()).Findings {
			if f, ok := rules[fd.Rule]; ok {
				out[f][i] = true
			}
		}
	}
	return out, nil
}

// printEqual prints the family's held-out average precision against the
// clean posts alone (raw: the held-out scores the rule reads, combined
// with corpus-problem's), then, at the lowest threshold that flags at most
// n tune clean posts (scores: where the rule may fire), its recall by the
// model alone and with the rules, and the share of the other families'
// drafts the model flags there.
func printEqual(items []corpus.Item, family string, raw, scores []float64, found []bool, n int) {
	var vs []float64
	var labels []bool
	var clean []float64
	for i, it := range items {
		switch it.Family {
		case corpus.Clean:
			clean = append(clean, scores[i])
			fallthrough
		case family:
			vs, labels = append(vs, raw[i]), append(labels, it.Family == family)
		}
	}
	slices.Sort(clean)
	slices.Reverse(clean)
	bar := -1.0 // a score above bar is flagged
	if n < len(clean) {
		bar = clean[n]
	}
	var pos, alone, both, others, over int
	for i, it := range items {
		switch {
		case it.Family == family:
			pos++
			if scores[i] > bar {
				alone++
			}
			if scores[i] > bar || found[i] {
				both++
			}
		case it.Family != corpus.Clean:
			others++
			if scores[i] > bar {
				over++
			}
		}
	}
	fmt.Printf("  against clean posts alone: average precision %.3f; at most %d clean flagged: recall %.3f (model), %.3f (model+rules); other families' drafts flagged %.3f\n",
		classify.AveragePrecision(vs, labels), n, float64(alone)/float64(pos), float64(both)/float64(pos), float64(over)/float64(others))
}

// printGrid prints, per threshold, the family's held-out recall by the
// model alone and with the rules, and the clean posts the model flags
// (alone, and that the rules left clean).
func printGrid(items []corpus.Item, family string, scores []float64, found []bool) {
	fmt.Println("  threshold  recall(model)  recall(model+rules)  clean flagged(model)  clean newly flagged")
	pos, rulesHit := 0, 0
	for i, it := range items {
		switch it.Family {
		case family:
			pos++
			if found[i] {
				rulesHit++
			}
		}
	}
	fmt.Printf("  rules alone: recall %.3f (%d/%d)\n", float64(rulesHit)/float64(pos), rulesHit, pos)
	for _, t := range []float64{0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7} {
		var alone, both, fa, newFA int
		for i, it := range items {
			hit := scores[i] >= t
			switch it.Family {
			case family:
				if hit {
					alone++
				}
				if hit || found[i] {
					both++
				}
			case corpus.Clean:
				if hit {
					fa++
					if found[i] {
						newFA++
					}
				}
			}
		}
		fmt.Printf("  %9.2f  %13.3f  %19.3f  %20d  %19d\n", t, float64(alone)/float64(pos), float64(both)/float64(pos), fa, newFA)
	}
}

// subjective trains subjective-en (4.4(b)) on the Pang and Lee training
// split and the English drafts of the corpus's tune half (opinions against
// every other draft), choosing its settings and threshold on the dev split.
// The film sentences alone taught it that a project's "An amazing day at
// the new school." is a fact (score under 0.05).
func subjective(items []corpus.Item, shared, out string) error {
	train, err := classify.ReadFile(filepath.Join(shared, "subjectivity", "train.jsonl"), "")
	if err != nil {
		return fmt.Errorf("subjective-en: %w (the shared data sets: -shared DIR)", err)
	}
	for _, it := range items {
		if it.Lang == "en" {
			train = append(train, classify.Example{Text: it.Text, Label: it.Family == "opinion", Folded: check.ModelText(it.Text, it.Account)})
		}
	}
	dev, err := classify.ReadFile(filepath.Join(shared, "subjectivity", "dev.jsonl"), "")
	if err != nil {
		return err
	}
	m, err := classify.Train(train, dev, classify.TrainOptions{
		Name: "subjective-en", Language: "en", Fold: check.Fold, Folding: check.FoldName, Seed: seed,
		Description:     "opinions and judgments rather than facts (4.4(b)); Pang and Lee subjectivity data v1.0, research use, and the English drafts of the checker's evaluation corpus, tune half",
		TargetPrecision: 0.85, Created: created,
		TrainSource: "subjectivity/train.jsonl and internal/check/testdata/corpus/tune (en)", ValSource: "subjectivity/dev.jsonl",
	})
	if err != nil {
		return err
	}
	path := filepath.Join(out, "subjective-en.hmdl")
	data := m.Marshal()
	v := m.Header.Validation
	fmt.Printf("%s: %d examples (%d positive), lambda %g, %d epochs; on dev: threshold %.3f, precision %.3f, recall %.3f, average precision %.3f; %d bytes\n",
		path, len(train), m.Header.Training.Positives, m.Header.Training.Lambda, m.Header.Training.Epochs, m.Header.Threshold, v.Precision, v.Recall, v.AveragePrecision, len(data))
	return os.WriteFile(path, data, 0o644)
}
