-- Activity monitoring (issue 5): profiles, posts, sync state, credentials,
-- health results. Written with ? placeholders for both dialects.

-- name: profile-insert
INSERT INTO account_profiles (account_id, fetched_at, display_name, bio, avatar_url, followers, post_count,
                              platform_created_at, platform_last_post_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)

-- name: profiles-account
SELECT account_id, fetched_at, display_name, bio, avatar_url, followers, post_count,
       platform_created_at, platform_last_post_at
FROM account_profiles WHERE account_id = ? AND fetched_at > ? AND fetched_at <= ? ORDER BY fetched_at

-- name: posts-account
SELECT account_id, external_id, url, text, posted_at, replies, reposts, likes, views, source
FROM posts WHERE account_id = ? AND posted_at > ? AND posted_at <= ? ORDER BY posted_at

-- name: posts-window
SELECT posted_at, replies, reposts, likes
FROM posts WHERE account_id = ? AND posted_at > ? AND posted_at <= ?

-- name: posts-ends
SELECT (SELECT MIN(posted_at) FROM posts WHERE account_id = ? AND posted_at <= ?),
       (SELECT MAX(posted_at) FROM posts WHERE account_id = ? AND posted_at <= ?)

-- Profiles health.Evaluate needs: the latest snapshot (any), the latest with
-- a follower count, the latest with one at or before the trend's start, and
-- the latest that carries the platform's creation date and last post date.
-- name: profiles-health
SELECT fetched_at, followers, platform_created_at, platform_last_post_at FROM account_profiles WHERE id IN (
    (SELECT id FROM account_profiles WHERE account_id = ? AND fetched_at <= ?
     ORDER BY fetched_at DESC LIMIT 1),
    (SELECT id FROM account_profiles WHERE account_id = ? AND fetched_at <= ? AND followers IS NOT NULL
     ORDER BY fetched_at DESC LIMIT 1),
    (SELECT id FROM account_profiles WHERE account_id = ? AND fetched_at <= ? AND followers IS NOT NULL
     ORDER BY fetched_at DESC LIMIT 1),
    (SELECT id FROM account_profiles WHERE account_id = ? AND fetched_at <= ? AND platform_created_at IS NOT NULL
     ORDER BY fetched_at DESC LIMIT 1),
    (SELECT id FROM account_profiles WHERE account_id = ? AND fetched_at <= ? AND platform_last_post_at IS NOT NULL
     ORDER BY fetched_at DESC LIMIT 1))

-- name: accounts-monitored
SELECT id, platform, handle, profile_url, display_name, bio, kind, office, languages,
       audience, purpose, posts_per_week, email, contacts, managers,
       project_name, project_keywords, project_end_date, status,
       created_at, updated_at, closed_at, COALESCE(requested_by, 0), COALESCE(handle_key, ''), handle_parked
FROM accounts WHERE status IN ('active', 'at-risk', 'closure-proposed') AND id > ? ORDER BY id LIMIT ?

-- name: sync-state-ensure
INSERT INTO sync_state (account_id, next_sync_at)
SELECT id, ? FROM accounts
WHERE status IN ('active', 'at-risk', 'closure-proposed')
  AND NOT EXISTS (SELECT 1 FROM sync_state s WHERE s.account_id = accounts.id)
ON CONFLICT (account_id) DO NOTHING

-- name: sync-state-ensure-one
INSERT INTO sync_state (account_id, next_sync_at) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING

-- name: sync-claim-one
UPDATE sync_state SET lease_owner = ?, lease_until = ?
WHERE account_id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)

-- name: sync-success
UPDATE sync_state SET last_synced_at = ?, next_sync_at = ?, error_count = 0, last_error = '',
       lease_owner = '', lease_until = NULL
WHERE account_id = ? AND lease_owner = ?

-- name: sync-failure
UPDATE sync_state SET next_sync_at = ?, error_count = error_count + ?, last_error = ?,
       lease_owner = '', lease_until = NULL
WHERE account_id = ? AND lease_owner = ?

-- name: sync-state
SELECT account_id, next_sync_at, last_synced_at, error_count, last_error, lease_owner, lease_until
FROM sync_state WHERE account_id = ?

-- name: credential-upsert
INSERT INTO credentials (platform, account_id, secret, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (platform, account_id) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at

-- name: credential-delete
DELETE FROM credentials WHERE platform = ? AND account_id = ?

-- name: credential
SELECT secret FROM credentials WHERE platform = ? AND account_id = ?

-- name: credentials
SELECT platform, account_id, updated_at FROM credentials ORDER BY platform, account_id

-- name: health-upsert
INSERT INTO health_results (account_id, state, reasons, last_post_at, posts_30d, posts_90d,
                            engagement_rate, follower_trend, evaluated_at, at_risk_since)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (account_id) DO UPDATE SET state = excluded.state, reasons = excluded.reasons,
    last_post_at = excluded.last_post_at, posts_30d = excluded.posts_30d, posts_90d = excluded.posts_90d,
    engagement_rate = excluded.engagement_rate, follower_trend = excluded.follower_trend,
    evaluated_at = excluded.evaluated_at, at_risk_since = excluded.at_risk_since

-- name: health
SELECT account_id, state, reasons, last_post_at, posts_30d, posts_90d, engagement_rate,
       follower_trend, evaluated_at, at_risk_since
FROM health_results WHERE account_id = ?

-- Monitored accounts whose latest evaluation is in a state (at-risk or
-- unknown): at risk longest first, or unknown registered longest ago first.
-- name: health-in-state-count
SELECT COUNT(*) FROM health_results h JOIN accounts a ON a.id = h.account_id
WHERE h.state = ? AND a.status IN ('active', 'at-risk', 'closure-proposed')

-- name: health-in-state
SELECT h.account_id, h.state, h.reasons, h.last_post_at, h.posts_30d, h.posts_90d, h.engagement_rate,
       h.follower_trend, h.evaluated_at, h.at_risk_since
FROM health_results h JOIN accounts a ON a.id = h.account_id
WHERE h.state = ? AND a.status IN ('active', 'at-risk', 'closure-proposed')
ORDER BY CASE WHEN h.state = 'at-risk' THEN h.at_risk_since ELSE a.created_at END, h.account_id
LIMIT ? OFFSET ?

-- name: account-counts
SELECT platform, kind, office, status, COUNT(*) FROM accounts GROUP BY platform, kind, office, status
