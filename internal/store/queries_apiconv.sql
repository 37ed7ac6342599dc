-- API conventions (issue 15): Idempotency-Key answers.

-- name: idem-expire
DELETE FROM idempotency_keys WHERE created_at < ?

-- name: idem-claim
INSERT INTO idempotency_keys (token_id, idem_key, fingerprint, created_at)
VALUES (?, ?, ?, ?)
ON CONFLICT (token_id, idem_key) DO NOTHING

-- name: idem-get
SELECT fingerprint, created_at, COALESCE(status, 0), content_type, body
FROM idempotency_keys WHERE token_id = ? AND idem_key = ?

-- name: idem-save
UPDATE idempotency_keys SET status = ?, content_type = ?, body = ?
WHERE token_id = ? AND idem_key = ? AND status IS NULL

-- name: idem-release
DELETE FROM idempotency_keys WHERE token_id = ? AND idem_key = ? AND status IS NULL
