package policy

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// HealthParams are the thresholds by which an institutional account is
// judged "no longer updated regularly" or failing "to engage [its] intended
// audience consistently and sufficiently" (4.6). internal/health applies them.
type HealthParams struct {
	// MaxDaysSinceLastPost: an account whose last post is older than this
	// is at risk.
	MaxDaysSinceLastPost int `yaml:"max_days_since_last_post"`
	// MinPlanShare30d and MinPlanShare90d are the least share of the
	// declared plan (posts per week) that must have been posted in the last
	// 30 and 90 days; 0 turns the check off for that window.
	MinPlanShare30d float64 `yaml:"min_plan_share_30d"`
	MinPlanShare90d float64 `yaml:"min_plan_share_90d"`
	// EngagementFloor maps a platform (or "default" for any other) to the
	// least interactions per post per follower; a platform with no entry and
	// no default is not judged.
	EngagementFloor map[string]float64 `yaml:"engagement_floor"`
	// EngagementDays is the window of posts whose engagement is averaged.
	EngagementDays int `yaml:"engagement_days"`
	// MinPostsForEngagement: engagement is judged only on at least this many
	// posts with known figures, so that one quiet post decides nothing.
	MinPostsForEngagement int `yaml:"min_posts_for_engagement"`
	// FollowerTrendDays and FollowerDrop: losing FollowerDrop (a fraction,
	// 0.10 for 10%) or more of the followers over FollowerTrendDays counts.
	FollowerTrendDays int     `yaml:"follower_trend_days"`
	FollowerDrop      float64 `yaml:"follower_drop"`
	// GraceDays is how long an account stays at risk before its closure is
	// proposed to an admin.
	GraceDays int `yaml:"grace_days"`
	// ProjectEndDays is how long after its project's end date a project
	// account may still run (to report results) before it is at risk.
	ProjectEndDays int `yaml:"project_end_days"`
}

// Validate reports every value that cannot be applied.
func (h HealthParams) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("parameters.health."+format, a...))
	}
	if h.MaxDaysSinceLastPost <= 0 {
		bad("max_days_since_last_post must be positive")
	}
	if !(h.MinPlanShare30d >= 0 && h.MinPlanShare30d <= 1) { // also refuses NaN
		bad("min_plan_share_30d must be between 0 and 1")
	}
	if !(h.MinPlanShare90d >= 0 && h.MinPlanShare90d <= 1) {
		bad("min_plan_share_90d must be between 0 and 1")
	}
	for _, name := range slices.Sorted(maps.Keys(h.EngagementFloor)) {
		if v := h.EngagementFloor[name]; !(v >= 0 && v < 1) {
			bad("engagement_floor.%s must be at least 0 and below 1 (interactions per post per follower)", name)
		}
	}
	if h.EngagementDays <= 0 {
		bad("engagement_days must be positive")
	}
	if h.MinPostsForEngagement < 1 {
		bad("min_posts_for_engagement must be at least 1")
	}
	if h.FollowerTrendDays <= 0 {
		bad("follower_trend_days must be positive")
	}
	if !(h.FollowerDrop > 0 && h.FollowerDrop <= 1) {
		bad("follower_drop must be a fraction above 0 and at most 1 (0.10 for 10%%)")
	}
	if h.GraceDays < 0 || h.ProjectEndDays < 0 {
		bad("grace_days and project_end_days must not be negative")
	}
	return errors.Join(errs...)
}

// Clone returns a copy that shares no map with h.
func (h HealthParams) Clone() HealthParams {
	h.EngagementFloor = maps.Clone(h.EngagementFloor)
	return h
}
