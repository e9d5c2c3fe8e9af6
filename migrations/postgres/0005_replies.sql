-- Replies and campaigns.
--
-- inbox_recipient is the public half of a key only the enquirer can derive (from their
-- reference code and passphrase): replies are sealed to it as well as to the
-- programme, so the reply inbox can show them without the public role holding a key.

ALTER TABLE enquiries ADD COLUMN inbox_recipient TEXT;

CREATE TABLE replies (
    id              TEXT PRIMARY KEY,
    enquiry_id      TEXT NOT NULL REFERENCES enquiries (id),
    author_id       TEXT NOT NULL REFERENCES users (id),
    campaign_id     TEXT,
    template_key    TEXT,
    key_id          TEXT NOT NULL REFERENCES programme_keys (id),
    format_version  BIGINT NOT NULL,
    ciphertext      BYTEA NOT NULL,
    -- Whether an email was queued for it (the outbox row holds the rest).
    emailed         BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE INDEX replies_by_enquiry ON replies (enquiry_id, created_at);

-- A bulk reply: the enquiries are fixed when it is created, so the approver approves
-- exactly what they see; it is sent only once a second, different supervisor approves.
CREATE TABLE campaigns (
    id             TEXT PRIMARY KEY,
    programme_id   TEXT NOT NULL REFERENCES programmes (id),
    template_key   TEXT NOT NULL,
    -- The selection as chosen (queue, status, language); '' means any.
    filter_queue     TEXT NOT NULL,
    filter_status    TEXT NOT NULL,
    filter_language  TEXT NOT NULL,
    enquiry_count  BIGINT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('pending', 'dispatched', 'cancelled')),
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    decided_by     TEXT REFERENCES users (id),
    decided_at     BIGINT,
    CHECK (state <> 'dispatched' OR decided_by <> created_by)
);

CREATE TABLE campaign_enquiries (
    campaign_id  TEXT NOT NULL REFERENCES campaigns (id),
    enquiry_id   TEXT NOT NULL REFERENCES enquiries (id),
    PRIMARY KEY (campaign_id, enquiry_id)
);
