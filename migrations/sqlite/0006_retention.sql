-- Retention: enquiries older than their programme's retention period are purged,
-- unless a legal hold keeps them (set by a supervisor, audited).
ALTER TABLE enquiries ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
CREATE INDEX enquiries_by_age ON enquiries (programme_id, created_hour);
