-- Confirming contact addresses (issue 19, item 1).
--
-- contact_requests: what the public role (and the console) asks of the worker, which
-- holds the keys: 'send' a confirmation code, check a typed 'code' (its keyed hash
-- only), 'remove' or 'change' the address. The public account may only INSERT here; the worker
-- applies each request within one poll and deletes it. A stolen public host can ask
-- for a code to be sent (limited per address and per hour) but cannot mark an address
-- confirmed without the code that reached it. 'change' carries the new address sealed
-- to the programme key (key_id, format_version, ciphertext), which only the worker opens.
CREATE TABLE contact_requests (
    id          TEXT PRIMARY KEY,
    enquiry_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    code_hash   BLOB,
    key_id      TEXT,
    format_version INTEGER,
    ciphertext  BLOB,
    created_at  INTEGER NOT NULL
);

CREATE INDEX contact_requests_by_time ON contact_requests (created_at);

-- contact_codes: the worker's record of one enquiry's confirmation. code_hash is the
-- keyed hash (intake key) of the live code, NULL once used or spent; attempts counts
-- wrong codes typed against it. confirmed mirrors enquiries.email_confirmed and masked
-- holds the masked address (r•••@example.org) sealed to the programme key and the
-- person's inbox key, so the public inbox can show both without reading enquiries.
CREATE TABLE contact_codes (
    enquiry_id     TEXT PRIMARY KEY,
    code_hash      BLOB,
    attempts       INTEGER NOT NULL DEFAULT 0,
    issued_hour    INTEGER NOT NULL,
    confirmed      INTEGER NOT NULL DEFAULT 0,
    key_id         TEXT,
    format_version INTEGER,
    masked         BLOB
);

-- contact_sends: one row per confirmation message queued, by the address's blind
-- index and the hour, for the send limits (per address per day, per hour overall).
CREATE TABLE contact_sends (
    contact_index  BLOB NOT NULL,
    sent_hour      INTEGER NOT NULL
);

CREATE INDEX contact_sends_by_index ON contact_sends (contact_index, sent_hour);
CREATE INDEX contact_sends_by_hour ON contact_sends (sent_hour);
