-- Issue 20 (incident response): what each message was made from, so "who received
-- this text" is exact. template_key and template_version (the programme version the
-- template was read at) say which template; text_hash is a keyed hash (HMAC with a key
-- derived from the master key) of the rendered subject and text, so it names one
-- message's words without anyone being able to test a guess at them from the
-- database alone. All NULL for rows written before this migration and for messages
-- not made from a reply (referrals).

ALTER TABLE outbox ADD COLUMN template_key TEXT;
ALTER TABLE outbox ADD COLUMN template_version INTEGER;
ALTER TABLE outbox ADD COLUMN text_hash BLOB;

-- Recipients by template within a window start from the replies.
CREATE INDEX replies_by_template ON replies (template_key, created_at);
CREATE INDEX replies_by_campaign ON replies (campaign_id);
