-- Repeated wrong second-factor codes after a right password escalate (auth::lockout):
-- the failures since the last success, how many locks that run has caused, and until
-- when the second factor is locked. Only a session that passed the password step can
-- move these, so a stranger cannot lock anyone out.
ALTER TABLE users ADD COLUMN second_factor_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN second_factor_locks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN second_factor_locked_until INTEGER;

-- A lock is a notice to the account's own address: one more kind. SQLite cannot change
-- a CHECK constraint in place, so the table is copied (nothing refers to it).
CREATE TABLE staff_notices_new (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id),
    kind             TEXT NOT NULL CHECK (kind IN ('totp-enrolled', 'totp-reset', 'recovery-code-used', 'second-factor-locked')),
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    lease_until      INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
);
INSERT INTO staff_notices_new (id, user_id, kind, state, attempts, next_attempt_at, lease_until, last_error, created_at, sent_at)
    SELECT id, user_id, kind, state, attempts, next_attempt_at, lease_until, last_error, created_at, sent_at FROM staff_notices;
DROP TABLE staff_notices;
ALTER TABLE staff_notices_new RENAME TO staff_notices;
CREATE INDEX staff_notices_due ON staff_notices (next_attempt_at) WHERE state IN ('queued', 'sending');
