package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

// modelFlags parses a `herald model` subcommand's flags, which may follow
// its arguments; no positional arguments beyond want are accepted. help and
// errors as parseFlags.
func modelFlags(fs *flag.FlagSet, args []string, want int) (pos []string, help bool, err error) {
	pos, help, err = parseInterspersed(fs, args)
	if help || err != nil {
		return nil, help, err
	}
	if len(pos) > want {
		return nil, false, usageError("unexpected argument %q", pos[want])
	}
	return pos, false, nil
}

// trainDate is the day recorded in a new model: SOURCE_DATE_EPOCH when set
// (reproducible builds), else today in UTC.
func trainDate(env Env) (string, error) {
	if s := env.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return "", usageError("SOURCE_DATE_EPOCH %q is not a number of seconds", s)
		}
		return time.Unix(sec, 0).UTC().Format(time.DateOnly), nil
	}
	return time.Now().UTC().Format(time.DateOnly), nil
}

// source names a data file in a model header: its folder and name.
func source(path string) string {
	return filepath.ToSlash(filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path)))
}

// runModelTrain is `herald model train --data FILE --out FILE [--seed N]`.
func runModelTrain(ctx context.Context, env Env, args []string) error {
	fs := newFlags("model train", env)
	data := fs.String("data", "", "training data: JSON Lines of {\"text\", \"label\"}, or a TweetEval X_text.txt with X_labels.txt beside it")
	val := fs.String("val", "", "validation data, same formats (default: one example in ten of --data, held out by seed)")
	out := fs.String("out", "", "model file to write")
	seed := fs.Uint64("seed", 1, "seed of the example order (and of the held-out split)")
	name := fs.String("name", "", "model name (default: --out's base name)")
	lang := fs.String("language", "en", "language of the data")
	desc := fs.String("description", "", "what the model finds and what it was trained on")
	positive := fs.String("positive", "", "the positive label (default: 1, true, positive, offensive or subjective)")
	target := fs.Float64("target-precision", 0.8, "the threshold is the lowest that keeps this precision on the validation data")
	bits := fs.Int("bucket-bits", 18, "2^N hashed weights")
	created := fs.String("created", "", "day recorded in the model, YYYY-MM-DD (default: SOURCE_DATE_EPOCH's day, else today): the same data, seed and day give the same file")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: herald model train --data FILE [--val FILE] --out FILE [--seed N] [--name NAME] [--positive LABEL] [--created YYYY-MM-DD]\n\n"+
			"Trains a classifier deterministically: the L2 strength and the number of epochs are\n"+
			"chosen on the validation data, and so is the threshold.\n\nFlags:")
		fs.PrintDefaults()
	}
	if _, help, err := modelFlags(fs, args, 0); help || err != nil {
		return err
	}
	if *data == "" || *out == "" {
		return usageError("--data and --out are required")
	}
	if !(*target > 0 && *target < 1) {
		return usageError("--target-precision %v is not between 0 and 1", *target)
	}
	if *name == "" {
		*name = filepath.Base(*out)
		*name = (*name)[:len(*name)-len(filepath.Ext(*name))]
	}
	date, err := trainDate(env)
	if err != nil {
		return err
	}
	if *created != "" {
		if _, err := time.Parse(time.DateOnly, *created); err != nil {
			return usageError("--created %q is not a day (YYYY-MM-DD)", *created)
		}
		date = *created
	}
	train, err := classify.ReadFile(*data, *positive)
	if err != nil {
		return usageError("%v", err)
	}
	trainSrc, valSrc := source(*data), source(*data)+" (held out)"
	var held []classify.Example
	if *val != "" {
		if held, err = classify.ReadFile(*val, *positive); err != nil {
			return usageError("%v", err)
		}
		valSrc = source(*val)
	} else {
		train, held = classify.Split(train, *seed)
	}
	m, err := classify.Train(train, held, classify.TrainOptions{
		Name: *name, Language: *lang, Description: *desc, Fold: check.Fold, Folding: check.FoldName,
		BucketBits: *bits, Seed: *seed, TargetPrecision: *target, Created: date, TrainSource: trainSrc, ValSource: valSrc,
	})
	if err != nil {
		return usageError("%v", err)
	}
	file := m.Marshal()
	if err := os.WriteFile(*out, file, 0o644); err != nil {
		return err
	}
	h := m.Header
	v := h.Validation
	fmt.Fprintf(env.Stdout, "%s: %d examples (%d positive), lambda %g, %d epochs; on %d validation examples: threshold %.4f, precision %.3f, recall %.3f, average precision %.3f",
		*out, h.Training.Examples, h.Training.Positives, h.Training.Lambda, h.Training.Epochs, v.Examples, h.Threshold, v.Precision, v.Recall, v.AveragePrecision)
	if v.Precision < v.TargetPrecision {
		fmt.Fprintf(env.Stdout, " (precision %.2f is out of reach; the threshold gives the best F1)", v.TargetPrecision)
	}
	fmt.Fprintf(env.Stdout, "; %d bytes\n", len(file))
	return nil
}

// runModelShow is `herald model show FILE|NAME`: the model's header.
func runModelShow(ctx context.Context, env Env, args []string) error {
	fs := newFlags("model show", env)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: herald model show FILE|NAME\n\nPrints a model file's header, or an embedded model's (%v).\n", classify.EmbeddedNames())
	}
	pos, help, err := modelFlags(fs, args, 1)
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("name one model file or embedded model (%v)", classify.EmbeddedNames())
	}
	m, err := classify.Open(pos[0])
	if err != nil {
		return usageError("%v", err)
	}
	out, _ := json.MarshalIndent(struct {
		classify.Header
		Bytes  int    `json:"bytes"`
		SHA256 string `json:"sha256"`
	}{m.Header, m.Size(), m.Digest()}, "", "  ")
	fmt.Fprintf(env.Stdout, "%s\n", out)
	return nil
}

// runModelEval is `herald model eval --model FILE|NAME --data FILE`:
// precision and recall at the model's threshold and a threshold table.
func runModelEval(ctx context.Context, env Env, args []string) error {
	fs := newFlags("model eval", env)
	ref := fs.String("model", "", "model file, or the name of an embedded model")
	data := fs.String("data", "", "labelled data: JSON Lines of {\"text\", \"label\"}, or a TweetEval X_text.txt")
	positive := fs.String("positive", "", "the positive label (default: 1, true, positive, offensive or subjective)")
	threshold := fs.Float64("threshold", 0, "report this threshold too (default: the model's)")
	atPrecision := fs.Float64("at-precision", 0, "also report the threshold with the highest recall at this precision")
	atRecall := fs.Float64("at-recall", 0, "also report the threshold with the highest precision at this recall")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: herald model eval --model FILE|NAME --data FILE [--positive LABEL] [--threshold T] [--at-precision P] [--at-recall R]")
		fs.PrintDefaults()
	}
	if _, help, err := modelFlags(fs, args, 0); help || err != nil {
		return err
	}
	if *ref == "" || *data == "" {
		return usageError("--model and --data are required")
	}
	m, err := classify.Open(*ref)
	if err != nil {
		return usageError("%v", err)
	}
	if m.Header.Features.Folding != check.FoldName {
		return usageError("model %s was trained on text folded by %q; this Herald folds by %q", m.Header.Name, m.Header.Features.Folding, check.FoldName)
	}
	ex, err := classify.ReadFile(*data, *positive)
	if err != nil {
		return usageError("%v", err)
	}
	scores := make([]float64, len(ex))
	labels := make([]bool, len(ex))
	for i, e := range ex {
		scores[i] = m.Score(e.Text, check.Fold(e.Text))
		labels[i] = e.Label
	}
	pos := 0
	for _, l := range labels {
		if l {
			pos++
		}
	}
	fmt.Fprintf(env.Stdout, "model %s on %s: %d examples, %d positive; average precision %.3f\n\n",
		m.Header.Name, *data, len(ex), pos, classify.AveragePrecision(scores, labels))
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "threshold\tTP\tFP\tFN\tprecision\trecall\tF1\t")
	row := func(t float64, note string) {
		p := classify.At(scores, labels, t)
		fmt.Fprintf(w, "%.4f\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%s\n", t, p.TP, p.FP, p.FN, p.Precision, p.Recall, p.F1, note)
	}
	row(m.Header.Threshold, " the model's")
	if *threshold > 0 {
		row(*threshold, " asked")
	}
	if *atPrecision > 0 {
		if p, ok := classify.ChooseThreshold(scores, labels, *atPrecision); ok {
			row(p.Threshold, fmt.Sprintf(" most recall at precision %g", *atPrecision))
		} else {
			fmt.Fprintf(w, "\t\t\t\t\t\t\t no threshold reaches precision %g\n", *atPrecision)
		}
	}
	if *atRecall > 0 {
		if p, ok := classify.BestPrecision(scores, labels, *atRecall); ok {
			row(p.Threshold, fmt.Sprintf(" most precision at recall %g", *atRecall))
		} else {
			fmt.Fprintf(w, "\t\t\t\t\t\t\t no threshold reaches recall %g\n", *atRecall)
		}
	}
	for t := 5; t < 100; t += 5 {
		row(float64(t)/100, "")
	}
	return w.Flush()
}

// runModelExport is `herald model export --clause C --consent-of ADMIN`:
// the organization's review decisions on a clause as training data.
func runModelExport(ctx context.Context, env Env, args []string) error {
	fs := newFlags("model export", env)
	var db string
	dbFlag(fs, env, &db)
	clause := fs.String("clause", "", "the policy clause, as the pack numbers it: 4.4(b)")
	consent := fs.String("consent-of", "", "e-mail of the administrator who consents to the export (required; recorded in the audit trail)")
	out := fs.String("out", "-", "file to write, - for standard output")
	packPath := fs.String("pack", "", "policy pack file (default: the embedded pack)")
	overlay := fs.String("overlay", "", "overlay file applied on top of the pack")
	var kinds listFlag
	fs.Var(&kinds, "kind", "only drafts of accounts of this kind (repeatable; default: the kinds the clause's rules apply to)")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: herald model export --clause CLAUSE --consent-of ADMIN-EMAIL [--out FILE] [--kind K]\n\n"+
			"Writes review decisions as JSON Lines of {\"text\", \"label\"} for `herald model train`: drafts sent\n"+
			"back citing the clause are 1, drafts approved without a finding of it are 0. Personal data are\n"+
			"masked with the pack's detectors and @mentions become @user.\n\nFlags:")
		fs.PrintDefaults()
	}
	if _, help, err := modelFlags(fs, args, 0); help || err != nil {
		return err
	}
	if *clause == "" || *consent == "" {
		return usageError("--clause and --consent-of are required: review history leaves the database only with an administrator's consent")
	}
	chk, err := loadChecker(*packPath, *overlay)
	if err != nil {
		return err
	}
	p := chk.Pack()
	if p.Clause(*clause) == nil {
		return usageError("the pack has no clause %q", *clause)
	}
	if len(kinds) == 0 {
		all := false
		for _, r := range p.Rules {
			if r.Clause != *clause || r.Disabled {
				continue
			}
			all = all || len(r.Applies.Kinds) == 0
			for _, k := range r.Applies.Kinds {
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
		}
		if all {
			kinds = nil
		}
	}
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	admin, err := st.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(*consent)))
	if errs.Is(err, errs.NotFound) || err == nil && (admin.Role != model.RoleAdmin || admin.DisabledAt != nil) {
		return usageError("%s is not an active administrator; an export needs an administrator's consent", *consent)
	} else if err != nil {
		return err
	}
	examples, stats, err := review.ExportDecisions(ctx, st, *clause, kinds, chk.MaskPersonal)
	if err != nil {
		return err
	}
	w := env.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return usageError("%v", err)
		}
		defer f.Close()
		w = f
	}
	if err := classify.WriteJSONL(w, examples); err != nil {
		return err
	}
	summary := fmt.Sprintf("exported review decisions on %s as training data: %d sent back (positive), %d approved (negative), personal data masked; with the consent of %s",
		*clause, stats.Positives, stats.Negatives, admin.Email)
	if err := st.AppendAudit(ctx, model.AuditEvent{ActorID: admin.ID, ActorEmail: admin.Email, Action: "model.export",
		ObjectType: "clause", ObjectID: *clause, Summary: summary}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "%d positive, %d negative", stats.Positives, stats.Negatives)
	if stats.Edited > 0 {
		fmt.Fprintf(env.Stderr, "; %d drafts sent back citing %s were edited since and are left out (the text sent back is not kept)", stats.Edited, *clause)
	}
	fmt.Fprintln(env.Stderr)
	return nil
}
