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
