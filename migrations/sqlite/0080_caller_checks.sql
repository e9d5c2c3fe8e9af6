-- Issue 22 item 2: verifying a caller without learning their secret. An agent shows a
-- one-time number (only its keyed hash is kept, keyed with the intake key and bound to
-- the enquiry); the caller types it into their reply inbox, which records the typed
-- number's keyed hash (the public role may only INSERT answers). The console compares.
-- Nothing personal in either table; rows older than a day are dropped by the console.
CREATE TABLE caller_checks (
    id           TEXT PRIMARY KEY,
    enquiry_id   TEXT NOT NULL,
    staff_id     TEXT NOT NULL,
    number_hash  BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX caller_checks_by_enquiry ON caller_checks (enquiry_id, created_at);

CREATE TABLE caller_answers (
    id           TEXT PRIMARY KEY,
    enquiry_id   TEXT NOT NULL,
    number_hash  BLOB NOT NULL,
    answered_at  INTEGER NOT NULL
);
CREATE INDEX caller_answers_by_enquiry ON caller_answers (enquiry_id, answered_at);
