-- Security hardening (ASVS L2): notices to staff when a factor of their account
-- changes, and the per-account sign-in throttle shared by every console instance.

-- One email to one staff member, to their own work address (read from `users` when
-- it is sent), saying that a factor changed. It holds no secret and no enquiry data:
-- `kind` is one of a fixed set.
CREATE TABLE staff_notices (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id),
    kind             TEXT NOT NULL CHECK (kind IN ('totp-enrolled', 'totp-reset', 'recovery-code-used')),
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    lease_until      INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
);

CREATE INDEX staff_notices_due ON staff_notices (next_attempt_at) WHERE state IN ('queued', 'sending');

-- Sign-in attempts per account (a hash of the typed address, existing or not) in the
-- current one-minute window. In the database so that N console instances allow the
-- same number of tries as one.
CREATE TABLE signin_throttle (
    account_hash  BLOB PRIMARY KEY,
    window_start  INTEGER NOT NULL,
    attempts      INTEGER NOT NULL
);
