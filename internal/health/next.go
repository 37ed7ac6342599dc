package health

import (
	"fmt"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

// Next is the status an account moves to after an evaluation, and why
// (empty when it stays). since is when the account became at risk; the
// caller keeps it with the status. The path is
//
//	active → at-risk when the result is at risk, or unknown past the time an
//	  account may go without data (Result.AtRisk);
//	at-risk → active when it recovers (healthy: unknown is not recovery);
//	at-risk → closure-proposed once the grace period has passed;
//	closure-proposed stays until an admin closes the account or keeps it open.
//
// Any other status (requested, closed, ...) is not the evaluation's to change.
// An at-risk account whose since is unknown (zero) or in the future stays at
// risk: the grace period is never shortened by missing data.
func Next(current string, r Result, since time.Time, p policy.HealthParams, asOf time.Time) (status, why string) {
	switch current {
	case model.StatusActive:
		if r.AtRisk() {
			return model.StatusAtRisk, "at risk under 4.6: " + r.Codes()
		}
	case model.StatusAtRisk:
		if r.State == StateHealthy {
			return model.StatusActive, "recovered: no reason under 4.6 remains"
		}
		grace := time.Duration(p.GraceDays) * day
		if !since.IsZero() && !since.After(asOf) && asOf.Sub(since) >= grace {
			return model.StatusClosureProposed, fmt.Sprintf("at risk since %s, past the grace period of %d days (%s): closure proposed to an admin",
				since.UTC().Format(time.DateOnly), p.GraceDays, r.Codes())
		}
	}
	return current, ""
}
