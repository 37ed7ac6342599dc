package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

// defaultDatabase is where Herald keeps its data unless told otherwise.
const defaultDatabase = "sqlite:herald.db"

// databaseFlag registers --db on fs, defaulting to HERALD_DATABASE_URL, else
// a SQLite file herald.db in the working directory. Every command that
// touches the database takes it.
func databaseFlag(fs *flag.FlagSet, env Env) *string {
	def := env.Getenv("HERALD_DATABASE_URL")
	if def == "" {
		def = defaultDatabase
	}
	return fs.String("db", def, "database: sqlite:PATH, a file path, or postgres://... (env HERALD_DATABASE_URL)")
}

// parseDBFlags parses the flags of a command that takes only --db and no
// arguments. help is true when -h was asked for and nothing more should run.
func parseDBFlags(name, about string, env Env, args []string) (url string, help bool, err error) {
	fs := newFlags(name, env)
	db := databaseFlag(fs, env)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: herald %s [--db URL]\n\n%s\n\nFlags:\n", name, about)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return "", help, err
	}
	return *db, false, nil
}

// runMigrate brings the database schema up to date. It refuses a database
// whose schema is newer than this binary.
func runMigrate(ctx context.Context, env Env, args []string) error {
	url, help, err := parseDBFlags("migrate", "Applies the migrations the database lacks; changes nothing on a current database.", env, args)
	if help || err != nil {
		return err
	}
	s, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer s.Close()
	before, _, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	if n, _, err := registry.CanonicalHandles(ctx, s); err != nil {
		return err
	} else if n > 0 {
		fmt.Fprintf(env.Stdout, "%d handle(s) stored in their canonical form\n", n)
	}
	after, _, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if after == before {
		fmt.Fprintf(env.Stdout, "schema up to date at version %d (%s)\n", after, s.Dialect())
	} else {
		fmt.Fprintf(env.Stdout, "schema migrated from version %d to %d (%s)\n", before, after, s.Dialect())
	}
	return nil
}
