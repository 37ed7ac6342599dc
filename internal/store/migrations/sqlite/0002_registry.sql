-- Registry back end (issue 4): who asked for an account, the handle as the
-- platform compares it, every status change, notifications with their
-- e-mail outbox, and accounts found on the platforms.

ALTER TABLE accounts ADD COLUMN requested_by INTEGER REFERENCES users (id);
-- NormalizeHandle's form, set by the registry service; rows from before this
-- migration get the lower-cased handle without a leading @.
ALTER TABLE accounts ADD COLUMN handle_key TEXT;
UPDATE accounts SET handle_key = lower(CASE WHEN handle LIKE '@%' THEN substr(handle, 2) ELSE handle END);
CREATE UNIQUE INDEX accounts_platform_key ON accounts (platform, handle_key);
CREATE INDEX accounts_requested_by ON accounts (requested_by, created_at, id);

CREATE TABLE account_events (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_email TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);
CREATE INDEX account_events_account ON account_events (account_id, id);

-- One row per notification: the in-app message and, when email is set, its
-- e-mail. next_attempt_at is also the lease of a sender that claimed it.
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    link            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    read_at         TEXT,
    email           TEXT NOT NULL DEFAULT '',
    email_state     TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);
CREATE INDEX notifications_outbox ON notifications (email_state, next_attempt_at);

CREATE TABLE found_accounts (
    id             INTEGER PRIMARY KEY,
    platform       TEXT NOT NULL,
    handle         TEXT NOT NULL,
    handle_key     TEXT NOT NULL,
    display_name   TEXT NOT NULL DEFAULT '',
    url            TEXT NOT NULL DEFAULT '',
    followers      INTEGER,
    state          TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    takedown_state TEXT NOT NULL DEFAULT '',
    account_id     INTEGER REFERENCES accounts (id),
    imported_at    TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX found_accounts_key ON found_accounts (platform, handle_key);
CREATE INDEX found_accounts_state ON found_accounts (state, id);
