-- The store's fixed queries. Placeholders are ?, rewritten to $n for
-- PostgreSQL; everything else is SQL both dialects accept. Every query is
-- prepared at start-up (Store.validate). The filtered lists of accounts and
-- audit events are assembled in accounts.go and audit.go.

-- name: user-insert
INSERT INTO users (email, name, role, password_hash, oidc_subject, created_at, disabled_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: user-by-id
SELECT id, email, name, role, password_hash, COALESCE(oidc_subject, ''), created_at, disabled_at, lang
FROM users WHERE id = ?

-- name: user-by-email
SELECT id, email, name, role, password_hash, COALESCE(oidc_subject, ''), created_at, disabled_at, lang
FROM users WHERE email = lower(?)

-- name: user-by-oidc
SELECT id, email, name, role, password_hash, COALESCE(oidc_subject, ''), created_at, disabled_at, lang
FROM users WHERE oidc_subject = ?

-- name: users
SELECT id, email, name, role, password_hash, COALESCE(oidc_subject, ''), created_at, disabled_at, lang
FROM users ORDER BY id

-- name: users-count
SELECT COUNT(*) FROM users

-- name: user-update
UPDATE users SET name = ?, role = ?, oidc_subject = ?, disabled_at = ? WHERE id = ?

-- name: user-password
UPDATE users SET password_hash = ? WHERE id = ?

-- name: user-lang
UPDATE users SET lang = ? WHERE id = ?

-- name: session-insert
INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, addr)
VALUES (?, ?, ?, ?, ?, ?)

-- name: session-get
SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, s.addr,
       u.id, u.email, u.name, u.role, u.password_hash, COALESCE(u.oidc_subject, ''), u.created_at, u.disabled_at, u.lang
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL

-- name: session-user
SELECT user_id FROM sessions WHERE token_hash = ?

-- name: session-delete
DELETE FROM sessions WHERE token_hash = ?

-- name: sessions-delete-user
DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?

-- name: sessions-delete-expired
DELETE FROM sessions WHERE expires_at <= ?

-- name: login-failures-clear
DELETE FROM login_failures WHERE throttle_key = ?

-- name: token-insert
INSERT INTO api_tokens (user_id, name, hash, created_at, last_used_at, revoked_at)
VALUES (?, ?, ?, ?, ?, ?)
RETURNING id

-- name: token-by-hash
SELECT t.id, t.user_id, t.name, t.hash, t.created_at, t.last_used_at, t.revoked_at,
       u.id, u.email, u.name, u.role, u.password_hash, COALESCE(u.oidc_subject, ''), u.created_at, u.disabled_at, u.lang
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL

-- name: token-by-id
SELECT id, user_id, name, hash, created_at, last_used_at, revoked_at
FROM api_tokens WHERE id = ?

-- name: tokens-all
SELECT id, user_id, name, hash, created_at, last_used_at, revoked_at
FROM api_tokens ORDER BY id

-- name: tokens-user
SELECT id, user_id, name, hash, created_at, last_used_at, revoked_at
FROM api_tokens WHERE user_id = ? ORDER BY id

-- name: token-revoke
UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL

-- name: token-touch
UPDATE api_tokens SET last_used_at = ? WHERE id = ?

-- name: audit-head
SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1

-- name: audit-insert
INSERT INTO audit_events (seq, at, actor_id, actor_email, addr, action, object_type, object_id, summary, prev_hash, hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

-- name: audit-walk
SELECT seq, at, actor_id, actor_email, addr, action, object_type, object_id, summary, prev_hash, hash
FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?

-- name: account-insert
INSERT INTO accounts (platform, handle, profile_url, display_name, bio, kind, office, languages,
                      audience, purpose, posts_per_week, email, contacts, managers,
                      project_name, project_keywords, project_end_date, status, search,
                      created_at, updated_at, closed_at, requested_by, handle_key)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: account-by-id
SELECT id, platform, handle, profile_url, display_name, bio, kind, office, languages,
       audience, purpose, posts_per_week, email, contacts, managers,
       project_name, project_keywords, project_end_date, status,
       created_at, updated_at, closed_at, COALESCE(requested_by, 0), COALESCE(handle_key, ''), handle_parked
FROM accounts WHERE id = ?

-- Registry back end (issue 4).

-- name: account-by-key
SELECT id, platform, handle, profile_url, display_name, bio, kind, office, languages,
       audience, purpose, posts_per_week, email, contacts, managers,
       project_name, project_keywords, project_end_date, status,
       created_at, updated_at, closed_at, COALESCE(requested_by, 0), COALESCE(handle_key, ''), handle_parked
FROM accounts WHERE platform = ? AND handle_key = ?

-- name: accounts-all
SELECT id, platform, handle, profile_url, display_name, bio, kind, office, languages,
       audience, purpose, posts_per_week, email, contacts, managers,
       project_name, project_keywords, project_end_date, status,
       created_at, updated_at, closed_at, COALESCE(requested_by, 0), COALESCE(handle_key, ''), handle_parked
FROM accounts ORDER BY id

-- name: account-keys
SELECT platform, COALESCE(handle_key, '') FROM accounts

-- name: account-update
UPDATE accounts SET platform = ?, handle = ?, profile_url = ?, display_name = ?, bio = ?, kind = ?,
       office = ?, languages = ?, audience = ?, purpose = ?, posts_per_week = ?, email = ?,
       contacts = ?, managers = ?, project_name = ?, project_keywords = ?, project_end_date = ?,
       search = ?, handle_key = ?, status = ?, updated_at = ?, closed_at = ?, handle_parked = ?
WHERE id = ? AND status = ?

-- name: account-status
SELECT status FROM accounts WHERE id = ?

-- name: account-event-insert
INSERT INTO account_events (account_id, from_status, to_status, actor_id, actor_email, reason, at)
VALUES (?, ?, ?, ?, ?, ?, ?)

-- name: account-events
SELECT id, account_id, from_status, to_status, actor_id, actor_email, reason, at
FROM account_events WHERE account_id = ? ORDER BY id

-- name: notification-insert
INSERT INTO notifications (user_id, subject, body, link, created_at, email, email_state, next_attempt_at,
                           kind, msg_key, msg_args)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: notifications-unread
SELECT id, user_id, subject, body, link, created_at, read_at, email, email_state, attempts,
       next_attempt_at, last_error, kind, msg_key, msg_args
FROM notifications WHERE user_id = ? AND read_at IS NULL ORDER BY id DESC

-- name: notifications-user
SELECT id, user_id, subject, body, link, created_at, read_at, email, email_state, attempts,
       next_attempt_at, last_error, kind, msg_key, msg_args
FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?

-- name: notification-read
UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL

-- name: notification-by-id
SELECT id, user_id, subject, body, link, created_at, read_at, email, email_state, attempts,
       next_attempt_at, last_error, kind, msg_key, msg_args
FROM notifications WHERE id = ?

-- name: outbox-due
SELECT id, user_id, subject, body, link, created_at, read_at, email, email_state, attempts,
       next_attempt_at, last_error, kind, msg_key, msg_args
FROM notifications WHERE email_state = 'pending' AND next_attempt_at <= ?
ORDER BY next_attempt_at, id LIMIT ?

-- name: outbox-lease
UPDATE notifications SET next_attempt_at = ? WHERE id = ?

-- name: outbox-sent
UPDATE notifications SET email_state = 'sent', attempts = attempts + 1, next_attempt_at = NULL,
       last_error = '' WHERE id = ? AND email_state = 'pending'

-- name: outbox-failed
UPDATE notifications SET email_state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?
WHERE id = ? AND email_state = 'pending'

-- name: found-insert
INSERT INTO found_accounts (platform, handle, handle_key, display_name, url, followers, state,
                            imported_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: found-keys
SELECT platform, handle_key FROM found_accounts

-- name: found-by-id
SELECT id, platform, handle, handle_key, display_name, url, followers, state, reason, takedown_state,
       account_id, imported_at, updated_at, source, bio, lookalike_score, imitates_account_id,
       lookalike_reasons, report_count, last_seen_at, gone_at
FROM found_accounts WHERE id = ?

-- name: found-update
UPDATE found_accounts SET state = ?, reason = ?, takedown_state = ?, account_id = ?, updated_at = ?
WHERE id = ?

-- name: account-activations
SELECT account_id, at FROM account_events WHERE to_status = 'active' ORDER BY id
