// Package notify delivers Herald's notifications: the in-app list, and the
// e-mail outbox that the store fills in the same transaction as the
// decision a notification reports, sent over SMTP with retries.
package notify

import (
	"context"
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// Defaults of the sender's tunables.
const (
	DefaultMaxAttempts = 8
	DefaultBackoff     = time.Minute // first retry; doubles each time, up to maxBackoff
	DefaultInterval    = 30 * time.Second
	maxBackoff         = 6 * time.Hour
	// lease is how long a claimed e-mail stays out of other senders' reach;
	// a sender that dies mid-send lets it fall due again after this.
	lease = 5 * time.Minute
	batch = 20
)

// Notifier reads notifications and sends the pending e-mails. Its exported
// fields may be changed before Run starts.
type Notifier struct {
	store *store.Store
	smtp  SMTPConfig
	log   *slog.Logger
	wake  chan struct{}

	MaxAttempts int           // attempts before an e-mail is marked failed
	Backoff     time.Duration // delay before the first retry, doubled for each next one
	Interval    time.Duration // how often Run looks at the outbox when nobody wakes it
	TLSConfig   *tls.Config   // nil: the system's roots, server name = Host
	BaseURL     string        // e.g. https://herald.example.org; e-mails carry links only when set
	Now         func() time.Time
}

// New returns a Notifier; log may be nil.
func New(s *store.Store, cfg SMTPConfig, log *slog.Logger) *Notifier {
	if log == nil {
		log = slog.Default()
	}
	return &Notifier{store: s, smtp: cfg, log: log, wake: make(chan struct{}, 1),
		MaxAttempts: DefaultMaxAttempts, Backoff: DefaultBackoff, Interval: DefaultInterval, Now: time.Now}
}

// Unread returns the user's unread notifications, newest first.
func (n *Notifier) Unread(ctx context.Context, userID int64) ([]model.Notification, error) {
	return n.store.UnreadNotifications(ctx, userID)
}

// MarkRead marks one of the user's notifications read; an errs.NotFound error
// if it is not theirs.
func (n *Notifier) MarkRead(ctx context.Context, userID, id int64) error {
	return n.store.MarkNotificationRead(ctx, userID, id)
}

// Wake asks Run to look at the outbox now rather than at its next tick. It
// never blocks and does nothing on a nil Notifier.
func (n *Notifier) Wake() {
	if n == nil {
		return
	}
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Run sends pending e-mails until ctx ends: at each Interval and whenever
// woken. Several instances may run on one database; each e-mail is leased
// to one of them at a time.
func (n *Notifier) Run(ctx context.Context) {
	t := time.NewTicker(n.Interval)
	defer t.Stop()
	for {
		if _, _, err := n.SendPending(ctx); err != nil && ctx.Err() == nil {
			n.log.Warn("notify: outbox pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.wake:
		}
	}
}

// SendPending makes one pass over the e-mails due now: each is sent once;
// a failure is rescheduled with exponential backoff, or marked failed after
// MaxAttempts (kept, with its last error, never deleted). sent and failed
// count this pass's attempts.
func (n *Notifier) SendPending(ctx context.Context) (sent, failed int, err error) {
	start := n.Now()
	for {
		// Claiming against the pass's start time means a message rescheduled
		// in this pass is never due again before the pass ends.
		due, err := n.store.ClaimEmails(ctx, start, lease, batch)
		if err != nil || len(due) == 0 {
			return sent, failed, err
		}
		for _, m := range due {
			if err := ctx.Err(); err != nil {
				return sent, failed, err // the lease runs out and another pass retries
			}
			if serr := n.send(ctx, m); serr != nil {
				failed++
				if err := n.failed(ctx, m, serr); err != nil {
					return sent, failed, err
				}
				continue
			}
			sent++
			if err := n.store.EmailSent(ctx, m.ID); err != nil {
				return sent, failed, err
			}
		}
	}
}

// failed records a failed attempt and when to try again.
func (n *Notifier) failed(ctx context.Context, m model.Notification, cause error) error {
	attempt := m.Attempts + 1
	var next *time.Time
	if attempt < n.MaxAttempts {
		delay := n.Backoff
		for i := 1; i < attempt && delay < maxBackoff; i++ {
			delay *= 2
		}
		at := n.Now().Add(min(delay, maxBackoff))
		next = &at
	}
	n.log.Warn("notify: e-mail not sent", "notification", m.ID, "attempt", attempt,
		"gave_up", next == nil, "err", cause)
	return n.store.EmailFailed(ctx, m.ID, next, cause.Error())
}
