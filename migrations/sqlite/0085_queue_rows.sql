-- Queue rows an agent can choose from without decrypting (issue 22, item 3).
--
-- display_handle: a short random label shown in queue rows and on the enquiry page
-- ("K7MA-2QXR"), so agents can tell rows apart and say which one they took. It is random,
-- not derived from the reference code (which stays stored only as a keyed hash) nor
-- from anything else, and is never used to look an enquiry up: links carry the id.
-- The store's insert gives every new enquiry one (form, import, phone intake); rows
-- from before this migration get one here.
ALTER TABLE enquiries ADD COLUMN display_handle TEXT NOT NULL DEFAULT '';

UPDATE enquiries SET display_handle =
       substr('ABCDEFGHJKMNPQRSTVWXYZ23456789', 1 + abs(random()) % 30, 1)
    || substr('ABCDEFGHJKMNPQRSTVWXYZ23456789', 1 + abs(random()) % 30, 1)
    || substr('ABCDEFGHJKMNPQRSTVWXYZ23456789', 1 + abs(random()) % 30, 1)
    || substr('ABCDEFGHJKMNPQRSTVWXYZ23456789', 1 + abs(random()) % 30, 1)
    || '-'
    || substr('ABCDEFGHJKMNPQRSTVWXYZ23456789', 1 + abs(random()) % 30, 1)
    || substr('ABCDEFGHJKMNPQRSTVWXYZ23456789', 1 + abs(random()) % 30, 1)
    || substr('ABCDEFGHJKMNPQRSTVWXYZ23456789', 1 + abs(random()) % 30, 1)
    || substr('ABCDEFGHJKMNPQRSTVWXYZ23456789', 1 + abs(random()) % 30, 1);

-- Queue pages at any size (issue 22, item 3; issue 24): every listing walks an index
-- whose leading columns are its filter and whose next columns are its order (most
-- urgent, then longest waiting, then the random id), from the page's keyset cursor.
-- The old index had status before priority, so "open" sorted every open row.
DROP INDEX enquiries_by_queue;
-- Open enquiries (the default view, and "take next").
CREATE INDEX enquiries_queue_open ON enquiries (programme_id, queue, priority, created_hour, id)
    WHERE status <> 'closed';
-- Every enquiry of a queue ("all").
CREATE INDEX enquiries_queue_all ON enquiries (programme_id, queue, priority, created_hour, id);
-- One status of a queue, in the same order.
CREATE INDEX enquiries_by_queue ON enquiries (programme_id, queue, status, priority, created_hour, id);
-- The oldest of each queue and status (dashboards), one seek each.
CREATE INDEX enquiries_queue_age ON enquiries (programme_id, queue, status, created_hour);
