-- Imported mail (`haven import`): keyed hashes (HMAC with the intake key, per
-- programme) of a message's Message-ID and of its sender and text, so that importing
-- the same mail twice is a no-op. Never the Message-ID or the address itself. NULL for
-- web enquiries (NULLs never collide in a unique index, on either backend).
ALTER TABLE enquiries ADD COLUMN import_id_hash BLOB;
ALTER TABLE enquiries ADD COLUMN import_content_hash BLOB;
CREATE UNIQUE INDEX enquiries_by_import_id ON enquiries (programme_id, import_id_hash);
CREATE UNIQUE INDEX enquiries_by_import_content ON enquiries (programme_id, import_content_hash);
