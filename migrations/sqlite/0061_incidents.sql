-- Issue 20 (incident response): an incident record. What it is about in words (what
-- happened, the reasons for the harm assessment, containment and actions, the
-- reasoning on reporting) is sealed to the programme's key like an enquiry (JSON in
-- ciphertext); the clear columns are the incident's own metadata: times, the harm
-- scale's words, the reporting decision, the data categories from a fixed list.
CREATE TABLE incidents (
    id              TEXT PRIMARY KEY,
    programme_id    TEXT NOT NULL REFERENCES programmes (id),
    opened_by       TEXT NOT NULL REFERENCES users (id),
    opened_at       INTEGER NOT NULL,
    discovered_at   INTEGER NOT NULL,
    -- What the affected set was first built from: 'blank', 'campaign', 'template',
    -- 'reply', 'address' (never the address).
    source          TEXT NOT NULL,
    categories      TEXT NOT NULL,
    likelihood      TEXT NOT NULL,
    severity        TEXT NOT NULL,
    reporting       TEXT NOT NULL,
    closed_at       INTEGER,
    key_id          TEXT NOT NULL REFERENCES programme_keys (id),
    format_version  INTEGER NOT NULL,
    ciphertext      BLOB NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX incidents_by_programme ON incidents (programme_id, opened_at);

-- The affected set: frozen when the incident is opened, extended by later look-ups.
-- No foreign key to enquiries: an enquiry purged under retention stays counted here
-- by its id alone.
CREATE TABLE incident_enquiries (
    incident_id  TEXT NOT NULL REFERENCES incidents (id),
    enquiry_id   TEXT NOT NULL,
    language     TEXT NOT NULL,
    -- How the message had ended when the enquiry was added ('sent', 'inbox-only', …).
    outcome      TEXT NOT NULL,
    added_at     INTEGER NOT NULL,
    added_by     TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (incident_id, enquiry_id)
);
