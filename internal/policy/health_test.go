package policy

import (
	"math"
	"strings"
	"testing"
)

func validHealth() HealthParams {
	return HealthParams{
		MaxDaysSinceLastPost: 30, MinPlanShare30d: 0.25, MinPlanShare90d: 0.5,
		EngagementFloor: map[string]float64{"x": 0.0005, "default": 0.001},
		EngagementDays:  90, MinPostsForEngagement: 5,
		FollowerTrendDays: 90, FollowerDrop: 0.1, GraceDays: 30, ProjectEndDays: 30,
	}
}

func TestHealthParamsValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*HealthParams)
		want   string // "" for valid
	}{
		{"valid", func(*HealthParams) {}, ""},
		{"checks off", func(h *HealthParams) {
			h.MinPlanShare30d, h.MinPlanShare90d, h.EngagementFloor, h.GraceDays = 0, 0, nil, 0
		}, ""},
		{"missing block", func(h *HealthParams) { *h = HealthParams{} }, "max_days_since_last_post must be positive"},
		{"share above 1", func(h *HealthParams) { h.MinPlanShare90d = 1.5 }, "min_plan_share_90d must be between 0 and 1"},
		{"share NaN", func(h *HealthParams) { h.MinPlanShare30d = math.NaN() }, "min_plan_share_30d"},
		{"floor negative", func(h *HealthParams) { h.EngagementFloor["x"] = -1 }, "engagement_floor.x"},
		{"floor as a percentage", func(h *HealthParams) { h.EngagementFloor["default"] = 5 }, "engagement_floor.default"},
		{"no posts needed", func(h *HealthParams) { h.MinPostsForEngagement = 0 }, "min_posts_for_engagement"},
		{"drop as a percentage", func(h *HealthParams) { h.FollowerDrop = 10 }, "follower_drop"},
		{"negative grace", func(h *HealthParams) { h.GraceDays = -1 }, "grace_days"},
		{"no trend window", func(h *HealthParams) { h.FollowerTrendDays = 0 }, "follower_trend_days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := validHealth()
			tc.change(&h)
			err := h.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one holding %q", err, tc.want)
			}
		})
	}
}

func TestHealthParamsClone(t *testing.T) {
	h := validHealth()
	c := h.Clone()
	c.EngagementFloor["x"] = 0.9
	if h.EngagementFloor["x"] != 0.0005 {
		t.Error("the clone shares its map with the original")
	}
}

func TestDefaultPackHealthParams(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Parameters.Health.Validate(); err != nil {
		t.Error(err)
	}
}
