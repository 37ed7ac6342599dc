-- Sign-in throttling: attempts are reserved before the password is hashed.

-- name: login-attempt-count
SELECT COUNT(*) FROM login_failures WHERE throttle_key = ? AND at >= ?

-- name: login-attempt-insert
INSERT INTO login_failures (throttle_key, at) VALUES (?, ?)
RETURNING id

-- name: login-attempt-prune
DELETE FROM login_failures WHERE throttle_key = ? AND at < ?

-- name: login-attempt-release
DELETE FROM login_failures WHERE id = ?
