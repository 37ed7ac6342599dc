package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/herald-gov/herald/internal/check"
	"github.com/herald-gov/herald/internal/policy"
)

// runPackTest is `herald pack test [--overlay F] [FILE]`: it runs every
// rule's fire and pass examples and fails (exit 1) if any misbehaves.
func runPackTest(ctx context.Context, env Env, args []string) error {
	fs := newFlags("pack test", env)
	overlay := fs.String("overlay", "", "overlay file applied on top of the pack")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: herald pack test [--overlay FILE] [PACK]\n\n"+
			"Runs every rule's examples of PACK (default: the embedded pack).\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, help, err := parseInterspersed(fs, args)
	if help || err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError("want at most one pack file, got %d", len(pos))
	}
	path := ""
	if len(pos) == 1 {
		path = pos[0]
	}
	c, err := loadChecker(path, *overlay)
	if err != nil {
		return err
	}
	fails, n := c.RunExamples()
	p := c.Pack()
	for _, f := range fails {
		fmt.Fprintf(env.Stdout, "FAIL %s: %s\n", p.RulePos(f.Rule), f)
	}
	fmt.Fprintf(env.Stdout, "pack %s %s: %d rules, %d examples, %d failed\n", p.Pack.ID, p.Pack.Version, enabled(p), n, len(fails))
	if len(fails) > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// runPackShow is `herald pack show [--pack FILE] [--overlay FILE]`: the
// pack's clauses and rules as tables.
func runPackShow(ctx context.Context, env Env, args []string) error {
	fs := newFlags("pack show", env)
	packPath := fs.String("pack", "", "policy pack file (default: the embedded pack)")
	overlay := fs.String("overlay", "", "overlay file applied on top of the pack")
	pos, help, err := parseInterspersed(fs, args)
	if help || err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q; use --pack FILE", pos[0])
	}
	p, err := loadPack(*packPath, *overlay)
	if err != nil {
		return err
	}
	if _, err := check.Compile(p, check.Options{}); err != nil {
		return usageError("invalid pack:\n%v", err)
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s %s — %s %s\n", p.Pack.ID, p.Pack.Version, p.Pack.Policy.Reference, p.Pack.Policy.Title)
	fmt.Fprintf(w, "languages: %s\n\nCLAUSE\tTITLE\tSUMMARY\n", strings.Join(p.Pack.Languages, ", "))
	lang := "en"
	if len(p.Pack.Languages) > 0 {
		lang = p.Pack.Languages[0]
	}
	for _, cl := range p.Clauses {
		fmt.Fprintf(w, "%s\t%s\t%s\n", cl.ID, cl.Title.In(lang), cl.Summary[lang])
	}
	fmt.Fprintf(w, "\nRULE\tCLAUSE\tSEVERITY\tDETECTS\tAPPLIES TO\n")
	for _, r := range p.Rules {
		sev := r.Severity
		if r.Disabled {
			sev += " (disabled)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Clause, sev, method(r), applies(r))
	}
	return w.Flush()
}

func enabled(p *policy.Pack) int {
	n := 0
	for _, r := range p.Rules {
		if !r.Disabled {
			n++
		}
	}
	return n
}

// method says in a few words how a rule detects.
func method(r policy.Rule) string {
	d := r.Detect
	var s string
	switch {
	case d.Builtin != "":
		s = "builtin " + d.Builtin
	case len(d.Patterns) > 0:
		s = fmt.Sprintf("%d pattern%s", len(d.Patterns), plural(len(d.Patterns)))
	case len(d.Frames) > 0:
		s = fmt.Sprintf("%d frame%s of concepts", len(d.Frames), plural(len(d.Frames)))
	case len(d.Terms) == 0 && d.Classifier != nil:
		s = "model " + d.Classifier.Model
	default:
		n := 0
		for _, ts := range d.Terms {
			n += len(ts)
		}
		s = fmt.Sprintf("%d term%s", n, plural(n))
		if d.Near != nil {
			s += fmt.Sprintf(" near context (%d words)", d.Near.Window)
		}
	}
	if c := d.Classifier; c != nil && len(d.Terms) > 0 {
		s += " and model " + c.Model
	}
	if d.On != "" && d.On != "text" {
		s += " in " + d.On
	}
	return s
}

func applies(r policy.Rule) string {
	kinds, platforms := "all accounts", "all platforms"
	if len(r.Applies.Kinds) > 0 {
		kinds = strings.Join(r.Applies.Kinds, ", ")
	}
	if len(r.Applies.Platforms) > 0 {
		platforms = strings.Join(r.Applies.Platforms, ", ")
	}
	return kinds + "; " + platforms
}
