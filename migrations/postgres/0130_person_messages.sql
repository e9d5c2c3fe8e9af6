-- The two-way reply inbox (issue 21, item 5): what a person writes back from their
-- inbox. The public role only INSERTs here (it cannot UPDATE enquiries); the worker
-- moves the enquiry to `person_replied` within one poll and marks the message
-- `requeued` (`conversation::requeue_pending`).
--
-- The text is age ciphertext sealed to the programme's key AND to the person's inbox
-- key (they read their own words in the thread); the clear columns are the enquiry, the
-- key and the hour, nothing else (the exact time is sealed inside). The reference to
-- enquiries is DEFERRABLE like every other (the hourly re-placement, migration 0031).
CREATE TABLE person_messages (
    id              TEXT PRIMARY KEY,
    enquiry_id      TEXT NOT NULL REFERENCES enquiries (id) DEFERRABLE INITIALLY IMMEDIATE,
    key_id          TEXT NOT NULL REFERENCES programme_keys (id),
    format_version  BIGINT NOT NULL,
    ciphertext      BYTEA NOT NULL,
    created_hour    BIGINT NOT NULL,
    requeued        BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX person_messages_by_enquiry ON person_messages (enquiry_id, created_hour);
CREATE INDEX person_messages_pending ON person_messages (requeued) WHERE requeued = 0;
