package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/herald-gov/herald/internal/check/corpus"
	"github.com/herald-gov/herald/internal/testutil"
)

// TestSubjectiveReproduces retrains subjective-en from the shared data and
// the corpus's tune half and requires the embedded file, bit for bit
// (classify's TestEmbeddedModelsReproduce cannot: the model's training data
// is two sources).
func TestSubjectiveReproduces(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on the shared data sets; skipped with -short")
	}
	shared := filepath.Dir(filepath.Dir(testutil.SharedFile(t, "subjectivity/train.jsonl")))
	if runtime.GOARCH != "amd64" {
		t.Skip("the embedded file was trained on amd64; other architectures may round differently")
	}
	items, err := corpus.Load("../../check/testdata/corpus", corpus.Tune)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := subjective(items, shared, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(out, "subjective-en.hmdl"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../models/subjective-en.hmdl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("retrained subjective-en differs from the embedded model: run go generate ./internal/classify")
	}
}
