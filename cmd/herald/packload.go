package main

import (
	"strings"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/policy"
)

// loadPack reads the pack at path (the embedded default when empty) and
// applies the overlay at overlay when given. Errors are bad input (exit 2).
func loadPack(path, overlay string) (*policy.Pack, error) {
	var p *policy.Pack
	var err error
	if path == "" {
		p, err = policy.Default()
	} else {
		p, err = policy.Load(path)
	}
	if err != nil {
		return nil, usageError("invalid pack:\n%v", err)
	}
	if overlay != "" {
		if p, err = policy.LoadOverlay(p, overlay); err != nil {
			return nil, usageError("invalid overlay:\n%v", err)
		}
	}
	return p, nil
}

// loadChecker loads a pack as loadPack does and compiles it.
func loadChecker(path, overlay string) (*check.Checker, error) {
	p, err := loadPack(path, overlay)
	if err != nil {
		return nil, err
	}
	c, err := check.Compile(p, check.Options{})
	if err != nil {
		return nil, usageError("invalid pack:\n%v", err)
	}
	return c, nil
}

// listFlag is a flag that may be repeated.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }
