-- Stop buttons for outbound mail (issue 19, item 5). One row per stop in force:
-- 'instance' holds every message; 'campaign:<id>' holds one dispatched campaign
-- ('paused' until resumed, 'cancelled' for good); 'outbox:<id>' is one withdrawn
-- message. The worker claims nothing a row here holds and checks again just before
-- each SMTP transaction. Resuming deletes the row; who and why are in the audit log.
CREATE TABLE outbound_holds (
    scope    TEXT PRIMARY KEY,
    state    TEXT NOT NULL CHECK (state IN ('paused', 'cancelled')),
    reason   TEXT NOT NULL,
    held_by  TEXT NOT NULL,
    held_at  BIGINT NOT NULL
);
