-- Submit once (issue 21): the keyed hash (intake key) of every public form token that
-- has submitted an enquiry, kept until the token could no longer be accepted anyway
-- (its 24 hours plus the tolerated clock skew). Nothing personal: the hash names a
-- form fetch, not a person, and without the intake key it cannot be matched to a token.
CREATE TABLE used_form_tokens (
    token_hash  BYTEA PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);

CREATE INDEX used_form_tokens_by_expiry ON used_form_tokens (expires_at);
