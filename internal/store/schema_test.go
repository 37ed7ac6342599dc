package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		s, err := store.Open(ctx, url)
		must(t, err)
		defer s.Close()
		if s.Dialect() != dialect {
			t.Fatalf("Dialect = %q", s.Dialect())
		}
		must(t, s.Ping(ctx))
		db, bin, err := s.SchemaVersion(ctx)
		must(t, err)
		if db != 0 || bin < 1 {
			t.Fatalf("new database at version %d, binary %d", db, bin)
		}
		must(t, s.Migrate(ctx))
		newUser(t, s, "keep@example.org", model.RoleAdmin)
		// Idempotent: again, and from a second handle, changes nothing.
		must(t, s.Migrate(ctx))
		s2 := storetest.OpenURL(t, url)
		if db, bin2, _ := s2.SchemaVersion(ctx); db != bin || bin2 != bin {
			t.Fatalf("after migrating twice: version %d, binary %d, want %d", db, bin2, bin)
		}
		if n, _ := s2.CountUsers(ctx); n != 1 {
			t.Fatalf("migrating again lost data: %d users", n)
		}
	})
}

func TestSchemaTooNew(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		s := storetest.OpenURL(t, url)
		_, bin, err := s.SchemaVersion(ctx)
		must(t, err)
		ins := "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', '2030-01-01T00:00:00.000000Z')"
		if dialect == store.Postgres {
			ins = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future.sql', now())"
		}
		storetest.Exec(t, url, ins, bin+1)
		err = s.Migrate(ctx)
		if !errors.Is(err, store.ErrSchemaTooNew) {
			t.Fatalf("Migrate on a newer schema: %v, want ErrSchemaTooNew", err)
		}
		s2, err := store.Open(ctx, url)
		must(t, err)
		defer s2.Close()
		if db, _, _ := s2.SchemaVersion(ctx); db != bin+1 {
			t.Fatalf("SchemaVersion = %d, want %d", db, bin+1)
		}
		if err := s2.Migrate(ctx); !errors.Is(err, store.ErrSchemaTooNew) {
			t.Fatalf("Migrate: %v, want ErrSchemaTooNew", err)
		}
	})
}

func TestOpenBadURL(t *testing.T) {
	for _, url := range []string{"", "sqlite:", "sqlite:" + t.TempDir() + "/no/such/dir/x.db",
		"postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"} {
		if s, err := store.Open(ctx, url); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", url)
		}
	}
}

// TestTamperedTrail changes one event's summary, and removes another, past
// the store and its append-only trigger; Verify must name each.
func TestTamperedTrail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		s := storetest.OpenURL(t, url)
		for i := range 5 {
			must(t, s.AppendAudit(ctx, model.AuditEvent{ActorEmail: "x", Action: "test.event", Summary: strings.Repeat("e", i)}))
		}
		checked, broken, err := audit.Verify(ctx, s)
		must(t, err)
		if checked != 5 || broken != nil {
			t.Fatalf("intact trail: %d checked, broken %+v", checked, broken)
		}
		// The trigger refuses an ordinary UPDATE.
		if err := storetest.ExecErr(url, "UPDATE audit_events SET summary = 'x'"); err == nil {
			t.Fatal("audit_events accepted an UPDATE")
		}
		storetest.Tamper(t, dialect, url, 3, "nothing happened")
		checked, b, err := audit.Check(ctx, s)
		must(t, err)
		if checked != 2 || b == nil || b.Event.Seq != 3 || !strings.Contains(b.Reason, "altered") {
			t.Fatalf("after tampering with 3: %d checked, broken %+v", checked, b)
		}
		storetest.Tamper(t, dialect, url, 3, "ee") // put it back
		storetest.DeleteEvent(t, dialect, url, 4)
		checked, b, err = audit.Check(ctx, s)
		must(t, err)
		if checked != 3 || b == nil || b.Event.Seq != 5 || !strings.Contains(b.Reason, "missing") {
			t.Fatalf("after deleting 4: %d checked, broken %+v", checked, b)
		}
	})
}
