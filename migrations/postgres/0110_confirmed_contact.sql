-- Confirmed contact addresses (issue 19, item 1). An address a person typed is
-- unconfirmed until they type, in their reply inbox, the code Haven mailed to it; until
-- then the worker emails it nothing but that confirmation (replies wait in the inbox).
-- Rows from before this migration start unconfirmed: nothing more is mailed to them
-- until the person confirms.
ALTER TABLE enquiries ADD COLUMN email_confirmed INTEGER NOT NULL DEFAULT 0;

-- An outbox row that may reach an unconfirmed address anyway: only an incident
-- notification both approvers chose to send that way (issue 20, item 4).
ALTER TABLE outbox ADD COLUMN unconfirmed_ok INTEGER NOT NULL DEFAULT 0;
