-- Outbound mail (SQLite). One row is one message to one recipient: everything that
-- names the recipient (address, subject, text) is inside the age ciphertext, sealed to
-- the programme's key like the enquiry it answers. Times are Unix seconds.
--
-- next_attempt_at is when the row may next be claimed: for a queued row, after its
-- back-off; for a row being sent, when its lease expires (a claim sets both), so one
-- index answers "what is due" whether the row is new, retried or abandoned by a worker
-- that crashed. last_error holds a reply code or error kind, never an address.

CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    enquiry_id       TEXT NOT NULL REFERENCES enquiries (id),
    campaign_id      TEXT,
    idempotency_key  TEXT NOT NULL UNIQUE,
    key_id           TEXT NOT NULL REFERENCES programme_keys (id),
    format_version   INTEGER NOT NULL,
    ciphertext       BLOB NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    lease_until      INTEGER,
    leased_by        TEXT,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
);

-- Partial: sent and failed rows pile up, and the claim never looks at them.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, state);
CREATE INDEX outbox_by_enquiry ON outbox (enquiry_id);
