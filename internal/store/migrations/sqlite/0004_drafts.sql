-- Official statements (issue 6): drafts with their last check, photos,
-- the timeline of each draft, review settings, and advice threads.

-- report: the last model.Report as JSON, made on draft version report_version.
-- step_who says who decides the current step (office-lead | communications)
-- and office copies the account's office, so the queue filters on one table.
-- Booleans are INTEGER 0/1 in both dialects.
CREATE TABLE drafts (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    author_id        INTEGER NOT NULL REFERENCES users (id),
    text             TEXT NOT NULL,
    platform         TEXT NOT NULL,
    checklist        TEXT NOT NULL DEFAULT '[]',
    version          INTEGER NOT NULL,
    status           TEXT NOT NULL,
    step             INTEGER NOT NULL DEFAULT 0,
    step_who         TEXT NOT NULL DEFAULT '',
    escalated        INTEGER NOT NULL DEFAULT 0,
    office           TEXT NOT NULL DEFAULT '',
    report           TEXT,
    report_version   INTEGER NOT NULL DEFAULT 0,
    report_pack      TEXT NOT NULL DEFAULT '',
    diff             TEXT,
    errors           INTEGER NOT NULL DEFAULT 0,
    warnings         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    submitted_at     TEXT,
    approved_at      TEXT,
    approved_version INTEGER NOT NULL DEFAULT 0,
    published_at     TEXT,
    published_url    TEXT NOT NULL DEFAULT ''
);
-- The queue: in review, oldest first, optionally by office or account.
CREATE INDEX drafts_queue ON drafts (status, submitted_at, id);
CREATE INDEX drafts_queue_office ON drafts (status, office, submitted_at, id);
CREATE INDEX drafts_queue_account ON drafts (account_id, status, submitted_at, id);
CREATE INDEX drafts_author ON drafts (author_id, id);

-- The clauses of the latest report's findings, for the queue's clause filter.
CREATE TABLE draft_clauses (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    clause   TEXT NOT NULL,
    PRIMARY KEY (clause, draft_id)
);
CREATE INDEX draft_clauses_draft ON draft_clauses (draft_id);

CREATE TABLE draft_images (
    id           TEXT PRIMARY KEY,
    draft_id     INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    format       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    findings     TEXT NOT NULL DEFAULT '[]',
    shows_people INTEGER NOT NULL DEFAULT 0,
    consent      TEXT,
    uploaded_by  INTEGER NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX draft_images_draft ON draft_images (draft_id, uploaded_at);

CREATE TABLE draft_events (
    id          INTEGER PRIMARY KEY,
    draft_id    INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    step        INTEGER NOT NULL DEFAULT 0,
    actor_id    INTEGER NOT NULL,
    actor_email TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    start_at    INTEGER,
    end_at      INTEGER,
    override    INTEGER NOT NULL DEFAULT 0,
    at          TEXT NOT NULL
);
CREATE INDEX draft_events_draft ON draft_events (draft_id, id);

-- key → JSON value: "route:<kind>", "approval_ttl", "office_leads:<office>".
CREATE TABLE review_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE advice_questions (
    id              INTEGER PRIMARY KEY,
    asker_id        INTEGER NOT NULL REFERENCES users (id),
    asker_email     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    platform        TEXT NOT NULL DEFAULT '',
    text            TEXT NOT NULL,
    question        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    first_answer_at TEXT
);
CREATE INDEX advice_asker ON advice_questions (asker_id, id);
CREATE INDEX advice_created ON advice_questions (created_at);

CREATE TABLE advice_answers (
    id           INTEGER PRIMARY KEY,
    question_id  INTEGER NOT NULL REFERENCES advice_questions (id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL,
    author_email TEXT NOT NULL,
    body         TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX advice_answers_question ON advice_answers (question_id, id);
