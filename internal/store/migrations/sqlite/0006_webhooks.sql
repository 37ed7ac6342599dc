-- Webhooks (issue 15): endpoints that other systems register, the messages
-- written in the same transaction as the change they report, one delivery
-- per message and endpoint (its retry schedule and lease), and the log of
-- every attempt.

-- secret is nonce||AES-GCM ciphertext of the signing secret, sealed with the
-- server's secret key; event_types is space-separated. failing_since is the
-- first failure since the last success; disabled_reason says why an endpoint
-- was turned off (410 Gone, failing for days).
CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    secret          BLOB NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    event_types     TEXT NOT NULL,
    enabled         INTEGER NOT NULL DEFAULT 1,
    owner_id        INTEGER NOT NULL REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    failing_since   TEXT,
    disabled_reason TEXT NOT NULL DEFAULT ''
);

-- payload is the exact body sent, so every attempt signs the same bytes.
CREATE TABLE webhook_messages (
    id         TEXT PRIMARY KEY,
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- state: pending | delivered | failed. next_attempt_at is also the lease of
-- the worker that claimed the delivery.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    message_id      TEXT NOT NULL REFERENCES webhook_messages (id),
    endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT,
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    UNIQUE (message_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- status_code 0: no answer (the error says why); response is capped.
CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response    TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
