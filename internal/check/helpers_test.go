package check

import (
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

// compileDefault and compileFile compile the default pack or a pack file
// with default options, failing tb when it does not load or compile. (Tests
// outside this package use checktest, which this package's tests cannot
// import.)
func compileDefault(tb testing.TB) *Checker {
	tb.Helper()
	p, err := policy.Default()
	return compilePack(tb, p, err)
}

func compileFile(tb testing.TB, path string) *Checker {
	tb.Helper()
	p, err := policy.Load(path)
	return compilePack(tb, p, err)
}

func compilePack(tb testing.TB, p *policy.Pack, err error) *Checker {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	c, err := Compile(p, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
