package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// insertNotification adds n within tx; an e-mail address queues the e-mail
// as pending, due at once. Notifications are written with the change they
// report, so a decision is never recorded without its notice.
func (s *Store) insertNotification(ctx context.Context, tx *sql.Tx, n *model.Notification) error {
	if n.UserID == 0 || n.Subject == "" {
		return errs.Errorf(errs.Invalid, "store.a_notification_needs_a", "a notification needs a user and a subject")
	}
	n.CreatedAt = normTime(s.now())
	n.EmailState, n.NextAttemptAt = model.EmailNone, nil
	if n.Email != "" {
		at := n.CreatedAt
		n.EmailState, n.NextAttemptAt = model.EmailPending, &at
	}
	err := tx.QueryRowContext(ctx, s.q("notification-insert"), n.UserID, n.Subject, n.Body, n.Link,
		s.tv(n.CreatedAt), n.Email, n.EmailState, s.ntv(n.NextAttemptAt)).Scan(&n.ID)
	return mapErr(err)
}

// AddNotification writes a notification that goes with no other change.
func (s *Store) AddNotification(ctx context.Context, n *model.Notification) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.insertNotification(ctx, tx, n) })
}

func scanNotification(sc scanner) (*model.Notification, error) {
	var n model.Notification
	err := sc.Scan(&n.ID, &n.UserID, &n.Subject, &n.Body, &n.Link, scanTime{&n.CreatedAt},
		scanNullTime{&n.ReadAt}, &n.Email, &n.EmailState, &n.Attempts, scanNullTime{&n.NextAttemptAt}, &n.LastError)
	if err != nil {
		return nil, mapErr(err)
	}
	return &n, nil
}

func (s *Store) notifications(ctx context.Context, query string, args ...any) ([]model.Notification, error) {
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ns []model.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		ns = append(ns, *n)
	}
	return ns, rows.Err()
}

// UnreadNotifications returns a user's unread notifications, newest first.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) ([]model.Notification, error) {
	return s.notifications(ctx, "notifications-unread", userID)
}

// Notifications returns a user's latest notifications, read or not, newest first.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]model.Notification, error) {
	if limit <= 0 {
		limit = 50
	}
	return s.notifications(ctx, "notifications-user", userID, min(limit, 1000))
}

// Notification returns one notification, or ErrNotFound.
func (s *Store) Notification(ctx context.Context, id int64) (*model.Notification, error) {
	return scanNotification(s.r.QueryRowContext(ctx, s.q("notification-by-id"), id))
}

// MarkNotificationRead marks a user's notification read; ErrNotFound if it
// is not theirs. Reading one already read changes nothing.
func (s *Store) MarkNotificationRead(ctx context.Context, userID, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("notification-read"), s.tv(s.now()), id, userID); err != nil {
			return mapErr(err)
		}
		var owner int64
		if err := tx.QueryRowContext(ctx, s.bind("SELECT user_id FROM notifications WHERE id = ?"), id).Scan(&owner); err != nil {
			return mapErr(err)
		}
		if owner != userID {
			return errNotFound
		}
		return nil
	})
}

// ClaimEmails leases up to limit pending e-mails that are due at now: their
// next attempt moves to now+lease, so another sender (another `herald
// serve` on the same database) skips them, and a sender that dies lets them
// fall due again when the lease ends. On PostgreSQL the rows are picked FOR
// UPDATE SKIP LOCKED; on SQLite the single writer serializes claims.
func (s *Store) ClaimEmails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Notification, error) {
	q := s.q("outbox-due")
	if s.dialect == Postgres {
		q += " FOR UPDATE SKIP LOCKED"
	}
	return claim(ctx, s, scanNotification, q, "outbox-lease", now, normTime(now.Add(lease)), limit,
		func(n *model.Notification) int64 { return n.ID },
		func(n *model.Notification, until *time.Time) { n.NextAttemptAt = until })
}

// EmailSent records a delivered e-mail.
func (s *Store) EmailSent(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("outbox-sent"), id)
		return mapErr(err)
	})
}

// EmailFailed records a failed attempt: next is when to try again, or nil
// when the sender gives up (the state becomes failed; the row is kept).
func (s *Store) EmailFailed(ctx context.Context, id int64, next *time.Time, reason string) error {
	state := model.EmailPending
	if next == nil {
		state = model.EmailFailed
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("outbox-failed"), state, s.ntv(next), reason, id)
		return mapErr(err)
	})
}
