package notify

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// TestMessages: every notice's sentence, in every language, takes its args
// as text (%s only) and keeps them all; Note writes in the recipient's
// language, Text in the reader's, and falls back to the subject of a notice
// without a key.
func TestMessages(t *testing.T) {
	b, err := os.ReadFile("../i18n/locales/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]string
	if err := json.Unmarshal(b, &en); err != nil {
		t.Fatal(err)
	}
	keys := 0
	for k, f := range en {
		key, ok := strings.CutPrefix(k, "notify.")
		if !ok {
			continue
		}
		keys++
		n := strings.Count(f, "%s")
		if strings.Count(f, "%") != n && !strings.Contains(f, "%d") {
			t.Errorf("%s: only %%s verbs are allowed (args are text): %q", key, f)
		}
		args := make([]string, n)
		for i := range args {
			args[i] = "<" + string(rune('a'+i)) + ">"
		}
		for _, lang := range i18n.Languages() {
			if strings.Contains(f, "%d") {
				continue // a detail (Detail) with a number
			}
			msg := Message(lang, key, args)
			if msg == "" || strings.Contains(msg, "%!") {
				t.Errorf("%s in %s formats as %q", key, lang, msg)
			}
			for _, a := range args {
				if !strings.Contains(msg, a) {
					t.Errorf("%s in %s drops an arg: %q", key, lang, msg)
				}
			}
		}
	}
	if keys < 20 {
		t.Errorf("only %d notify.* keys in en.json", keys)
	}
	if got := Text("fr", model.Notification{Subject: "Old notice"}); got != "Old notice" {
		t.Errorf("Text of a notice without key = %q", got)
	}
	n := Note(model.User{ID: 7, Email: "a@unops.org"}, KindAccount, "/accounts/1", "Why: quiet.", "account.at-risk", "@h", "x")
	if n.Subject != "@h on x is at risk under policy 4.6." || n.Body != n.Subject+"\n\nWhy: quiet." || n.Key != "account.at-risk" ||
		n.UserID != 7 || n.Email != "a@unops.org" || Text("en", n) != n.Subject {
		t.Errorf("Note = %+v", n)
	}
	fr := Note(model.User{ID: 8, Email: "b@unops.org", Lang: "fr"}, KindAccount, "/accounts/1", "", "account.at-risk", "@h", "x")
	if fr.Subject != "@h sur x est à risque au titre du paragraphe 4.6 de la politique." || fr.Body != fr.Subject {
		t.Errorf("a French recipient's notice = %+v", fr)
	}
	if got := Text("es", fr); got != "@h en x está en riesgo conforme al párrafo 4.6 de la política." {
		t.Errorf("read in Spanish: %q", got)
	}
}
