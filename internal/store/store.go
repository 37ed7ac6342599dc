// Package store keeps Herald's state in SQLite (the default) or PostgreSQL.
// Every mutating method appends its audit event in the same transaction.
//
// Queries are written once, with ? placeholders, in SQL both dialects accept
// (queries*.sql for the fixed ones; filters and IN lists are built in Go).
// Where the dialects differ:
//   - placeholders: bind (queries.go) is the one place that rewrites ? as $n;
//   - schemas: migrations/sqlite and migrations/postgres, kept in lockstep;
//   - times: fixed-width UTC text in SQLite, timestamptz in PostgreSQL (here);
//   - locks: advisory locks for audit appends (audit.go) and migrations
//     (migrate.go), FOR UPDATE SKIP LOCKED for leases (sync.go,
//     notifications.go), where SQLite relies on its single writer;
//   - errors: mapErr (here) turns both drivers' errors into internal/errs kinds.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrSchemaTooNew is returned when the database was migrated by a newer binary.
	ErrSchemaTooNew = errors.New("store: database schema is newer than this binary")
	// errNotFound is returned when the asked-for row does not exist (or is
	// expired, revoked or belongs to a disabled user where the method says
	// so). The store's other errors are errs.Conflict (a unique violation)
	// and errs.Invalid (an argument it cannot accept).
	errNotFound = errs.E(errs.NotFound, "not_found", "not found")
)

// Dialect names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is an open database. It is safe for concurrent use.
type Store struct {
	dialect string
	w       *sql.DB // writes; a single connection on SQLite
	r       *sql.DB // reads; the same pool as w on PostgreSQL
	queries map[string]string
	now     func() time.Time
}

// Open opens "sqlite:PATH", a bare PATH, or a "postgres://" (or
// "postgresql://") URL. It runs no migration; when the schema is already
// current it checks every query against it, so a broken query fails here.
func Open(ctx context.Context, url string) (*Store, error) {
	s := &Store{now: time.Now}
	switch {
	case url == "" || url == "sqlite:":
		return nil, errs.Errorf(errs.Invalid, "store.empty_database_url", "empty database URL")
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s.dialect = Postgres
		db, err := sql.Open("pgx", url)
		if err != nil {
			return nil, err
		}
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.w, s.r = db, db
	default:
		s.dialect = SQLite
		if err := s.openSQLite(strings.TrimPrefix(url, "sqlite:")); err != nil {
			return nil, err
		}
	}
	q, err := loadQueries(s.dialect)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.queries = q
	if err := s.w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open %s database: %w", s.dialect, err)
	}
	db, bin, err := s.SchemaVersion(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	if db == bin {
		if err := s.validate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// openSQLite opens one writer connection and a pool of read-only readers.
// synchronous=FULL syncs the WAL at every commit: NORMAL would already keep
// every commit through a SIGKILL (the OS holds the written pages), but only
// FULL keeps the last commits through a power cut, and writes here are human
// actions, few enough to pay one fsync each. _txlock=immediate takes the write
// lock at BEGIN, so two processes on one file queue on busy_timeout instead of
// failing on lock upgrade.
func (s *Store) openSQLite(path string) error {
	if path == "" {
		return errs.Errorf(errs.Invalid, "store.empty_sqlite_path", "empty SQLite path")
	}
	// SQLite URI filenames treat %, ? and # specially.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	w, err := sql.Open("sqlite", "file:"+p+"?"+common+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	// Readers come after the writer has switched the file to WAL.
	r, err := sql.Open("sqlite", "file:"+p+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return err
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	s.w, s.r = w, r
	return nil
}

// Close closes the database. On SQLite it first lets the query planner
// refresh the statistics it finds stale, as SQLite advises at close.
func (s *Store) Close() error {
	if s.dialect == SQLite {
		s.w.Exec("PRAGMA optimize")
	}
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

// Dialect is "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect }

// q returns the named query of queries.sql, in the store's dialect. An unknown
// name is a programming error that every test of the method would hit.
func (s *Store) q(name string) string {
	text, ok := s.queries[name]
	if !ok {
		panic("store: no query named " + name)
	}
	return text
}

// write runs fn in a write transaction and commits it.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return mapErr(tx.Commit())
}

// mapErr turns driver errors into the store's: unique violations into
// ErrConflict, foreign key violations into ErrNotFound (the row referred to
// is absent), no rows into ErrNotFound. The driver's message is kept.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errs.Wrap(errs.Conflict, "conflict", "that already exists", err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errs.Wrap(errs.NotFound, "not_found", "not found", err)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return errs.Wrap(errs.Conflict, "conflict", "that already exists", err)
		case "23503":
			return errs.Wrap(errs.NotFound, "not_found", "not found", err)
		}
	}
	return err
}

// timeText is how SQLite stores times: fixed width, so text order is time order.
const timeText = "2006-01-02T15:04:05.000000Z"

// normTime is the form of every time the store keeps: UTC, microseconds,
// which both databases store exactly.
func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// tv is a time as a query argument.
func (s *Store) tv(t time.Time) any {
	t = normTime(t)
	if s.dialect == SQLite {
		return t.Format(timeText)
	}
	return t
}

// ntv is a nullable time as a query argument.
func (s *Store) ntv(t *time.Time) any {
	if t == nil {
		return nil
	}
	return s.tv(*t)
}

// scanTime scans a time column of either dialect into *t.
type scanTime struct{ t *time.Time }

func (st scanTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*st.t = normTime(v)
	case string:
		return st.parse(v)
	case []byte:
		return st.parse(string(v))
	default:
		return fmt.Errorf("store: cannot scan %T as a time", v)
	}
	return nil
}

func (st scanTime) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("store: bad time %q: %w", v, err)
	}
	*st.t = normTime(t)
	return nil
}

// scanNullTime scans a nullable time column into *p (nil for NULL).
type scanNullTime struct{ p **time.Time }

func (sn scanNullTime) Scan(v any) error {
	if v == nil {
		*sn.p = nil
		return nil
	}
	var t time.Time
	if err := (scanTime{&t}).Scan(v); err != nil {
		return err
	}
	*sn.p = &t
	return nil
}

// nullString is "" as NULL, for columns where NULL means "not set" and
// uniqueness must ignore the unset rows.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// querier is a database or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, db querier, scan func(scanner) (*T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// pgLockMark stands in a claimOwned query where PostgreSQL's row lock goes.
const pgLockMark = "/*lock*/"

// claimOwned leases up to limit due rows to owner until leaseUntil in one
// write transaction, after prepare (if not nil): claimQ is an UPDATE …
// RETURNING taking owner, lease end, now, now and limit, with pgLockMark
// where pgLock goes on PostgreSQL (SKIP LOCKED, so concurrent claimers take
// disjoint sets); SQLite's single writer serializes claims instead.
func claimOwned[T any](ctx context.Context, s *Store, scan func(scanner) (*T, error), claimQ, pgLock, owner string,
	now, leaseUntil time.Time, limit int, prepare func(*sql.Tx) error) ([]T, error) {
	if owner == "" || limit <= 0 {
		return nil, errs.Errorf(errs.Invalid, "store.a_claim_needs_an", "a claim needs an owner and a positive limit")
	}
	if s.dialect != Postgres {
		pgLock = ""
	}
	q := s.bind(strings.Replace(claimQ, pgLockMark, pgLock, 1))
	var out []T
	err := s.write(ctx, func(tx *sql.Tx) error {
		if prepare != nil {
			if err := prepare(tx); err != nil {
				return mapErr(err)
			}
		}
		var err error
		out, err = queryAll(ctx, tx, scan, q, owner, s.tv(leaseUntil), s.tv(now), s.tv(now), limit)
		return mapErr(err)
	})
	return out, err
}

// claim leases the rows that q selects as due at now, at most limit, in one
// write transaction: leaseQ (a named query taking the lease's end and the
// row's id) moves each row's next attempt to until, so that another worker
// skips it until then; leased records until in the returned row.
func claim[T any](ctx context.Context, s *Store, scan func(scanner) (*T, error), q, leaseQ string, now, until time.Time, limit int,
	id func(*T) int64, leased func(*T, *time.Time)) ([]T, error) {
	var out []T
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = queryAll(ctx, tx, scan, q, s.tv(now), limit); err != nil {
			return err
		}
		for i := range out {
			if _, err := tx.ExecContext(ctx, s.q(leaseQ), s.tv(until), id(&out[i])); err != nil {
				return err
			}
			leased(&out[i], &until)
		}
		return nil
	})
	return out, err
}
