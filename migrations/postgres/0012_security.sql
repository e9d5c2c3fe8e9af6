-- Security hardening (ASVS L2): notices to staff when a factor of their account
-- changes, and the throttles shared by every console instance.

-- One email to one staff member, to their own work address (read from `users` when
-- it is sent), saying that a factor changed. It holds no secret and no enquiry data:
-- `kind` is one of a fixed set.
CREATE TABLE staff_notices (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id),
    kind             TEXT NOT NULL CHECK (kind IN ('totp-enrolled', 'totp-reset', 'recovery-code-used')),
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts         BIGINT NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    lease_until      BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT
);

CREATE INDEX staff_notices_due ON staff_notices (next_attempt_at) WHERE state IN ('queued', 'sending');

-- Counts per key in the current fixed window (`bucket` names what is counted), in the database so that N console
-- instances allow what one would: sign-in attempts per account (key `signin:` and a
-- hash of the typed address, existing or not; one-minute window) and decrypting reads
-- per staff member (key `decrypt:` and the user id; one-hour window).
CREATE TABLE throttle_windows (
    bucket        BYTEA PRIMARY KEY,
    window_start  BIGINT NOT NULL,
    hits          BIGINT NOT NULL
);
