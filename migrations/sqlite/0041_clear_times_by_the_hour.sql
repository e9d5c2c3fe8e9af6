-- Clear times beside enquiry ids keep the hour only (issue 17): replies, notes, outbox
-- rows and campaigns. New rows are written that way; this coarsens those written
-- before. The exact times of replies and (new) notes are inside their ciphertexts; the
-- outbox keeps exact times only while a row is in flight (leases, back-off), so queued
-- and sending rows are left alone. The audit log stays exact: it is hash-chained, and
-- rewriting it would break the chain.
UPDATE replies SET created_at = created_at - (created_at % 3600);
UPDATE notes SET created_at = created_at - (created_at % 3600);
UPDATE campaigns SET created_at = created_at - (created_at % 3600);
UPDATE campaigns SET decided_at = decided_at - (decided_at % 3600) WHERE decided_at IS NOT NULL;
UPDATE outbox SET created_at = created_at - (created_at % 3600);
UPDATE outbox SET sent_at = sent_at - (sent_at % 3600) WHERE sent_at IS NOT NULL;
UPDATE outbox SET next_attempt_at = next_attempt_at - (next_attempt_at % 3600)
    WHERE state IN ('sent', 'failed');
