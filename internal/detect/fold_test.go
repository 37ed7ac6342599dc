package detect

import "testing"

// FuzzFoldInto: the allocation-free fold agrees with fold on every input.
func FuzzFoldInto(f *testing.F) {
	for _, s := range []string{"Straße", "AVENIDA", "Chaussée", "Ñuñoa", "\u212a", "İstiklal", "Ⱥb", "\xff\xfeà", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(foldInto(nil, s)), fold(s); got != want {
			t.Errorf("foldInto(%q) = %q, fold = %q", s, got, want)
		}
	})
}
