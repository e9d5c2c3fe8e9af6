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

## Security hardening: emails to staff when a factor of their account changes
staff-notice-subject = Your Haven account changed
staff-notice-totp-enrolled = Two-step verification was set up on your Haven account on { $time }.
staff-notice-totp-reset = An administrator reset two-step verification on your Haven account on { $time }. You will set it up again at your next sign-in.
staff-notice-recovery-code-used = One of your recovery codes was used to sign in to your Haven account on { $time }. Each code works once.
staff-notice-not-you = If this was not you, tell your Haven administrator now: someone may have your password.
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
## Programme editor (/admin/programmes)
pe-nav = Programmes
pe-list-title = Programmes
pe-list-empty = There are no programmes yet.
pe-col-programme = Programme
pe-col-slug = Web address name
pe-col-status = Status
pe-history = Who changed it, and when (audit log)
pe-col-version = Version
pe-new-title = Open a new programme
pe-new-intro = Start from a blank form or copy an existing programme (its form, queues, rules and templates, none of its enquiries). The new programme is a draft with its own key: the public cannot see it until you open it.
pe-new-from = Start from
pe-new-blank = A blank form
pe-new-copy-of = A copy of { $slug }
pe-new-slug = Web address name
pe-new-slug-hint = 3 to 40 lowercase letters, digits and hyphens, for example sudan-2026. The form will be at /p/ followed by this name. It cannot be changed later.
pe-new-name = Title
pe-new-name-hint = Only for a blank form: the title people see above the form.
pe-new-language = Default language
pe-new-submit = Create the draft
pe-error-title = There is a problem
pe-error-password = Your password is not right; nothing was changed.
pe-error-slug = Enter a web address name of 3 to 40 lowercase letters, digits and hyphens, starting with a letter.
pe-error-name = Enter a title for the new programme.
pe-error-exists = A programme with this web address name already exists. Choose another name.
pe-error-stale = Someone else saved this programme in the meantime (it is now at version { $version }). Nothing was saved: check the current version and make your change again.
pe-error-slug-changed = The slug of an existing programme cannot be changed. To use another name, copy the programme.
pe-error-status-changed = The status can only be changed in the Status section, which asks for your password.
pe-error-default-language = Choose a default language that is one of the ticked languages.
pe-error-retention = Enter the number of days as a whole number, for example 365.
pe-error-max-length = Enter the longest answer as a whole number of characters, or leave it empty.
pe-error-priority = Choose a priority from 1 to 9.
pe-error-operator = Choose a test for each condition.
pe-error-options-cells = Options, line { $line }: there are more labels than the programme has languages.
pe-done-created = The draft programme was created. Nobody outside can see it until you open it.
pe-done-saved = Saved as a new version.
pe-done-unchanged = Nothing had changed, so no new version was saved.
pe-status-draft = Draft
pe-status-open = Open
pe-status-closed = Closed
pe-status-archived = Archived
pe-status-draft-means = Only staff can see this form, in the preview. Nobody can send it.
pe-status-open-means = The form is public and accepts enquiries.
pe-status-closed-means = The form accepts no more enquiries; its address shows the closed message. Staff keep working on what arrived.
pe-status-archived-means = The programme is finished: its address answers "not found" and it cannot be reopened. Enquiries are kept until their retention period ends.
pe-in-language = In { $language }
pe-password = Your own password, to confirm
pe-back = Back to the programme
pe-toml-title = Edit { $slug } as TOML
pe-toml-intro = This is the text that “haven programme export” prints and “haven programme apply” reads. Saving checks it exactly as the command line does; problems are listed with their line number and your text is kept.
pe-toml-label = Programme definition (TOML)
pe-toml-submit = Check and save
pe-toml-link = Edit as TOML
pe-preview = Preview the form
pe-sections = Sections of the programme
pe-general = General
pe-fields = Form fields
pe-queues = Queues
pe-routing = Routing rules
pe-templates = Reply templates
pe-status = Status
pe-languages = Languages
pe-languages-hint = Texts of a language you untick are removed when you save. After ticking a new language, save, then add its texts.
pe-default-language = Default language (every text must have it)
pe-title = Title
pe-intro = Introduction above the form
pe-privacy = Privacy notice
pe-closed-message = Message when closed (where to go instead)
pe-retention = Keep enquiries for this many days
pe-contact = How people can be answered
pe-contact-email = They may give an email address, or use the reply inbox only
pe-contact-inbox = Reply inbox only: no email address is asked for
pe-email-mode = What an email about a reply may say
pe-email-minimal = Only that there is a reply and the link to the reply inbox (safest)
pe-email-full = The reply itself
pe-name-field = Field that holds the person's name (for the { "{name}" } placeholder)
pe-none = (none)
pe-save = Save
pe-field-label = Question
pe-key = Key
pe-key-hint = A lowercase letter, then up to 39 lowercase letters, digits or _. Used in rules and exports; it cannot be changed later.
pe-kind = Kind of answer
pe-required = An answer is required
pe-actions = Actions
pe-kind-text = Short text
pe-kind-textarea = Long text
pe-kind-email = Email address
pe-kind-phone = Phone number
pe-kind-select = Choice from a list
pe-kind-radio = One choice among buttons
pe-kind-checkbox = Tick boxes
pe-kind-country = Country
pe-kind-date = Date
pe-yes = Yes
pe-no = No
pe-add-field = Add a field
pe-label-in = Text in { $language }
pe-options = Options
pe-options-hint = One option per line: value | label in { $languages }. The value is a short code used in rules (letters, digits, _ and -). Only for lists, buttons and tick boxes.
pe-queue-name = Queue name
pe-add-queue = Add a queue
pe-routing-intro = Rules are tried in order; the first that matches decides the queue and priority. An enquiry no rule matches goes to the default queue.
pe-rule-name = Rule name
pe-rule-when = Conditions
pe-rule-queue = Queue
pe-priority = Priority
pe-priority-most = most urgent
pe-add-rule = Add a rule
pe-default-queue = Default queue
pe-templates-none = This programme has no reply templates yet.
pe-template-name = Template name
pe-add-template = Add a template
pe-status-now = This programme is { $status }.
pe-status-to = New status
pe-status-submit = Change the status
pe-test-title = Test these rules
pe-test-intro = Fill in sample answers to see where such an enquiry would go. Nothing is saved or sent.
pe-test-result = It would go to the queue “{ $queue }” with priority { $priority }.
pe-test-by-rule = Decided by the rule “{ $rule }”.
pe-test-by-default = No rule matched: the default queue and priority apply.
pe-test-submit = Test the rules
pe-up = Move up
pe-down = Move down
pe-remove = Remove
pe-field-title = Field { $key }
pe-hint = Help text under the question
pe-max-length = Longest answer, in characters (empty: the usual limit)
pe-queue-title = Queue { $key }
pe-rule-title = Rule “{ $name }”
pe-match = The rule matches when
pe-match-all = every condition holds
pe-match-any = at least one condition holds
pe-conditions-hint = Leave the field empty to drop a condition. For “is one of”, separate the values with commas. Values are option values, not labels.
pe-condition-field = Field
pe-condition-op = Test
pe-condition-value = Value
pe-op-equals = is
pe-op-in = is one of
pe-op-contains = contains the text
pe-op-answered = is answered
pe-op-unanswered = is left empty
pe-template-title = Template { $key }
pe-template-placeholders = Placeholders: { "{reference}" }, { "{name}" }, { "{inbox_url}" } and { "{programme}" }. Nothing else in braces is allowed.
pe-subject = Subject (one line)
pe-body = Text
programme-blank-intro = Tell us about your situation. We read every enquiry.
programme-blank-privacy = What you write is encrypted as soon as it reaches us, and only the staff who handle these enquiries can read it. We delete it 90 days after you send it.
programme-blank-question = How can we help you?
programme-blank-queue = General
