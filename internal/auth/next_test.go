package auth

import "testing"

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/accounts?status=active", "/accounts?status=active"},
		{"/drafts/12#comments", "/drafts/12#comments"},
		{"/accounts?q=a%20b", "/accounts?q=a%20b"},
		{"/%5C", "/"},
		{"", "/"},
		{"/", "/"},
		{"//evil.example/x", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example/x", "/"},
		{"/%09/evil.example/x", "/"}, // the reported case: browsers drop the tab
		{"/%2F/evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/\n/evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"/%zz", "/"},
		{" /x", "/"},
		{"/x\x7f", "/"},
	} {
		if got := SafeNext(tc.next); got != tc.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/x", "//x", "/%09/x", "/\\x", "https://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got == "/" {
			return
		}
		if got != next || len(got) < 2 || got[0] != '/' || got[1] == '/' || got[1] == '\\' {
			t.Fatalf("SafeNext(%q) = %q", next, got)
		}
	})
}
