-- Drafts, review settings and advice (issue 6).

-- name: draft-insert
INSERT INTO drafts (account_id, author_id, text, platform, checklist, version, status, step, step_who,
    escalated, office, report, report_version, report_pack, diff, errors, warnings, created_at, updated_at,
    submitted_at, approved_at, approved_version, published_at, published_url)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: draft-update
UPDATE drafts SET text = ?, checklist = ?, version = ?, status = ?, step = ?, step_who = ?, escalated = ?,
    office = ?, report = ?, report_version = ?, report_pack = ?, diff = ?, errors = ?, warnings = ?,
    updated_at = ?, submitted_at = ?, approved_at = ?, approved_version = ?, published_at = ?, published_url = ?
WHERE id = ? AND version = ? AND status = ?

-- name: draft-by-id
SELECT id, account_id, author_id, text, platform, checklist, version, status, step, step_who, escalated,
    report, report_version, diff, created_at, updated_at, submitted_at, approved_at, approved_version,
    published_at, published_url
FROM drafts WHERE id = ?

-- name: drafts-by-author
SELECT id, account_id, author_id, text, platform, checklist, version, status, step, step_who, escalated,
    report, report_version, diff, created_at, updated_at, submitted_at, approved_at, approved_version,
    published_at, published_url
FROM drafts WHERE author_id = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ? OFFSET ?

-- name: drafts-by-author-count
SELECT count(*) FROM drafts WHERE author_id = ?

-- name: drafts-recheck
SELECT id, account_id, author_id, text, platform, checklist, version, status, step, step_who, escalated,
    report, report_version, diff, created_at, updated_at, submitted_at, approved_at, approved_version,
    published_at, published_url
FROM drafts WHERE status IN ('in-review', 'changes-requested') AND report_pack <> ? AND id > ?
ORDER BY id LIMIT ?

-- name: drafts-after
SELECT id, account_id, author_id, text, platform, checklist, version, status, step, step_who, escalated,
    report, report_version, diff, created_at, updated_at, submitted_at, approved_at, approved_version,
    published_at, published_url
FROM drafts WHERE id > ? ORDER BY id LIMIT ?

-- name: draft-clauses-delete
DELETE FROM draft_clauses WHERE draft_id = ?

-- name: draft-clause-insert
INSERT INTO draft_clauses (draft_id, clause) VALUES (?, ?) ON CONFLICT DO NOTHING

-- name: draft-event-insert
INSERT INTO draft_events (draft_id, version, kind, step, actor_id, actor_email, comment, start_at, end_at, override, at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: draft-events
SELECT id, draft_id, version, kind, step, actor_id, actor_email, comment, start_at, end_at, override, at
FROM draft_events WHERE draft_id = ? ORDER BY id

-- name: draft-image-insert
INSERT INTO draft_images (id, draft_id, name, format, size, findings, shows_people, consent, uploaded_by, uploaded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

-- name: draft-image-update
UPDATE draft_images SET shows_people = ?, consent = ? WHERE id = ? AND draft_id = ?

-- name: draft-image-delete
DELETE FROM draft_images WHERE id = ? AND draft_id = ?

-- name: draft-images
SELECT id, draft_id, name, format, size, findings, shows_people, consent, uploaded_by, uploaded_at
FROM draft_images WHERE draft_id = ? ORDER BY uploaded_at, id

-- name: review-setting
SELECT value FROM review_settings WHERE key = ?

-- name: review-settings-prefix
SELECT key, value FROM review_settings WHERE key LIKE ? ESCAPE '\' ORDER BY key

-- name: review-setting-upsert
INSERT INTO review_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value

-- name: advice-insert
INSERT INTO advice_questions (asker_id, asker_email, kind, platform, text, question, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: advice-by-id
SELECT id, asker_id, asker_email, kind, platform, text, question, created_at, first_answer_at
FROM advice_questions WHERE id = ?

-- name: advice-first-answer
UPDATE advice_questions SET first_answer_at = ? WHERE id = ? AND first_answer_at IS NULL

-- name: advice-answer-insert
INSERT INTO advice_answers (question_id, author_id, author_email, body, at) VALUES (?, ?, ?, ?, ?) RETURNING id

-- name: advice-answers
SELECT id, question_id, author_id, author_email, body, at FROM advice_answers WHERE question_id = ? ORDER BY id

-- name: advice-since
SELECT created_at, first_answer_at FROM advice_questions WHERE created_at >= ?

-- name: draft-version-upsert
INSERT INTO draft_versions (draft_id, version, text) VALUES (?, ?, ?)
ON CONFLICT (draft_id, version) DO UPDATE SET text = excluded.text

-- name: draft-versions
SELECT version, text FROM draft_versions WHERE draft_id = ? ORDER BY version
