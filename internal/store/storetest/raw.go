package storetest

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/store"
)

// Exec runs statements on the database at url past the store, as someone
// with direct access to the database could: for tests of tampering and of
// schemas the store did not write. The SQL is the dialect's own.
func Exec(tb testing.TB, url string, query string, args ...any) {
	tb.Helper()
	if err := ExecErr(url, query, args...); err != nil {
		tb.Fatalf("exec %q: %v", query, err)
	}
}

// ExecErr is Exec that returns the error, for statements meant to fail.
func ExecErr(url string, query string, args ...any) error {
	driver, dsn := "pgx", url
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		driver, dsn = "sqlite", strings.TrimPrefix(url, "sqlite:")
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(context.Background(), query, args...)
	return err
}

// Tamper rewrites the summary of audit event seq directly in the database,
// first removing the trigger that keeps the table append-only, as an
// intruder with the database's credentials could.
func Tamper(tb testing.TB, dialect, url string, seq int64, summary string) {
	tb.Helper()
	if dialect == store.Postgres {
		Exec(tb, url, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update")
		Exec(tb, url, "UPDATE audit_events SET summary = $1 WHERE seq = $2", summary, seq)
		return
	}
	Exec(tb, url, "DROP TRIGGER IF EXISTS audit_events_no_update")
	Exec(tb, url, "UPDATE audit_events SET summary = ? WHERE seq = ?", summary, seq)
}

// DeleteEvent removes audit event seq directly in the database, past the
// append-only trigger.
func DeleteEvent(tb testing.TB, dialect, url string, seq int64) {
	tb.Helper()
	if dialect == store.Postgres {
		Exec(tb, url, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_delete")
		Exec(tb, url, "DELETE FROM audit_events WHERE seq = $1", seq)
		return
	}
	Exec(tb, url, "DROP TRIGGER IF EXISTS audit_events_no_delete")
	Exec(tb, url, "DELETE FROM audit_events WHERE seq = ?", seq)
}
