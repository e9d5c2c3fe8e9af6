-- The staff member's chosen interface language (a shipped tag such as `fa-AF`);
-- NULL until they choose one, when the browser's Accept-Language decides.
ALTER TABLE users ADD COLUMN language TEXT;
