package health

import (
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

func TestNext(t *testing.T) {
	p := testParams() // 30 days' grace
	atRisk := Result{State: StateAtRisk, Reasons: []Reason{{Code: CodeNoRecentPosts}, {Code: CodeBelowPlan}}}
	healthy := Result{State: StateHealthy}
	noData := Result{State: StateUnknown, Reasons: []Reason{{Code: CodeNoData}}}
	noDataYet := Result{State: StateUnknown, Reasons: []Reason{{Code: CodeNoDataYet}}}
	tests := []struct {
		name    string
		current string
		r       Result
		since   time.Time
		want    string
		why     string // text the reason must hold; "" means no change and no reason
	}{
		{"active stays active", model.StatusActive, healthy, time.Time{}, model.StatusActive, ""},
		{"active becomes at risk", model.StatusActive, atRisk, time.Time{}, model.StatusAtRisk, "no-recent-posts, below-plan"},
		{"at risk recovers", model.StatusAtRisk, healthy, asOf.Add(-40 * day), model.StatusActive, "recovered"},
		{"unknown for too long becomes at risk", model.StatusActive, noData, time.Time{}, model.StatusAtRisk, "no-data"},
		{"unknown while new stays active", model.StatusActive, noDataYet, time.Time{}, model.StatusActive, ""},
		{"unknown is no recovery", model.StatusAtRisk, noDataYet, asOf.Add(-10 * day), model.StatusAtRisk, ""},
		{"at risk within the grace period", model.StatusAtRisk, atRisk, asOf.Add(-29 * day), model.StatusAtRisk, ""},
		{"at risk at the end of the grace period", model.StatusAtRisk, atRisk, asOf.Add(-30 * day), model.StatusClosureProposed, "at risk since 2025-01-30, past the grace period of 30 days"},
		{"at risk since an unknown time", model.StatusAtRisk, atRisk, time.Time{}, model.StatusAtRisk, ""},
		{"at risk since the future", model.StatusAtRisk, atRisk, asOf.Add(day), model.StatusAtRisk, ""},
		{"closure proposed waits for an admin", model.StatusClosureProposed, atRisk, asOf.Add(-90 * day), model.StatusClosureProposed, ""},
		{"closure proposed waits even after recovery", model.StatusClosureProposed, healthy, asOf.Add(-90 * day), model.StatusClosureProposed, ""},
		{"closed stays closed", model.StatusClosed, atRisk, asOf.Add(-90 * day), model.StatusClosed, ""},
		{"a request is not the evaluation's", model.StatusRequested, atRisk, time.Time{}, model.StatusRequested, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, why := Next(tc.current, tc.r, tc.since, p, asOf)
			if got != tc.want {
				t.Errorf("status %q, want %q", got, tc.want)
			}
			if (tc.why == "") != (why == "") || !strings.Contains(why, tc.why) {
				t.Errorf("why %q, want it to hold %q", why, tc.why)
			}
		})
	}
}

func TestNextZeroGrace(t *testing.T) {
	p := testParams()
	p.GraceDays = 0
	r := Result{State: StateAtRisk, Reasons: []Reason{{Code: CodeNoData}}}
	if got, _ := Next(model.StatusAtRisk, r, asOf, p, asOf); got != model.StatusClosureProposed {
		t.Errorf("with no grace period: %q, want closure-proposed", got)
	}
}
