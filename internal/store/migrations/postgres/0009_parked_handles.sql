-- Closing an account may keep its handle parked (issue 13): the account is
-- closed on Herald's side but the organization keeps the username on the
-- platform, so nobody else takes it. Recorded on the account, shown on its page.
ALTER TABLE accounts ADD COLUMN handle_parked BOOLEAN NOT NULL DEFAULT FALSE;
