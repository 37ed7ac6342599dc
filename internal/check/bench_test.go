package check

import (
	"slices"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// benchPack is the embedded default pack, or the test pack until the
// default one exists.
func benchPack(b *testing.B) *policy.Pack {
	if p, err := policy.Default(); err == nil {
		return p
	} else {
		b.Logf("default pack unavailable (%v); using the test pack", err)
	}
	base, err := policy.Load("../policy/testdata/pack.yaml")
	if err != nil {
		b.Fatal(err)
	}
	p, err := policy.LoadOverlay(base, "testdata/builtins.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// benchPosts are realistic posts of about 280 characters.
var benchPosts = []string{
	"Today in Juba, UNOPS handed over the rehabilitated Jebel Kujur bridge to the Ministry of Roads. " +
		"Built with local engineers, it links 45,000 people to markets, schools and clinics. " +
		"Thank you to our partners for their support! Read more: https://www.unops.org/news #SouthSudan #Infrastructure",
	"Aujourd'hui à Bamako, l'UNOPS a remis trois centres de santé rénovés au ministère de la Santé. " +
		"Plus de 20 000 patients par an y seront soignés. Merci à nos partenaires pour leur confiance. " +
		"En savoir plus : https://www.unops.org/fr #Mali #Santé",
	"Hoy en Bogotá, UNOPS entregó 12 escuelas reconstruidas al Ministerio de Educación. " +
		"Más de 4.000 niñas y niños vuelven a clases en aulas seguras. Gracias a nuestros socios " +
		"por su apoyo. Más información: https://www.unops.org/es #Colombia #Educación",
}

// BenchmarkCheck checks 280-character posts one at a time and reports the
// median and 99th-percentile latency (run with -cpu 1).
func BenchmarkCheck(b *testing.B) {
	c, err := Compile(benchPack(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	drafts := make([]model.Draft, len(benchPosts))
	for i, s := range benchPosts {
		drafts[i] = model.Draft{Text: s, Platform: "x", Account: model.DraftAccount{Kind: "country-office", Handle: "@UNOPS"}}
	}
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		c.Check(drafts[i%len(drafts)])
		durations = append(durations, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(durations)
	q := func(p float64) float64 { return float64(durations[int(p*float64(len(durations)-1))].Nanoseconds()) }
	b.ReportMetric(q(0.50), "p50-ns")
	b.ReportMetric(q(0.99), "p99-ns")
}

// BenchmarkCompile compiles the pack (target: under 50 ms).
func BenchmarkCompile(b *testing.B) {
	p := benchPack(b)
	for b.Loop() {
		if _, err := Compile(p, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
