package main

import (
	"context"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store/storetest"
)

func TestAuditVerifyCommand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		if code, _, errs := runHerald(t, nil, "audit", "verify", "--db", url); code != 1 || !strings.Contains(errs, "herald migrate") {
			t.Errorf("verify before migrate: exit %d, stderr %q", code, errs)
		}
		s := storetest.OpenURL(t, url)
		for _, email := range []string{"a@example.org", "b@example.org", "c@example.org"} {
			if err := s.CreateUser(context.Background(), model.SystemActor("test"),
				&model.User{Email: email, Name: email, Role: model.RoleStaff}); err != nil {
				t.Fatal(err)
			}
		}
		code, out, errs := runHerald(t, map[string]string{"HERALD_DATABASE_URL": url}, "audit", "verify")
		if code != 0 || !strings.HasPrefix(out, "audit trail intact: 3 events\nhead: seq 3 hash ") {
			t.Fatalf("verify intact: exit %d, stdout %q, stderr %q", code, out, errs)
		}
		storetest.Tamper(t, dialect, url, 2, "created user mallory@example.org")
		code, out, errs = runHerald(t, nil, "audit", "verify", "--db", url)
		if code != 1 || out != "" || !strings.Contains(errs, "audit event 2 (user.create") ||
			!strings.Contains(errs, "1 events before it are intact") {
			t.Fatalf("verify tampered: exit %d, stdout %q, stderr %q", code, out, errs)
		}
		if code, _, _ := runHerald(t, nil, "audit", "verify", "--db", url, "x"); code != 2 {
			t.Errorf("verify with an argument: exit %d, want 2", code)
		}
	})
}
