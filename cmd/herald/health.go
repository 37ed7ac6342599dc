package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/health"
	"github.com/herald-gov/herald/internal/monitor"
)

// runHealthEvaluate runs the health evaluation once and prints a summary.
func runHealthEvaluate(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := newFlags("health evaluate", env)
	monitorFlags(fs, env, c, false)
	asOf := fs.String("as-of", "", "evaluate as of the end of this day, YYYY-MM-DD (UTC); default: now")
	account := fs.Int64("account", 0, "evaluate only this account id and print its result")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: herald health evaluate [--account ID] [--as-of YYYY-MM-DD] [--db URL]\n\nJudges every active, at-risk and closure-proposed account (or one) under policy 4.6, stores the results and applies the status changes.\n\nFlags:\n")
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
	var sum monitor.EvalSummary
	if *account != 0 {
		var rec *monitor.HealthRecord
		rec, sum, err = m.EvaluateAccount(ctx, *account, at)
		if err != nil {
			return fmt.Errorf("account %d: %w", *account, err)
		}
		printHealth(env, *account, rec.Result)
	} else if sum, err = m.Evaluate(ctx, at); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "evaluated %d accounts as of %s: %d healthy, %d at risk, %d unknown (no data)\n",
		sum.Evaluated, at.Format(time.DateOnly), sum.Healthy, sum.AtRisk, sum.Unknown)
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

// printHealth writes one account's result: its state, then each reason
// with the paragraph it cites.
func printHealth(env Env, id int64, r health.Result) {
	fmt.Fprintf(env.Stdout, "account %d: %s\n", id, r.State)
	for _, x := range r.Reasons {
		fmt.Fprintf(env.Stdout, "  %s (%s): %s\n", x.Code, x.Clause, x.Message)
	}
}
