package check

import (
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

func TestFill(t *testing.T) {
	c := &Checker{pack: &policy.Pack{Organization: policy.Organization{Name: "ACME"}}}
	tests := []struct{ msg, want string }{
		{"plain", "plain"},
		{"{term} → {alt}", "T → A"},
		{"{org}: {detail} {unknown} {", "ACME: D {unknown} {"},
		{"{{term}}", "{T}"},
	}
	for _, tt := range tests {
		if got := c.fill(tt.msg, "T", "A", "D"); got != tt.want {
			t.Errorf("fill(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}
