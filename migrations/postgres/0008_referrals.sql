-- Referrals to partner organisations, and the disclosure register they form.
--
-- A row says what left (field NAMES only, never values), for which partner, on which
-- basis, asked for by whom and approved by whom. The package itself is never stored
-- here: an emailed one lives only sealed inside its outbox row, a downloaded one is
-- built at the moment of download. enquiry_id and outbox_id are deliberately not
-- foreign keys: the register outlives the enquiry when retention purges it.
--
-- state: pending (waiting for a second person's approval), ready (may be downloaded
-- once), queued (handed to the outbox for the partner's address), downloaded,
-- cancelled. Times are Unix seconds truncated to the hour.

CREATE TABLE referrals (
    id              TEXT PRIMARY KEY,
    programme_id    TEXT NOT NULL REFERENCES programmes (id),
    enquiry_id      TEXT NOT NULL,
    partner_key     TEXT NOT NULL,
    partner_name    TEXT NOT NULL,
    -- Space-separated field and pseudo-field names, in profile order.
    fields          TEXT NOT NULL,
    personal        BIGINT NOT NULL CHECK (personal IN (0, 1)),
    basis           TEXT NOT NULL,
    delivery        TEXT NOT NULL CHECK (delivery IN ('email', 'download')),
    state           TEXT NOT NULL
        CHECK (state IN ('pending', 'ready', 'queued', 'downloaded', 'cancelled')),
    requested_by    TEXT NOT NULL REFERENCES users (id),
    requested_hour  BIGINT NOT NULL,
    decided_by      TEXT REFERENCES users (id),
    decided_hour    BIGINT,
    disclosed_hour  BIGINT,
    outbox_id       TEXT,
    -- Personal data leaves only with the approval of someone other than the requester.
    CHECK (personal = 0 OR state IN ('pending', 'cancelled')
           OR (decided_by IS NOT NULL AND decided_by <> requested_by)),
    CHECK (decided_by IS NULL OR state = 'cancelled' OR decided_by <> requested_by)
);

CREATE INDEX referrals_by_enquiry ON referrals (enquiry_id, requested_hour);
CREATE INDEX referrals_by_programme ON referrals (programme_id, requested_hour);
