package main

import (
	"testing"

	"github.com/herald-gov/herald/internal/check/corpus"
)

// TestChooseThresholds: two families whose models separate perfectly down
// to a score, then mix in clean posts; the choice lowers each threshold as
// far as it goes without a clean post flagged, then spends the budget
// where it finds the most per clean post, never beyond it.
func TestChooseThresholds(t *testing.T) {
	var items []corpus.Item
	var a, b []float64
	add := func(family string, sa, sb float64) {
		items = append(items, corpus.Item{Family: family})
		a, b = append(a, sa), append(b, sb)
	}
	for range 8 { // a's positives: half score 0.9, half 0.3
		add("a", 0.9, 0)
	}
	for range 8 {
		add("a", 0.3, 0)
	}
	for range 4 { // b's positives at 0.6
		add("b", 0, 0.6)
	}
	add(corpus.Clean, 0.3, 0) // a clean post a's model scores like half its positives
	add(corpus.Clean, 0, 0.1)
	add(corpus.Clean, 0, 0)
	found := make([]bool, len(items))
	for i, it := range items {
		found[i] = it.Family == corpus.Clean // the rules flag nothing, find nothing
	}
	models := []heldOut{{"a", a}, {"b", b}}

	c := chooseThresholds(items, found, models, 0)
	if c.flagged != 0 || c.thresholds["a"] <= 0.3 || c.thresholds["a"] > 0.9 || c.thresholds["b"] > 0.6 || c.thresholds["b"] <= 0.1 {
		t.Errorf("budget 0: thresholds %v, %d flagged", c.thresholds, c.flagged)
	}
	if c.found["a"] != 8 || c.found["b"] != 4 {
		t.Errorf("budget 0: found %v, want a 8, b 4", c.found)
	}
	c = chooseThresholds(items, found, models, 1)
	if c.flagged != 1 || c.found["a"] != 16 || c.thresholds["a"] > 0.3 {
		t.Errorf("budget 1: thresholds %v, found %v, %d flagged; want a at 0.3 or below, 16 found, 1 flagged", c.thresholds, c.found, c.flagged)
	}
	if e := evaluate(items, found, models, c.thresholds); e.flagged != c.flagged || e.found["a"] != c.found["a"] || e.found["b"] != c.found["b"] {
		t.Errorf("evaluate %v/%d, choose %v/%d", e.found, e.flagged, c.found, c.flagged)
	}
}
