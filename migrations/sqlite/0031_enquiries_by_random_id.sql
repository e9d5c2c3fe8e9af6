-- no-transaction
-- Enquiries are stored by their random id, not in the order they arrived (issue 17,
-- item 12). A rowid table numbers rows as they come, and a rowid lined up with an
-- access log's timestamps gave each enquiry its exact arrival time back, whatever the
-- hour-only clear column said. A WITHOUT ROWID table keyed by the random id keeps its
-- rows in the id's order; the rows already here are copied in that order, so their
-- pages and overflow pages follow it too. New rows are re-placed once their hour has
-- closed (`placement`, `Store::place_arrivals`): `placed` says whether that was done.
--
-- SQLite cannot change a table into WITHOUT ROWID in place: the table is copied. The
-- copy needs foreign keys off (other tables refer to enquiries), which cannot change
-- inside a transaction, hence `no-transaction` and the explicit BEGIN/COMMIT.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE enquiries_by_id (
    id                  TEXT NOT NULL PRIMARY KEY,
    programme_id        TEXT NOT NULL REFERENCES programmes (id),
    form_version        INTEGER NOT NULL,
    reference_hash      BLOB NOT NULL UNIQUE,
    passphrase_hash     BLOB NOT NULL,
    queue               TEXT NOT NULL,
    priority            INTEGER NOT NULL,
    status              TEXT NOT NULL,
    language            TEXT NOT NULL,
    source              TEXT NOT NULL,
    has_email           INTEGER NOT NULL, -- 0 or 1 (an integer on both backends)
    contact_index       BLOB,
    key_id              TEXT NOT NULL REFERENCES programme_keys (id),
    format_version      INTEGER NOT NULL,
    ciphertext          BLOB NOT NULL,
    created_hour        INTEGER NOT NULL,
    updated_hour        INTEGER NOT NULL,
    assigned_to         TEXT REFERENCES users (id),
    inbox_recipient     TEXT,
    legal_hold          INTEGER NOT NULL DEFAULT 0,
    import_id_hash      BLOB,
    import_content_hash BLOB,
    placed              INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO enquiries_by_id (id, programme_id, form_version, reference_hash, passphrase_hash,
    queue, priority, status, language, source, has_email, contact_index, key_id,
    format_version, ciphertext, created_hour, updated_hour, assigned_to, inbox_recipient,
    legal_hold, import_id_hash, import_content_hash, placed)
SELECT id, programme_id, form_version, reference_hash, passphrase_hash,
    queue, priority, status, language, source, has_email, contact_index, key_id,
    format_version, ciphertext, created_hour, updated_hour, assigned_to, inbox_recipient,
    legal_hold, import_id_hash, import_content_hash, 1
FROM enquiries ORDER BY id;
DROP TABLE enquiries;
ALTER TABLE enquiries_by_id RENAME TO enquiries;
CREATE INDEX enquiries_by_queue ON enquiries (programme_id, queue, status, priority, created_hour);
CREATE INDEX enquiries_by_contact ON enquiries (contact_index);
CREATE INDEX enquiries_by_assignee ON enquiries (assigned_to);
CREATE INDEX enquiries_by_age ON enquiries (programme_id, created_hour);
CREATE UNIQUE INDEX enquiries_by_import_id ON enquiries (programme_id, import_id_hash);
CREATE UNIQUE INDEX enquiries_by_import_content ON enquiries (programme_id, import_content_hash);
CREATE INDEX enquiries_unplaced ON enquiries (created_hour) WHERE placed = 0;
COMMIT;
PRAGMA foreign_keys = ON;
