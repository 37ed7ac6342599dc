-- The text of each version of a draft (issue 13), so that the draft page
-- shows what changed between versions. Existing drafts keep their current
-- version's text; earlier ones were not kept.
CREATE TABLE draft_versions (
    draft_id BIGINT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    version  INTEGER NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (draft_id, version)
);
INSERT INTO draft_versions (draft_id, version, text) SELECT id, version, text FROM drafts;
