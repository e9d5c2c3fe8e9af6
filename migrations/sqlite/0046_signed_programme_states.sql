-- Issue 17 item 13: the console signs each programme state (slug, version, definition,
-- current key and recipient) with an Ed25519 key derived from the master key; the
-- public role checks the signature before it seals anything to the programme. SQL
-- cannot sign: rows from before this migration stay NULL until the console signs them
-- (once, when its verifying-key file is first written) or saves them.
ALTER TABLE programmes ADD COLUMN state_signature BLOB;
