-- The person's own data and own codes (issue 21, item 6; issue 22, item 1).
--
-- inbox_requests: what a person asked for in their reply inbox (a new passphrase, or
-- withdrawing their enquiry), or a supervisor asked for on their behalf (withdrawal).
-- The public role may only add rows (PostgreSQL grants it INSERT and no UPDATE), so
-- it records the request and the worker carries it out within one poll (`own`),
-- deleting the row as it does. A passphrase request carries the new passphrase's keyed
-- hash, the new inbox recipient and "what you sent" sealed to it; nothing in clear.
-- A withdrawal under legal hold waits here until the hold ends (held_noted: its
-- waiting was audited once). WITHOUT ROWID: a rowid would number rows as they come.
CREATE TABLE inbox_requests (
    id               TEXT NOT NULL PRIMARY KEY,
    enquiry_id       TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('passphrase', 'withdraw')),
    passphrase_hash  BLOB,
    inbox_recipient  TEXT,
    own_copy         BLOB,
    -- 'person', or the staff account's id for a withdrawal asked for by a supervisor.
    requested_by     TEXT NOT NULL,
    requested_hour   INTEGER NOT NULL,
    held_noted       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX inbox_requests_by_enquiry ON inbox_requests (enquiry_id, kind);

-- "What you sent": the enquiry's answers without contact details, sealed to the
-- person's inbox key only (age ciphertext), for programmes that opt in. No foreign
-- key: it goes with its enquiry (retention, withdrawal) by the same id.
CREATE TABLE own_copies (
    enquiry_id  TEXT NOT NULL PRIMARY KEY,
    ciphertext  BLOB NOT NULL
) WITHOUT ROWID;

-- 1 once the person chose their own passphrase in the inbox (a phone intake must, the
-- agent having heard the first one).
ALTER TABLE enquiries ADD COLUMN passphrase_chosen INTEGER NOT NULL DEFAULT 0;
