package main

import (
	"fmt"
	"testing"

	"github.com/herald-gov/herald/internal/check/corpus"
)

// TestSample: a share keeps a draft's translations with it, keeps about
// that share of the triplets, a smaller share is a subset of a larger, and
// another seed draws another sample.
func TestSample(t *testing.T) {
	var items []corpus.Item
	for i := range 2000 {
		for _, lang := range []string{"en", "fr2", "es"} {
			items = append(items, corpus.Item{ID: fmt.Sprintf("x9sides-%04d-%s", i, lang)})
		}
	}
	half, quarter := sample(items, 0.5, 0), sample(items, 0.25, 0)
	kept := map[string]int{}
	for _, it := range half {
		kept[corpus.Group(it.ID)]++
	}
	for g, n := range kept {
		if n != 3 {
			t.Fatalf("triplet %s: %d of its 3 drafts kept", g, n)
		}
	}
	if n := len(kept); n < 900 || n > 1100 {
		t.Errorf("a share of 0.5 kept %d of 2000 triplets", n)
	}
	for _, it := range quarter {
		if kept[corpus.Group(it.ID)] == 0 {
			t.Fatalf("%s is in the quarter but not in the half", it.ID)
		}
	}
	if n := len(quarter) / 3; n < 400 || n > 600 {
		t.Errorf("a share of 0.25 kept %d of 2000 triplets", n)
	}
	other := sample(items, 0.5, 1)
	same := 0
	for _, it := range other {
		if kept[corpus.Group(it.ID)] > 0 {
			same++
		}
	}
	if same == len(other) || same < len(other)/4 {
		t.Errorf("sample 1 shares %d of its %d drafts with sample 0 (about half expected)", same, len(other))
	}
	if n := len(sample(items, 1, 0)); n != len(items) {
		t.Errorf("a share of 1 kept %d of %d drafts", n, len(items))
	}
}
