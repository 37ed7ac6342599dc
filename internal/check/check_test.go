package check

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// testChecker compiles the policy package's test pack with this package's
// overlay of built-in rules.
func testChecker(tb testing.TB) *Checker {
	tb.Helper()
	base, err := policy.Load("../policy/testdata/pack.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	p, err := policy.LoadOverlay(base, "testdata/builtins.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := Compile(p, Options{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestExamples(t *testing.T) {
	c := testChecker(t)
	fails, n := c.RunExamples()
	if n < 20 {
		t.Errorf("only %d examples ran", n)
	}
	for _, f := range fails {
		t.Error(f)
	}
}

// found is a finding reduced to what the table below states.
func found(fs []model.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %d-%d %q", f.Rule, f.Start, f.End, f.Excerpt))
	}
	return out
}

func TestCheckText(t *testing.T) {
	c := testChecker(t)
	tests := []struct {
		name string
		d    model.Draft
		want []string
	}{
		{"marking", model.Draft{Text: "CONFIDENTIAL report"}, []string{`confidentiality.marking 0-12 "CONFIDENTIAL"`}},
		{"except cancels", model.Draft{Text: "The draft law was adopted."}, nil},
		{"except cancels only its overlap", model.Draft{Text: "Draft: the draft law"}, []string{`confidentiality.marking 0-5 "Draft"`}},
		{"word boundary", model.Draft{Text: "We are confidentially confident"}, nil},
		{"underscore joins words", model.Draft{Text: "see @confidential_files"}, nil},
		{"hashtag is a boundary", model.Draft{Text: "#Confidential"}, []string{`confidentiality.marking 1-13 "Confidential"`}},
		{"prefix term", model.Draft{Text: "Corruption, corrupted, corrupt."}, []string{
			`discretion.sensitive 0-10 "Corruption"`, `discretion.sensitive 12-21 "corrupted"`, `discretion.sensitive 23-30 "corrupt"`}},
		{"accents folded", model.Draft{Text: "Une ENQUÊTE"}, []string{`discretion.sensitive 4-12 "ENQUÊTE"`}},
		{"decomposed accent kept in excerpt", model.Draft{Text: "une enque\u0302te"}, []string{"discretion.sensitive 4-13 \"enque\u0302te\""}},
		{"accent-free text matches accented term", model.Draft{Text: "corrupcion"}, []string{`discretion.sensitive 0-10 "corrupcion"`}},
		{"space runs", model.Draft{Text: "helpless\n\n  victims"}, []string{"dignity.language 0-19 \"helpless\\n\\n  victims\""}},
		{"no-break space", model.Draft{Text: "helpless\u00a0victims"}, []string{`dignity.language 0-17 "helpless\u00a0victims"`}},
		{"offsets after multibyte", model.Draft{Text: "Ça, c’est confidential"}, []string{`confidentiality.marking 13-25 "confidential"`}},
		{"invalid UTF-8", model.Draft{Text: "\xff\xfeconfidential\xff"}, []string{"confidentiality.marking 2-14 \"confidential\""}},
		{"NUL bytes", model.Draft{Text: "a\x00confidential\x00"}, []string{`confidentiality.marking 2-14 "confidential"`}},
		{"pattern near anchor", model.Draft{Text: "Staying in ROOM 412."}, []string{`safety.travel 11-19 "ROOM 412"`}},
		{"pattern no match", model.Draft{Text: "A room full of people"}, nil},
		{"near fires", model.Draft{Text: "Our amazing bridge", Account: model.DraftAccount{Kind: "project"}}, []string{`factual.opinion 4-11 "amazing"`}},
		{"near too far", model.Draft{Text: "Our team opened a new and amazing bridge", Account: model.DraftAccount{Kind: "project"}}, nil},
		{"kind not applicable", model.Draft{Text: "Our amazing bridge"}, nil},
		{"reply_to", model.Draft{Text: "Thanks!", ReplyTo: "You IDIOTS"}, []string{`trolls.abuse 0-0 "IDIOTS"`}},
		{"reply_to rules ignore the text", model.Draft{Text: "idiot"}, nil},
		{"builtin", model.Draft{Text: "Mail jane.doe@gmail.com now"}, []string{`safety.email 5-23 "jane.doe@gmail.com"`}},
		{"sorted by start then rule", model.Draft{Text: "misconduct: confidential corruption"}, []string{
			`discretion.sensitive 0-10 "misconduct"`, `confidentiality.marking 12-24 "confidential"`, `discretion.sensitive 25-35 "corruption"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := c.Check(tt.d)
			got := found(rep.Findings)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Check(%q):\n got %q\nwant %q", tt.d.Text, got, tt.want)
			}
			if rep.Findings == nil {
				t.Error("Findings is nil; the report must carry an empty list")
			}
		})
	}
}

func TestMessages(t *testing.T) {
	c := testChecker(t)
	tests := []struct {
		d        model.Draft
		lang     string
		contains string
	}{
		{model.Draft{Text: "We help helpless victims"}, "en", `Say "people affected" rather than "helpless victims".`},
		{model.Draft{Text: "Nous aidons les victimes impuissantes"}, "fr", "Dites « personnes touchées » plutôt que « victimes impuissantes »."},
		{model.Draft{Text: "We help helpless victims", Lang: "es"}, "es", `Diga "people affected" en vez de "helpless victims".`},
		{model.Draft{Text: "Las víctimas indefensas y los niños"}, "es", `Diga "personas afectadas" en vez de "víctimas indefensas".`},
		{model.Draft{Text: "helpless victims", Lang: "de"}, "en", "Say"},
	}
	for _, tt := range tests {
		rep := c.Check(tt.d)
		if rep.Lang != tt.lang || len(rep.Findings) != 1 || !strings.Contains(rep.Findings[0].Message, tt.contains) {
			t.Errorf("Check(%q): lang %q findings %+v; want lang %q message %q", tt.d.Text, rep.Lang, rep.Findings, tt.lang, tt.contains)
		}
	}
}

func TestReport(t *testing.T) {
	c := testChecker(t)
	rep := c.Check(model.Draft{ID: "42", Text: "hello", Platform: "x"})
	if rep.ID != "42" || rep.Pack.ID != "test-pack" || rep.Pack.Version != "0.1.0+builtins@1" {
		t.Errorf("report header %+v", rep)
	}
	if rep.Platform.Name != "x" || rep.Platform.Limit != 280 || rep.Platform.Length != 5 {
		t.Errorf("platform %+v", rep.Platform)
	}
	if rep = c.Check(model.Draft{Text: "hello"}); rep.Platform.Name != "" || rep.Platform.Limit != 0 || rep.Platform.Length != 5 {
		t.Errorf("platform without one named: %+v", rep.Platform)
	}
	if err := c.Validate(model.Draft{Platform: "myspace"}); err == nil {
		t.Error("Validate accepted an unknown platform")
	}
	if err := c.Validate(model.Draft{Account: model.DraftAccount{Kind: "bot"}}); err == nil {
		t.Error("Validate accepted an unknown kind")
	}
}

func TestImageFinding(t *testing.T) {
	c := testChecker(t)
	bad := filepath.Join(t.TempDir(), "x.jpg")
	if err := os.WriteFile(bad, []byte("not an image"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := c.Check(model.Draft{Text: "photo", Images: []string{bad}})
	var img *model.Finding
	for i := range rep.Findings {
		if rep.Findings[i].Rule == "safety.image-gps" {
			img = &rep.Findings[i]
		}
	}
	if img == nil || img.Image == nil || *img.Image != 0 || img.Start != 0 || img.End != 0 {
		t.Fatalf("image finding %+v in %+v", img, rep.Findings)
	}
}

func TestCompileErrors(t *testing.T) {
	base, err := policy.Load("../policy/testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ rule, want string }{
		{"detect: {builtin: teleport}", "unknown built-in detector"},
		{"detect: {builtin: email, params: {colour: red}}", `unknown parameter "colour"`},
		{"detect: {terms: {en: [\"\u0301\"]}}", "nothing to match"},
	}
	for _, tt := range tests {
		ov := "overlay: {id: o, version: 1, base: test-pack}\nadd_rules:\n  - id: bad.rule\n    severity: error\n    " + tt.rule +
			"\n    message: {en: m, fr: m, es: m}\n    examples: {fire: [a], pass: [b]}\n"
		p, err := policy.ApplyOverlay(base, "o.yaml", []byte(ov))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(p, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "o.yaml:3: rule bad.rule:") {
			t.Errorf("Compile with %s: %v, want %q at o.yaml:3", tt.rule, err, tt.want)
		}
	}
}

func TestConcurrentChecks(t *testing.T) {
	c := testChecker(t)
	texts := []string{"CONFIDENTIAL corruption", "Une enquête", "room 12 tonight", "Our amazing bridge", "nothing"}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = strings.Join(found(c.Check(model.Draft{Text: s, Account: model.DraftAccount{Kind: "project"}}).Findings), "|")
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g + i) % len(texts)
				got := strings.Join(found(c.Check(model.Draft{Text: texts[k], Account: model.DraftAccount{Kind: "project"}}).Findings), "|")
				if got != want[k] {
					t.Errorf("concurrent check of %q: %s, want %s", texts[k], got, want[k])
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestLargePost checks a 10 MB post: linear work, valid offsets.
func TestLargePost(t *testing.T) {
	c := testChecker(t)
	var b strings.Builder
	for b.Len() < 10<<20 {
		b.WriteString("The bridge at km 12 opened; confidential room 401 \xff misconduct, our amazing team. ")
	}
	text := b.String()
	rep := c.Check(model.Draft{Text: text, Account: model.DraftAccount{Kind: "project"}})
	if n := len(rep.Findings) + rep.Truncated; n < 4*(10<<20)/90 || len(rep.Findings) > 200 {
		t.Fatalf("%d findings listed, %d in all", len(rep.Findings), n)
	}
	checkOffsets(t, text, rep)
}

// checkOffsets verifies the invariants every report keeps.
func checkOffsets(t *testing.T, text string, rep model.Report) {
	t.Helper()
	for i, f := range rep.Findings {
		if f.Start < 0 || f.End < f.Start || f.End > len(text) {
			t.Fatalf("finding %+v has offsets outside [0, %d]", f, len(text))
		}
		if f.End > f.Start && f.Excerpt != text[f.Start:f.End] {
			t.Fatalf("finding %+v: excerpt is not text[start:end] = %q", f, text[f.Start:f.End])
		}
		if i > 0 && rep.Findings[i-1].Start > f.Start {
			t.Fatalf("findings not sorted at %d", i)
		}
	}
}

func FuzzCheck(f *testing.F) {
	c := testChecker(f)
	f.Add("CONFIDENTIAL: room 412, jane@gmail.com", "you idiot", "project", "x")
	f.Add("\xff\x00une enque\u0302te\u200d", "", "", "")
	f.Add("ß ßß helpless\u00a0 victims", "IDIOT*", "personal", "mastodon")
	f.Fuzz(func(t *testing.T, text, reply, kind, platform string) {
		rep := c.Check(model.Draft{Text: text, ReplyTo: reply, Platform: platform, Account: model.DraftAccount{Kind: kind}})
		checkOffsets(t, text, rep)
	})
}

// A pattern sees window bytes on each side of its anchor (widened to a
// space), so a short window misses what a long one finds; a window out of
// range is refused at compile time.
func TestPatternWindow(t *testing.T) {
	base, err := policy.Load("../policy/testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	idx := -1
	for i, r := range base.Rules {
		if r.ID == "safety.travel" {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("test pack has no safety.travel rule")
	}
	// The regex needs the anchor "room" and the number; a window that ends
	// before the number (past the nearest space) cannot see it.
	regex := `\broom\b.{0,60}\b\d{3}\b`
	text := "Our room is on the quiet side of the building, number 412."
	for _, tc := range []struct {
		window int
		want   bool
	}{{0, true}, {80, true}, {4, false}} {
		p := *base
		p.Rules = slices.Clone(base.Rules)
		r := p.Rules[idx]
		r.Detect.Patterns = []policy.Pattern{{Anchors: []string{"room"}, Regex: regex, Window: tc.window}}
		p.Rules[idx] = r
		c, err := Compile(&p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, f := range c.Check(model.Draft{Text: text}).Findings {
			got = got || f.Rule == "safety.travel"
		}
		if got != tc.want {
			t.Errorf("window %d: finding %v, want %v", tc.window, got, tc.want)
		}
	}
	p := *base
	p.Rules = slices.Clone(base.Rules)
	r := p.Rules[idx]
	r.Detect.Patterns = []policy.Pattern{{Anchors: []string{"room"}, Regex: regex, Window: 5000}}
	p.Rules[idx] = r
	if _, err := Compile(&p, Options{}); err == nil || !strings.Contains(err.Error(), "window") {
		t.Errorf("window 5000 compiled: %v", err)
	}
}
