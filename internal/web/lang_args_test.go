package web

import (
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/policy"
)

// TestLocalizeTextArgs: an error argument with words in several languages
// (a pack's text, such as the checklist items a refusal names) is shown in
// the reader's language, and the English message keeps the English words.
func TestLocalizeTextArgs(t *testing.T) {
	item := policy.Text{"en": "Is it true?", "fr": "Est-ce vrai ?", "es": "¿Es cierto?"}
	e := errs.E(errs.Invalid, "draft.checklist", "x").With("draft.checklist_missing", "the checklist is not complete: tick %s", item)
	if !strings.Contains(e.Message, "Is it true?") {
		t.Errorf("English message %q", e.Message)
	}
	for lang, want := range map[string]string{"fr": "Est-ce vrai ?", "es": "¿Es cierto?", "en": "Is it true?"} {
		got := localize(lang, e)
		if !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", lang, got, want)
		}
	}
	if got := localize("fr", e); !strings.HasPrefix(got, "la liste de contrôle") {
		t.Errorf("fr: %q is not the French sentence", got)
	}
}
