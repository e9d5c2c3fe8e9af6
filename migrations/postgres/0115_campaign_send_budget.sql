-- `[outbound] max_per_hour` (issue 19, item 4): how many bulk-reply emails of a
-- programme the workers of every instance have started sending in one clock hour.
-- A worker takes one unit just before each SMTP transaction of a campaign's message,
-- in one statement that adds only while `used` is under the programme's limit, so two
-- workers on two instances never pass it together. Rows older than a day are dropped
-- by the worker. Counts and hours only: nothing about a person.
CREATE TABLE campaign_send_budget (
    programme_id  TEXT NOT NULL,
    hour          BIGINT NOT NULL,
    used          BIGINT NOT NULL,
    PRIMARY KEY (programme_id, hour)
);
