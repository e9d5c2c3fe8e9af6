-- Haven's PostgreSQL accounts: one per Haven role, each with only what that role's
-- processes do (issue 17, item 13). `haven migrate` runs this file after the
-- migrations (the binary includes it, so what runs is exactly this text); an operator
-- may also run it by hand with psql as the database owner. It can be run again at any
-- time: it takes every table privilege away from the three accounts and grants the
-- list below afresh, so the grants are always this file and nothing else.
--
-- The accounts are created with LOGIN and no password (only if they do not exist yet;
-- creating them needs CREATEROLE). Set a password, or a certificate, as your
-- pg_hba.conf requires: ops/OPERATOR-GUIDE.md, "One database account per role".
--
-- src/store/access.rs holds the same decisions as data (every table, every role,
-- "none" included); a test compares the two after migrating, and fails when a table
-- has no decision. A migration that adds a table, or a column one of the column lists
-- below must include, changes this file and that one in the same commit.
--
-- Everything is one statement (a DO block), so it applies whole or not at all.
DO $haven_roles$
DECLARE
    account TEXT;
BEGIN
    -- Two processes migrating at once would otherwise update the same catalog rows
    -- together ("tuple concurrently updated").
    PERFORM pg_advisory_xact_lock(4826011913);
    FOREACH account IN ARRAY ARRAY['haven_public', 'haven_console', 'haven_worker'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = account) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN', account);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                -- Created meanwhile for another database of this cluster.
                NULL;
            END;
        END IF;
        -- Table-level REVOKE ALL also revokes every column privilege.
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), account);
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), account);
    END LOOP;
    -- Before PostgreSQL 15 everyone could create objects in the public schema (a
    -- function or table planted by the public account). Only a warning when this
    -- account does not own the schema.
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());

    -- Every process checks at start-up that the schema is current (and migrates only
    -- if it is not, which these accounts cannot).
    GRANT SELECT ON _sqlx_migrations TO haven_public, haven_console, haven_worker;

    ---------------------------------------------------------------------------------
    -- haven_public: the form, the receipt, the reply inbox, and /metrics on loopback.
    -- It holds the intake key and no master key. It adds enquiries; it reads the
    -- programme it serves (definition and public key, never a wrapped identity), the
    -- hashes that open one reply inbox, the replies sealed to that inbox, and counts
    -- by queue and state. Nothing else: no staff, sessions, audit log, notes, campaigns,
    -- outbox contents, contact index (blind index) or ciphertext of an enquiry; no
    -- UPDATE anywhere, and DELETE only of expired used-form-token hashes.
    -- state_signature: the console's signature, checked before the form seals anything.
    GRANT SELECT (id, slug, version, definition, current_key_id, state_signature) ON programmes TO haven_public;
    GRANT SELECT (id, recipient) ON programme_keys TO haven_public;
    GRANT INSERT (id, programme_id, form_version, reference_hash, passphrase_hash, queue,
                  priority, status, language, source, has_email, contact_index, key_id,
                  format_version, ciphertext, created_hour, updated_hour, inbox_recipient,
                  display_handle)
        ON enquiries TO haven_public;
    -- The inbox (by programme and code hash: id, passphrase hash, status) and the
    -- queue gauges of /metrics (programme, queue, status, hour).
    GRANT SELECT (id, programme_id, reference_hash, passphrase_hash, status, queue, created_hour)
        ON enquiries TO haven_public;
    -- Replies as the inbox opens them (sealed to the enquirer's inbox key too).
    GRANT SELECT (id, enquiry_id, key_id, format_version, ciphertext, created_at)
        ON replies TO haven_public;
    -- "Referred to" in the inbox: partner names of what left, never the register.
    GRANT SELECT (enquiry_id, partner_name, state) ON referrals TO haven_public;
    -- The outbox gauge of /metrics.
    GRANT SELECT (state) ON outbox TO haven_public;
    -- Submit once: the keyed hash of each form token that sent an enquiry, claimed in
    -- the submission's transaction and dropped there once expired (its one DELETE:
    -- nothing personal, and losing one only lets a stale token be refused by its age).
    GRANT SELECT, INSERT, DELETE ON used_form_tokens TO haven_public;
    -- Caller verification (issue 22): the inbox records the keyed hash of a number the
    -- caller typed; it may not read any, nor any number the console issued.
    GRANT INSERT ON caller_answers TO haven_public;
    -- Own data and own codes (issue 21, item 6): whether the inbox must ask for a new
    -- passphrase (a phone intake's, until chosen) and whether a withdrawal waits for a
    -- legal hold; "what you sent", sealed to the person's inbox key, added with the
    -- enquiry and read back in the inbox; the person's requests, only added (the
    -- worker carries them out) and looked up so that one is not asked for twice.
    GRANT SELECT (source, passphrase_chosen, legal_hold) ON enquiries TO haven_public;
    GRANT SELECT, INSERT ON own_copies TO haven_public;
    GRANT SELECT (enquiry_id, kind), INSERT ON inbox_requests TO haven_public;
    -- Confirming an address (issue 19): the inbox asks the worker (send a code, check
    -- a typed code's keyed hash, remove the address) and shows the masked address
    -- (sealed to the person's inbox key) and whether it is confirmed.
    GRANT INSERT ON contact_requests TO haven_public;
    GRANT SELECT (enquiry_id, confirmed, key_id, format_version, masked)
        ON contact_codes TO haven_public;

    ---------------------------------------------------------------------------------
    -- haven_console: staff sign-in and case work, programme editing, key rotation and
    -- shredding, imports through the web, the audit log. It never deletes an enquiry
    -- (retention is the worker's), never rewrites an audit entry, and never changes a
    -- programme key's recipient (only forgets its wrapped identity: shredding).
    GRANT SELECT, INSERT, UPDATE ON programmes TO haven_console;
    GRANT SELECT, INSERT ON programme_versions TO haven_console;
    GRANT SELECT, INSERT ON programme_keys TO haven_console;
    GRANT UPDATE (wrapped_identity) ON programme_keys TO haven_console;
    GRANT SELECT, INSERT ON enquiries TO haven_console;
    GRANT UPDATE (assigned_to, status, queue, updated_hour, legal_hold, key_id, format_version,
                  ciphertext)
        ON enquiries TO haven_console;
    GRANT SELECT, INSERT ON audit_log TO haven_console;
    GRANT SELECT, UPDATE ON audit_head TO haven_console;
    GRANT SELECT, INSERT, UPDATE ON users TO haven_console;
    GRANT SELECT, INSERT, DELETE ON memberships TO haven_console;
    GRANT SELECT, INSERT, UPDATE, DELETE ON recovery_codes TO haven_console;
    GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO haven_console;
    GRANT SELECT, INSERT ON notes TO haven_console;
    GRANT UPDATE (key_id, format_version, ciphertext) ON notes TO haven_console;
    GRANT SELECT, INSERT, UPDATE ON outbox TO haven_console;
    GRANT SELECT, INSERT ON replies TO haven_console;
    GRANT UPDATE (key_id, format_version, ciphertext) ON replies TO haven_console;
    GRANT SELECT, INSERT, UPDATE ON campaigns TO haven_console;
    GRANT SELECT, INSERT ON campaign_enquiries TO haven_console;
    GRANT SELECT, INSERT, UPDATE ON referrals TO haven_console;
    GRANT INSERT ON staff_notices TO haven_console;
    GRANT SELECT, INSERT, UPDATE, DELETE ON throttle_windows TO haven_console;
    GRANT SELECT, INSERT, UPDATE, DELETE ON launch_marks TO haven_console;
    GRANT SELECT, INSERT, UPDATE ON role_requests TO haven_console;
    GRANT SELECT, INSERT, UPDATE ON handling_acknowledgements TO haven_console;
    -- The stop buttons (a campaign's pause, the instance's emergency stop).
    GRANT SELECT, INSERT, UPDATE, DELETE ON outbound_holds TO haven_console;
    -- Incident records (their words sealed) and their frozen affected sets.
    GRANT SELECT, INSERT, UPDATE ON incidents TO haven_console;
    GRANT SELECT, INSERT ON incident_enquiries TO haven_console;
    -- Caller verification (issue 22): one-time numbers issued, and what inboxes recorded
    -- (both dropped after a day).
    GRANT SELECT, INSERT, DELETE ON caller_checks TO haven_console;
    GRANT SELECT, DELETE ON caller_answers TO haven_console;
    -- Call-centre agents: draft locks and duplicate marks (issue 22).
    GRANT SELECT, INSERT, UPDATE, DELETE ON draft_locks TO haven_console;
    GRANT SELECT, INSERT, DELETE ON enquiry_duplicates TO haven_console;
    -- A supervisor's withdrawal on a person's request (the worker carries it out).
    GRANT SELECT, INSERT ON inbox_requests TO haven_console;
    -- Incident notifications: which campaign notifies which incident, and both ticks.
    GRANT SELECT, INSERT, UPDATE ON incident_notices TO haven_console;
    -- A supervisor removes an address by asking the worker (issue 19).
    GRANT INSERT ON contact_requests TO haven_console;

    ---------------------------------------------------------------------------------
    -- haven_worker: the outbox and staff notices, re-sealing after a rotation, the
    -- retention purge and the hourly re-placing of enquiries (which deletes and
    -- writes them again: hence INSERT and DELETE on enquiries). It appends to the
    -- audit log but cannot read it; of staff it reads an address and whether an
    -- account is an instance admin, nothing else; no sessions, no programme edits.
    GRANT SELECT ON programmes TO haven_worker;
    -- Signing older programme states at the first start with the master key.
    GRANT UPDATE (state_signature) ON programmes TO haven_worker;
    GRANT SELECT ON programme_keys TO haven_worker;
    GRANT SELECT, INSERT, DELETE ON enquiries TO haven_worker;
    -- contact_index: the email blind index, computed by the worker (master-derived key).
    GRANT UPDATE (key_id, format_version, ciphertext, contact_index) ON enquiries TO haven_worker;
    GRANT SELECT, DELETE ON notes TO haven_worker;
    GRANT UPDATE (key_id, format_version, ciphertext) ON notes TO haven_worker;
    GRANT SELECT, DELETE ON replies TO haven_worker;
    GRANT UPDATE (key_id, format_version, ciphertext) ON replies TO haven_worker;
    -- Every send checks the stops first; re-sealing covers incident records too.
    GRANT SELECT ON outbound_holds TO haven_worker;
    GRANT SELECT ON incidents TO haven_worker;
    GRANT UPDATE (key_id, format_version, ciphertext) ON incidents TO haven_worker;
    GRANT SELECT, UPDATE, DELETE ON outbox TO haven_worker;
    GRANT SELECT, DELETE ON campaign_enquiries TO haven_worker;
    GRANT SELECT, UPDATE ON referrals TO haven_worker;
    GRANT SELECT, UPDATE ON staff_notices TO haven_worker;
    -- The purge drops the draft locks and duplicate marks of what it deletes.
    GRANT SELECT, DELETE ON draft_locks TO haven_worker;
    GRANT SELECT, DELETE ON enquiry_duplicates TO haven_worker;
    GRANT SELECT (id, email, is_admin, language) ON users TO haven_worker;
    GRANT INSERT ON audit_log TO haven_worker;
    GRANT SELECT, UPDATE ON audit_head TO haven_worker;
    -- `[outbound] max_per_hour`: the hourly count of bulk-reply sends, across workers.
    GRANT SELECT, INSERT, UPDATE, DELETE ON campaign_send_budget TO haven_worker;

    ---------------------------------------------------------------------------------
    -- The two-way reply inbox (migration 0130): the person writes back. The public
    -- account adds a sealed message and reads the sealed messages of the one inbox it
    -- opened (never UPDATE: moving the enquiry is the worker's); the console opens them
    -- in the thread (a read through the keyring gate) and re-seals them after a key
    -- rotation, as the worker does; the worker moves the enquiry to `person_replied`
    -- (status and updated_hour of enquiries), marks the message done, and deletes
    -- messages with their enquiry (retention).
    GRANT INSERT (id, enquiry_id, key_id, format_version, ciphertext, created_hour)
        ON person_messages TO haven_public;
    GRANT SELECT (id, enquiry_id, key_id, format_version, ciphertext, created_hour)
        ON person_messages TO haven_public;
    GRANT SELECT ON person_messages TO haven_console;
    GRANT UPDATE (key_id, format_version, ciphertext) ON person_messages TO haven_console;
    GRANT SELECT, DELETE ON person_messages TO haven_worker;
    GRANT UPDATE (key_id, format_version, ciphertext, requeued) ON person_messages TO haven_worker;
    GRANT UPDATE (status, updated_hour) ON enquiries TO haven_worker;
    -- Carrying out a person's requests (issue 21, item 6): a new passphrase (its hash,
    -- the inbox recipient, replies and "what you sent" re-sealed) and withdrawals.
    GRANT UPDATE (passphrase_hash, inbox_recipient, passphrase_chosen) ON enquiries TO haven_worker;
    GRANT SELECT, UPDATE (held_noted), DELETE ON inbox_requests TO haven_worker;
    GRANT SELECT, UPDATE, DELETE ON own_copies TO haven_worker;
    -- Confirming addresses (issue 19): the worker applies what the inbox asked, sends
    -- the codes, keeps the send counts, and marks an address confirmed or removed.
    GRANT SELECT, DELETE ON contact_requests TO haven_worker;
    GRANT SELECT, INSERT, UPDATE, DELETE ON contact_codes TO haven_worker;
    GRANT SELECT, INSERT, DELETE ON contact_sends TO haven_worker;
    GRANT UPDATE (email_confirmed, has_email) ON enquiries TO haven_worker;
    GRANT INSERT ON outbox TO haven_worker;
    -- Key rotation (console or worker) re-seals the masked address of a confirmation.
    GRANT SELECT (enquiry_id, key_id, format_version, masked) ON contact_codes TO haven_console;
    GRANT UPDATE (key_id, format_version, masked) ON contact_codes TO haven_console;
    -- Withdrawal and the retention purge drop an enquiry's caller checks with it.
    GRANT SELECT, DELETE ON caller_checks TO haven_worker;
    GRANT SELECT, DELETE ON caller_answers TO haven_worker;
END
$haven_roles$;
