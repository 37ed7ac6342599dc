package notify

import (
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

// TestCatalog: every message formats cleanly with as many args as it has
// verbs, and Text falls back to the subject of a notice without a key.
func TestCatalog(t *testing.T) {
	for key, f := range catalog {
		n := strings.Count(f, "%s")
		if strings.Count(f, "%") != n {
			t.Errorf("%s: only %%s verbs are allowed (args are text): %q", key, f)
		}
		args := make([]string, n)
		for i := range args {
			args[i] = "<" + string(rune('a'+i)) + ">"
		}
		msg := Message(key, args)
		if msg == "" || strings.Contains(msg, "%!") {
			t.Errorf("%s formats as %q", key, msg)
		}
		for _, a := range args {
			if !strings.Contains(msg, a) {
				t.Errorf("%s drops an arg: %q", key, msg)
			}
		}
	}
	if got := Text(model.Notification{Subject: "Old notice"}); got != "Old notice" {
		t.Errorf("Text of a notice without key = %q", got)
	}
	n := Note(model.User{ID: 7, Email: "a@unops.org"}, KindAccount, "/accounts/1", "Why: quiet.", "account.at-risk", "@h", "x")
	if n.Subject != "@h on x is at risk under policy 4.6." || n.Body != n.Subject+"\n\nWhy: quiet." || n.Key != "account.at-risk" ||
		n.UserID != 7 || n.Email != "a@unops.org" || Text(n) != n.Subject {
		t.Errorf("Note = %+v", n)
	}
}
