## Emails to enquirers, and the settings and controls around them

mail-footer-never-asks = We will never ask for your passphrase by email. To read your replies, do not follow links in messages: type this address into your browser yourself: { $inbox }
widening-kind-sender-programme = emails to enquirers will name the programme (its title as the sender and in the text): whoever else reads a person's mailbox learns what they wrote about.
mail-stop-heading = Stop sending
mail-stop-intro = Messages not sent yet can be held (pause, then resume) or never sent (stop for good). The worker checks before every message, so at most the few already being handed to the relay still leave.
mail-stop-reason = Why (kept in the audit log)
mail-stop-pause = Pause sending
mail-stop-resume = Resume sending
mail-stop-cancel = Stop for good: never send the rest
mail-stop-paused = Paused by { $who } at { $time } UTC: { $reason }
mail-stop-cancelled = Stopped for good by { $who } at { $time } UTC: { $reason }
mail-stop-reason-missing = Give a reason: it is kept in the audit log.
mail-outbound-title = Outbound mail
mail-outbound-sending = Outbound mail is being sent.
mail-outbound-paused = All outbound mail is paused, since { $time } UTC, by { $who }: { $reason }
mail-outbound-intro = The emergency stop holds every message of every programme, on every worker of every instance, across restarts, until it is resumed. Messages already being handed to the relay when it is pressed (at most one per connection) may still leave. The command line does the same: haven outbound pause, resume, status.
mail-outbound-pause = Pause all outbound mail
mail-outbound-resume = Resume outbound mail
mail-withdraw-button = Withdraw the email queued at { $time } UTC (not sent yet; the reply stays in the inbox)
mail-template-missing = Not written yet in: { $languages }. People who wrote in these languages would get another language, or a reply written by hand.

# Templates checked before use (issue 19, item 6).
template-all-languages = Written in all the programme’s languages.
template-test-language = Language of the test
template-test-button = Send me a test
template-test-sent = A test message was sent to your own work address.
template-test-failed = The test message could not be sent. Try again later, or ask an instance admin to check the mail relay.
template-test-stopped = Outbound mail is stopped, so no test message was sent.
template-test-limit = You have sent many test messages in the last hour. Wait a while before sending another.
template-test-tag = TEST
template-test-note = This is a test of the template “{ $template }” in { $language }, sent only to you. It is filled with sample data, not a real enquiry’s.
reply-language-held = Choose how to reply
reply-language-warning = This person wrote in { $language }, and this template has no text in { $language }. Nothing was sent yet.
reply-language-fallback = Send in { $fallback }
reply-language-by-hand = Write by hand
reply-language-by-hand-hint = You chose to write this reply by hand: change the text as you need, then send it.
pe-template-missing = Languages missing
pe-template-previews = Previews, and test messages to your own address
