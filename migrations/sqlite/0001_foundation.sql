-- Haven foundation schema (SQLite). Times are Unix seconds; clear timestamps about
-- enquiries are truncated to the hour so the metadata says little.
-- Personal data lives only inside age ciphertexts (BLOB columns named ciphertext).

CREATE TABLE programmes (
    id              TEXT PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL,
    version         INTEGER NOT NULL,
    definition      TEXT NOT NULL,
    current_key_id  TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE programme_versions (
    programme_id    TEXT NOT NULL REFERENCES programmes (id),
    version         INTEGER NOT NULL,
    definition      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (programme_id, version)
);

CREATE TABLE programme_keys (
    id               TEXT PRIMARY KEY,
    programme_id     TEXT NOT NULL REFERENCES programmes (id),
    recipient        TEXT NOT NULL,
    -- NULL once the key has been destroyed (crypto-shredding).
    wrapped_identity BLOB,
    created_at       INTEGER NOT NULL
);

CREATE TABLE enquiries (
    id               TEXT PRIMARY KEY,
    programme_id     TEXT NOT NULL REFERENCES programmes (id),
    form_version     INTEGER NOT NULL,
    reference_hash   BLOB NOT NULL UNIQUE,
    passphrase_hash  BLOB NOT NULL,
    queue            TEXT NOT NULL,
    priority         INTEGER NOT NULL,
    status           TEXT NOT NULL,
    language         TEXT NOT NULL,
    source           TEXT NOT NULL,
    has_email        INTEGER NOT NULL, -- 0 or 1 (an integer on both backends)
    contact_index    BLOB,
    key_id           TEXT NOT NULL REFERENCES programme_keys (id),
    format_version   INTEGER NOT NULL,
    ciphertext       BLOB NOT NULL,
    created_hour     INTEGER NOT NULL,
    updated_hour     INTEGER NOT NULL
);

CREATE INDEX enquiries_by_queue ON enquiries (programme_id, queue, status, priority, created_hour);
CREATE INDEX enquiries_by_contact ON enquiries (contact_index);
