-- Where a referral was asked (and approved) to go: the partner's address and age
-- recipient at request time. Both are an organisation's, never an enquirer's. A
-- referral leaves only while the partner still has exactly these; rows from before
-- this migration have NULL here and so can never leave (they must be asked again).
--
-- stopped_reason: why Haven itself cancelled a referral that had not left
-- (`partner-removed`, `partner-address-changed`, `partner-key-changed`,
-- `destination-unrecorded`); NULL for a cancel by a person.

ALTER TABLE referrals ADD COLUMN partner_address TEXT;
ALTER TABLE referrals ADD COLUMN partner_recipient TEXT;
ALTER TABLE referrals ADD COLUMN stopped_reason TEXT;

-- The worker finds the referral an outbox row carries.
CREATE INDEX referrals_by_outbox ON referrals (outbox_id);
