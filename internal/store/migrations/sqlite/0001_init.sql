-- Times are TEXT in the fixed-width form 2006-01-02T15:04:05.000000Z (UTC),
-- so string order is time order. Lists are JSON arrays as TEXT.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE, -- stored lower-case
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    oidc_subject  TEXT UNIQUE,          -- NULL until linked
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    addr       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_failures (
    id           INTEGER PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (throttle_key, at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- seq is assigned by the store under the writer lock: no gaps, no forks.
CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_email TEXT NOT NULL,
    addr        TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    summary     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_actor ON audit_events (actor_email);
CREATE INDEX audit_events_action ON audit_events (action);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id);

-- The trail is append-only; these stop accidents, the hash chain catches the rest.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    platform         TEXT NOT NULL,
    handle           TEXT NOT NULL,
    profile_url      TEXT NOT NULL DEFAULT '',
    display_name     TEXT NOT NULL DEFAULT '',
    bio              TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL,
    office           TEXT NOT NULL DEFAULT '',
    languages        TEXT NOT NULL DEFAULT '[]',
    audience         TEXT NOT NULL DEFAULT '',
    purpose          TEXT NOT NULL DEFAULT '',
    posts_per_week   REAL NOT NULL DEFAULT 0,
    email            TEXT NOT NULL DEFAULT '',
    contacts         TEXT NOT NULL DEFAULT '[]',
    managers         TEXT NOT NULL DEFAULT '[]',
    project_name     TEXT,              -- NULL unless a project account
    project_keywords TEXT NOT NULL DEFAULT '[]',
    project_end_date TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    -- handle, display name, office, e-mail and project name, lower-cased by
    -- the store: the Accounts search is one LIKE on one column.
    search           TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    closed_at        TEXT
);
CREATE UNIQUE INDEX accounts_platform_handle ON accounts (platform, lower(handle));
-- The Accounts page filters on one column and sorts by handle or a time.
CREATE INDEX accounts_handle ON accounts (handle, id);
CREATE INDEX accounts_status ON accounts (status, handle, id);
CREATE INDEX accounts_platform ON accounts (platform, handle, id);
CREATE INDEX accounts_kind ON accounts (kind, handle, id);
CREATE INDEX accounts_office ON accounts (office, handle, id);
CREATE INDEX accounts_updated ON accounts (updated_at, id);
CREATE INDEX accounts_created ON accounts (created_at, id);
