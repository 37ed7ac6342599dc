package check

import (
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

// compileDefault compiles the default pack with default options, failing
// tb when it does not load or compile. (Tests outside this package use
// checktest.Default, which this package's tests cannot import.)
func compileDefault(tb testing.TB) *Checker {
	tb.Helper()
	p, err := policy.Default()
	if err != nil {
		tb.Fatal(err)
	}
	c, err := Compile(p, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
