-- Enquiries do not stay where they arrived (issue 17, item 12). PostgreSQL's heap
-- appends rows in arrival order and stamps each with its transaction id (xmin) and its
-- out-of-line values with ever-growing TOAST ids, so row order gave each enquiry its
-- arrival time back. Once an hour has closed, `Store::place_arrivals` deletes that
-- hour's rows and writes them again in random order, in one transaction: they then
-- share one xmin, sit in random order and get TOAST ids in random order. `placed` says
-- whether a row went through that (ARCHITECTURE.md says what is left).
ALTER TABLE enquiries ADD COLUMN placed BIGINT NOT NULL DEFAULT 0;
CREATE INDEX enquiries_unplaced ON enquiries (created_hour) WHERE placed = 0;

-- Deleting and writing a row again inside one transaction needs the references to it
-- checked at commit, not at the DELETE. A table that refers to enquiries must declare
-- its foreign key DEFERRABLE (a test checks every one).
ALTER TABLE notes ALTER CONSTRAINT notes_enquiry_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE outbox ALTER CONSTRAINT outbox_enquiry_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE replies ALTER CONSTRAINT replies_enquiry_id_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE campaign_enquiries ALTER CONSTRAINT campaign_enquiries_enquiry_id_fkey
    DEFERRABLE INITIALLY IMMEDIATE;
