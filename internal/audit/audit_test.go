package audit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		url := storetest.URL(t, dialect)
		s := storetest.OpenURL(t, url)
		checked, broken, err := audit.Verify(ctx, s)
		if err != nil || checked != 0 || broken != nil {
			t.Fatalf("empty trail: %d, %v, %v", checked, broken, err)
		}
		// More events than one batch of the walk.
		const n = 1203
		for i := range n {
			if err := s.AppendAudit(ctx, model.AuditEvent{ActorEmail: "t", Action: "test.event", ObjectID: string(rune('a' + i%26))}); err != nil {
				t.Fatal(err)
			}
		}
		checked, broken, err = audit.Verify(ctx, s)
		if err != nil || checked != n || broken != nil {
			t.Fatalf("intact trail: %d, %+v, %v", checked, broken, err)
		}
		storetest.Tamper(t, dialect, url, 1100, "rewritten")
		checked, broken, err = audit.Verify(ctx, s)
		if err != nil || checked != 1099 || broken == nil || broken.Seq != 1100 {
			t.Fatalf("tampered trail: %d, %+v, %v", checked, broken, err)
		}
	})
}

func TestWriteCSV(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	events := []model.AuditEvent{
		{Seq: 1, At: at, ActorID: 7, ActorEmail: "a@example.org", Action: "user.create", ObjectType: "user",
			ObjectID: "7", Summary: `=HYPERLINK("http://evil.example","x")`, Hash: "h1"},
		{Seq: 2, At: at, ActorEmail: "+cmd", Addr: "-1", Action: "@SUM(A1)", Summary: "line one\nline \"two\", comma",
			PrevHash: "h1", Hash: "h2"},
		{Seq: 3, At: at, ActorEmail: "\tTAB", Summary: "safe = text - here", ObjectID: "\rCR"},
	}
	var buf bytes.Buffer
	if err := audit.WriteCSV(&buf, events); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || strings.Join(recs[0], ",") != "seq,at,actor_id,actor_email,addr,action,object_type,object_id,summary,prev_hash,hash" {
		t.Fatalf("records %q", recs)
	}
	for _, c := range []struct {
		row, col int
		want     string
	}{
		{1, 1, "2026-01-02T03:04:05.000006Z"},
		{1, 8, `'=HYPERLINK("http://evil.example","x")`},
		{2, 3, "'+cmd"},
		{2, 4, "'-1"},
		{2, 5, "'@SUM(A1)"},
		{2, 8, "line one\nline \"two\", comma"},
		{3, 3, "'\tTAB"},
		{3, 7, "'\rCR"},
		{3, 8, "safe = text - here"},
	} {
		if got := recs[c.row][c.col]; got != c.want {
			t.Errorf("row %d col %d = %q, want %q", c.row, c.col, got, c.want)
		}
	}
	// Every cell of the export is harmless.
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q would run as a formula", cell)
			}
		}
	}
}

// FuzzCanonical checks that the canonical encoding is unambiguous: two events
// that differ in any hashed field never encode alike.
func FuzzCanonical(f *testing.F) {
	f.Add(int64(1), "a@example.org", "user.create", "user", "1", "summary", "", "x", "y")
	f.Add(int64(2), "a", "b:c", "", "1:x\n", "", "h", "a\nb", "")
	f.Fuzz(func(t *testing.T, seq int64, email, action, objType, objID, summary, prev, x, y string) {
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		a := model.AuditEvent{Seq: seq, At: at, ActorEmail: email, Action: action, ObjectType: objType,
			ObjectID: objID, Summary: summary, PrevHash: prev}
		b := a
		// Move text from one field to its neighbour: the encoding must differ.
		b.Action, b.ObjectType = action+x, y+objType
		same := x == "" && y == ""
		if (string(a.Canonical()) == string(b.Canonical())) != same {
			t.Fatalf("events %+v and %+v encode alike: %v", a, b, !same)
		}
		if same != (a.ComputeHash() == b.ComputeHash()) {
			t.Fatal("hash disagrees with encoding")
		}
	})
}
