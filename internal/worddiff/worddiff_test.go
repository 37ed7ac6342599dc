package worddiff

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	got := Diff("The new bridge opened today.", "The old bridge opened on Monday.")
	var b strings.Builder
	for _, s := range got {
		switch s.Kind {
		case Delete:
			b.WriteString("[-" + s.Text + "-]")
		case Insert:
			b.WriteString("{+" + s.Text + "+}")
		default:
			b.WriteString(s.Text)
		}
	}
	if want := "The [-new-]{+old+} bridge opened [-today.-]{+on Monday.+}"; b.String() != want {
		t.Errorf("Diff = %q, want %q", b.String(), want)
	}
	if Changed(Diff("same text", "same text")) {
		t.Error("equal texts reported as changed")
	}
	if !Changed(Diff("", "new")) || !Changed(Diff("old", "")) {
		t.Error("a text from or to nothing reported as unchanged")
	}
}

// A middle too large for the table is shown whole, still exact.
func TestDiffLarge(t *testing.T) {
	a := strings.Repeat("alpha ", 3000) + "end"
	b := "start " + strings.Repeat("beta ", 3000)
	d := Diff(a, b)
	if join(d, Delete) != a || join(d, Insert) != b {
		t.Fatal("the large diff does not rebuild both texts")
	}
}

func FuzzDiff(f *testing.F) {
	f.Add("The new bridge opened today.", "The old bridge opened on Monday.")
	f.Add("a  b\n\nc", "a b c")
	f.Add("\xff\xfe words", "words \xff")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Diff(a, b)
		if join(d, Delete) != a || join(d, Insert) != b {
			t.Fatalf("Diff(%q, %q) = %+v does not rebuild both", a, b, d)
		}
		if Changed(d) != (a != b) {
			t.Fatalf("Changed = %v for %q, %q", Changed(d), a, b)
		}
	})
}

// join is the text of the spans of the given kinds, for tests.
func join(spans []Span, keep Kind) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Kind == Equal || s.Kind == keep {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}
