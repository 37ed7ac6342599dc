-- Notifications to whoever must act (issue 13). Each notice carries its
-- kind and its message key with the values it was formatted with (JSON), so
-- a translation can write it again; subject and body stay the English text
-- the e-mail carries. Rows from before have an empty key: their subject is
-- their message.
ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN msg_key TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN msg_args TEXT NOT NULL DEFAULT '[]';
-- E-mails of a person who chose the daily digest wait as 'held' until it goes.
CREATE INDEX notifications_held ON notifications (user_id, created_at) WHERE email_state = 'held';
-- How each person gets notifications by e-mail: immediate, digest or off.
-- The in-app list is kept whatever they choose.
ALTER TABLE users ADD COLUMN notify_email TEXT NOT NULL DEFAULT 'immediate';
-- One row per review step that waited past its service level: written with
-- the reminder's notifications, so two instances remind once.
CREATE TABLE review_reminders (
    draft_id   INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    step       INTEGER NOT NULL,
    step_since TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (draft_id, step, step_since)
);
