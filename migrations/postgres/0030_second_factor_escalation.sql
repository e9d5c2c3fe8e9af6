-- Repeated wrong second-factor codes after a right password escalate (auth::lockout):
-- the failures since the last success, how many locks that run has caused, and until
-- when the second factor is locked. Only a session that passed the password step can
-- move these, so a stranger cannot lock anyone out.
ALTER TABLE users ADD COLUMN second_factor_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN second_factor_locks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN second_factor_locked_until BIGINT;

-- A lock is a notice to the account's own address: one more kind.
ALTER TABLE staff_notices DROP CONSTRAINT staff_notices_kind_check;
ALTER TABLE staff_notices ADD CONSTRAINT staff_notices_kind_check
    CHECK (kind IN ('totp-enrolled', 'totp-reset', 'recovery-code-used', 'second-factor-locked'));
