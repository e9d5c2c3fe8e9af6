-- Haven foundation schema (PostgreSQL). Times are Unix seconds; clear timestamps about
-- enquiries are truncated to the hour so the metadata says little.
-- Personal data lives only inside age ciphertexts (BYTEA columns named ciphertext).

CREATE TABLE programmes (
    id              TEXT PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL,
    version         BIGINT NOT NULL,
    definition      TEXT NOT NULL,
    current_key_id  TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE programme_versions (
    programme_id    TEXT NOT NULL REFERENCES programmes (id),
    version         BIGINT NOT NULL,
    definition      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (programme_id, version)
);

CREATE TABLE programme_keys (
    id               TEXT PRIMARY KEY,
    programme_id     TEXT NOT NULL REFERENCES programmes (id),
    recipient        TEXT NOT NULL,
    -- NULL once the key has been destroyed (crypto-shredding).
    wrapped_identity BYTEA,
    created_at       BIGINT NOT NULL
);

CREATE TABLE enquiries (
    id               TEXT PRIMARY KEY,
    programme_id     TEXT NOT NULL REFERENCES programmes (id),
    form_version     BIGINT NOT NULL,
    reference_hash   BYTEA NOT NULL UNIQUE,
    passphrase_hash  BYTEA NOT NULL,
    queue            TEXT NOT NULL,
    priority         BIGINT NOT NULL,
    status           TEXT NOT NULL,
    language         TEXT NOT NULL,
    source           TEXT NOT NULL,
    has_email        BIGINT NOT NULL, -- 0 or 1 (an integer on both backends)
    contact_index    BYTEA,
    key_id           TEXT NOT NULL REFERENCES programme_keys (id),
    format_version   BIGINT NOT NULL,
    ciphertext       BYTEA NOT NULL,
    created_hour     BIGINT NOT NULL,
    updated_hour     BIGINT NOT NULL
);

CREATE INDEX enquiries_by_queue ON enquiries (programme_id, queue, status, priority, created_hour);
CREATE INDEX enquiries_by_contact ON enquiries (contact_index);
