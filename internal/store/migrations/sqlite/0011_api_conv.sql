-- API conventions (issue 15): token scopes and expiry, and the answers kept
-- for Idempotency-Key. A token's scope narrows its user's role (read-only,
-- checks-only or full); existing tokens keep what they could do: full.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'full';
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;

-- One row per (token, key): status is NULL while the first request runs,
-- then its answer is kept for 24 hours.
CREATE TABLE idempotency_keys (
    token_id     INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    idem_key     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT NOT NULL DEFAULT '',
    body         BLOB,
    PRIMARY KEY (token_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
