# Haven interface text, English (the fallback language).
# Programme texts (titles, questions, options) come from each programme's own file, not from here.

site-name = Haven
skip-to-content = Skip to main content
language-switch = Language
footer-note = What you send is encrypted before it is stored. This site uses no tracking and loads nothing from other websites.

## The public form
field-optional = (optional)
form-submit = Send enquiry
form-privacy-heading = How we use your information
select-choose = Choose…
country-choose = Choose a country
date-hint = Use the format year-month-day, for example 2021-08-15.
contact-heading = How should we reply?
contact-hint = You can read our replies in a private reply inbox, using the reference code and passphrase you will get after sending. You do not have to give an email address.
contact-inbox = Only in the reply inbox (no email)
contact-email = Also by email
contact-email-label = Email address
contact-email-hint = We only send a short notice that you have a reply. Only use an address that is safe for you.
contact-inbox-only = Replies are read in a private reply inbox. We do not ask for an email address.
honeypot-label = Leave this field empty

## Errors on the form
error-summary-title = There is a problem
error-required-text = Enter an answer for “{ $label }”
error-required-choice = Choose an answer for “{ $label }”
error-required-box = Tick the box for “{ $label }”
error-too-long = “{ $label }” must be { $max } characters or fewer
error-invalid-choice = Choose one of the listed answers for “{ $label }”
error-invalid-email = Enter an email address in the right format, like name@example.com
error-invalid-phone = Enter a phone number using only digits, spaces and + ( ) -
error-invalid-date = Enter a real date for “{ $label }”, like 2021-08-15
error-invalid-country = Choose a country from the list for “{ $label }”
error-invalid-characters = “{ $label }” contains characters that cannot be accepted
error-single-line = “{ $label }” must be on one line
error-contact-missing-email = Enter the email address we should reply to, or choose the reply inbox only
error-contact-mode = Choose how you want to receive replies
error-honeypot = Leave the field “{ honeypot-label }” empty
error-form-expired = This form was open for too long or was sent from another site. Your answers are below: check them and send again.

## Receipt
receipt-title = Your enquiry has been sent
receipt-reference-label = Your reference code
receipt-passphrase-label = Your passphrase
receipt-keep-safe = Write both down, or keep them somewhere only you can see. We cannot show them to you again. You need both to read our replies.
receipt-danger = If someone else may look at this device, close this page once you have noted the codes.
receipt-next-heading = What happens next
receipt-next = A member of our team will read your enquiry. Replies appear in your reply inbox.
receipt-inbox-link = Go to your reply inbox

## Reply inbox
inbox-title = Your reply inbox
inbox-intro = Enter the reference code and passphrase you were given when you sent your enquiry.
inbox-reference-label = Reference code
inbox-reference-hint = 20 letters and numbers, for example ABCDE-FGHJK-MNPQR-STVWX
inbox-passphrase-label = Passphrase
inbox-submit = Open my inbox
inbox-failed = We could not open an inbox with that reference code and passphrase. Check both and try again.
inbox-status-heading = Status of your enquiry
inbox-no-replies = There are no replies yet. Please come back later.
inbox-sign-out = Close the inbox
status-new = Received, waiting to be read
status-in-progress = Being worked on
status-awaiting-reply = Waiting for more information from you
status-closed = Closed

## Closed programme
closed-title = This form is closed
closed-default = This programme no longer accepts enquiries.

## Error pages
error-incident = Incident reference: { $id }
error-back-home = Go back and try again
error-400-title = Something was wrong with what was sent
error-400-body = Your browser sent something we could not read. Go back, check your answers and try again.
error-403-title = That request was refused
error-403-body = The page you came from may have expired. Go back, reload the page and try again.
error-404-title = Page not found
error-404-body = Check the web address. If you followed a link, it may be out of date.
error-405-title = That action is not possible here
error-405-body = Go back and use the buttons on the page.
error-408-title = The connection was too slow
error-408-body = Your answers took too long to arrive. Check your connection and send again.
error-410-title = This form is closed
error-410-body = This programme no longer accepts enquiries.
error-413-title = That was too much to send
error-413-body = Your answers were too long to send in one go. Go back and shorten them.
error-415-title = Something was wrong with what was sent
error-415-body = Your browser sent the form in a way we cannot read. Go back and try again.
error-429-title = Too many attempts
error-429-body = To protect everyone who uses this service, there is a limit on how often you can send. Wait an hour, then try again. What you have already sent is safe.
error-500-title = Sorry, something went wrong on our side
error-500-body = If you saw a reference code, your enquiry was received. If not, nothing was stored: please try again later.
error-503-title = The service is busy
error-503-body = Please try again in a few minutes. If you saw a reference code, your enquiry was received.
inbox-replies-heading = Replies
inbox-reply-date = Sent on { $date }

## Email about a reply (minimal disclosure: no reply text, no reference code)
reply-email-subject = You have a new reply
reply-email-body = There is a new reply to your enquiry.

    Read it in your reply inbox: { $inbox_url }
    You will need the reference code and passphrase you were given.

    For your privacy, the reply itself is not in this email.
preview-notice = Preview for staff: this is how the form looks to the public. It cannot be sent from here.

## Referrals to partner organisations (reply inbox)
inbox-referred-heading = Passed on to partners
inbox-referred = We passed your case on to { $partner }.
## Console: importing mail from an upload (/console/p/{slug}/import) and kept attachments
import-title = Import mail
import-back = Back to the dashboard
import-intro = Upload .eml files or an mbox file exported from a mailbox. Each message becomes an enquiry in { $programme }, exactly as with haven import on the server: forwarded messages are unwrapped to the original sender, messages already imported are skipped, and the files themselves are never stored (only the enquiries, encrypted).
import-limit = Up to { $mib } MiB in all. For a larger mailbox, upload it in parts or use haven import on the server.
import-unavailable = This programme cannot take imported mail
import-unavailable-archived = The programme is archived.
import-unavailable-inbox-only = The programme is inbox-only: people who wrote by email could never read an answer.
import-unavailable-no-text-field = The programme has no text field for the message: name one with [import] text_field in the programme file.
import-password-label = Your password, to confirm
import-password-hint = An import brings many people's messages in at once, so your password is asked again.
import-files-label = Mail files (.eml or mbox)
import-files-hint = You can choose several files at once.
import-submit = Import
import-error-password = Your password is not right; nothing was imported.
import-error-no-files = Choose at least one .eml or mbox file.
import-done-title = Import finished
import-done-summary = { $messages } messages in { $files } files: { $imported } imported, { $duplicates } duplicates, { $failed } failed.
import-done-imported = Imported
import-done-duplicates = Already in Haven (skipped)
import-done-failed = Failed
import-failed-heading = Messages not imported
import-failed-which = Message
import-failed-why = Reason
import-again = Import more mail
import-too-large-title = The upload is too large
import-too-large-body = An upload may carry up to { $mib } MiB. Nothing was imported. Upload fewer files at a time, or use haven import on the server.
import-failed-not-mail = not an email message (no headers found)
import-failed-no-sender = no sender address (no From header)
import-failed-invalid-sender = the sender address is not a valid email address
import-failed-too-large = larger than { $mib } MiB
import-failed-read = cannot be read ({ $why })
import-failed-seal = could not be sealed
import-failed-store = could not be stored

## Email answering imported mail when the programme says [import] replies = "minimal"
reply-email-imported-body = We have answered the message you sent us by email.

    For your safety, the answer is not in this email. To read our answers safely, write to us again through our form: { $form_url }
    You will be given a reference code and passphrase to read our replies.
