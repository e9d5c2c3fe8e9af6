-- Staff accounts, per-programme roles, server-side sessions, and the case work on
-- enquiries (assignment, encrypted notes). Staff emails are work addresses in clear;
-- nothing an enquirer wrote is in a clear column.

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL UNIQUE,  -- lower-cased work address
    password_hash    TEXT NOT NULL,         -- argon2id PHC string, peppered
    is_admin         BIGINT NOT NULL,      -- instance admin: every programme, users, audit log
    -- TOTP seed, age-encrypted to the master key; NULL until enrolled.
    totp_ciphertext  BYTEA,
    -- The last accepted TOTP time step: a code works once.
    totp_last_step   BIGINT,
    -- First sign-in and enrolment must happen before this time (first-login secrets expire).
    enrol_by         BIGINT,
    disabled         BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

CREATE TABLE memberships (
    user_id       TEXT NOT NULL REFERENCES users (id),
    programme_id  TEXT NOT NULL REFERENCES programmes (id),
    role          TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (user_id, programme_id)
);

CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users (id),
    code_hash  BYTEA NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Only a hash of the session token is stored: a copy of the database does not let
-- anyone sign in.
CREATE TABLE sessions (
    id_hash       BYTEA PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    -- 'second-factor' (password accepted, code pending), 'enrol' (must set up TOTP), 'full'.
    stage         TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    -- When the password was last re-entered in this session (for sensitive actions).
    reauth_at     BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

ALTER TABLE enquiries ADD COLUMN assigned_to TEXT REFERENCES users (id);
CREATE INDEX enquiries_by_assignee ON enquiries (assigned_to);

CREATE TABLE notes (
    id              TEXT PRIMARY KEY,
    enquiry_id      TEXT NOT NULL REFERENCES enquiries (id),
    author_id       TEXT NOT NULL REFERENCES users (id),
    key_id          TEXT NOT NULL REFERENCES programme_keys (id),
    format_version  BIGINT NOT NULL,
    ciphertext      BYTEA NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE INDEX notes_by_enquiry ON notes (enquiry_id, created_at);
