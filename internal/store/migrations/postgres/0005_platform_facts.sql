-- What the platform says of an account itself (issue 13): when it was
-- created there and when it last posted, NULL when the platform does not
-- say. Kept with each profile snapshot, so an evaluation as of a past date
-- sees only what was known then; health counts an account's age and quiet
-- from these when they are older than Herald's own records.
ALTER TABLE account_profiles ADD COLUMN platform_created_at TIMESTAMPTZ;
ALTER TABLE account_profiles ADD COLUMN platform_last_post_at TIMESTAMPTZ;
-- Health reads the latest snapshot that carries each date; these partial
-- indexes seek it at once, however many snapshots lack it.
CREATE INDEX account_profiles_created ON account_profiles (account_id, fetched_at) WHERE platform_created_at IS NOT NULL;
CREATE INDEX account_profiles_last_post ON account_profiles (account_id, fetched_at) WHERE platform_last_post_at IS NOT NULL;
