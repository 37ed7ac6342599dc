package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/policy"
)

// BenchmarkCheckJSONL runs the --jsonl path over 100,000 generated drafts
// (use -cpu 2 for the target of 50,000 posts/s on this machine). It uses
// the default pack when it loads, else the engine's test pack.
func BenchmarkCheckJSONL(b *testing.B) {
	p, err := policy.Default()
	if err != nil {
		b.Logf("default pack unavailable (%v); using the test pack", err)
		if p, err = loadPack("../../internal/policy/testdata/pack.yaml", "../../internal/check/testdata/builtins.yaml"); err != nil {
			b.Fatal(err)
		}
	}
	c, err := check.Compile(p, check.Options{})
	if err != nil {
		b.Fatal(err)
	}
	n := 100000
	texts := []string{
		"Today in Juba, UNOPS handed over %d rehabilitated bridges to the Ministry of Roads. More than 45,000 people now reach markets and clinics. Thank you to our partners! https://www.unops.org/news #SouthSudan",
		"Aujourd'hui à Bamako, l'UNOPS a remis %d centres de santé rénovés. Plus de 20 000 patients par an y seront soignés. Merci à nos partenaires. #Mali",
		"Hoy en Bogotá, UNOPS entregó %d escuelas reconstruidas. Más de 4.000 niñas y niños vuelven a clases en aulas seguras. Contacto: jane.doe@gmail.com",
		"This draft report on %d sites is confidential: allegations of fraud are being investigated. Our amazing team did the best work.",
	}
	var in bytes.Buffer
	for i := range n {
		fmt.Fprintf(&in, `{"id":"post-%d","text":%q,"platform":"x","account":{"kind":"country-office"}}`+"\n", i, fmt.Sprintf(texts[i%len(texts)], i))
	}
	data := in.Bytes()
	// HERALD_BENCH_JSONL names another input, such as bench/jsonl's output.
	if path := os.Getenv("HERALD_BENCH_JSONL"); path != "" {
		if data, err = os.ReadFile(path); err != nil {
			b.Fatal(err)
		}
		n = bytes.Count(data, []byte("\n"))
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		err := checkJSONL(context.Background(), c, bytes.NewReader(data), io.Discard)
		if err != nil && err != exitFindings {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "posts/s")
}
