package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrationFiles holds migrations/<dialect>/NNNN_name.sql, numbered from 1
// without gaps and kept in lockstep between the dialects.
//
//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the dialect's migrations in order.
func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: migration file %s is not named NNNN_name.sql", e.Name())
		}
		text, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(text)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("store: migrations of %s skip from %d to %d", dialect, i, m.version)
		}
	}
	return ms, nil
}

// schemaMigrations is the bookkeeping table, one row per applied migration.
var schemaMigrations = map[string]string{
	SQLite: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
	Postgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
}

// migrateLock is the PostgreSQL advisory lock key held while migrating, so two
// instances starting together apply each migration once.
const migrateLock = 0x6865_7261_6c64_01 // "herald" 1

// Migrate applies the embedded migrations the database lacks, each in its own
// transaction, and returns ErrSchemaTooNew if the database is ahead of the
// binary. Running it on a current database changes nothing.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := migrations(s.dialect)
	if err != nil {
		return err
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock)
	}
	if _, err := conn.ExecContext(ctx, schemaMigrations[s.dialect]); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := s.apply(ctx, conn, m, len(ms)); err != nil {
			return err
		}
	}
	return s.validate(ctx)
}

// apply runs one migration in a transaction unless the database has it. The
// version is read inside the transaction, which on SQLite holds the write
// lock, so a second process migrating the same file skips what the first did.
func (s *Store) apply(ctx context.Context, conn *sql.Conn, m migration, binary int) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var cur int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&cur); err != nil {
		return err
	}
	if cur > binary {
		return fmt.Errorf("%w (database %d, binary %d)", ErrSchemaTooNew, cur, binary)
	}
	if cur >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	ins := "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"
	ins = s.bind(ins)
	if _, err := tx.ExecContext(ctx, ins, m.version, m.name, s.tv(s.now())); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	return nil
}

// SchemaVersion returns the version the database is at (0 when never
// migrated) and the version this binary brings.
func (s *Store) SchemaVersion(ctx context.Context) (db, binary int, err error) {
	ms, err := migrations(s.dialect)
	if err != nil {
		return 0, 0, err
	}
	exists := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	if s.dialect == Postgres {
		exists = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
	}
	var n int
	if err := s.r.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return 0, 0, err
	}
	if n == 0 {
		return 0, len(ms), nil
	}
	err = s.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&db)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return db, len(ms), err
}
