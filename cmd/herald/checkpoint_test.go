package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// TestAuditCheckpoints: dropping the newest events, re-chaining a rewritten
// history, or emptying the trail all left `herald audit verify` content.
// Signed checkpoints, kept outside the database, catch each of them.
func TestAuditCheckpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		key := strings.Repeat("5a", 32)
		url := storetest.URL(t, dialect)
		s := storetest.OpenURL(t, url)
		addUsers := func(emails ...string) {
			for _, e := range emails {
				if err := s.CreateUser(ctx, model.SystemActor("test"), &model.User{Email: e, Name: e, Role: model.RoleStaff}); err != nil {
					t.Fatal(err)
				}
			}
		}
		addUsers("a@example.org", "b@example.org", "c@example.org")
		file := filepath.Join(t.TempDir(), "checkpoints.jsonl")
		env := map[string]string{"HERALD_DATABASE_URL": url, "HERALD_AUDIT_KEY": key, "HERALD_AUDIT_CHECKPOINTS": file}
		if code, out, errs := runHerald(t, env, "audit", "checkpoint"); code != 0 || !strings.Contains(out, "seq 3 hash ") {
			t.Fatalf("checkpoint: exit %d, %q %q", code, out, errs)
		}
		addUsers("d@example.org")
		if code, out, errs := runHerald(t, env, "audit", "verify", "--checkpoint", file); code != 0 || !strings.Contains(out, "agrees with 1 checkpoints") {
			t.Fatalf("verify with checkpoint: exit %d, %q %q", code, out, errs)
		}
		// A wrong key, or an edited checkpoint line, is refused.
		bad := map[string]string{"HERALD_DATABASE_URL": url, "HERALD_AUDIT_KEY": strings.Repeat("6b", 32)}
		if code, _, errs := runHerald(t, bad, "audit", "verify", "--checkpoint", file); code != 1 || !strings.Contains(errs, "signature") {
			t.Errorf("another key: exit %d, %q", code, errs)
		}
		// Truncation: the newest events dropped. The chain alone is intact.
		storetest.DeleteEvent(t, dialect, url, 4)
		storetest.DeleteEvent(t, dialect, url, 3)
		if code, _, _ := runHerald(t, env, "audit", "verify"); code != 0 {
			t.Fatalf("the chain alone does not show the truncation (exit %d): the test's premise fails", code)
		}
		if code, _, errs := runHerald(t, env, "audit", "verify", "--checkpoint", file); code != 1 || !strings.Contains(errs, "removed from its end") {
			t.Errorf("truncated trail: exit %d, %q", code, errs)
		}
		// Re-chained: event 3 written anew with another content and a valid chain.
		if err := s.AppendAudit(ctx, model.AuditEvent{ActorEmail: "mallory", Action: "user.create", ObjectType: "user",
			ObjectID: "3", Summary: "created user c@example.org"}); err != nil {
			t.Fatal(err)
		}
		if code, _, _ := runHerald(t, env, "audit", "verify"); code != 0 {
			t.Fatalf("re-chained trail breaks the chain (exit %d): the test's premise fails", code)
		}
		if code, _, errs := runHerald(t, env, "audit", "verify", "--checkpoint", file); code != 1 || !strings.Contains(errs, "rewritten") {
			t.Errorf("re-chained trail: exit %d, %q", code, errs)
		}
		// Emptied: no events at all on a database with users.
		for seq := int64(3); seq >= 1; seq-- {
			storetest.DeleteEvent(t, dialect, url, seq)
		}
		if code, _, errs := runHerald(t, env, "audit", "verify"); code != 1 || !strings.Contains(errs, "empty") {
			t.Errorf("empty trail on a database with data: exit %d, %q", code, errs)
		}
		// Usage errors: no key; a file that is not there.
		if code, _, _ := runHerald(t, map[string]string{"HERALD_DATABASE_URL": url}, "audit", "checkpoint"); code != 2 {
			t.Errorf("checkpoint without a key: exit %d, want 2", code)
		}
		if code, _, _ := runHerald(t, env, "audit", "verify", "--checkpoint", file+".missing"); code != 2 {
			t.Errorf("missing checkpoint file: exit %d, want 2", code)
		}
		if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("checkpoint file: %v, %v; want mode 0600", fi, err)
		}
	})
}

// TestServeWritesCheckpoints: serve signs the head at start (then on its
// schedule), and the file verifies.
func TestServeWritesCheckpoints(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "h.db")
	file := filepath.Join(dir, "cp.jsonl")
	key := strings.Repeat("5a", 32)
	_, _, stop := startServe(t, db, "--audit-key", key, "--audit-checkpoints", file)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, _ := os.ReadFile(file); len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatal("no checkpoint written within 10 s of start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	env := map[string]string{"HERALD_DATABASE_URL": db, "HERALD_AUDIT_KEY": key}
	if code, out, errs := runHerald(t, env, "audit", "verify", "--checkpoint", file); code != 0 || !strings.Contains(out, "agrees with 1 checkpoints") {
		t.Fatalf("verify serve's checkpoint: exit %d, %q %q", code, out, errs)
	}
}
