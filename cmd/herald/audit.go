package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/store"
)

// auditFlags are the flags of the audit commands: --db, the signing key
// (kept outside the database) and, for checkpoint, the file.
type auditFlags struct {
	db, key, file string
}

func parseAuditFlags(name, about string, env Env, args []string, fileFlag string) (*auditFlags, bool, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	f := &auditFlags{}
	db := databaseFlag(fs, env)
	fs.StringVar(&f.key, "audit-key", env.Getenv("HERALD_AUDIT_KEY"), "key that signs checkpoints: at least 32 bytes in hex or base64; keep it out of the database (env HERALD_AUDIT_KEY)")
	switch fileFlag {
	case "checkpoint":
		fs.StringVar(&f.file, "checkpoint", "", "verify against this checkpoint file too (needs the audit key)")
	case "file":
		fs.StringVar(&f.file, "file", envOr(env, "HERALD_AUDIT_CHECKPOINTS", "herald-audit-checkpoints.jsonl"), "checkpoint file to append to (env HERALD_AUDIT_CHECKPOINTS)")
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: herald %s [flags]\n\n%s\n\nFlags:\n", name, about)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return nil, help, err
	}
	f.db = *db
	return f, false, nil
}

// openCurrent opens a database whose schema this binary knows.
func openCurrent(ctx context.Context, url string) (*store.Store, error) {
	s, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	db, bin, err := s.SchemaVersion(ctx)
	switch {
	case err != nil:
	case db == 0:
		err = fmt.Errorf("%s holds no Herald database; run herald migrate first", url)
	case db > bin:
		err = fmt.Errorf("%w (database %d, binary %d)", store.ErrSchemaTooNew, db, bin)
	case db < bin:
		err = fmt.Errorf("database schema is at version %d, this binary at %d; run herald migrate first", db, bin)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// runAuditVerify recomputes the audit trail's hash chain and prints its
// head (keep it elsewhere: it shows later whether events were removed).
// With --checkpoint it also checks the trail against signed checkpoints,
// which catches a truncated or re-chained trail. Exit status 1 names the
// first broken event or the disagreement.
func runAuditVerify(ctx context.Context, env Env, args []string) error {
	f, help, err := parseAuditFlags("audit verify",
		"Recomputes the audit trail's hash chain, prints its head and names the first broken event (exit status 1). With --checkpoint, also checks the trail against signed checkpoints.",
		env, args, "checkpoint")
	if help || err != nil {
		return err
	}
	var cps []audit.Checkpoint
	if f.file != "" {
		key, err := audit.ParseKey(f.key)
		if err != nil {
			return usageError("--audit-key (or HERALD_AUDIT_KEY): %v", err)
		}
		if cps, err = audit.ReadFile(f.file, key); errors.Is(err, audit.ErrCheckpoint) {
			return &exitError{code: 1, err: err}
		} else if err != nil {
			return usageError("%v", err)
		}
	}
	s, err := openCurrent(ctx, f.db)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := audit.VerifyAll(ctx, s, cps)
	if errors.Is(err, audit.ErrCheckpoint) {
		return &exitError{code: 1, err: err}
	}
	if err != nil {
		return err
	}
	if r.Broken != nil {
		return &exitError{code: 1, err: fmt.Errorf("audit trail broken: %v; the %d events before it are intact", r.Broken, r.Checked)}
	}
	fmt.Fprintf(env.Stdout, "audit trail intact: %d events\nhead: seq %d hash %s\n", r.Checked, r.Head.Seq, r.Head.Hash)
	if len(cps) > 0 {
		fmt.Fprintf(env.Stdout, "agrees with %d checkpoints of %s\n", len(cps), f.file)
	}
	return nil
}

// runAuditCheckpoint signs the trail's head with the audit key and appends
// it to the checkpoint file.
func runAuditCheckpoint(ctx context.Context, env Env, args []string) error {
	f, help, err := parseAuditFlags("audit checkpoint",
		"Signs the audit trail's head with the audit key and appends it to the checkpoint file; keep the file and the key away from the database.",
		env, args, "file")
	if help || err != nil {
		return err
	}
	key, err := audit.ParseKey(f.key)
	if err != nil {
		return usageError("--audit-key (or HERALD_AUDIT_KEY): %v", err)
	}
	s, err := openCurrent(ctx, f.db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := audit.WriteCheckpoint(ctx, s, key, f.file, time.Now())
	if errors.Is(err, audit.ErrCheckpoint) {
		return &exitError{code: 1, err: err}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "checkpoint written to %s: seq %d hash %s\n", f.file, c.Seq, c.Hash)
	return nil
}
