-- Notifications to whoever must act (issue 13): e-mail preferences, daily
-- digests, and reminders of review steps that wait past their service level.

-- name: user-notify-mode
SELECT notify_email FROM users WHERE id = ?

-- name: user-notify-mode-set
UPDATE users SET notify_email = ? WHERE id = ?

-- name: digests-due
SELECT user_id FROM notifications WHERE email_state = 'held'
GROUP BY user_id HAVING MIN(created_at) <= ? ORDER BY user_id

-- name: notifications-held
SELECT id, user_id, subject, body, link, created_at, read_at, email, email_state, attempts,
       next_attempt_at, last_error, kind, msg_key, msg_args
FROM notifications WHERE user_id = ? AND email_state = 'held' ORDER BY id

-- name: notification-digested
UPDATE notifications SET email_state = 'digest' WHERE id = ? AND email_state = 'held'

-- name: review-waiting
SELECT d.id, d.account_id, d.author_id, d.version, d.step, d.step_who, a.kind, a.office, a.platform, a.handle,
       d.submitted_at,
       (SELECT MAX(e.at) FROM draft_events e
        WHERE e.draft_id = d.id AND e.kind = 'approve' AND e.version = d.version AND e.at >= d.submitted_at)
FROM drafts d JOIN accounts a ON a.id = d.account_id
WHERE d.status = 'in-review' AND d.submitted_at IS NOT NULL
ORDER BY d.submitted_at, d.id

-- name: review-reminder-insert
INSERT INTO review_reminders (draft_id, step, step_since, sent_at) VALUES (?, ?, ?, ?)
ON CONFLICT DO NOTHING
