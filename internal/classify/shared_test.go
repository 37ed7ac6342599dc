package classify_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/classify"
)

// sharedData is ../shared/testdata beside the repository.
const sharedData = "../../../shared/testdata"

// TestEmbeddedModelsReproduce retrains each embedded model from the shared
// data with the settings its header records and requires the same file,
// bit for bit: the embedded models are what `go generate` makes from those
// data sets, and training is deterministic.
func TestEmbeddedModelsReproduce(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on the shared data sets; skipped with -short")
	}
	for _, name := range classify.EmbeddedNames() {
		t.Run(name, func(t *testing.T) {
			m, err := classify.Embedded(name)
			if err != nil {
				t.Fatal(err)
			}
			h := m.Header
			trainPath := filepath.Join(sharedData, h.Training.Source)
			valPath := filepath.Join(sharedData, h.Validation.Source)
			for _, p := range []string{trainPath, valPath} {
				if _, err := os.Stat(p); err != nil {
					t.Skipf("shared data %s is absent: %v", p, err)
				}
			}
			train, err := classify.ReadFile(trainPath, "")
			if err != nil {
				t.Fatal(err)
			}
			val, err := classify.ReadFile(valPath, "")
			if err != nil {
				t.Fatal(err)
			}
			if d := classify.Digest(train); d != h.Training.SHA256 {
				t.Fatalf("%s has digest %s; the model was trained on %s", trainPath, d, h.Training.SHA256)
			}
			opts := classify.TrainOptions{
				Name: h.Name, Language: h.Language, Description: h.Description, Fold: check.Fold, Folding: check.FoldName,
				BucketBits: h.Features.BucketBits, Seed: h.Training.Seed, TargetPrecision: h.Validation.TargetPrecision,
				Created: h.Created, TrainSource: h.Training.Source, ValSource: h.Validation.Source,
			}
			got, err := classify.Train(train, val, opts)
			if err != nil {
				t.Fatal(err)
			}
			// Other architectures may fuse multiply-adds and round
			// differently; there the test compares two of its own runs.
			want := m.Marshal()
			if runtime.GOARCH != "amd64" {
				again, err := classify.Train(train, val, opts)
				if err != nil {
					t.Fatal(err)
				}
				want = again.Marshal()
			}
			if !bytes.Equal(got.Marshal(), want) {
				t.Errorf("retrained %s differs from the embedded model (threshold %v vs %v, epochs %d vs %d)",
					name, got.Header.Threshold, h.Threshold, got.Header.Training.Epochs, h.Training.Epochs)
			}
			if !strings.HasPrefix(got.Header.Validation.Source, filepath.Base(filepath.Dir(valPath))) {
				t.Errorf("validation source %q", got.Header.Validation.Source)
			}
		})
	}
}
