package monitor

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/notify"
	"github.com/herald-gov/herald/internal/registry"
	"github.com/herald-gov/herald/internal/store"
)

// Checklist is what an admin confirms before closing an account (4.6).
type Checklist struct {
	ContentArchived         bool // content archived or handed over
	CredentialsRevoked      bool // passwords changed, tokens and app access revoked
	RemovedFromVerification bool // the verification page will say "closed since"
	// KeepHandleParked is optional: the organization keeps the username on
	// the platform (logged out, untouched) so that nobody else takes it and
	// passes for the organization. Recorded on the account.
	KeepHandleParked bool
}

// missing is the first item not done, as the error that names it; nil when
// every required item is done.
func (c Checklist) missing() error {
	switch {
	case !c.ContentArchived:
		return ErrChecklist.With("closure.not_archived", "the closing checklist is not complete: the content is not archived or handed over")
	case !c.CredentialsRevoked:
		return ErrChecklist.With("closure.not_revoked", "the closing checklist is not complete: the credentials are not revoked")
	case !c.RemovedFromVerification:
		return ErrChecklist.With("closure.not_unlisted", "the closing checklist is not complete: the account is not removed from verification")
	}
	return nil
}

// Close closes an account that is proposed for closure, or at risk (an
// admin need not wait for the grace period), once every checklist item is
// done and with a reason. closed_at is set, so /verify answers "closed
// since". The web checks that the actor is an admin.
func (m *Monitor) Close(ctx context.Context, a model.Actor, accountID int64, c Checklist, reason string) (*model.Account, error) {
	if err := c.missing(); err != nil {
		return nil, err
	}
	note := "checklist: content archived or handed over, credentials revoked, removed from verification"
	if c.KeepHandleParked {
		note += "; handle kept parked so nobody else takes it"
	}
	return m.decide(ctx, a, accountID, model.StatusClosed, "account.close", reason, note, c.KeepHandleParked)
}

// KeepOpen returns an account proposed for closure (or at risk) to active,
// with the required reason. The grace period starts again if the next
// evaluation still finds it at risk.
func (m *Monitor) KeepOpen(ctx context.Context, a model.Actor, accountID int64, reason string) (*model.Account, error) {
	return m.decide(ctx, a, accountID, model.StatusActive, "account.keep-open", reason, "", false)
}

func (m *Monitor) decide(ctx context.Context, a model.Actor, accountID int64, to, action, reason, note string, parked bool) (*model.Account, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, registry.ErrReasonRequired
	}
	acc, err := m.st.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	from := acc.Status
	if from != model.StatusClosureProposed && from != model.StatusAtRisk {
		return nil, registry.ErrBadTransition.With("closure.not_at_risk", "account %d is %s; only an account at risk or proposed for closure is closed or kept open here",
			accountID, from)
	}
	if _, err := registry.Transition(acc, to, a, reason, m.now()); err != nil {
		return nil, err // Transition refuses with registry.ErrBadTransition
	}
	acc.HandleParked = parked
	summary := fmt.Sprintf("account %s on %s: %s → %s: %s", acc.Handle, acc.Platform, from, to, reason)
	if note != "" {
		summary += " (" + note + ")"
	}
	notes, err := m.decided(ctx, a, acc, action, reason)
	if err != nil {
		return nil, err
	}
	if err := m.st.TransitionAccount(ctx, a, store.AccountChange{Account: acc, From: from, Action: action,
		Reason: reason, Summary: summary, Notify: notes}); err != nil {
		return nil, err
	}
	m.o.Notify.Wake()
	return acc, nil
}

// decided tells the account's managers, but the admin who decided, that
// their account was closed or kept open, and why: they were warned it was
// at risk, and the decision ends that.
func (m *Monitor) decided(ctx context.Context, a model.Actor, acc *model.Account, action, reason string) ([]model.Notification, error) {
	users, err := m.st.Users(ctx)
	if err != nil {
		return nil, err
	}
	var notes []model.Notification
	for _, u := range users {
		if u.ID == a.UserID || u.DisabledAt != nil || !acc.ManagedBy(&u) {
			continue
		}
		detail := notify.Detail(u, action+".detail") + "\n\n" + notify.Detail(u, "comment", reason)
		notes = append(notes, notify.Note(u, notify.KindAccount, fmt.Sprintf("/accounts/%d", acc.ID), detail, action, acc.Handle, acc.Platform))
	}
	return notes, nil
}
