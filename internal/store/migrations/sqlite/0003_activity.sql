-- Activity monitoring (issue 5): what the connectors and analytics imports
-- collected, each account's sync schedule and lease, connector credentials
-- (encrypted by the caller), and the latest health result per account.

-- One row per profile read; followers and post_count NULL when unknown.
CREATE TABLE account_profiles (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    fetched_at   TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    bio          TEXT NOT NULL DEFAULT '',
    avatar_url   TEXT NOT NULL DEFAULT '',
    followers    INTEGER,
    post_count   INTEGER
);
CREATE INDEX account_profiles_account ON account_profiles (account_id, fetched_at);

-- Posts are unique per account and platform id; figures NULL when unknown.
CREATE TABLE posts (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    posted_at   TEXT NOT NULL,
    replies     INTEGER,
    reposts     INTEGER,
    likes       INTEGER,
    views       INTEGER,
    source      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, external_id)
);
-- Window reads (last N days of one account) and first/last post seeks;
-- the figures are in the index so evaluation never visits the table.
CREATE INDEX posts_account_time ON posts (account_id, posted_at, replies, reposts, likes);

CREATE TABLE sync_state (
    account_id     INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    next_sync_at   TEXT NOT NULL,
    last_synced_at TEXT,
    error_count    INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT '',
    lease_owner    TEXT NOT NULL DEFAULT '',
    lease_until    TEXT
);
CREATE INDEX sync_state_due ON sync_state (next_sync_at);

-- account_id 0 = a token for the whole platform. secret is nonce||AES-GCM
-- ciphertext; the key never reaches the database.
CREATE TABLE credentials (
    platform   TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    secret     BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, account_id)
);

CREATE TABLE health_results (
    account_id      INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    state           TEXT NOT NULL,
    reasons         TEXT NOT NULL,
    last_post_at    TEXT,
    posts_30d       INTEGER NOT NULL,
    posts_90d       INTEGER NOT NULL,
    engagement_rate REAL,
    follower_trend  REAL,
    evaluated_at    TEXT NOT NULL,
    at_risk_since   TEXT
);
CREATE INDEX health_results_state ON health_results (state, at_risk_since);
