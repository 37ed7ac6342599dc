// Package audit checks and exports the store's hash-chained audit trail.
package audit

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// Break says how an event breaks the chain.
type Break struct {
	Event  model.AuditEvent
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit event %d (%s, %s): %s", b.Event.Seq, b.Event.Action,
		b.Event.At.Format(time.RFC3339), b.Reason)
}

// errStop ends the walk at the first break.
var errStop = errors.New("stop")

// Verify walks the trail oldest first and recomputes the chain: sequence
// numbers from 1 without gaps, each PrevHash equal to the previous Hash, each
// Hash equal to the event's ComputeHash. It returns how many events were
// found good and, at the first one that is not, that event (broken is nil
// when the chain is intact). Use Check for the reason.
func Verify(ctx context.Context, s *store.Store) (checked int, broken *model.AuditEvent, err error) {
	checked, b, err := Check(ctx, s)
	if b != nil {
		broken = &b.Event
	}
	return checked, broken, err
}

// Check is Verify that also says why the broken event is broken.
func Check(ctx context.Context, s *store.Store) (checked int, broken *Break, err error) {
	var prev model.AuditEvent
	err = s.WalkAudit(ctx, func(e model.AuditEvent) error {
		if reason := link(prev, e); reason != "" {
			broken = &Break{Event: e, Reason: reason}
			return errStop
		}
		checked++
		prev = e
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return checked, broken, err
}

// link says what is wrong with e following prev (zero for the first event),
// or "" if nothing is.
func link(prev, e model.AuditEvent) string {
	switch {
	case e.Seq != prev.Seq+1:
		return fmt.Sprintf("sequence jumps from %d to %d (events missing)", prev.Seq, e.Seq)
	case e.PrevHash != prev.Hash:
		return "its link to the previous event does not match that event's hash"
	case e.Hash != e.ComputeHash():
		return "its content does not match its hash (altered after it was written)"
	}
	return ""
}

// csvHeader names the columns WriteCSV writes.
var csvHeader = []string{"seq", "at", "actor_id", "actor_email", "addr", "action",
	"object_type", "object_id", "summary", "prev_hash", "hash"}

// WriteCSV writes events as CSV with a header row. Cells that a spreadsheet
// would run as a formula (starting with = + - @, tab or carriage return) are
// prefixed with a single quote, since summaries and names come from users.
func WriteCSV(w io.Writer, events []model.AuditEvent) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, e := range events {
		rec := []string{
			strconv.FormatInt(e.Seq, 10), e.At.UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
			strconv.FormatInt(e.ActorID, 10), e.ActorEmail, e.Addr, e.Action,
			e.ObjectType, e.ObjectID, e.Summary, e.PrevHash, e.Hash,
		}
		for i, c := range rec {
			rec[i] = safeCell(c)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell defuses a cell a spreadsheet would take for a formula.
func safeCell(c string) string {
	if c != "" && (c[0] == '=' || c[0] == '+' || c[0] == '-' || c[0] == '@' || c[0] == '\t' || c[0] == '\r') {
		return "'" + c
	}
	return c
}
