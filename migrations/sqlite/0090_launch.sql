-- Launching a programme safely (issue 23): the launch checklist's review marks, role
-- requests that wait for an instance admin, each staff member's acknowledgement of a
-- programme's handling rules, and notices to instance admins about role grants.

-- What the launch checklist still asks an admin to look at: an item copied from another
-- programme (or Haven's blank defaults) and neither edited nor confirmed since, or the
-- routing rules as they were last tried in the test box. `item` names it (`texts`,
-- `hint:<field>`, `template:<key>`, `partner:<key>`, `retention`, `contact`,
-- `tried:routing`); `fingerprint` is the SHA-256 of that item's content when it was
-- marked, so an edit of the item ends the mark without a write here. Programme
-- definitions are not personal data.
CREATE TABLE launch_marks (
    programme_id  TEXT NOT NULL REFERENCES programmes (id),
    item          TEXT NOT NULL,
    fingerprint   BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (programme_id, item)
);

-- A programme admin's request for a change only an instance admin may make: a
-- supervisor or admin role, removing one, or a new account (`user_id` NULL: an
-- invitation, with the work address to invite). Decided once, by an instance admin
-- who did not ask for it (the CHECK says so too, whatever the code does).
CREATE TABLE role_requests (
    id            TEXT PRIMARY KEY,
    programme_id  TEXT NOT NULL REFERENCES programmes (id),
    user_id       TEXT REFERENCES users (id),
    email         TEXT NOT NULL,
    change        TEXT NOT NULL CHECK (change IN ('agent', 'supervisor', 'admin', 'remove')),
    requested_by  TEXT NOT NULL REFERENCES users (id),
    state         TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused', 'withdrawn')),
    decided_by    TEXT REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    decided_at    INTEGER,
    CHECK (state IN ('pending', 'withdrawn') OR (decided_by IS NOT NULL AND decided_by <> requested_by)),
    CHECK (change <> 'remove' OR user_id IS NOT NULL)
);

CREATE INDEX role_requests_pending ON role_requests (programme_id) WHERE state = 'pending';

-- A staff member read and acknowledged a programme's handling rules, as they were
-- (`fingerprint`: SHA-256 of the rules in every language): rules that change are asked
-- again. The audit log holds the event; this row is what the console checks.
CREATE TABLE handling_acknowledgements (
    user_id          TEXT NOT NULL REFERENCES users (id),
    programme_id     TEXT NOT NULL REFERENCES programmes (id),
    fingerprint      BLOB NOT NULL,
    acknowledged_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, programme_id)
);

-- Instance admins hear of every role grant: one notice per admin, naming who got
-- which role in which programme (ids, read when it is sent). SQLite cannot change a
-- CHECK constraint in place, so the table is copied (nothing refers to it).
CREATE TABLE staff_notices_new (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id),
    kind             TEXT NOT NULL CHECK (kind IN ('totp-enrolled', 'totp-reset', 'recovery-code-used', 'second-factor-locked', 'role-granted')),
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    lease_until      INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    about_user_id    TEXT REFERENCES users (id),
    programme_id     TEXT REFERENCES programmes (id),
    role             TEXT CHECK (role IN ('agent', 'supervisor', 'admin')),
    -- The account that granted it; NULL: the command line.
    granted_by       TEXT REFERENCES users (id)
);
INSERT INTO staff_notices_new (id, user_id, kind, state, attempts, next_attempt_at, lease_until, last_error, created_at, sent_at)
    SELECT id, user_id, kind, state, attempts, next_attempt_at, lease_until, last_error, created_at, sent_at FROM staff_notices;
DROP TABLE staff_notices;
ALTER TABLE staff_notices_new RENAME TO staff_notices;
CREATE INDEX staff_notices_due ON staff_notices (next_attempt_at) WHERE state IN ('queued', 'sending');
