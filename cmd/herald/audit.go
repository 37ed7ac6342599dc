package main

import (
	"context"
	"fmt"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/store"
)

// runAuditVerify recomputes the audit trail's hash chain. It prints the
// number of events when the chain is intact and exits 1 naming the first
// broken event otherwise.
func runAuditVerify(ctx context.Context, env Env, args []string) error {
	url, help, err := parseDBFlags("audit verify",
		"Recomputes the audit trail's hash chain and names the first broken event (exit status 1).", env, args)
	if help || err != nil {
		return err
	}
	s, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer s.Close()
	db, bin, err := s.SchemaVersion(ctx)
	switch {
	case err != nil:
		return err
	case db == 0:
		return fmt.Errorf("%s holds no Herald database; run herald migrate first", url)
	case db > bin:
		return fmt.Errorf("%w (database %d, binary %d)", store.ErrSchemaTooNew, db, bin)
	case db < bin:
		return fmt.Errorf("database schema is at version %d, this binary at %d; run herald migrate first", db, bin)
	}
	checked, broken, err := audit.Check(ctx, s)
	if err != nil {
		return err
	}
	if broken != nil {
		return &exitError{code: 1, err: fmt.Errorf("audit trail broken: %v; the %d events before it are intact", broken, checked)}
	}
	fmt.Fprintf(env.Stdout, "audit trail intact: %d events\n", checked)
	return nil
}
