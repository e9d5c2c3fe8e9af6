-- What a campaign sends, fixed when it is prepared: the template's subject and body in
-- every language of the programme (JSON), as the approver is shown them. Approval
-- names this text and is refused when the template no longer matches it; the messages
-- are rendered from it, never from the template as it is at approval. Campaigns from
-- before this migration have NULL here and cannot be approved (prepare them again).
-- Template texts are programme data, not anyone's personal data.

ALTER TABLE campaigns ADD COLUMN template_text TEXT;
