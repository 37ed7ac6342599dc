package registry

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

func TestCanTransition(t *testing.T) {
	allowed := map[[2]string]bool{}
	for _, e := range [][2]string{
		{"requested", "in-review"}, {"requested", "changes-requested"}, {"requested", "active"}, {"requested", "rejected"},
		{"in-review", "changes-requested"}, {"in-review", "active"}, {"in-review", "rejected"},
		{"changes-requested", "in-review"}, {"changes-requested", "rejected"},
		{"active", "at-risk"}, {"active", "closure-proposed"}, {"active", "closed"},
		{"at-risk", "active"}, {"at-risk", "closure-proposed"}, {"at-risk", "closed"},
		{"closure-proposed", "active"}, {"closure-proposed", "closed"},
	} {
		allowed[e] = true
	}
	all := slices.Concat(Statuses, []string{"", "deleted"})
	for _, from := range all {
		for _, to := range all {
			if got := CanTransition(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("CanTransition(%q, %q) = %v", from, to, got)
			}
		}
	}
}

func TestTransition(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 30, 0, 0, time.FixedZone("EAT", 3*3600))
	admin := model.Actor{UserID: 1, Email: "cg.admin@unops.org"}
	tests := []struct {
		from, to, reason string
		ok               bool
	}{
		{"requested", "in-review", "", true},
		{"in-review", "active", "", true},
		{"in-review", "active", "fits the Kenya strategy", true},
		{"in-review", "rejected", "", false},
		{"in-review", "rejected", "   ", false},
		{"in-review", "rejected", "duplicates @UNOPS_es", true},
		{"in-review", "changes-requested", "", false},
		{"in-review", "changes-requested", "add the project end date", true},
		{"changes-requested", "in-review", "", true},
		{"changes-requested", "active", "looks fine", false},
		{"active", "at-risk", "", true},
		{"at-risk", "active", "", true},
		{"active", "closure-proposed", "", true},
		{"closure-proposed", "active", "", false},
		{"closure-proposed", "active", "election coverage next month", true},
		{"closure-proposed", "closed", "", false},
		{"closure-proposed", "closed", "no post since June", true},
		{"closed", "active", "reopen", false},
		{"rejected", "in-review", "try again", false},
		{"active", "frozen", "x", false},
	}
	for _, tt := range tests {
		acc := &model.Account{ID: 42, Status: tt.from}
		ch, err := Transition(acc, tt.to, admin, tt.reason, at)
		if !tt.ok {
			if err == nil || !errors.Is(err, ErrBadTransition) {
				t.Errorf("%s → %s (%q): err %v, want ErrBadTransition", tt.from, tt.to, tt.reason, err)
			}
			if acc.Status != tt.from || !acc.UpdatedAt.IsZero() || acc.ClosedAt != nil {
				t.Errorf("%s → %s refused but account changed: %+v", tt.from, tt.to, acc)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s → %s (%q): %v", tt.from, tt.to, tt.reason, err)
			continue
		}
		want := Change{AccountID: 42, From: tt.from, To: tt.to, Actor: admin, Reason: tt.reason, At: at.UTC()}
		if ch != want {
			t.Errorf("change = %+v, want %+v", ch, want)
		}
		if acc.Status != tt.to || !acc.UpdatedAt.Equal(at) || acc.UpdatedAt.Location() != time.UTC {
			t.Errorf("account after %s → %s: %+v", tt.from, tt.to, acc)
		}
		if (acc.ClosedAt != nil) != (tt.to == "closed") || (acc.ClosedAt != nil && !acc.ClosedAt.Equal(at)) {
			t.Errorf("ClosedAt after %s → %s: %v", tt.from, tt.to, acc.ClosedAt)
		}
	}
}
