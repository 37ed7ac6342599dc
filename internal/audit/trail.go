package audit

import (
	"context"
	"strconv"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// Trail reads the audit trail for people (the Audit page and its CSV).
type Trail struct{ Store *store.Store }

// Events lists the events f selects, newest first.
func (t *Trail) Events(ctx context.Context, f store.AuditFilter) ([]model.AuditEvent, error) {
	return t.Store.AuditEvents(ctx, f)
}

// Export lists the events f selects for a download and records the export
// itself in the trail: who took a copy is part of the record.
func (t *Trail) Export(ctx context.Context, a model.Actor, f store.AuditFilter) ([]model.AuditEvent, error) {
	events, err := t.Store.AuditEvents(ctx, f)
	if err != nil {
		return nil, err
	}
	err = t.Store.AppendAudit(ctx, model.AuditEvent{ActorID: a.UserID, ActorEmail: a.Email, Addr: a.Addr,
		Action: "audit.export", ObjectType: "audit", Summary: "exported " + strconv.Itoa(len(events)) + " events as CSV"})
	return events, err
}
