-- Issue 17 item 13: the email blind index was keyed with the intake key, which every
-- public instance holds, so a stolen public host could test "did this address ask for
-- help?". It is now keyed from the master key and computed by the worker from the
-- sealed contact (`contact_index::index_pending`). The old values are dropped here; the
-- worker's next run computes every one again under the new key.
UPDATE enquiries SET contact_index = NULL WHERE contact_index IS NOT NULL;
