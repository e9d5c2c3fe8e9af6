-- Which form versions people answered: a programme save refuses to change the kind of
-- a field that stored enquiries answered (issue 17), and asks this for each save.
CREATE INDEX enquiries_by_form_version ON enquiries (programme_id, form_version);
