package main

import (
	"strings"
	"testing"
)

func TestCheckExplain(t *testing.T) {
	pack := []string{"--pack", "../../internal/policy/testdata/frames.yaml"}
	code, out, errOut := runCheckCmd(t, "The convoy leaves Bunia tomorrow. Yesterday it leaves Goma.\n",
		append([]string{"check", "--explain-rule", "safety.movement"}, pack...)...)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
	}
	for _, want := range []string{
		"error  safety.movement",
		"Gives a movement (leaves), a place (Bunia) and a time (tomorrow).",
		"Why each finding:",
		`1. safety.movement "leaves Bunia tomorrow"`,
		`movement         "leaves" at 11-17`,
		"Rule safety.movement:",
		`frame 1, "The convoy leaves Bunia tomorrow."`,
		"fired",
		`frame 1, "Yesterday it leaves Goma."`,
		"missing: time",
		"cancelled by: past (Yesterday)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// A word-list rule's unless: the match dropped, by which concept.
	code, out, errOut = runCheckCmd(t, "We reported the abduction in our statement. An investigation has been opened.\n",
		append([]string{"check", "--explain-rule", "discretion.sensitive"}, pack...)...)
	if code != 0 {
		t.Fatalf("exit %d, want 0; stderr %s", code, errOut)
	}
	for _, want := range []string{
		`1. discretion.sensitive "investigation"`,
		"except in a sentence that holds record (unless)",
		`"abduction" at 16-25 dropped by unless: record (our statement) in "We reported the abduction in our statement."`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, _, errOut = runCheckCmd(t, "x", append([]string{"check", "--explain", "--format", "json"}, pack...)...)
	if code != 2 || !strings.Contains(errOut, "--explain prints for people") {
		t.Errorf("--explain with --format json: exit %d, stderr %q", code, errOut)
	}
}
