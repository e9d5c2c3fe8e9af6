-- Issue 20, item 4: a notification to an incident's affected people is a campaign (one
-- message per person, two-person approval) tied to the incident here. `unconfirmed_asked`
-- is the preparer's tick "also email addresses never confirmed", `unconfirmed_approved`
-- the approver's; only when both are 1 do those addresses get one neutral notice
-- pointing to the reply inbox (outbox rows with `unconfirmed_ok = 1`).
CREATE TABLE incident_notices (
    campaign_id           TEXT PRIMARY KEY REFERENCES campaigns (id),
    incident_id           TEXT NOT NULL REFERENCES incidents (id),
    unconfirmed_asked     INTEGER NOT NULL,
    unconfirmed_approved  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX incident_notices_by_incident ON incident_notices (incident_id);
