-- Webhooks (issue 15): endpoints, the outbox of deliveries and its log.

-- name: webhook-endpoint-insert
INSERT INTO webhook_endpoints (url, secret, description, event_types, enabled, owner_id, created_at, updated_at)
VALUES (?, ?, ?, ?, 1, ?, ?, ?) RETURNING id

-- name: webhook-endpoints
SELECT e.id, e.url, e.secret, e.description, e.event_types, e.enabled, e.owner_id, COALESCE(u.email, ''),
       e.created_at, e.updated_at, e.failing_since, e.disabled_reason
FROM webhook_endpoints e LEFT JOIN users u ON u.id = e.owner_id ORDER BY e.id

-- name: webhook-endpoint-by-id
SELECT e.id, e.url, e.secret, e.description, e.event_types, e.enabled, e.owner_id, COALESCE(u.email, ''),
       e.created_at, e.updated_at, e.failing_since, e.disabled_reason
FROM webhook_endpoints e LEFT JOIN users u ON u.id = e.owner_id WHERE e.id = ?

-- name: webhook-endpoints-enabled
SELECT id, event_types FROM webhook_endpoints WHERE enabled = 1 ORDER BY id

-- name: webhook-message-insert
INSERT INTO webhook_messages (id, type, payload, created_at) VALUES (?, ?, ?, ?)

-- name: webhook-delivery-insert
INSERT INTO webhook_deliveries (message_id, endpoint_id, state, attempts, next_attempt_at, created_at)
VALUES (?, ?, 'pending', 0, ?, ?)

-- name: webhook-due
SELECT d.id, d.message_id, m.type, m.payload, d.endpoint_id, d.state, d.attempts, d.next_attempt_at,
       d.created_at, d.delivered_at, d.last_status, d.last_error
FROM webhook_deliveries d
JOIN webhook_messages m ON m.id = d.message_id
JOIN webhook_endpoints e ON e.id = d.endpoint_id
WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND e.enabled = 1
ORDER BY d.next_attempt_at, d.id LIMIT ?

-- name: webhook-lease
UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?

-- name: webhook-attempt-insert
INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, response, duration_ms, error)
VALUES (?, ?, ?, ?, ?, ?, ?)

-- name: webhook-delivery-result
UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, delivered_at = ?, last_status = ?,
    last_error = ?
WHERE id = ? AND attempts = ?

-- name: webhook-endpoint-ok
UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL

-- name: webhook-endpoint-failing
UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?) WHERE id = ?

-- name: webhook-endpoint-disable
UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = 1

-- name: webhook-deliveries
SELECT d.id, d.message_id, m.type, m.payload, d.endpoint_id, d.state, d.attempts, d.next_attempt_at,
       d.created_at, d.delivered_at, d.last_status, d.last_error
FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
WHERE d.endpoint_id = ? AND (? = 0 OR d.id < ?) ORDER BY d.id DESC LIMIT ?

-- name: webhook-delivery-by-id
SELECT d.id, d.message_id, m.type, m.payload, d.endpoint_id, d.state, d.attempts, d.next_attempt_at,
       d.created_at, d.delivered_at, d.last_status, d.last_error
FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
WHERE d.id = ?

-- name: webhook-attempts
SELECT id, delivery_id, attempt, at, status_code, response, duration_ms, error
FROM webhook_attempts WHERE delivery_id = ? ORDER BY id

-- name: webhook-redeliver
UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ? WHERE id = ?

-- name: webhook-secrets
SELECT id, secret FROM webhook_endpoints ORDER BY id

-- name: webhook-secret-update
UPDATE webhook_endpoints SET secret = ? WHERE id = ?

-- name: webhook-any-due
SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND e.enabled = 1 LIMIT 1

-- name: webhook-endpoint-enable
UPDATE webhook_endpoints SET enabled = 1, disabled_reason = '', failing_since = NULL, updated_at = ? WHERE id = ?

-- name: webhook-endpoint-delete
DELETE FROM webhook_endpoints WHERE id = ?
