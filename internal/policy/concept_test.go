package policy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func framesPack(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/frames.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseConceptsAndFrames(t *testing.T) {
	p, err := Parse("frames.yaml", framesPack(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Concepts) != 10 || p.Concept("time") == nil || p.Concept("nope") != nil {
		t.Fatalf("concepts: %+v", p.Concepts)
	}
	f := p.Rules[0].Detect.Frames[0]
	if len(f.All) != 3 || f.All[0][0] != "movement" || f.None[0] != "past" {
		t.Fatalf("frame decoded as %+v", f)
	}
	if got := p.ConceptPos("time"); !strings.HasPrefix(got, "frames.yaml:") || got == "frames.yaml:1" {
		t.Fatalf("ConceptPos = %q", got)
	}
}

// Each broken pack is refused with the file, the line and the rule or
// concept it concerns.
func TestConceptAndFrameErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"unknown concept in a frame", "- all: [movement, time, place]", "- all: [movement, time, plaec]",
			[]string{"frames.yaml:", "rule safety.movement", `unknown concept "plaec"`}},
		{"unknown concept under none", "none: [past]", "none: [pasta]", []string{"rule safety.movement", `none names unknown concept "pasta"`}},
		{"unknown concept under none_text", "none: [past]", "none: [past]\n          none_text: [pasta]", []string{"rule safety.movement", `none_text names unknown concept "pasta"`}},
		{"empty none_text", "none: [past]", "none: [past]\n          none_text: []", []string{"rule safety.movement", "an empty group (any, none or none_text)"}},
		{"empty group", "- all: [movement, time, place]", "- all: [movement, [], place]", []string{"rule safety.movement", "all[1] is an empty group"}},
		{"no groups", "- all: [actor, stance]", "- scope: clause", []string{"rule impartiality.sides", "needs concepts under all or any"}},
		{"cycle", "    include: [clock]\n", "    include: [clock, movement]\n", nil},
		{"include unknown", "include: [clock]", "include: [clocks]", []string{`concept time: includes unknown concept "clocks"`}},
		{"unknown builtin", "builtin: clock", "builtin: clocks", []string{`concept clock: unknown builtin "clocks"`}},
		{"bad scope", "window: 4", "window: 4\n          scope: paragraph", []string{"rule impartiality.sides", `scope "paragraph"`}},
		{"duplicate concept", "  - id: past\n", "  - id: time\n", []string{"concept time is defined twice"}},
		{"frames and terms", "      frames:\n        - all: [movement", "      terms: {en: [x]}\n      frames:\n        - all: [movement",
			[]string{"exactly one of terms, patterns, builtin, frames"}},
		{"unknown frame key", "none_window: 2", "none_window: 2\n          nonw: 3", []string{"frames.yaml:", `unknown key "nonw"`}},
		{"unknown concept under unless", "unless: [record]", "unless: [recrod]",
			[]string{"frames.yaml:", "rule discretion.sensitive", `detect.unless names unknown concept "recrod"`}},
		{"unless on a built-in concept", "unless: [record]", "unless: [record, time]",
			[]string{"frames.yaml:", "rule discretion.sensitive", `concept "clock" is found by the built-in detector clock`}},
		{"unless without terms", "          none: [past]\n", "          none: [past]\n      unless: [record]\n",
			[]string{"frames.yaml:", "rule safety.movement", "detect.unless applies to terms only"}},
		{"unless on reply_to", "      unless: [record]\n", "      unless: [record]\n      on: reply_to\n",
			[]string{"rule discretion.sensitive", "detect.unless reads the text only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := string(framesPack(t))
			if !strings.Contains(s, tt.old) {
				t.Fatalf("test pack has no %q", tt.old)
			}
			data := []byte(strings.Replace(s, tt.old, tt.new, 1))
			if tt.name == "cycle" {
				// movement includes time, time includes movement.
				data = []byte(strings.Replace(string(data), "    except: {en: [annual leave]}\n", "    except: {en: [annual leave]}\n    include: [time]\n", 1))
				tt.want = []string{"frames.yaml:", "cycle between concepts", "movement", "time"}
			}
			_, err := Parse("frames.yaml", data)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// A places file beside the pack adds its names to the concept; a line
// that does not parse is refused with its file and line.
func TestPlacesFile(t *testing.T) {
	dir := t.TempDir()
	pack := strings.Replace(string(framesPack(t)), "    terms: {en: [the camp]}\n", "    terms: {en: [the camp]}\n    places: places.tsv\n", 1)
	path := filepath.Join(dir, "pack.yaml")
	if err := os.WriteFile(path, []byte(pack), 0o600); err != nil {
		t.Fatal(err)
	}
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "places.tsv"), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("# our sites\nKakuma Site 2\tKE\n\nMahagi\n")
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Concept("place").Terms["places"]; len(got) != 2 || got[0] != "Kakuma Site 2" || got[1] != "Mahagi" {
		t.Fatalf("place terms = %q", got)
	}
	for _, bad := range []struct{ file, want string }{
		{"Juba\tSS\textra\n", "places.tsv:1: want \"name\" or \"name<TAB>country\", got 3 fields"},
		{"Juba\n\tSS\n", "places.tsv:2: empty place name"},
		{"Juba\tSouth Sudan\n", "places.tsv:1: country \"South Sudan\" is not a two-letter code"},
		{"Ju\xffba\n", "places.tsv:1: not valid UTF-8"},
	} {
		write(bad.file)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want %q", bad.file, err, bad.want)
		}
	}
	if err := os.Remove(filepath.Join(dir, "places.tsv")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "concept place: places:") {
		t.Errorf("missing places file: %v", err)
	}
	// The embedded default pack has no directory to read a places file from.
	if _, err := Parse(DefaultFile, []byte(pack)); err == nil || !strings.Contains(err.Error(), "read only beside a pack") {
		t.Errorf("places in an embedded pack: %v", err)
	}
}

// An overlay adds terms to a concept (a country's parties), new concepts,
// and disables a frame rule; the base pack is left alone.
func TestOverlayConcepts(t *testing.T) {
	base, err := Parse("frames.yaml", framesPack(t))
	if err != nil {
		t.Fatal(err)
	}
	ov := `overlay: {id: country, version: 1, base: frames-pack}
concepts:
  - id: actor
    add_terms: {en: [Party of Progress, Mr Mensah]}
add_concepts:
  - id: checkpoint
    terms: {en: [checkpoint]}
rules:
  - id: impartiality.sides
    disabled: true
`
	p, err := ApplyOverlay(base, "country.yaml", []byte(ov))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Concept("actor").Terms["en"]; len(got) != 4 || got[2] != "Party of Progress" {
		t.Fatalf("actor terms = %q", got)
	}
	if len(base.Concept("actor").Terms["en"]) != 2 {
		t.Fatal("the overlay changed the base pack's concept")
	}
	if p.Concept("checkpoint") == nil || !p.Rules[1].Disabled {
		t.Fatalf("overlay not applied: %+v", p.Rules[1])
	}
	bad := strings.Replace(ov, "id: actor", "id: actors", 1)
	if _, err := ApplyOverlay(base, "country.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "country.yaml:3: concept actors: the base pack has no such concept") {
		t.Errorf("unknown concept in an overlay: %v", err)
	}
}

// An overlay replaces a rule's unless list (unless; [] keeps every match)
// or adds to it (add_unless), with its own concepts; an unknown concept or a
// frame rule is refused at the overlay's line.
func TestOverlayUnless(t *testing.T) {
	base, err := Parse("frames.yaml", framesPack(t))
	if err != nil {
		t.Fatal(err)
	}
	head := "overlay: {id: o, version: 1, base: frames-pack}\n"
	rule := func(p *Pack) *Rule {
		return &p.Rules[slices.IndexFunc(p.Rules, func(r Rule) bool { return r.ID == "discretion.sensitive" })]
	}
	for _, tt := range []struct {
		body string
		want []string
	}{
		{"rules:\n  - id: discretion.sensitive\n    add_unless: [past]\n", []string{"record", "past"}},
		{"rules:\n  - id: discretion.sensitive\n    unless: [past]\n", []string{"past"}},
		{"rules:\n  - id: discretion.sensitive\n    unless: []\n", nil},
		{"rules:\n  - id: discretion.sensitive\n    unless: [past]\n    add_unless: [ours]\nadd_concepts:\n  - id: ours\n    terms: {en: [our bulletin]}\n", []string{"past", "ours"}},
	} {
		p, err := ApplyOverlay(base, "o.yaml", []byte(head+tt.body))
		if err != nil {
			t.Fatalf("%q: %v", tt.body, err)
		}
		if got := rule(p).Detect.Unless; !slices.Equal(got, tt.want) {
			t.Errorf("%q: unless %q, want %q", tt.body, got, tt.want)
		}
	}
	if got := rule(base).Detect.Unless; !slices.Equal(got, []string{"record"}) {
		t.Fatalf("the overlay changed the base pack: %q", got)
	}
	for body, want := range map[string]string{
		"rules:\n  - id: discretion.sensitive\n    add_unless: [recrod]\n": `o.yaml:3: rule discretion.sensitive: unless names unknown concept "recrod"`,
		"rules:\n  - id: safety.movement\n    unless: [record]\n":          "o.yaml:3: rule safety.movement: unless and add_unless apply to rules that detect by terms",
		"rules:\n  - id: discretion.sensitive\n    add_unless: [time]\n":   "rule discretion.sensitive: detect.unless: concept \"clock\" is found by the built-in detector",
	} {
		if _, err := ApplyOverlay(base, "o.yaml", []byte(head+body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", body, err, want)
		}
	}
}
