-- The language a user reads Herald in (issue 14): a code of i18n.Languages,
-- or '' to follow the browser's Accept-Language.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '';
