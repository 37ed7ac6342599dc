package policy

import (
	"os"
	"strings"
	"testing"
)

func TestParseTestPack(t *testing.T) {
	p, err := Load("testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Pack.ID != "test-pack" || len(p.Rules) != 6 || len(p.Clauses) != 6 {
		t.Fatalf("got pack %q with %d rules and %d clauses", p.Pack.ID, len(p.Rules), len(p.Clauses))
	}
	if c := p.Clause("3.4(g)"); c == nil || c.Title.In("fr") != "Safety" {
		t.Fatalf("Clause(3.4(g)) = %+v", c)
	}
	if p.Clause("9.9") != nil {
		t.Fatal("Clause found a clause that does not exist")
	}
	dig := p.Rules[2]
	if got := dig.Detect.Terms["en"][0]; got.Term != "helpless victims" || got.Alt != "people affected" {
		t.Fatalf("mapping term decoded as %+v", got)
	}
	if got := p.Rules[0].Examples.Fire[2]; got.Text != "Borrador del informe" || got.Lang != "es" {
		t.Fatalf("mapping example decoded as %+v", got)
	}
	if got := p.Rules[0].Detect.Terms["en"][0]; got.Term != "confidential" || got.Alt != "" {
		t.Fatalf("plain term decoded as %+v", got)
	}
	if got := p.RulePos("safety.travel"); !strings.HasPrefix(got, "testdata/pack.yaml:") || got == "testdata/pack.yaml:1" {
		t.Fatalf("RulePos = %q", got)
	}
}

// mutate returns the test pack with old replaced by new (once).
func mutate(t *testing.T, old, new string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.Contains(s, old) {
		t.Fatalf("test pack has no %q", old)
	}
	return []byte(strings.Replace(s, old, new, 1))
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string // substrings of the error
	}{
		{"unknown top key", "clauses:", "clauzes: []\nclauses:", []string{"pack.yaml:", `unknown key "clauzes"`}},
		{"unknown rule key", "    severity: warning\n    detect:\n      terms:\n        en: [corrupt*", "    severity: warning\n    sevrity: x\n    detect:\n      terms:\n        en: [corrupt*", []string{"rule discretion.sensitive", `unknown key "sevrity"`}},
		{"unknown term key", "{term: the needy, alt: people in need}", "{term: the needy, alternative: x}", []string{"rule dignity.language", `unknown key "alternative"`}},
		{"type error", "stale_figure_years: 5", "stale_figure_years: five", []string{"pack.yaml:", "five"}},
		{"duplicate id", "id: discretion.sensitive", "id: confidentiality.marking", []string{"rule confidentiality.marking", "another rule"}},
		{"undotted id", "id: discretion.sensitive", "id: sensitive", []string{"rule sensitive", "dotted"}},
		{"unknown clause", "clause: 3.4(e)\n    severity: warning", "clause: 9.9\n    severity: warning", []string{"rule discretion.sensitive", `unknown clause "9.9"`}},
		{"bad severity", "severity: advice\n    applies", "severity: info\n    applies", []string{"rule factual.opinion", "severity"}},
		{"missing language", `es: "{term} es un tema sensible."`, `de: "x"`, []string{"rule discretion.sensitive", `missing language "es"`}},
		{"two methods", "      on: reply_to\n", "      on: reply_to\n      builtin: phone\n", []string{"rule trolls.abuse", "exactly one"}},
		{"bad regex", `regex: '\b(room`, `regex: '(\b(room`, []string{"rule safety.travel", "does not compile"}},
		{"no anchors", "anchors: [room, chambre, habitación, habitacion]", "anchors: []", []string{"rule safety.travel", "no anchors"}},
		{"unknown platform", "applies: {kinds: [project]}", "applies: {kinds: [project], platforms: [myspace]}", []string{"rule factual.opinion", `unknown platform "myspace"`}},
		{"unknown kind", "applies: {kinds: [project]}", "applies: {kinds: [projekt]}", []string{"rule factual.opinion", `unknown account kind`}},
		{"no pass examples", `pass: ["We help people affected"]`, `pass: []`, []string{"rule dignity.language", "examples"}},
		{"only a star", "corrupt*, misconduct", "'*', misconduct", []string{"rule discretion.sensitive", `empty term "*"`}},
		{"near without window", "window: 3", "window: 0", []string{"rule factual.opinion", "window"}},
		{"bad counter", "counter: twitter", "counter: words", []string{"counter"}},
		{"two documents", "rules:", "---\nrules:", []string{"pack.yaml"}},
		{"duplicate key", "  version: 0.1.0", "  version: 0.1.0\n  version: 0.2.0", []string{"pack.yaml:", "already defined"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("pack.yaml", mutate(t, tt.old, tt.new))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	for _, in := range []string{"", "- a\n- b\n", "pack: [", "rules: 5", "rules: [1, 2]", "\x00\xff", "a: &x [*x]"} {
		if _, err := Parse("bad.yaml", []byte(in)); err == nil {
			t.Errorf("Parse(%q) accepted it", in)
		}
	}
}

func FuzzParsePack(f *testing.F) {
	data, err := os.ReadFile("testdata/pack.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("rules: [{id: a.b, examples: {fire: [{text: 1}]}}]"))
	f.Add([]byte("pack: {id: x}\nrules:\n  - &r {id: a.b}\n  - *r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse("fuzz.yaml", b)
		if err == nil && p == nil {
			t.Fatal("nil pack without error")
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
		if p != nil {
			// A valid pack must take an empty overlay of itself.
			ov := "overlay: {id: o, version: 1, base: " + quote(p.Pack.ID) + "}\n"
			if _, err := ApplyOverlay(p, "o.yaml", []byte(ov)); err != nil {
				t.Fatalf("empty overlay refused: %v", err)
			}
		}
	})
}

func quote(s string) string { return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"` }
