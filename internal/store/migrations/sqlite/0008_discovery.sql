-- Discovery (issue 16): scheduled searches of the platforms for accounts
-- that use the organization's names. One row per search (platform, the
-- Mastodon instance or '' elsewhere, query) with its schedule, its last
-- error and a lease, as sync_state has, so two servers never run one search
-- at once.
CREATE TABLE discovery_searches (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    query       TEXT NOT NULL,
    next_run_at TEXT NOT NULL,
    last_run_at TEXT,
    last_found  INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until TEXT
);
CREATE UNIQUE INDEX discovery_searches_key ON discovery_searches (platform, target, query);
CREATE INDEX discovery_searches_due ON discovery_searches (next_run_at);

-- What the triage queue knows of a found account beyond the import's
-- columns: where it came from (import, discovery, report), its bio, how
-- much it looks like a registered account (0–1), which one and why (a JSON
-- array of sentences), how many public reports named it, when discovery
-- last saw it and when it was found gone.
ALTER TABLE found_accounts ADD COLUMN source TEXT NOT NULL DEFAULT 'import';
ALTER TABLE found_accounts ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE found_accounts ADD COLUMN lookalike_score REAL;
ALTER TABLE found_accounts ADD COLUMN imitates_account_id INTEGER REFERENCES accounts (id);
ALTER TABLE found_accounts ADD COLUMN lookalike_reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE found_accounts ADD COLUMN report_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE found_accounts ADD COLUMN last_seen_at TEXT;
ALTER TABLE found_accounts ADD COLUMN gone_at TEXT;

-- The emblem check (4.3) of each registered account's synced avatar: the
-- avatar URL last hashed and whether it is one of the pack's approved
-- emblems (0 or 1). A new URL in the latest profile is hashed again.
CREATE TABLE avatar_checks (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    avatar_url TEXT NOT NULL,
    is_emblem  INTEGER NOT NULL,
    checked_at TEXT NOT NULL
);
