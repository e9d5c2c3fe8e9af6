-- Call-centre agents (issue 22, items 5 and 6).
--
-- A draft lock: who is writing a reply to an enquiry, until when (Unix seconds). One
-- row per enquiry; taking it again renews it, a reply sent or "stop writing" drops it,
-- and an expired row counts as none. Shown to the other agents on each page load.
-- No foreign key: the hourly re-placement rewrites enquiries under the same id, and a
-- lock that outlives its enquiry names nothing (the purge drops it anyway).
CREATE TABLE draft_locks (
    enquiry_id  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- A supervisor's mark: this enquiry is a duplicate of that one (same programme).
-- Reversible (the row is deleted); the threads are never merged. No foreign key for
-- the same reason as above.
CREATE TABLE enquiry_duplicates (
    enquiry_id    TEXT PRIMARY KEY,
    duplicate_of  TEXT NOT NULL,
    marked_by     TEXT NOT NULL,
    marked_hour   INTEGER NOT NULL
);

CREATE INDEX enquiry_duplicates_by_original ON enquiry_duplicates (duplicate_of);
