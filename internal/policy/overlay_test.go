package policy

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestApplyOverlay(t *testing.T) {
	base, err := Load("testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadOverlay(base, "testdata/overlay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Pack.Version != "0.1.0+field-office@2" {
		t.Errorf("version %q", p.Pack.Version)
	}
	if !slices.Contains(p.Organization.Mailboxes, "press@acme.org") || !slices.Contains(p.Organization.Mailboxes, "social@acme.org") {
		t.Errorf("mailboxes %v", p.Organization.Mailboxes)
	}
	x := p.Parameters.Platforms["x"]
	if x.Limit != 25000 || x.Counter != "twitter" || x.URLLength != 23 {
		t.Errorf("x merged as %+v", x)
	}
	if p.Parameters.StaleFigureYears != 3 || len(p.Parameters.Shorteners) != 2 {
		t.Errorf("parameters %+v", p.Parameters)
	}
	var sens, conf, troll *Rule
	for i := range p.Rules {
		switch p.Rules[i].ID {
		case "discretion.sensitive":
			sens = &p.Rules[i]
		case "confidentiality.marking":
			conf = &p.Rules[i]
		case "trolls.abuse":
			troll = &p.Rules[i]
		}
	}
	if sens.Severity != "error" || !slices.ContainsFunc(sens.Detect.Terms["en"], func(t Term) bool { return t.Term == "bribe*" }) {
		t.Errorf("discretion.sensitive = %+v", sens)
	}
	if !slices.Contains(conf.Detect.Except["en"], "draft agenda") || !troll.Disabled {
		t.Errorf("except %v, disabled %v", conf.Detect.Except["en"], troll.Disabled)
	}
	if p.Clause("9.1") == nil || p.Rules[len(p.Rules)-1].ID != "local.codename" {
		t.Error("added clause or rule missing")
	}
	if !strings.HasPrefix(p.RulePos("local.codename"), "testdata/overlay.yaml:") {
		t.Errorf("added rule position %q", p.RulePos("local.codename"))
	}
	// The base is untouched.
	if base.Pack.Version != "0.1.0" || base.Parameters.Platforms["x"].Limit != 280 || base.Rules[1].Severity != "warning" ||
		len(base.Rules[1].Detect.Terms["en"]) != 3 || len(base.Organization.Mailboxes) != 1 || base.Rules[5].Disabled {
		t.Error("the overlay changed its base pack")
	}
}

func TestOverlayErrors(t *testing.T) {
	base, err := Load("testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/overlay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new, want string }{
		{"unknown rule", "id: trolls.abuse", "id: trolls.nope", "rule trolls.nope: the base pack has no such rule"},
		{"unknown key", "add_terms: {en: [bribe*]}", "add_termz: {en: [bribe*]}", `unknown key "add_termz"`},
		{"wrong base", "base: test-pack", "base: other", "does not name the base pack"},
		{"invalid result", "severity: error", "severity: fatal", "rule discretion.sensitive: severity"},
		{"duplicate added rule", "id: local.codename", "id: safety.travel", "another rule"},
		{"bad platform field", "x: {limit: 25000}", "x: {limits: 25000}", `unknown key "limits"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(string(data), tt.old, tt.new, 1)
			_, err := ApplyOverlay(base, "o.yaml", []byte(in))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), ".yaml:") {
				t.Fatalf("error %v, want %q with a file:line", err, tt.want)
			}
		})
	}
}

// An overlay that adds words to a frame rule is told where the words go
// (the rule's concepts), at its own line.
func TestOverlayTermsOnFrameRule(t *testing.T) {
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	in := "overlay: {id: t, version: 1, base: " + base.Pack.ID + "}\nrules:\n  - id: discretion.violence\n    add_terms: {en: [ambush]}\n"
	_, err = ApplyOverlay(base, "o.yaml", []byte(in))
	if err == nil || !strings.Contains(err.Error(), "o.yaml:3: rule discretion.violence: the rule detects by frames") || !strings.Contains(err.Error(), "attack") {
		t.Fatalf("error %v", err)
	}
	// Its concepts take the words.
	in = "overlay: {id: t, version: 1, base: " + base.Pack.ID + "}\nconcepts:\n  - id: attack\n    add_terms: {en: [ambush]}\n"
	if _, err := ApplyOverlay(base, "o.yaml", []byte(in)); err != nil {
		t.Fatal(err)
	}
}
