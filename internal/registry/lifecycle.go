package registry

import (
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// transitions are the lifecycle's edges. A request is reviewed and decided;
// changes-requested goes back to review after the requester edits it; an
// active account may fall at risk and recover, be proposed for closure and
// be kept open, or be closed. Closed and rejected are final: reopening is a
// new request, decided on its merits (4.2).
var transitions = map[string][]string{
	model.StatusRequested:        {model.StatusInReview, model.StatusChangesRequested, model.StatusActive, model.StatusRejected},
	model.StatusInReview:         {model.StatusChangesRequested, model.StatusActive, model.StatusRejected},
	model.StatusChangesRequested: {model.StatusInReview, model.StatusRejected},
	model.StatusActive:           {model.StatusAtRisk, model.StatusClosureProposed, model.StatusClosed},
	model.StatusAtRisk:           {model.StatusActive, model.StatusClosureProposed, model.StatusClosed},
	model.StatusClosureProposed:  {model.StatusActive, model.StatusClosed},
	model.StatusClosed:           nil,
	model.StatusRejected:         nil,
}

// Statuses lists every account status, in lifecycle order.
var Statuses = []string{
	model.StatusRequested, model.StatusInReview, model.StatusChangesRequested, model.StatusActive,
	model.StatusAtRisk, model.StatusClosureProposed, model.StatusClosed, model.StatusRejected,
}

// ValidStatus reports whether s is a known status.
func ValidStatus(s string) bool {
	_, ok := transitions[s]
	return ok
}

// CanTransition reports whether an account may go from one status to another.
func CanTransition(from, to string) bool {
	for _, t := range transitions[from] {
		if t == to {
			return true
		}
	}
	return false
}

// NeedsReason reports whether a transition must say why: refusals, requests
// for changes, closures, and keeping open an account proposed for closure.
func NeedsReason(from, to string) bool {
	switch to {
	case model.StatusRejected, model.StatusChangesRequested, model.StatusClosed:
		return true
	case model.StatusActive:
		return from == model.StatusClosureProposed
	}
	return false
}

// Change is one recorded status change: who, when and why. The store writes
// it to the account's history and the audit trail.
type Change struct {
	AccountID int64
	From, To  string
	Actor     model.Actor
	Reason    string
	At        time.Time
}

// Transition moves acc to status to, at the given time, and returns the
// change to record. acc is left untouched when the move is refused.
// Closing sets ClosedAt; every change sets UpdatedAt.
func Transition(acc *model.Account, to string, actor model.Actor, reason string, at time.Time) (Change, error) {
	from := acc.Status
	if !ValidStatus(to) {
		return Change{}, ErrBadTransition.With("account.unknown_status", "unknown status %q", to)
	}
	if !CanTransition(from, to) {
		return Change{}, ErrBadTransition.With("account.an_account_that_is", "an account that is %s cannot become %s", i18n.Status(orNone(from)), i18n.Status(to))
	}
	reason = strings.TrimSpace(reason)
	if reason == "" && NeedsReason(from, to) {
		return Change{}, ErrBadTransition.With("account.going_from_to_needs", "going from %s to %s needs a reason", i18n.Status(from), i18n.Status(to))
	}
	at = at.UTC()
	acc.Status = to
	acc.UpdatedAt = at
	if to == model.StatusClosed {
		acc.ClosedAt = &at
	}
	return Change{AccountID: acc.ID, From: from, To: to, Actor: actor, Reason: reason, At: at}, nil
}

func orNone(s string) string {
	if s == "" {
		return "without a status"
	}
	return s
}
