package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

const goodLine = `{"id":"x","lang":"en","family":"movement","clauses":["3.4(g)"],"account":{"kind":"personal"},"text":"Leaving at 6."}`

func TestParseLine(t *testing.T) {
	if _, err := ParseLine([]byte(goodLine)); err != nil {
		t.Fatalf("good line refused: %v", err)
	}
	bad := map[string]string{
		"unknown key":         `{"id":"x","lang":"en","family":"movement","clauses":["3.4(g)"],"account":{"kind":"personal"},"text":"t","expect":[]}`,
		"unknown lang":        `{"id":"x","lang":"de","family":"movement","clauses":["3.4(g)"],"account":{"kind":"personal"},"text":"t"}`,
		"unknown family":      `{"id":"x","lang":"en","family":"weather","clauses":["3.4(g)"],"account":{"kind":"personal"},"text":"t"}`,
		"family's clause":     `{"id":"x","lang":"en","family":"movement","clauses":["3.4(i)"],"account":{"kind":"personal"},"text":"t"}`,
		"clean with clause":   `{"id":"x","lang":"en","family":"clean","clauses":["3.4(g)"],"account":{"kind":"personal"},"text":"t"}`,
		"malformed clause":    `{"id":"x","lang":"en","family":"movement","clauses":["3.4(g)","34g"],"account":{"kind":"personal"},"text":"t"}`,
		"empty id":            `{"id":"","lang":"en","family":"clean","clauses":[],"account":{"kind":"personal"},"text":"t"}`,
		"empty text":          `{"id":"x","lang":"en","family":"clean","clauses":[],"account":{"kind":"personal"},"text":"  "}`,
		"unknown kind":        `{"id":"x","lang":"en","family":"clean","clauses":[],"account":{"kind":"bot"},"text":"t"}`,
		"project without one": `{"id":"x","lang":"en","family":"clean","clauses":[],"account":{"kind":"project"},"text":"t"}`,
		"project on personal": `{"id":"x","lang":"en","family":"clean","clauses":[],"account":{"kind":"personal","project":{"name":"P"}},"text":"t"}`,
		"bad severity_min":    `{"id":"x","lang":"en","family":"movement","clauses":["3.4(g)"],"account":{"kind":"personal"},"text":"t","severity_min":"advice"}`,
		"two values":          goodLine + goodLine,
		"invalid UTF-8":       strings.Replace(goodLine, "Leaving", "Leav\xffing", 1),
		"not JSON":            `id=x`,
	}
	for name, line := range bad {
		if _, err := ParseLine([]byte(line)); err == nil {
			t.Errorf("%s: accepted %s", name, line)
		}
	}
}

func TestHalfIsStableAndSplits(t *testing.T) {
	n := map[string]int{}
	for i := range 1000 {
		id := "id-" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('0'+i%10)) + string(rune('A'+i/26%26))
		h := Half(id)
		if h != Half(id) {
			t.Fatalf("Half(%q) changes", id)
		}
		n[h]++
	}
	if n[Tune] < 400 || n[Test] < 400 {
		t.Errorf("1000 ids split %v, want about half each", n)
	}
}

// writeHalf writes lines into dir/half/f.jsonl.
func writeHalf(t *testing.T, dir, half string, lines ...string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, half), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, half, "f.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// idIn returns an id that hashes to half.
func idIn(half string, n int) string {
	for i := 0; ; i++ {
		id := "d" + string(rune('a'+n)) + strings.Repeat("-", i)
		if Half(id) == half {
			return id
		}
	}
}

func line(id string) string { return strings.Replace(goodLine, `"id":"x"`, `"id":"`+id+`"`, 1) }

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	a, b := idIn(Tune, 0), idIn(Tune, 1)
	writeHalf(t, dir, Tune, line(a), "", line(b))
	items, err := Load(dir, Tune)
	if err != nil || len(items) != 2 || items[0].ID != a || items[1].Half != Tune || !strings.HasSuffix(items[1].Pos, "f.jsonl:3") {
		t.Fatalf("Load = %+v, %v", items, err)
	}

	writeHalf(t, dir, Tune, line(a), line(a))
	if _, err := Load(dir, Tune); err == nil || !strings.Contains(err.Error(), "already used") {
		t.Errorf("duplicate id: err = %v", err)
	}
	writeHalf(t, dir, Tune, line(idIn(Test, 2)))
	if _, err := Load(dir, Tune); err == nil || !strings.Contains(err.Error(), "belongs in the test half") {
		t.Errorf("id of the other half: err = %v", err)
	}
	writeHalf(t, dir, Tune, line(a), `{"id":`)
	if _, err := Load(dir, Tune); err == nil || !strings.Contains(err.Error(), "f.jsonl:2") {
		t.Errorf("bad line: err = %v, want its position", err)
	}
	if _, err := Load(dir, "train"); err == nil {
		t.Error("an unknown half is accepted")
	}
	if _, err := Load(t.TempDir(), Test); err == nil {
		t.Error("an empty folder is accepted")
	}
}

func finding(clause, severity string) model.Finding {
	return model.Finding{Rule: "r", Clause: clause, Severity: severity}
}

func TestFound(t *testing.T) {
	pos := Item{Family: "movement", Clauses: []string{"3.4(g)"}}
	both := Item{Family: "beneficiary-location", Clauses: []string{"3.4(g)", "3.4(h)"}}
	strict := Item{Family: "sides", Clauses: []string{"3.4(i)"}, SeverityMin: model.SeverityError}
	clean := Item{Family: Clean}
	rep := func(fs ...model.Finding) model.Report { return model.Report{Findings: fs} }
	cases := []struct {
		name string
		it   Item
		rep  model.Report
		want bool
	}{
		{"positive, nothing found", pos, rep(), false},
		{"positive, warning of its clause", pos, rep(finding("3.4(g)", "warning")), true},
		{"positive, error of its clause", pos, rep(finding("3.4(g)", "error")), true},
		{"positive, advice of its clause", pos, rep(finding("3.4(g)", "advice")), false},
		{"positive, another clause", pos, rep(finding("3.4(i)", "error")), false},
		{"either clause of two", both, rep(finding("3.4(h)", "warning")), true},
		{"severity_min error, warning", strict, rep(finding("3.4(i)", "warning")), false},
		{"severity_min error, error", strict, rep(finding("3.4(i)", "warning"), finding("3.4(i)", "error")), true},
		{"clean, nothing", clean, rep(), true},
		{"clean, advice only", clean, rep(finding("3.4(g)", "advice")), true},
		{"clean, a warning", clean, rep(finding("3.4(c)", "warning")), false},
		{"clean, an error without clause", clean, rep(finding("", "error")), false},
	}
	for _, c := range cases {
		if got := c.it.Found(c.rep); got != c.want {
			t.Errorf("%s: Found = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOtherClause(t *testing.T) {
	pos := Item{Family: "beneficiary-location", Clauses: []string{"3.4(g)", "3.4(h)"}}
	rep := func(fs ...model.Finding) model.Report { return model.Report{Findings: fs} }
	for _, c := range []struct {
		name string
		it   Item
		rep  model.Report
		want bool
	}{
		{"nothing", pos, rep(), false},
		{"its own clauses", pos, rep(finding("3.4(g)", "error"), finding("3.4(h)", "warning")), false},
		{"another clause's warning", pos, rep(finding("3.4(g)", "error"), finding("3.4(n)", "warning")), true},
		{"another clause's advice", pos, rep(finding("3.4(n)", "advice")), false},
		{"a clean post", Item{Family: Clean}, rep(finding("3.4(n)", "warning")), false},
	} {
		if got := c.it.OtherClause(c.rep); got != c.want {
			t.Errorf("%s: OtherClause = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMeasureAndWrite(t *testing.T) {
	items := []Item{
		{ID: "m1", Lang: "en", Family: "movement", Clauses: []string{"3.4(g)"}, Text: "hit"},
		{ID: "m2", Lang: "en", Family: "movement", Clauses: []string{"3.4(g)"}, Text: "miss"},
		{ID: "m3", Lang: "fr", Family: "movement", Clauses: []string{"3.4(g)"}, Text: "hit"},
		{ID: "s1", Lang: "es", Family: "sides", Clauses: []string{"3.4(i)"}, Text: "miss"},
		{ID: "c1", Lang: "en", Family: Clean, Text: "hit"},
		{ID: "c2", Lang: "fr", Family: Clean, Text: "miss"},
	}
	// "hit" texts get what their family asks for, "miss" texts the opposite.
	check := func(d model.Draft) model.Report {
		var it Item
		for _, x := range items {
			if x.ID == d.ID {
				it = x
			}
		}
		if (it.Family == Clean) == (d.Text == "hit") {
			return model.Report{}
		}
		clause := "3.4(c)" // what a clean post may wrongly raise
		if it.Family != Clean {
			clause = it.Clauses[0]
		}
		if it.ID == "m3" { // found, and another clause besides
			return model.Report{Findings: []model.Finding{finding(clause, "warning"), finding("3.4(i)", "warning")}}
		}
		return model.Report{Findings: []model.Finding{finding(clause, "warning")}}
	}
	s := Measure(items, check)
	for _, c := range []struct {
		family, lang string
		n, hits      int
	}{
		{"movement", "en", 2, 1}, {"movement", "fr", 1, 1}, {"movement", "", 3, 2},
		{"sides", "es", 1, 0}, {Clean, "", 2, 1}, {Clean, "fr", 1, 0},
		{Positives, "", 4, 2}, {Positives, "en", 2, 1}, {"opinion", "", 0, 0},
		{OtherClauses, "", 4, 1}, {OtherClauses, "fr", 1, 1}, {OtherClauses, "en", 2, 0},
	} {
		got := s.Cell(c.family, c.lang)
		if got.N != c.n || got.Hits != c.hits || len(got.Misses) != c.n-c.hits {
			t.Errorf("cell %s/%q = %d/%d with %d misses, want %d/%d", c.family, c.lang, got.Hits, got.N, len(got.Misses), c.hits, c.n)
		}
	}
	if m := s.Cell("movement", "en").Misses; len(m) != 1 || m[0].ID != "m2" {
		t.Errorf("movement/en misses = %v, want m2", m)
	}
	var text, md strings.Builder
	if err := s.Write(&text, false); err != nil {
		t.Fatal(err)
	}
	s.Write(&md, true)
	for _, want := range []string{"movement", "0.500 (1/2)", "0.667 (2/3)", "clean rate", "positives", "other clauses", "0.250 (1/4)"} {
		if !strings.Contains(text.String(), want) || !strings.Contains(md.String(), want) {
			t.Errorf("tables lack %q:\n%s\n%s", want, text.String(), md.String())
		}
	}
	if !strings.Contains(md.String(), "| opinion | 4.4(b) | recall | - | - | - | - |") {
		t.Errorf("markdown table: an empty family should read -:\n%s", md.String())
	}
}

// FuzzParseLine: any line is accepted or refused without panic, and an
// accepted one meets the corpus rules.
func FuzzParseLine(f *testing.F) {
	f.Add([]byte(goodLine))
	f.Add([]byte(`{"id":"c","lang":"es","family":"clean","clauses":[],"account":{"kind":"project","project":{"name":"P"}},"text":"t"}`))
	f.Add([]byte(`{"id":"x","lang":"en"`))
	f.Fuzz(func(t *testing.T, line []byte) {
		it, err := ParseLine(line)
		if err != nil {
			return
		}
		if it.ID == "" || strings.TrimSpace(it.Text) == "" || (it.Family == Clean) != (len(it.Clauses) == 0) {
			t.Errorf("accepted %q as %+v", line, it)
		}
	})
}

// A triplet's drafts share a group; drafts written alone are their own.
func TestGroup(t *testing.T) {
	for id, want := range map[string]string{
		"x9sides-017-en":     "x9sides-017",
		"x9sides-017-fr2":    "x9sides-017",
		"x9r14cont-003-es12": "x9r14cont-003",
		"sides-fr-002":       "sides-fr-002",
		"wclean-es-092":      "wclean-es-092",
		"x9odd-001-de":       "x9odd-001-de",
		"x9nodash":           "x9nodash",
	} {
		if got := Group(id); got != want {
			t.Errorf("Group(%q) = %q, want %q", id, got, want)
		}
	}
}
