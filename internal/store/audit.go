package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// auditLock is the PostgreSQL advisory lock key that serializes audit
// appends across connections and instances, so two transactions never read
// the same chain head. On SQLite the single writer already does that.
const auditLock = 0x6865_7261_6c64_02 // "herald" 2

// appendEvent appends an event for a's action to the chain within tx. Call it
// last in a transaction: on PostgreSQL it holds the chain lock until commit.
func (s *Store) appendEvent(ctx context.Context, tx *sql.Tx, a model.Actor, action, objType, objID, summary string) error {
	e := model.AuditEvent{ActorID: a.UserID, ActorEmail: a.Email, Addr: a.Addr,
		Action: action, ObjectType: objType, ObjectID: objID, Summary: summary}
	return s.appendTx(ctx, tx, &e)
}

// appendTx fills e's Seq, At, PrevHash and Hash from the chain head and inserts it.
func (s *Store) appendTx(ctx context.Context, tx *sql.Tx, e *model.AuditEvent) error {
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", auditLock); err != nil {
			return err
		}
	}
	var seq int64
	var prev string
	err := tx.QueryRowContext(ctx, s.q("audit-head")).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e.Seq, e.PrevHash, e.At = seq+1, prev, normTime(s.now())
	e.Hash = e.ComputeHash()
	_, err = tx.ExecContext(ctx, s.q("audit-insert"), e.Seq, s.tv(e.At), e.ActorID, e.ActorEmail, e.Addr,
		e.Action, e.ObjectType, e.ObjectID, e.Summary, e.PrevHash, e.Hash)
	return mapErr(err)
}

// AppendAudit records an event that goes with no other change (a failed
// sign-in, an export). Seq, At, PrevHash and Hash are filled in; the rest is
// taken from e.
func (s *Store) AppendAudit(ctx context.Context, e model.AuditEvent) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.appendTx(ctx, tx, &e) })
}

// AuditFilter selects audit events; zero fields match everything. Actor is an
// actor's e-mail, ActionPrefix matches "user." or "user.create", Since is
// inclusive and Until exclusive, BeforeSeq (when > 0) pages back from a Seq.
// Limit <= 0 means no limit (the whole filtered list, as for a CSV export).
type AuditFilter struct {
	Actor, ActionPrefix, ObjectType, ObjectID string
	Since, Until                              time.Time
	BeforeSeq                                 int64
	Limit                                     int
}

const auditCols = "seq, at, actor_id, actor_email, addr, action, object_type, object_id, summary, prev_hash, hash"

// scanAudit reads the auditCols of an event.
func scanAudit(sc scanner) (*model.AuditEvent, error) {
	var e model.AuditEvent
	return &e, sc.Scan(&e.Seq, scanTime{&e.At}, &e.ActorID, &e.ActorEmail, &e.Addr, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.Summary, &e.PrevHash, &e.Hash)
}

// auditQuery builds the filtered, newest-first list of events.
func (s *Store) auditQuery(f AuditFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.Actor != "" {
		add("actor_email = ?", f.Actor)
	}
	if f.ActionPrefix != "" {
		add(`action LIKE ? ESCAPE '\'`, likeEscape(f.ActionPrefix)+"%")
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if !f.Since.IsZero() {
		add("at >= ?", s.tv(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < ?", s.tv(f.Until))
	}
	if f.BeforeSeq > 0 {
		add("seq < ?", f.BeforeSeq)
	}
	q := "SELECT " + auditCols + " FROM audit_events"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	q = s.bind(q)
	return q, args
}

// likeEscape escapes LIKE's wildcards (and the escape character) in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AuditEvents returns the events f selects, newest first.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) ([]model.AuditEvent, error) {
	q, args := s.auditQuery(f)
	return queryAll(ctx, s.r, scanAudit, q, args...)
}

// walkBatch is how many events WalkAudit reads per query: enough to be
// quick, few enough that no read holds a snapshot (or the SQLite WAL) for
// the length of a whole walk.
const walkBatch = 1000

// WalkAudit calls fn on every event, oldest first, reading in batches; it
// stops at fn's first error and returns it.
func (s *Store) WalkAudit(ctx context.Context, fn func(model.AuditEvent) error) error {
	var after int64
	for {
		batch, err := s.auditBatch(ctx, after)
		if err != nil {
			return err
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < walkBatch {
			return nil
		}
		after = batch[len(batch)-1].Seq
	}
}

func (s *Store) auditBatch(ctx context.Context, after int64) ([]model.AuditEvent, error) {
	return queryAll(ctx, s.r, scanAudit, s.q("audit-walk"), after, walkBatch)
}

// HasData reports whether the database holds users or accounts: then its
// audit trail cannot be empty, since creating either appends an event.
func (s *Store) HasData(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q("has-data")).Scan(&n)
	return n == 1, err
}
