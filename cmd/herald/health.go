package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/herald-gov/herald/internal/connector"
)

// runHealthEvaluate runs the health evaluation once and prints a summary.
func runHealthEvaluate(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := newFlags("health evaluate", env)
	monitorFlags(fs, env, c, false)
	asOf := fs.String("as-of", "", "evaluate as of the end of this day, YYYY-MM-DD (UTC); default: now")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: herald health evaluate [--as-of YYYY-MM-DD] [--db URL]\n\nJudges every active, at-risk and closure-proposed account under policy 4.6, stores the results and applies the status changes.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return err
	}
	at := time.Now().UTC()
	if *asOf != "" {
		d, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			return usageError("--as-of %q: want YYYY-MM-DD", *asOf)
		}
		at = d.Add(24*time.Hour - time.Microsecond) // the whole day counts
	}
	m, closeStore, err := openMonitor(ctx, env, c, connector.Config{})
	if err != nil {
		return err
	}
	defer closeStore()
	sum, err := m.Evaluate(ctx, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "evaluated %d accounts as of %s: %d healthy, %d at risk\n",
		sum.Evaluated, at.Format(time.DateOnly), sum.Healthy, sum.AtRisk)
	keys := make([]string, 0, len(sum.Transitions))
	for k := range sum.Transitions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		fmt.Fprintln(env.Stdout, "no status changed")
	}
	for _, k := range keys {
		fmt.Fprintf(env.Stdout, "  %s: %d\n", k, sum.Transitions[k])
	}
	return nil
}
