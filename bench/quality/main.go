// Command quality measures the default policy pack's detectors against the
// shared data sets (../shared/testdata) and the project's own posts, and
// prints precision and recall per detector; then the evaluation corpus
// (internal/check/testdata/corpus): recall per clause family and language
// and the clean rate, on its test half unless -corpus tune; last, how often
// the corpus models' rules warn on everyday text unlike the corpus:
//
//	go run ./bench/quality [-shared DIR] [-markdown] [-corpus tune|test]
//
// The shared sets are development data written by others; they are read
// where they lie and never copied into the repository.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// showMistakes is how many misclassified texts to print per detector.
var showMistakes int

// row is one line of the result table.
type row struct {
	detector, dataset string
	tp, fp, fn        int
	shownFP, shownFN  int
}

// mistake prints a misclassified text when asked to, with what was found.
func (r *row) mistake(predicted, actual bool, text string, rep model.Report) {
	if predicted == actual || showMistakes == 0 {
		return
	}
	kind, n := "FN", &r.shownFN
	if predicted {
		kind, n = "FP", &r.shownFP
	}
	if *n >= showMistakes {
		return
	}
	*n++
	var found []string
	for _, f := range rep.Findings {
		found = append(found, f.Rule+"="+f.Excerpt)
	}
	fmt.Fprintf(os.Stderr, "%s %s: %q %v\n", r.detector, kind, text, found)
}

func (r row) precision() string { return ratio(r.tp, r.tp+r.fp) }
func (r row) recall() string    { return ratio(r.tp, r.tp+r.fn) }

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}

func main() {
	shared := flag.String("shared", "", "folder of the shared test data (default: ../shared/testdata beside the repository)")
	markdown := flag.Bool("markdown", false, "print a Markdown table")
	flag.IntVar(&showMistakes, "mistakes", 0, "print up to this many false positives and false negatives per detector (and per corpus family, tune half only), to stderr")
	half := flag.String("corpus", corpus.Test, "half of the evaluation corpus to measure: tune or test")
	flag.BoolVar(&terms, "terms", false, "also print, per classifier rule, what each term of its word list matches on the training split (for pruning terms that cost precision)")
	flag.BoolVar(&sweep, "sweep", false, "also print precision and recall of each classifier rule over a grid of thresholds (agree × threshold), for choosing them")
	flag.BoolVar(&opinionGrid, "opinion-grid", false, "also print English 4.4(b) over a grid of factual.opinion's threshold and agree: on dev, and held out on the corpus's tune half (retrains subjective-en five times)")
	flag.BoolVar(&joined, "joined", false, "also print how the checker reads long posts: drafts of the corpus half joined as paragraphs (tune half only)")
	flag.Parse()
	if err := run(*shared, *markdown, *half, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quality:", err)
		os.Exit(1)
	}
}

func run(shared string, markdown bool, half string, w io.Writer) error {
	if joined && half != corpus.Tune {
		return errors.New("-joined reads the tune half only (-corpus tune)")
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if shared == "" {
		shared = filepath.Join(root, "..", "shared", "testdata")
	}
	p, err := policy.Default()
	if err != nil {
		return err
	}
	c, err := check.Compile(p, check.Options{Now: time.Now})
	if err != nil {
		return err
	}

	lists, err := check.Compile(withoutClassifiers(p), check.Options{Now: time.Now})
	if err != nil {
		return err
	}

	var rows []row
	_, err = os.Stat(shared)
	haveShared := err == nil
	if !haveShared {
		fmt.Fprintf(w, "shared test data not found at %s (use -shared DIR): only the project's own posts are measured\n\n", shared)
	} else {
		// The rules with a classifier are measured three ways: the model
		// alone, the word lists alone, and both as the pack combines them.
		for _, eval := range []func(*check.Checker, string) ([]row, error){offensive, subjectivity} {
			for _, v := range []struct {
				c      *check.Checker
				suffix string
			}{{lists, " [lists]"}, {c, " [lists+model]"}} {
				rs, err := eval(v.c, shared)
				if err != nil {
					fmt.Fprintf(w, "skipped: %v\n", err)
					break
				}
				for i := range rs {
					rs[i].detector += v.suffix
				}
				rows = append(rows, rs...)
			}
		}
		rs, err := modelsAlone(p, shared)
		if err != nil {
			fmt.Fprintf(w, "skipped: %v\n", err)
		}
		rows = append(rows, rs...)
		if rs, err = personalData(c, shared); err != nil {
			fmt.Fprintf(w, "skipped: %v\n", err)
		}
		rows = append(rows, rs...)
		if sweep {
			if err := sweepThresholds(w, p, lists, shared); err != nil {
				fmt.Fprintf(w, "sweep skipped: %v\n", err)
			}
		}
		if opinionGrid {
			if err := printOpinionGrid(w, p, lists, shared, filepath.Join(root, "internal", "check", "testdata", "corpus")); err != nil {
				fmt.Fprintf(w, "opinion grid skipped: %v\n", err)
			}
		}
		if terms {
			if err := termPrecision(w, lists, shared); err != nil {
				fmt.Fprintf(w, "terms skipped: %v\n", err)
			}
		}
	}
	rs, err := ownPosts(c, filepath.Join(root, "internal", "check", "testdata", "posts"))
	if err != nil {
		return err
	}
	rows = append(rows, rs...)
	printTable(w, rows, markdown)
	if err := evalCorpus(p, filepath.Join(root, "internal", "check", "testdata", "corpus"), half, markdown, w); err != nil {
		return err
	}
	if joined {
		if err := joinedDrafts(w, p, filepath.Join(root, "internal", "check", "testdata", "corpus"), half); err != nil {
			return err
		}
	}
	if haveShared {
		return unlikeCorpus(w, p, c, shared, markdown)
	}
	return nil
}

// repoRoot finds the folder holding go.mod, from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the repository: no go.mod found above the working directory")
		}
		dir = parent
	}
}

func printTable(w io.Writer, rows []row, markdown bool) {
	if markdown {
		fmt.Fprintln(w, "| detector | dataset | TP | FP | FN | precision | recall |")
		fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
		for _, r := range rows {
			fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %s | %s |\n", r.detector, r.dataset, r.tp, r.fp, r.fn, r.precision(), r.recall())
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "detector\tdataset\tTP\tFP\tFN\tprecision\trecall\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t\n", r.detector, r.dataset, r.tp, r.fp, r.fn, r.precision(), r.recall())
	}
	tw.Flush()
}

// hasRule reports whether a report has a finding of one of the rules.
func hasRule(rep model.Report, rules ...string) bool {
	for _, f := range rep.Findings {
		if slices.Contains(rules, f.Rule) {
			return true
		}
	}
	return false
}

// hasClause reports whether a finding of the report cites clause.
func hasClause(rep model.Report, clause string) bool {
	for _, f := range rep.Findings {
		if f.Clause == clause {
			return true
		}
	}
	return false
}

// count adds one labelled prediction to r.
func (r *row) count(predicted, actual bool) {
	switch {
	case predicted && actual:
		r.tp++
	case predicted:
		r.fp++
	case actual:
		r.fn++
	}
}

func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n"), nil
}

// offensive measures the 3.4(n) rules, alone and with the dignity terms,
// and the 3.4(p) rule reading each tweet as the message a draft answers.
func offensive(c *check.Checker, shared string) ([]row, error) {
	set, err := offensiveVal(shared)
	if err != nil {
		return nil, err
	}
	const ds = "tweeteval-offensive"
	gen := row{detector: "3.4(n) generosity.*", dataset: ds}
	genDig := row{detector: "3.4(n)+3.4(h) generosity.*, dignity.language", dataset: ds}
	trolls := row{detector: "3.4(p) trolls.abusive-reply (tweet as reply_to)", dataset: ds}
	for _, l := range set {
		text, actual := l.text, l.actual
		rep := c.Check(model.Draft{Text: text, Account: model.DraftAccount{Kind: model.KindPersonal}})
		g := hasClause(rep, "3.4(n)")
		gen.count(g, actual)
		gen.mistake(g, actual, text, rep)
		genDig.count(g || hasRule(rep, "dignity.language"), actual)
		rep = c.Check(model.Draft{Text: "Thank you for your message.", ReplyTo: text, Account: model.DraftAccount{Kind: model.KindCorporate}})
		t := hasRule(rep, "trolls.abusive-reply")
		trolls.count(t, actual)
		trolls.mistake(t, actual, text, rep)
	}
	return []row{gen, genDig, trolls}, nil
}

// subjectivity measures the 4.4(b) rule: each sentence is checked as a
// project account's post, and "subjective" is the positive label.
func subjectivity(c *check.Checker, shared string) ([]row, error) {
	set, err := subjectivityDev(shared)
	if err != nil {
		return nil, err
	}
	r := row{detector: "4.4(b) factual.*", dataset: "subjectivity"}
	for _, l := range set {
		rep := c.Check(model.Draft{Text: l.text, Account: model.DraftAccount{Kind: model.KindProject}})
		o := hasClause(rep, "4.4(b)")
		r.count(o, l.actual)
		r.mistake(o, l.actual, l.text, rep)
	}
	return []row{r}, nil
}

// entityRules maps the personal-data set's entity types to our rules.
var entityRules = []struct{ entity, rule string }{
	{"PHONE_NUMBER", "safety.phone-number"},
	{"EMAIL_ADDRESS", "safety.email"},
	{"CREDIT_CARD", "safety.payment-card"},
	{"IBAN_CODE", "safety.iban"},
	{"STREET_ADDRESS", "safety.street-address"},
	{"US_SSN", "safety.national-id"},
}

type span struct{ start, end int }

func overlaps(a, b span) bool { return a.start < b.end && b.start < a.end }

// presidioDoc is a sentence of the Presidio development set with its
// labelled spans of personal data.
type presidioDoc struct {
	Text  string `json:"full_text"`
	Spans []struct {
		Entity string `json:"entity_type"`
		Value  string `json:"entity_value"`
		Start  int    `json:"start_position"`
		End    int    `json:"end_position"`
	} `json:"spans"`
}

// presidioDev reads the Presidio development set.
func presidioDev(shared string) ([]presidioDoc, error) {
	data, err := os.ReadFile(filepath.Join(shared, "presidio-synth", "dev.json"))
	if err != nil {
		return nil, fmt.Errorf("presidio-synth: %w", err)
	}
	var docs []presidioDoc
	if err := json.Unmarshal(data, &docs); err != nil {
		return nil, fmt.Errorf("presidio-synth/dev.json: %w", err)
	}
	return docs, nil
}

// personalData measures the 3.4(g) personal-data rules by span overlap: a
// labelled span is found when a finding of its rule overlaps it; a finding
// that overlaps no labelled span of its type is a false positive.
func personalData(c *check.Checker, shared string) ([]row, error) {
	docs, err := presidioDev(shared)
	if err != nil {
		return nil, err
	}
	rows := make([]row, len(entityRules))
	for i, er := range entityRules {
		rows[i] = row{detector: "3.4(g) " + er.rule + " (" + er.entity + ")", dataset: "presidio-synth"}
	}
	for _, d := range docs {
		rep := c.Check(model.Draft{Text: d.Text, Account: model.DraftAccount{Kind: model.KindPersonal}})
		for i, er := range entityRules {
			var gold, found []span
			for _, s := range d.Spans {
				if s.Entity == er.entity {
					gold = append(gold, byteSpan(d.Text, s.Start, s.End, s.Value))
				}
			}
			for _, f := range rep.Findings {
				if f.Rule == er.rule {
					found = append(found, span{f.Start, f.End})
				}
			}
			for _, g := range gold {
				if slices.ContainsFunc(found, func(f span) bool { return overlaps(f, g) }) {
					rows[i].tp++
				} else {
					rows[i].fn++
				}
			}
			for _, f := range found {
				if !slices.ContainsFunc(gold, func(g span) bool { return overlaps(f, g) }) {
					rows[i].fp++
				}
			}
		}
	}
	return rows, nil
}

// byteSpan converts a labelled span to byte offsets. The set's positions
// count characters (they equal bytes where the text is ASCII).
func byteSpan(text string, start, end int, value string) span {
	if start >= 0 && start <= end && end <= len(text) && text[start:end] == value {
		return span{start, end}
	}
	offset := func(chars int) int {
		n := 0
		for i := range text {
			if n == chars {
				return i
			}
			n++
		}
		return len(text)
	}
	return span{offset(start), offset(end)}
}

// ownPosts measures the whole pack on the project's own posts: a clean post
// with an error or warning finding is a false positive; a flagged post
// whose expected rules are all found is a true positive.
func ownPosts(c *check.Checker, dir string) ([]row, error) {
	type post struct {
		model.Draft
		Expect []string `json:"expect"`
	}
	read := func(name string) ([]post, error) {
		lines, err := readLines(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var ps []post
		for n, l := range lines {
			if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "//") {
				continue
			}
			var p post
			if err := json.Unmarshal([]byte(l), &p); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, n+1, err)
			}
			ps = append(ps, p)
		}
		return ps, nil
	}
	clean, err := read("clean.jsonl")
	if err != nil {
		return nil, err
	}
	flagged, err := read("flagged.jsonl")
	if err != nil {
		return nil, err
	}
	r := row{detector: "all rules (post level)", dataset: "own posts"}
	for _, p := range clean {
		bad := false
		for _, f := range c.Check(p.Draft).Findings {
			bad = bad || f.Severity != model.SeverityAdvice
		}
		r.count(bad, false)
	}
	for _, p := range flagged {
		rep := c.Check(p.Draft)
		all := true
		for _, want := range p.Expect {
			all = all && hasRule(rep, want)
		}
		r.count(all, true)
	}
	return []row{r}, nil
}

// corpusChecker loads a half of the evaluation corpus and compiles p to
// check it as of the corpus's date, as its stale-figure drafts expect.
func corpusChecker(p *policy.Pack, dir, half string) ([]corpus.Item, *check.Checker, error) {
	items, err := corpus.Load(dir, half)
	if err != nil {
		return nil, nil, err
	}
	c, err := check.Compile(p, check.Options{Now: func() time.Time { return corpus.Date }})
	return items, c, err
}

// evalCorpus prints the checker's recall per clause family and language and
// its clean rate on one half of the evaluation corpus. Drafts it gets wrong
// are printed for the tune half only: the test half is read for figures.
func evalCorpus(p *policy.Pack, dir, half string, markdown bool, w io.Writer) error {
	items, c, err := corpusChecker(p, dir, half)
	if err != nil {
		return err
	}
	s := corpus.Measure(items, c.Check)
	fmt.Fprintf(w, "\nEvaluation corpus, %s half (%d drafts), checked as of %s:\n\n", half, len(items), corpus.Date.Format(time.DateOnly))
	if err := s.Write(w, markdown); err != nil {
		return err
	}
	if showMistakes == 0 {
		return nil
	}
	if half != corpus.Tune {
		fmt.Fprintln(os.Stderr, "corpus: mistakes are shown for the tune half only (-corpus tune)")
		return nil
	}
	for _, f := range corpus.Families {
		for i, it := range s.Cell(f.Name, "").Misses {
			if i == showMistakes {
				break
			}
			var found []string
			for _, fd := range c.Check(it.Draft()).Findings {
				found = append(found, fd.Severity+" "+fd.Clause+" "+fd.Rule+"="+fd.Excerpt)
			}
			fmt.Fprintf(os.Stderr, "corpus %s %s %s (%s): %q %v\n", f.Name, it.ID, it.Lang, it.Account.Kind, it.Text, found)
		}
	}
	return nil
}
