// Package checktest gives tests outside internal/check the checkers they
// need: a pack compiled with default options, or the test fails.
package checktest

import (
	"testing"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/policy"
)

// Default compiles the default pack (the checker's Pack method gives it).
func Default(tb testing.TB) *check.Checker {
	tb.Helper()
	p, err := policy.Default()
	return compile(tb, p, err)
}

// Load compiles the pack file at path.
func Load(tb testing.TB, path string) *check.Checker {
	tb.Helper()
	p, err := policy.Load(path)
	return compile(tb, p, err)
}

// compile compiles p, failing tb when loading it failed with err or
// compiling it fails.
func compile(tb testing.TB, p *policy.Pack, err error) *check.Checker {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	c, err := check.Compile(p, check.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
