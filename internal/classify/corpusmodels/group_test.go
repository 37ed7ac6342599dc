package main

import "testing"

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
