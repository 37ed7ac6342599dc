package lookalike

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestSkeleton(t *testing.T) {
	same := []struct{ a, b string }{
		{"paypal", "p\u0430yp\u0430l"}, // Cyrillic а
		{"UNOPS", "UN0PS"},             // digit zero
		{"l", "1"},
		{"l", "I"},
		{"rn", "m"},
		{"fi", "\ufb01"},      // ligature
		{"e\u0301", "\u00e9"}, // NFD
	}
	for _, c := range same {
		if Skeleton(c.a) != Skeleton(c.b) {
			t.Errorf("Skeleton(%q) = %q, Skeleton(%q) = %q; want equal", c.a, Skeleton(c.a), c.b, Skeleton(c.b))
		}
	}
	differ := [][2]string{{"unops", "undp"}, {"a", "b"}, {"UNOPS", "UNOP"}}
	for _, c := range differ {
		if Skeleton(c[0]) == Skeleton(c[1]) {
			t.Errorf("Skeleton(%q) == Skeleton(%q) = %q; want different", c[0], c[1], Skeleton(c[0]))
		}
	}
	if got := Skeleton("a\xffb"); !utf8.ValidString(got) {
		t.Errorf("Skeleton of invalid UTF-8 = %q, not valid UTF-8", got)
	}
}

// A character that NFD leaves alone reads as its prototype, wherever the
// prototype is itself stable (UTS #39 maps once, between two NFDs: a
// precomposed source such as U+00F6 is decomposed before the table is read).
func TestSkeletonTable(t *testing.T) {
	if confusablesVersion == "" {
		t.Fatal("no version")
	}
	n := 0
	for from, to := range table() {
		src, proto := string(from), norm.NFD.String(to)
		if norm.NFD.String(src) != src || Skeleton(to) != proto {
			continue
		}
		n++
		if got := Skeleton(src); got != proto {
			t.Errorf("Skeleton(U+%04X) = %q, want its prototype %q", from, got, proto)
		}
	}
	if n < 5000 {
		t.Errorf("%d mappings checked; confusables.txt has over 6000", n)
	}
}

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"UN0PS_Kenya", "unopskenya"},
		{"@UNOPSKenya", "unopskenya"},
		{"UNOPS-Kenya", "unopskenya"},
		{"\uff35\uff2e\uff2f\uff30\uff33 Kenya", "unopskenya"},          // full width
		{"\U0001d414\U0001d40d\U0001d40e\U0001d40f\U0001d412", "unops"}, // mathematical bold
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Greek capital Nu and Cyrillic capital O read as N and O.
	if a, b := Fold("U\u039d\u041ePS Kenya"), Fold("UNOPSKenya"); a != b {
		t.Errorf("Fold with Greek and Cyrillic = %q, want %q", a, b)
	}
	if got := Fold(strings.Repeat("a", 10*MaxRunes)); utf8.RuneCountInString(got) != MaxRunes {
		t.Errorf("Fold of a long text has %d runes, want %d", utf8.RuneCountInString(got), MaxRunes)
	}
}

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"unopskenya", "unopskenia", 1}, {"flaw", "lawn", 2}, {"ééé", "eée", 2},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func FuzzSkeleton(f *testing.F) {
	for _, s := range []string{"UN0PS_Kenya", "p\u0430yp\u0430l", "\ufb01", "a\xffb", "", "m\u0301\u0338"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sk := Skeleton(s)
		if !utf8.ValidString(sk) {
			t.Fatalf("Skeleton(%q) = %q: invalid UTF-8", s, sk)
		}
		fold := Fold(s)
		if utf8.RuneCountInString(fold) > MaxRunes {
			t.Fatalf("Fold(%q) has %d runes", s, utf8.RuneCountInString(fold))
		}
		if Distance(fold, fold) != 0 || Distance(fold, "") != utf8.RuneCountInString(fold) {
			t.Fatalf("Distance broken on %q", fold)
		}
	})
}

func BenchmarkSkeleton(b *testing.B) {
	table()
	for b.Loop() {
		Skeleton("UN0PS_Kenya \u0423\u039dOPS official")
	}
}

func BenchmarkFold(b *testing.B) {
	table()
	for b.Loop() {
		Fold("UN0PS_Kenya")
	}
}
