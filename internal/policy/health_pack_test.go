package policy

import (
	"strings"
	"testing"
)

// TestOverlayHealthLeavesBase: an overlay's engagement floor changes the
// result, never the base pack it was applied to.
func TestOverlayHealthLeavesBase(t *testing.T) {
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	was := base.Parameters.Health.EngagementFloor["x"]
	ov := "overlay: {id: o, version: 1, base: " + base.Pack.ID + "}\nparameters:\n  health:\n    engagement_floor:\n      x: 0.5\n"
	p, err := ApplyOverlay(base, "o.yaml", []byte(ov))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Parameters.Health.EngagementFloor["x"]; got != 0.5 {
		t.Errorf("overlay result: engagement_floor.x = %v, want 0.5", got)
	}
	if got := base.Parameters.Health.EngagementFloor["x"]; got != was {
		t.Errorf("base pack changed: engagement_floor.x = %v, want %v", got, was)
	}
}

// TestHealthBlockValidated: a pack's health block is validated with the
// line it starts on; a pack without one is valid.
func TestHealthBlockValidated(t *testing.T) {
	const head = "pack: {id: p, version: '1', languages: [en]}\nclauses: [{id: '1', title: T, summary: {en: S}}]\nrules: []\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"no block", head, ""},
		{"bad block", head + "parameters:\n  health:\n    max_days_since_last_post: 0\n    engagement_days: 30\n",
			"p.yaml:6: parameters.health.max_days_since_last_post must be positive"},
		{"bad share", head + "parameters:\n  health: {max_days_since_last_post: 30, min_plan_share_30d: 2}\n",
			"p.yaml:5: parameters.health.min_plan_share_30d must be between 0 and 1"},
	}
	for _, tt := range tests {
		_, err := Parse("p.yaml", []byte(tt.yaml))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}

	// An overlay's bad health value is reported at the overlay's line.
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	ov := "overlay: {id: o, version: 1, base: " + base.Pack.ID + "}\nparameters:\n  health:\n    follower_drop: 3\n"
	_, err = ApplyOverlay(base, "o.yaml", []byte(ov))
	if err == nil || !strings.Contains(err.Error(), "o.yaml:4: parameters.health.follower_drop") {
		t.Errorf("overlay: %v, want o.yaml:4: parameters.health.follower_drop ...", err)
	}
}
