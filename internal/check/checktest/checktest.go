// Package checktest gives tests outside internal/check the checker most of
// them need: the default pack compiled with default options.
package checktest

import (
	"testing"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/policy"
)

// Default compiles the default pack (its Pack method gives the pack),
// failing tb when the pack does not load or compile.
func Default(tb testing.TB) *check.Checker {
	tb.Helper()
	p, err := policy.Default()
	if err != nil {
		tb.Fatal(err)
	}
	c, err := check.Compile(p, check.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
