package classify_test

import (
	"path/filepath"
	"testing"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/classify"
)

// benchTexts are the validation tweets when the shared data is present
// (about 135 bytes each), else three posts of about 280 characters.
func benchTexts(b *testing.B) []string {
	ex, err := classify.ReadFile(filepath.Join(sharedData, "tweeteval-offensive", "val_text.txt"), "")
	if err != nil {
		b.Logf("shared data absent (%v): three 280-character posts", err)
		return []string{
			"Today in Juba, UNOPS handed over the rehabilitated Jebel Kujur bridge to the Ministry of Roads. Built with local engineers, it links 45,000 people to markets, schools and clinics. Thank you to our partners! #SouthSudan",
			"@user You people are the most pathetic bunch of clowns I have ever seen. Shut up and do your job, nobody believes a word you say anymore!!! #disgrace",
			"We are so proud of this amazing team: the new clinic is truly the best thing that happened to the district this year, and we think everyone should visit it.",
		}
	}
	texts := make([]string, len(ex))
	for i, e := range ex {
		texts[i] = e.Text
	}
	return texts
}

// BenchmarkScore scores one post with each embedded model, on text the
// checker has already folded (target: 5 µs per post per model, -cpu 1).
// cpu-ns/op is the process's CPU time per post, which a busy machine
// inflates less than the wall time of ns/op.
func BenchmarkScore(b *testing.B) {
	texts := benchTexts(b)
	folded := make([][]byte, len(texts))
	bytes := 0
	for i, s := range texts {
		folded[i] = check.Fold(s)
		bytes += len(s)
	}
	for _, name := range classify.EmbeddedNames() {
		m, err := classify.Embedded(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(bytes / len(texts)))
			cpu0, n := cpuTime(), 0
			for i := 0; b.Loop(); i++ {
				k := i % len(texts)
				m.Score(texts[k], folded[k])
				n++
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(n), "cpu-ns/op")
		})
	}
}

// BenchmarkBank scores one post with every embedded model through one bank,
// as the checker does: features read once, then one pass per table.
// cpu-ns/model is the process's CPU time per post and model.
func BenchmarkBank(b *testing.B) {
	texts := benchTexts(b)
	folded := make([][]byte, len(texts))
	for i, s := range texts {
		folded[i] = check.Fold(s)
	}
	var models []*classify.Model
	for _, name := range classify.EmbeddedNames() {
		m, err := classify.Embedded(name)
		if err != nil {
			b.Fatal(err)
		}
		models = append(models, m)
	}
	bank := classify.NewBank(models)
	scores := make([]float64, bank.Len())
	var v classify.Vector
	b.ReportAllocs()
	cpu0, n := cpuTime(), 0
	for i := 0; b.Loop(); i++ {
		k := i % len(texts)
		v.Extract(texts[k], folded[k])
		for g := range bank.Groups() {
			bank.ScoreGroup(g, &v, scores)
		}
		n++
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(n*len(models)), "cpu-ns/model")
}
