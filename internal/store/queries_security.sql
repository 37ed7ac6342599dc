-- Security: sign-in throttling (attempts are reserved before the password is
-- hashed) and the audit trail's checks.

-- name: login-attempt-count
SELECT COUNT(*) FROM login_failures WHERE throttle_key = ? AND at >= ?

-- name: login-attempt-insert
INSERT INTO login_failures (throttle_key, at) VALUES (?, ?)
RETURNING id

-- name: login-attempt-prune
DELETE FROM login_failures WHERE throttle_key = ? AND at < ?

-- name: login-attempt-release
DELETE FROM login_failures WHERE id = ?

-- name: has-data
SELECT CASE WHEN EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM accounts) THEN 1 ELSE 0 END

-- name: credential-all
SELECT platform, account_id, secret FROM credentials ORDER BY platform, account_id

-- name: credential-reseal
UPDATE credentials SET secret = ?, updated_at = ? WHERE platform = ? AND account_id = ?
