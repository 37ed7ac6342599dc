package audit

import (
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// TestLink checks each way an event can fail to follow its predecessor,
// and that a first event must start the chain.
func TestLink(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	first := model.AuditEvent{Seq: 1, At: at, Action: "a"}
	first.Hash = first.ComputeHash()
	good := model.AuditEvent{Seq: 2, At: at, Action: "b", PrevHash: first.Hash}
	good.Hash = good.ComputeHash()
	if got := link(model.AuditEvent{}, first); got != "" {
		t.Errorf("first event: %q", got)
	}
	if got := link(model.AuditEvent{}, good); got == "" {
		t.Error("a chain starting at seq 2 passed")
	}
	for _, c := range []struct {
		name   string
		edit   func(e *model.AuditEvent)
		reason string
	}{
		{"intact", func(*model.AuditEvent) {}, ""},
		{"gap", func(e *model.AuditEvent) { e.Seq = 3 }, "missing"},
		{"bad link", func(e *model.AuditEvent) { e.PrevHash = strings.Repeat("0", 64) }, "link"},
		{"altered", func(e *model.AuditEvent) { e.Summary = "changed" }, "altered"},
		{"altered time", func(e *model.AuditEvent) { e.At = e.At.Add(time.Microsecond) }, "altered"},
	} {
		e := good
		c.edit(&e)
		if got := link(first, e); (got == "") != (c.reason == "") || !strings.Contains(got, c.reason) {
			t.Errorf("%s: %q, want a reason containing %q", c.name, got, c.reason)
		}
	}
}
