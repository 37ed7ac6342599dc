package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// insertNotification adds n within tx; an e-mail address queues the e-mail
// as the person chose: pending and due at once, held for their daily
// digest, or none. Notifications are written with the change they report,
// so a decision is never recorded without its notice.
func (s *Store) insertNotification(ctx context.Context, tx *sql.Tx, n *model.Notification) error {
	if n.UserID == 0 || n.Subject == "" {
		return errs.Errorf(errs.Invalid, "store.a_notification_needs_a", "a notification needs a user and a subject")
	}
	n.CreatedAt = normTime(s.now())
	n.EmailState, n.NextAttemptAt = model.EmailNone, nil
	if n.Email != "" {
		var mode string
		if err := tx.QueryRowContext(ctx, s.q("user-notify-mode"), n.UserID).Scan(&mode); err != nil {
			return mapErr(err)
		}
		switch mode {
		case model.NotifyOff:
		case model.NotifyDigest:
			n.EmailState = model.EmailHeld
		default:
			at := n.CreatedAt
			n.EmailState, n.NextAttemptAt = model.EmailPending, &at
		}
	}
	return s.addNotification(ctx, tx, n)
}

// addNotification inserts n as it is.
func (s *Store) addNotification(ctx context.Context, tx *sql.Tx, n *model.Notification) error {
	args, err := json.Marshal(n.Args)
	if err != nil || n.Args == nil {
		args = []byte("[]")
	}
	err = tx.QueryRowContext(ctx, s.q("notification-insert"), n.UserID, n.Subject, n.Body, n.Link,
		s.tv(n.CreatedAt), n.Email, n.EmailState, s.ntv(n.NextAttemptAt), n.Kind, n.Key, string(args)).Scan(&n.ID)
	return mapErr(err)
}

// AddNotification writes a notification that goes with no other change.
func (s *Store) AddNotification(ctx context.Context, n *model.Notification) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.insertNotification(ctx, tx, n) })
}

// insertNotifications adds each of ns within tx.
func (s *Store) insertNotifications(ctx context.Context, tx *sql.Tx, ns []model.Notification) error {
	for i := range ns {
		if err := s.insertNotification(ctx, tx, &ns[i]); err != nil {
			return err
		}
	}
	return nil
}

// withID replaces "{id}" in the notes' links by id, for notices of a row
// that has no ID until it is inserted.
func withID(notes []model.Notification, id int64) []model.Notification {
	for i := range notes {
		notes[i].Link = strings.ReplaceAll(notes[i].Link, "{id}", strconv.FormatInt(id, 10))
	}
	return notes
}

func scanNotification(sc scanner) (*model.Notification, error) {
	var n model.Notification
	var args string
	err := sc.Scan(&n.ID, &n.UserID, &n.Subject, &n.Body, &n.Link, scanTime{&n.CreatedAt},
		scanNullTime{&n.ReadAt}, &n.Email, &n.EmailState, &n.Attempts, scanNullTime{&n.NextAttemptAt}, &n.LastError,
		&n.Kind, &n.Key, &args)
	if err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
		n.Args = nil // a row is still shown by its subject
	}
	return &n, nil
}

// NotifyMode is how the user gets notifications by e-mail.
func (s *Store) NotifyMode(ctx context.Context, userID int64) (string, error) {
	var mode string
	err := s.r.QueryRowContext(ctx, s.q("user-notify-mode"), userID).Scan(&mode)
	return mode, mapErr(err)
}

// SetNotifyMode stores how the user gets notifications by e-mail. From
// then on; e-mails already held for a digest still go in it. Audited as
// "user.notifications".
func (s *Store) SetNotifyMode(ctx context.Context, a model.Actor, userID int64, mode string) error {
	switch mode {
	case model.NotifyImmediate, model.NotifyDigest, model.NotifyOff:
	default:
		return errs.Errorf(errs.Invalid, "notify.mode", "e-mail notifications are immediate, digest or off, not %q", mode)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q("user-notify-mode-set"), mode, userID)
		if err != nil {
			return mapErr(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errNotFound
		}
		return s.appendEvent(ctx, tx, a, "user.notifications", "user", id(userID), "e-mail notifications: "+mode)
	})
}

// DigestsDue lists the users whose oldest held e-mail was written at or
// before cutoff: their daily digest is due.
func (s *Store) DigestsDue(ctx context.Context, cutoff time.Time) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, s.q("digests-due"), s.tv(cutoff))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// TakeDigest moves the user's held e-mails into one digest: build gets them
// (oldest first) and returns the digest, which is written in the same
// transaction, already read in the app and its e-mail due at once. Each
// held row is taken only if it is still held, so two instances never send
// one twice; with nothing left to take, nothing is written.
func (s *Store) TakeDigest(ctx context.Context, userID int64, build func([]model.Notification) model.Notification) (*model.Notification, error) {
	q := s.q("notifications-held")
	if s.dialect == Postgres {
		q += " FOR UPDATE"
	}
	var out *model.Notification
	err := s.write(ctx, func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, q, userID)
		if err != nil {
			return err
		}
		var held []model.Notification
		for rows.Next() {
			n, err := scanNotification(rows)
			if err != nil {
				rows.Close()
				return err
			}
			held = append(held, *n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var taken []model.Notification
		for _, n := range held {
			res, err := tx.ExecContext(ctx, s.q("notification-digested"), n.ID)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil {
				return err
			} else if k == 1 {
				taken = append(taken, n)
			}
		}
		if len(taken) == 0 {
			return nil
		}
		d := build(taken)
		now := normTime(s.now())
		d.UserID, d.CreatedAt, d.ReadAt = userID, now, &now
		d.EmailState, d.NextAttemptAt = model.EmailPending, &now
		if err := s.addNotification(ctx, tx, &d); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("notification-read"), s.tv(now), d.ID, userID); err != nil {
			return mapErr(err)
		}
		out = &d
		return nil
	})
	return out, err
}

// notifications runs a query of notification rows.
func (s *Store) notifications(ctx context.Context, query string, args ...any) ([]model.Notification, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
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
	return s.notifications(ctx, s.q("notifications-unread"), userID)
}

// Notifications returns a user's latest notifications, read or not, newest first.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]model.Notification, error) {
	if limit <= 0 {
		limit = 50
	}
	return s.notifications(ctx, s.q("notifications-user"), userID, min(limit, 1000))
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

// NotificationsPage returns a user's notifications (unread ones only with
// unread), newest first, after p.After, at most p.Limit+1.
func (s *Store) NotificationsPage(ctx context.Context, userID int64, unread bool, p Page) ([]model.Notification, error) {
	cond, args, err := s.after(idDesc, p)
	if err != nil {
		return nil, err
	}
	conds := []string{"user_id = ?"}
	if unread {
		conds = append(conds, "read_at IS NULL")
	}
	if cond != "" {
		conds = append(conds, cond)
	}
	q := `SELECT id, user_id, subject, body, link, created_at, read_at, email, email_state, attempts,
       next_attempt_at, last_error, kind, msg_key, msg_args
FROM notifications` + whereOf(conds) + " ORDER BY " + idDesc.orderBy() + " LIMIT ?"
	return s.notifications(ctx, s.bind(q), append(append([]any{userID}, args...), p.Limit+1)...)
}
