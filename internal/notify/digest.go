package notify

import (
	"context"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// DigestEvery is how long the oldest e-mail held for a person's digest waits
// before the digest goes: one digest a day at most.
const DigestEvery = 24 * time.Hour

// SendDigests writes the daily digest of each person whose oldest held
// e-mail has waited DigestEvery: one e-mail listing them all in their
// language, due at once (the outbox sends it). Safe with several instances:
// each held e-mail is taken by one digest only. digests counts those written.
func (n *Notifier) SendDigests(ctx context.Context) (digests int, err error) {
	users, err := n.store.DigestsDue(ctx, n.Now().Add(-DigestEvery))
	if err != nil {
		return 0, err
	}
	for _, id := range users {
		u, err := n.store.User(ctx, id)
		if err != nil {
			return digests, err
		}
		d, err := n.store.TakeDigest(ctx, id, func(items []model.Notification) model.Notification {
			// To the address the held e-mails were for, in the user's language.
			return n.digestNote(model.User{ID: id, Email: items[0].Email, Lang: u.Lang}, items)
		})
		if err != nil {
			return digests, err
		}
		if d != nil {
			digests++
		}
	}
	return digests, nil
}

// Mode is how the user gets notifications by e-mail.
func (n *Notifier) Mode(ctx context.Context, userID int64) (string, error) {
	return n.store.NotifyMode(ctx, userID)
}

// SetMode stores how the user gets notifications by e-mail: immediate,
// digest or off (the in-app list is kept whatever they choose).
func (n *Notifier) SetMode(ctx context.Context, a model.Actor, userID int64, mode string) error {
	return n.store.SetNotifyMode(ctx, a, userID, mode)
}

// Page lists a user's notifications (unread ones only with unread), newest
// first, one page at a time (store.Page).
func (n *Notifier) Page(ctx context.Context, userID int64, unread bool, p store.Page) ([]model.Notification, error) {
	return n.store.NotificationsPage(ctx, userID, unread, p)
}

// Latest returns the user's latest notifications, read or not, newest first.
func (n *Notifier) Latest(ctx context.Context, userID int64, limit int) ([]model.Notification, error) {
	return n.store.Notifications(ctx, userID, limit)
}
