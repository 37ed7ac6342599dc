package auth

import (
	"strings"
	"testing"
)

func TestCheckNewPassword(t *testing.T) {
	const email, name = "ana.lopez@unops.org", "Ana López"
	for _, tc := range []struct{ pw, why string }{
		{"short", "at least 12 characters"},
		{"aaaaaaaaaaaa", "repeats"},
		{"abababababab", "repeats"},
		{"abcabcabcabc", "repeats"},
		{"abcdefghijkl", "sequence"},
		{"123456789012", "sequence"},
		{"zyxwvutsrqpo", "sequence"},
		{"password1234", "list of common"},
		{"PASSWORD1234", "list of common"},
		{"sunshine2024!!", "common password (\"sunshine\") with digits"},
		{"!!Football99!!", "common password (\"football\")"},
		{"my ana.lopez@unops.org pw", "e-mail address or name"},
		{"lopez-is-my-secret", "e-mail address or name"},
		{"ANALÓPEZ rules ok", "e-mail address or name"},
		{strings.Repeat("xy z", 300), "at most 1024 bytes"},
	} {
		err := CheckNewPassword(tc.pw, email, name)
		if err == nil || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("CheckNewPassword(%.20q) = %v, want a refusal saying %q", tc.pw, err, tc.why)
		}
	}
	for _, pw := range []string{
		"correct horse battery staple",
		"a long enough password",
		"Tr0ub4dor&3 at night",
		strings.Repeat("q7#Lm2", 10), // 60 characters: long passwords are welcome
		"ñandú en la pampa 1",
	} {
		if err := CheckNewPassword(pw, email, name); err != nil {
			t.Errorf("CheckNewPassword(%q) = %v, want nil", pw, err)
		}
	}
}

func TestCommonListLoaded(t *testing.T) {
	set := commonSet()
	if len(set) < 40000 {
		t.Fatalf("common password list has %d entries, want the ~40,000 shipped", len(set))
	}
	for w := range set {
		if len(w) < 6 || w != strings.ToLower(w) {
			t.Fatalf("entry %q: want lower case, at least 6 bytes", w)
		}
	}
}
