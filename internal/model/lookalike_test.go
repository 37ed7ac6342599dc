package model

import (
	"encoding/json"
	"testing"
)

// TestLookalikeReason: a reason is stored as its key, arguments and English
// sentence, read in the reader's language; a reason stored before keys (a
// plain English string) reads as it was, in every language.
func TestLookalikeReason(t *testing.T) {
	r := NewLookalikeReason("lookalike.handle_edits", "2", "@UNOPS")
	if want := "handle is 2 edit(s) from @UNOPS once look-alike characters are set aside"; r.English != want || r.String() != want || r.Text("en") != want {
		t.Errorf("English %q, String %q, Text(en) %q; want %q", r.English, r, r.Text("en"), want)
	}
	if fr := r.Text("fr"); fr == r.English || fr == "" {
		t.Errorf("Text(fr) = %q, want French", fr)
	}
	b, err := json.Marshal([]LookalikeReason{r})
	if err != nil {
		t.Fatal(err)
	}
	var back []LookalikeReason
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 1 || back[0].Key != r.Key || back[0].English != r.English ||
		len(back[0].Args) != 2 || back[0].Text("es") != r.Text("es") {
		t.Errorf("%s read back as %+v (%v)", b, back, err)
	}

	var old []LookalikeReason
	if err := json.Unmarshal([]byte(`["uses the organization's name \"UNOPS\""]`), &old); err != nil || len(old) != 1 {
		t.Fatalf("old row: %+v %v", old, err)
	}
	for _, lang := range []string{"en", "fr", "es"} {
		if got := old[0].Text(lang); got != `uses the organization's name "UNOPS"` {
			t.Errorf("old row in %s: %q", lang, got)
		}
	}
	if err := json.Unmarshal([]byte(`[42]`), &old); err == nil {
		t.Errorf("a number read as a reason")
	}
}
