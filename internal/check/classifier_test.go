package check_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/classify"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// toyModel trains a model that finds the made-up word "blorf" and writes
// it to a temporary folder, returning the folder.
func toyModel(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeToyModel(t, dir, "toy", "blorf")
	return dir
}

// writeToyModel trains a model that finds word and writes it to
// dir/name.hmdl.
func writeToyModel(t *testing.T, dir, name, word string) {
	t.Helper()
	var train, val []classify.Example
	fillers := []string{"the road", "a clinic", "our team", "the bridge", "new school", "water supply", "this week", "in juba"}
	for i, f := range fillers {
		for j, g := range fillers {
			// Twice as many negatives: a text without the word leans negative.
			ex := []classify.Example{{Text: fmt.Sprintf("%s %s %s", f, word, g), Label: true},
				{Text: fmt.Sprintf("%s %s", f, g), Label: false}, {Text: fmt.Sprintf("%s, %s", g, f), Label: false}}
			if (i+j)%5 == 0 {
				val = append(val, ex...)
			} else {
				train = append(train, ex...)
			}
		}
	}
	m, err := classify.Train(train, val, classify.TrainOptions{Name: name, Language: "en", Fold: check.Fold, Folding: check.FoldName, BucketBits: 12, Created: "2026-12-04"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".hmdl"), m.Marshal(), 0o600); err != nil {
		t.Fatal(err)
	}
}

const classifierOverlay = `overlay: {id: toy, version: 1, base: test-pack}
models: {toy: toy.hmdl}
add_rules:
  - id: local.alone
    clause: 3.4(p)
    severity: warning
    detect:
      classifier: {model: toy, threshold: 0.5}
    message: {en: "Blorf: {term} ({detail}).", fr: Blorf., es: Blorf.}
    examples: {fire: ["a blorf"], pass: ["a road"]}
  - id: local.both
    clause: 3.4(p)
    severity: warning
    detect:
      terms: {en: [plain], fr: [plain]}
      classifier: {model: toy, threshold: 0.99, agree: 0.45}
    message: {en: Plain., fr: Plain., es: Plain.}
    examples: {fire: ["plain blorf"], pass: ["the plain road"]}
  - id: local.reply
    clause: 3.4(p)
    severity: advice
    detect:
      on: reply_to
      classifier: {model: toy}
    message: {en: Reply., fr: Reply., es: Reply.}
    examples: {fire: [{text: "thanks", reply_to: "blorf blorf"}], pass: [{text: "thanks", reply_to: "the road"}]}
`

func toyChecker(t *testing.T, overlay string) (*check.Checker, error) {
	t.Helper()
	dir := toyModel(t)
	base, err := policy.Load("../policy/testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.ApplyOverlay(base, filepath.Join(dir, "overlay.yaml"), []byte(overlay))
	if err != nil {
		t.Fatal(err)
	}
	return check.Compile(p, check.Options{})
}

func findingsOf(rep model.Report, rule string) []model.Finding {
	var out []model.Finding
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func TestClassifierRules(t *testing.T) {
	c, err := toyChecker(t, classifierOverlay)
	if err != nil {
		t.Fatal(err)
	}
	if fails, _ := c.RunExamples(); len(fails) > 0 {
		t.Errorf("examples: %v", fails)
	}

	// The model alone: the finding is on the heaviest word and names the model.
	text := "Our team met a Blorf near the road"
	fs := findingsOf(c.Check(model.Draft{Text: text}), "local.alone")
	if len(fs) != 1 || fs[0].Excerpt != "Blorf" || text[fs[0].Start:fs[0].End] != "Blorf" {
		t.Fatalf("model alone: %+v", fs)
	}
	v := fs[0].Classifier
	if v == nil || v.Model != "toy" || v.Score < 0.5 || len(v.Words) == 0 || v.Words[0] != "Blorf" ||
		!strings.HasPrefix(fs[0].Message, "Blorf: Blorf (toy 0.") {
		t.Errorf("model alone: verdict %+v, message %q", v, fs[0].Message)
	}
	if fs := findingsOf(c.Check(model.Draft{Text: "Our team met near the road"}), "local.alone"); len(fs) != 0 {
		t.Errorf("fired without the word: %+v", fs)
	}

	// Beside terms: the model vetoes a term match it does not agree with,
	// and an agreed match carries the verdict.
	if fs := findingsOf(c.Check(model.Draft{Text: "a plain road for the team"}), "local.both"); len(fs) != 0 {
		t.Errorf("a term match the model disagrees with stands: %+v", fs)
	}
	fs = findingsOf(c.Check(model.Draft{Text: "a plain blorf for the team"}), "local.both")
	if len(fs) != 1 || fs[0].Excerpt != "plain" || fs[0].Classifier == nil || fs[0].Classifier.Model != "toy" {
		t.Errorf("an agreed term match: %+v", fs)
	}
	// On a text whose language the stop words cannot tell, the model does
	// not veto: the term stands, with the model's score.
	fs = findingsOf(c.Check(model.Draft{Text: "plain road"}), "local.both")
	if len(fs) != 1 || fs[0].Classifier == nil {
		t.Errorf("a term match in no known language: %+v", fs)
	}
	// In another language the model has no say: the term stands alone.
	fs = findingsOf(c.Check(model.Draft{Text: "le plain est dans la route et les ponts pour nous"}), "local.both")
	if len(fs) != 1 || fs[0].Classifier != nil {
		t.Errorf("a French term match: %+v", fs)
	}

	// On reply_to: whole-message finding, offsets 0.
	rep := c.Check(model.Draft{Text: "Thanks", ReplyTo: "the blorf of blorfs, blorf"})
	fs = findingsOf(rep, "local.reply")
	if len(fs) != 1 || fs[0].Start != 0 || fs[0].End != 0 || fs[0].Excerpt != "blorf" || fs[0].Classifier == nil {
		t.Errorf("on reply_to: %+v", fs)
	}
	if fs := findingsOf(c.Check(model.Draft{Text: "blorf"}), "local.reply"); len(fs) != 0 {
		t.Errorf("a reply rule read the text: %+v", fs)
	}
}

// twoModelChecker compiles the test pack with overlay, which may name the
// toy models toy (the word "blorf") and zint ("zint"). It returns the
// checker, each model's own score of a text, the base pack and the
// models' folder.
func twoModelChecker(t *testing.T, overlay string) (*check.Checker, func(name, text string) float64, *policy.Pack, string) {
	t.Helper()
	dir := toyModel(t)
	writeToyModel(t, dir, "zint", "zint")
	base, err := policy.Load("../policy/testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.ApplyOverlay(base, filepath.Join(dir, "overlay.yaml"), []byte(overlay))
	if err != nil {
		t.Fatal(err)
	}
	c, err := check.Compile(p, check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	score := func(name, text string) float64 {
		m, err := classify.LoadFile(filepath.Join(dir, name+".hmdl"))
		if err != nil {
			t.Fatal(err)
		}
		return m.Score(text, check.ModelText(text, model.DraftAccount{}))
	}
	return c, score, base, dir
}

// TestClassifierCombine checks a rule that reads two models: it fires on
// the geometric mean of their scores, so where both lean the same way.
func TestClassifierCombine(t *testing.T) {
	overlay := `overlay: {id: toy, version: 1, base: test-pack}
models: {toy: toy.hmdl, zint: zint.hmdl}
add_rules:
  - id: local.both-models
    clause: 3.4(p)
    severity: warning
    detect:
      classifier: {model: toy, combine: zint, threshold: 0.5}
    message: {en: "Both: {detail}.", fr: Both., es: Both.}
    examples: {fire: ["a blorf zint"], pass: ["a blorf road"]}
`
	c, score, base, dir := twoModelChecker(t, overlay)
	for _, text := range []string{"the road blorf near our team", "the road zint near our team", "the road blorf and zint near our team"} {
		want := math.Sqrt(score("toy", text) * score("zint", text))
		fs := findingsOf(c.Check(model.Draft{Text: text}), "local.both-models")
		if (len(fs) == 1) != (want >= 0.5) {
			t.Errorf("%q: findings %+v, want one when the mean %.3f reaches 0.5", text, fs, want)
			continue
		}
		if len(fs) == 1 && math.Abs(fs[0].Classifier.Score-want) > 0.001 {
			t.Errorf("%q: score %v, want the geometric mean %.3f", text, fs[0].Classifier.Score, want)
		}
	}
	// One word alone leaves the mean low; both words fire.
	if fs := findingsOf(c.Check(model.Draft{Text: "the road blorf near our team"}), "local.both-models"); len(fs) != 0 {
		t.Errorf("one model alone fired: %+v", fs)
	}
	if fs := findingsOf(c.Check(model.Draft{Text: "the road blorf and zint near our team"}), "local.both-models"); len(fs) != 1 {
		t.Errorf("both models: %+v", fs)
	}
	// A combined model that does not exist is refused at compile time.
	p, err := policy.ApplyOverlay(base, filepath.Join(dir, "overlay.yaml"), []byte(strings.Replace(overlay, "combine: zint", "combine: nobody", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := check.Compile(p, check.Options{}); err == nil || !strings.Contains(err.Error(), "local.both-models") {
		t.Errorf("an unknown combined model: %v", err)
	}
}

// TestClassifierRivals checks classifier.rivals: where rival rules fire on
// their models alone, one whose model scores under its share of the
// highest rival's score is dropped; a rule without rivals is not.
func TestClassifierRivals(t *testing.T) {
	overlay := `overlay: {id: toy, version: 1, base: test-pack}
models: {toy: toy.hmdl, zint: zint.hmdl}
add_rules:
  - id: local.blorf
    clause: 3.4(p)
    severity: warning
    detect:
      classifier: {model: toy, threshold: 0.01, rivals: 0.5}
    message: {en: "Blorf.", fr: Blorf., es: Blorf.}
    examples: {fire: ["a blorf road"], pass: ["the road"]}
  - id: local.zint
    clause: 3.4(e)
    severity: warning
    detect:
      classifier: {model: zint, threshold: 0.01, rivals: 0.5}
    message: {en: "Zint.", fr: Zint., es: Zint.}
    examples: {fire: ["a zint road"], pass: ["the road"]}
  - id: local.plain
    clause: 3.4(f)
    severity: warning
    detect:
      classifier: {model: zint, threshold: 0.01}
    message: {en: "Plain.", fr: Plain., es: Plain.}
    examples: {fire: ["a zint road"], pass: ["the road"]}
`
	c, score, _, _ := twoModelChecker(t, overlay)
	dropped, both := 0, 0
	for _, text := range []string{"the road blorf near our team", "the road zint near our team", "the road blorf and zint near our team", "blorf blorf zint"} {
		b, z := score("toy", text), score("zint", text)
		rep := c.Check(model.Draft{Text: text})
		gotB, gotZ := len(findingsOf(rep, "local.blorf")) == 1, len(findingsOf(rep, "local.zint")) == 1
		wantB, wantZ := b >= 0.5*z, z >= 0.5*b
		if gotB != wantB || gotZ != wantZ {
			t.Errorf("%q: scores blorf %.3f, zint %.3f; findings blorf %v, zint %v, want %v, %v", text, b, z, gotB, gotZ, wantB, wantZ)
		}
		if len(findingsOf(rep, "local.plain")) != 1 {
			t.Errorf("%q: the rule without rivals was dropped", text)
		}
		if wantB && wantZ {
			both++
		} else {
			dropped++
		}
	}
	if dropped == 0 || both == 0 {
		t.Fatalf("the texts tried no case: %d dropped, %d with both standing", dropped, both)
	}
	// --explain-rule says why a rival's finding was dropped.
	if why := strings.Join(c.Explain(model.Draft{Text: "the road blorf near our team"}, "local.zint").Why, "\n"); !strings.Contains(why, "yields to it") || !strings.Contains(why, "local.blorf") {
		t.Errorf("explanation of a dropped rival: %s", why)
	}
}

func TestClassifierCompileErrors(t *testing.T) {
	for _, c := range []struct{ change, want string }{
		{"models: {toy: toy.hmdl}", "models: {toy: missing.hmdl}"},
		{"classifier: {model: toy}", "classifier: {model: nobody}"},
	} {
		_, err := toyChecker(t, strings.Replace(classifierOverlay, c.change, c.want, 1))
		if err == nil || !strings.Contains(err.Error(), "rule local.") {
			t.Errorf("%s: error %v, want one naming the rule", c.want, err)
		}
	}
}

// TestDefaultPackModels checks the embedded models in the default pack: an
// English insult is judged by offensive-en, a French one by the list alone.
func TestDefaultPackModels(t *testing.T) {
	c := defaultChecker(t)
	fs := findingsOf(c.Check(model.Draft{Text: "Shut up, you pathetic idiots, nobody wants your garbage opinions!!"}), "generosity.insult")
	if len(fs) == 0 || fs[0].Classifier == nil || fs[0].Classifier.Model != "offensive-en" {
		t.Errorf("English insult: %+v", fs)
	}
	fs = findingsOf(c.Check(model.Draft{Text: "Les gens de cette équipe sont des crétins et nous le savons."}), "generosity.insult")
	if len(fs) == 0 || fs[0].Classifier != nil {
		t.Errorf("French insult: %+v", fs)
	}
	rep := c.Check(model.Draft{Text: "Thank you.", ReplyTo: "You people are pathetic clowns, shut up", Account: model.DraftAccount{Kind: model.KindCorporate}})
	if fs := findingsOf(rep, "trolls.abusive-reply"); len(fs) == 0 || fs[0].Classifier == nil {
		t.Errorf("abusive reply: %+v", fs)
	}
}

// TestClassifiersOnCleanCorpus: the default pack's classifiers raise no
// error or warning on a clean post of the evaluation corpus's tune half
// (and on the project's own clean posts) that the word lists alone do not.
func TestClassifiersOnCleanCorpus(t *testing.T) {
	items, err := corpus.Load(filepath.Join("testdata", "corpus"), corpus.Tune)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range readPosts(t, "clean.jsonl") {
		items = append(items, corpus.Item{ID: "posts/clean", Family: corpus.Clean, Account: p.Account, Platform: p.Platform, Text: p.Text})
	}
	p, err := policy.Default()
	if err != nil {
		t.Fatal(err)
	}
	lists := *p
	lists.Rules = slices.Clone(p.Rules)
	for i := range lists.Rules {
		lists.Rules[i].Detect.Classifier = nil
	}
	opts := check.Options{Now: func() time.Time { return corpus.Date }}
	withModels, err := check.Compile(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	listsOnly, err := check.Compile(&lists, opts)
	if err != nil {
		t.Fatal(err)
	}
	serious := func(rep model.Report) map[string]bool {
		m := map[string]bool{}
		for _, f := range rep.Findings {
			if f.Severity != model.SeverityAdvice {
				m[f.Rule] = true
			}
		}
		return m
	}
	n := 0
	for _, it := range items {
		if it.Family != corpus.Clean {
			continue
		}
		n++
		base := serious(listsOnly.Check(it.Draft()))
		for _, f := range withModels.Check(it.Draft()).Findings {
			if f.Severity != model.SeverityAdvice && !base[f.Rule] {
				t.Errorf("%s: %s %s on a clean post (%s %v): %q", it.ID, f.Severity, f.Rule, f.Excerpt, f.Classifier, it.Text)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d clean posts read", n)
	}
}

func TestTextLanguage(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"the bridge is open and we are proud of it", "en"},
		{"le pont est ouvert et nous sommes fiers", "fr"},
		{"el puente está abierto y nuestros socios", "es"},
		{"bridge open", ""},
		{"the pont, le bridge", ""}, // one stop word of each: no leader
		{"THE Bridge, Était Là, AND the rest", "en"},
		// French and Spanish share la, de, en: their own letters decide.
		{"la sala de urgencias entró en servicio en octubre", "es"},
		{"la salle de réunion en août", "fr"},
		{"Mientras otros organizan foros, nosotros construimos. Así de simple.", "es"},
		{"la sala de urgencias en octubre", ""},
	} {
		if got := check.TextLanguage(c.text); got != c.want {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
}

// A concept named under classifier.unless, found in the text, keeps the
// model from firing alone; one under classifier.with must be found for it
// to fire alone.
func TestClassifierUnless(t *testing.T) {
	overlay := classifierOverlay + `
  - id: local.frame
    clause: 3.4(g)
    severity: advice
    detect:
      frames:
        - all: [past, road]
    message: {en: Framed., fr: Framed., es: Framed.}
    examples: {fire: ["yesterday the road"], pass: ["a blorf"]}
add_concepts:
  - id: past
    label: {en: a past marker, fr: un marqueur de passé, es: un marcador de pasado}
    terms: {en: [yesterday, last week]}
  - id: road
    label: {en: a road, fr: une route, es: una carretera}
    terms: {en: [road]}
`
	overlay = strings.Replace(overlay, "classifier: {model: toy, threshold: 0.5}", "classifier: {model: toy, threshold: 0.5, unless: [past]}", 1)
	c, err := toyChecker(t, overlay)
	if err != nil {
		t.Fatal(err)
	}
	if fs := findingsOf(c.Check(model.Draft{Text: "Our team met a Blorf near the road"}), "local.alone"); len(fs) != 1 {
		t.Errorf("without a past marker: %+v, want one finding", fs)
	}
	if fs := findingsOf(c.Check(model.Draft{Text: "Last week our team met a Blorf near the road"}), "local.alone"); len(fs) != 0 {
		t.Errorf("with a past marker: %+v, want none", fs)
	}
	base, err := policy.Load("../policy/testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// With a concept under with, the model alone needs one of its terms.
	c, err = toyChecker(t, strings.Replace(overlay, "unless: [past]", "with: [road]", 1))
	if err != nil {
		t.Fatal(err)
	}
	if fs := findingsOf(c.Check(model.Draft{Text: "Our team met a Blorf near the road"}), "local.alone"); len(fs) != 1 {
		t.Errorf("with the concept: %+v, want one finding", fs)
	}
	if fs := findingsOf(c.Check(model.Draft{Text: "Our team met a Blorf near the river"}), "local.alone"); len(fs) != 0 {
		t.Errorf("without the concept: %+v, want none", fs)
	}
	// With both, one sentence must hold a with term and no unless term.
	c, err = toyChecker(t, strings.Replace(overlay, "unless: [past]", "with: [road], unless: [past]", 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text string
		want int
	}{
		{"Last week our team met a Blorf near the road.", 0},
		{"Last week our team met a Blorf. Now the road.", 1},
		{"The road, last week. A Blorf near the road, yesterday.", 0},
		{"Last week a Blorf. Yesterday a road.", 0},
	} {
		if fs := findingsOf(c.Check(model.Draft{Text: tc.text}), "local.alone"); len(fs) != tc.want {
			t.Errorf("with and unless, %q: %+v, want %d finding(s)", tc.text, fs, tc.want)
		}
	}
	why := strings.Join(c.Explain(model.Draft{Text: "Last week our team met a Blorf near the road."}, "local.alone").Why, "\n")
	for _, want := range []string{"model toy scores", "fires alone from 0.5", "each sentence with a term of road also holds one of unless: past (\"Last week\")"} {
		if !strings.Contains(why, want) {
			t.Errorf("the explanation %q lacks %q", why, want)
		}
	}
	_, err = policy.ApplyOverlay(base, filepath.Join(t.TempDir(), "overlay.yaml"), []byte(strings.Replace(overlay, "unless: [past]", "unless: [pasta]", 1)))
	if err == nil || !strings.Contains(err.Error(), `unknown concept "pasta"`) || !strings.Contains(err.Error(), "local.alone") {
		t.Errorf("an unknown concept under unless: %v", err)
	}
}

// A model reads a project post with the project's name masked: two posts
// that differ only in the name of their own project read the same.
func TestModelTextMasksProject(t *testing.T) {
	acc := func(name string, kw ...string) model.DraftAccount {
		return model.DraftAccount{Kind: model.KindProject, Project: &model.Project{Name: name, Keywords: kw}}
	}
	a := check.ModelText("Escuelas Seguras Cusco: 12 escuelas reforzadas frente a sismos.", acc("Escuelas Seguras Cusco", "escuela"))
	b := check.ModelText("Agua Limpia Tacna: 12 pozos reforzados frente a sismos.", acc("Agua Limpia Tacna", "pozo"))
	if fa, fb := strings.Fields(string(a)), strings.Fields(string(b)); !slices.Equal(fa[:4], fb[:4]) || fa[0] != "qq" || fa[3] != "qq" {
		t.Errorf("ModelText masks the names as %q and %q", a, b)
	}
	m, err := classify.Embedded("corpus-opinion")
	if err != nil {
		t.Fatal(err)
	}
	x := check.ModelText("Escuelas Seguras Cusco: 4.500 estudiantes.", acc("Escuelas Seguras Cusco"))
	y := check.ModelText("Agua Limpia Tacna: 4.500 estudiantes.", acc("Agua Limpia Tacna"))
	if sx, sy := m.Score("", x), m.Score("", y); sx != sy {
		t.Errorf("the project's name moves the score: %v against %v", sx, sy)
	}
	// Another account reads the text as folded.
	if got := check.ModelText("Escuelas Seguras Cusco", model.DraftAccount{Kind: model.KindPersonal}); string(got) != string(check.Fold("Escuelas Seguras Cusco")) {
		t.Errorf("a personal post reads as %q", got)
	}
}

// TestModelEchoes: a model's finding yields to another finding of its
// clause at its severity or higher, which says more than a score; it
// stands beside a milder one, one of another clause or a detector's, and
// of two models' findings of a clause the first rule's stands. A rule's examples still
// see the findings a report leaves out.
func TestModelEchoes(t *testing.T) {
	overlay := `overlay: {id: toy, version: 1, base: test-pack}
models: {toy: toy.hmdl, zint: zint.hmdl}
add_rules:
  - id: local.kettle
    clause: 3.4(e)
    severity: warning
    detect:
      terms: {en: [kettle]}
    message: {en: Kettle., fr: Kettle., es: Kettle.}
    examples: {fire: ["a kettle"], pass: ["a road"]}
  - id: local.teapot
    clause: 3.4(e)
    severity: advice
    detect:
      terms: {en: [teapot]}
    message: {en: Teapot., fr: Teapot., es: Teapot.}
    examples: {fire: ["a teapot"], pass: ["a road"]}
  - id: local.phone
    clause: 3.4(e)
    severity: error
    detect: {builtin: phone}
    message: {en: Phone., fr: Phone., es: Phone.}
    examples: {fire: ["call +41 22 917 12 34"], pass: ["a road"]}
  - id: local.blorf
    clause: 3.4(e)
    severity: warning
    detect:
      classifier: {model: toy, threshold: 0.5}
    message: {en: Blorf., fr: Blorf., es: Blorf.}
    examples: {fire: ["the road blorf kettle"], pass: ["the road"]}
  - id: local.zint
    clause: 3.4(e)
    severity: warning
    detect:
      classifier: {model: zint, threshold: 0.5}
    message: {en: Zint., fr: Zint., es: Zint.}
    examples: {fire: ["a zint road"], pass: ["the road"]}
  - id: local.other
    clause: 3.4(f)
    severity: warning
    detect:
      classifier: {model: toy, threshold: 0.5}
    message: {en: Other., fr: Other., es: Other.}
    examples: {fire: ["a blorf road"], pass: ["the road"]}
`
	c, score, _, _ := twoModelChecker(t, overlay)
	for _, tc := range []struct {
		text string
		want []string // rules with a finding, of those above
	}{
		{"the road blorf near our team", []string{"local.blorf", "local.other"}},
		{"the road blorf near our kettle", []string{"local.kettle", "local.other"}},
		{"the road blorf near our teapot", []string{"local.blorf", "local.other", "local.teapot"}},
		{"the road blorf near our zint", []string{"local.blorf", "local.other"}},
		{"the road zint near our team", []string{"local.zint"}},
		{"the road blorf, call +41 22 917 12 34", []string{"local.blorf", "local.other", "local.phone"}}, // a detector's finding is another matter
	} {
		if score("toy", tc.text) < 0.5 && slices.Contains(tc.want, "local.other") || score("zint", tc.text) < 0.5 && strings.Contains(tc.text, "zint") {
			t.Fatalf("%q: the toy models do not fire (toy %.3f, zint %.3f)", tc.text, score("toy", tc.text), score("zint", tc.text))
		}
		var got []string
		for _, f := range c.Check(model.Draft{Text: tc.text}).Findings {
			if strings.HasPrefix(f.Rule, "local.") && !slices.Contains(got, f.Rule) {
				got = append(got, f.Rule)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: findings of %v, want %v", tc.text, got, tc.want)
		}
	}
	failures, _ := c.RunExamples()
	for _, f := range failures {
		if strings.HasPrefix(f.Rule, "local.") {
			t.Errorf("examples: %s", f)
		}
	}
	if why := strings.Join(c.Explain(model.Draft{Text: "the road blorf near our kettle"}, "local.blorf").Why, "\n"); !strings.Contains(why, "echo") || !strings.Contains(why, "local.kettle") {
		t.Errorf("explanation of an echo: %s", why)
	}
}
