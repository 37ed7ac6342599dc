package policy

import (
	"strings"
	"testing"
)

// TestDefaultPackLanguages: every clause title, clause summary and
// checklist item of the default pack is written in English, French and
// Spanish, each its own sentence (a title left in English is not a
// translation).
func TestDefaultPackLanguages(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Clauses) < 30 || len(p.Checklist) < 5 {
		t.Fatalf("the default pack has %d clauses and %d checklist items", len(p.Clauses), len(p.Checklist))
	}
	check := func(what string, tx Text) {
		for _, lang := range []string{"en", "fr", "es"} {
			if strings.TrimSpace(tx[lang]) == "" {
				t.Errorf("%s has no %s text", what, lang)
			}
		}
		if tx["fr"] == tx["en"] || tx["es"] == tx["en"] {
			t.Errorf("%s: a translation repeats the English %q", what, tx["en"])
		}
	}
	for _, c := range p.Clauses {
		check("clause "+c.ID+" title", c.Title)
		check("clause "+c.ID+" summary", c.Summary)
	}
	for _, item := range p.Checklist {
		check("checklist item "+item.ID, item.Text)
	}
}

// TestPlainTitle: a title written as a plain string is one title for every
// language; titles per language must cover the pack's languages.
func TestPlainTitle(t *testing.T) {
	const pack = `pack: {id: t, version: "1", policy: {reference: T.1, title: T, effective: "2020-01-01"}, languages: [en, fr]}
organization: {name: Org}
clauses:
  - id: "1.1"
    title: Plain
    summary: {en: One., fr: Un.}
  - id: "1.2"
    title: {en: English only}
    summary: {en: Two., fr: Deux.}
`
	_, err := Parse("t.yaml", []byte(pack))
	if err == nil || !strings.Contains(err.Error(), `clause 1.2 title: missing language "fr"`) || strings.Contains(err.Error(), "clause 1.1") {
		t.Fatalf("Parse = %v, want only clause 1.2's title refused", err)
	}
	fixed := strings.Replace(pack, "{en: English only}", "{en: English, fr: Français}", 1)
	p, err := Parse("t.yaml", []byte(fixed))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Clause("1.1").Title.In("fr"); got != "Plain" {
		t.Errorf("a plain title in French = %q", got)
	}
	if got := p.Clause("1.2").Title.In("fr"); got != "Français" {
		t.Errorf("a French title = %q", got)
	}
}
