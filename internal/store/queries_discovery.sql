-- Discovery (issue 16): the searches' schedule and what they find.

-- name: discovery-searches
SELECT id, platform, target, query, next_run_at, last_run_at, last_found, error_count, last_error,
       lease_owner, lease_until
FROM discovery_searches ORDER BY platform, target, query

-- name: discovery-insert
INSERT INTO discovery_searches (platform, target, query, next_run_at) VALUES (?, ?, ?, ?)
ON CONFLICT (platform, target, query) DO NOTHING

-- name: discovery-delete
DELETE FROM discovery_searches WHERE id = ?

-- name: discovery-success
UPDATE discovery_searches SET last_run_at = ?, next_run_at = ?, last_found = ?, error_count = 0,
       last_error = '', lease_owner = '', lease_until = NULL
WHERE id = ? AND lease_owner = ?

-- name: discovery-failure
UPDATE discovery_searches SET next_run_at = ?, error_count = error_count + ?, last_error = ?,
       lease_owner = '', lease_until = NULL
WHERE id = ? AND lease_owner = ?

-- name: found-insert-scored
INSERT INTO found_accounts (platform, handle, handle_key, display_name, url, followers, state, source, bio,
                            lookalike_score, imitates_account_id, lookalike_reasons, report_count,
                            last_seen_at, imported_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (platform, handle_key) DO NOTHING
RETURNING id

-- name: found-seen
UPDATE found_accounts SET last_seen_at = ? WHERE platform = ? AND handle_key = ?

-- name: found-rescore
UPDATE found_accounts SET lookalike_score = ?, imitates_account_id = ?, lookalike_reasons = ?, updated_at = ?
WHERE id = ?

-- name: found-tracked
SELECT id, platform, handle, handle_key, display_name, url, followers, state, reason, takedown_state,
       account_id, imported_at, updated_at, source, bio, lookalike_score, imitates_account_id,
       lookalike_reasons, report_count, last_seen_at, gone_at
FROM found_accounts WHERE state = 'impersonation' AND gone_at IS NULL ORDER BY id

-- name: found-gone
UPDATE found_accounts SET gone_at = ?, takedown_state = 'removed', updated_at = ? WHERE id = ? AND gone_at IS NULL

-- name: avatars-to-check
-- The latest synced avatar of each registered account still in use, with
-- the URL last checked ('' when never).
SELECT a.id, p.avatar_url, COALESCE(c.avatar_url, '')
FROM accounts a
JOIN account_profiles p ON p.account_id = a.id
     AND p.fetched_at = (SELECT MAX(fetched_at) FROM account_profiles WHERE account_id = a.id)
LEFT JOIN avatar_checks c ON c.account_id = a.id
WHERE a.status IN ('active', 'at-risk', 'closure-proposed') AND p.avatar_url <> ''
ORDER BY a.id

-- name: avatar-check
SELECT avatar_url, is_emblem, checked_at FROM avatar_checks WHERE account_id = ?

-- name: avatar-check-set
INSERT INTO avatar_checks (account_id, avatar_url, is_emblem, checked_at) VALUES (?, ?, ?, ?)
ON CONFLICT (account_id) DO UPDATE SET avatar_url = excluded.avatar_url, is_emblem = excluded.is_emblem,
       checked_at = excluded.checked_at

-- name: found-reported-again
UPDATE found_accounts SET report_count = report_count + 1, updated_at = ?
WHERE platform = ? AND handle_key = ?
RETURNING id, report_count
