-- What the platform says of an account itself (issue 13): when it was
-- created there and when it last posted, NULL when the platform does not
-- say. Kept with each profile snapshot, so an evaluation as of a past date
-- sees only what was known then; health counts an account's age and quiet
-- from these when they are older than Herald's own records.
ALTER TABLE account_profiles ADD COLUMN platform_created_at TIMESTAMPTZ;
ALTER TABLE account_profiles ADD COLUMN platform_last_post_at TIMESTAMPTZ;
