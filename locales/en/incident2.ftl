# Texts of the incident2 branch (issue 20, items 2, 4, 5, 6): notifying the people an
# incident affected, containment from the incident, its actions.

## Staff console: notifications
incident2-notify-heading = Notify the people affected
incident2-notify-intro = One message per person, in their language, to exactly the affected enquiries: everyone gets it in their reply inbox, and confirmed addresses also by email. It is sent only after a second supervisor approves.
incident2-ways = How each person was reached
incident2-way-email = Email sent (confirmed address)
incident2-way-unconfirmed-notice = Neutral notice sent (address never confirmed)
incident2-way-pending = Not sent yet
incident2-way-failed = Email failed: reply inbox only
incident2-way-inbox-only = Reply inbox only
incident2-way-not-notified = Not notified
incident2-state-pending = Waiting for approval
incident2-state-dispatched = Approved and sent
incident2-state-cancelled = Cancelled
incident2-unconfirmed-asked = asked to reach addresses never confirmed
incident2-campaign-page = Bulk reply page
incident2-prepare-heading = Prepare the notification
incident2-template = Template
incident2-unconfirmed-ask = Also send addresses never confirmed one neutral notice that points to the reply inbox (only if the approver ticks it too)
incident2-prepare-button = Prepare the notification
incident2-approve-heading = Approve the notification
incident2-approve-text = The text, in every language
incident2-unconfirmed-approve = I agree: addresses never confirmed get one neutral notice that points to the reply inbox
incident2-approve-button = Approve and send
incident2-problem-template = Choose a template from the list.
incident2-problem-empty = None of the affected enquiries is still stored: there is nobody to notify.
incident2-problem-closed = The incident is closed.
incident2-problem-pending = A notification of this incident is already waiting for approval.
incident2-done-prepared = The notification is prepared. A second supervisor must approve it.
incident2-done-dispatched = The notification was approved and is being sent.
incident2-done-conflict = Someone else decided on this notification first.
incident2-done-changed = The template changed since the notification was prepared: nothing was sent. Prepare it again.
incident2-done-own = You prepared this notification: a second supervisor must approve it.

## The neutral notice to an address never confirmed
incident2-neutral-subject = A message for you
incident2-neutral-body = There is a new message for you in your reply inbox: { $inbox_url }. Open it with your reference code and passphrase.

## Staff console: containment and actions
incident2-contain-heading = Stop what is still going out
incident2-contain-intro = Pause, resume or cancel a bulk reply's messages not sent yet. Each use is recorded in this incident's actions.
incident2-contain-what = What to do
incident2-contain-pause = Pause
incident2-contain-resume = Resume
incident2-contain-cancel = Cancel what is not sent yet
incident2-contain-button = Apply
incident2-emergency-button = Emergency stop: hold all outbound mail
incident2-emergency-admin = The emergency stop for all outbound mail is on the instance administrators' Outbound mail page.
incident2-done-contained = Done, and recorded in this incident's actions.
incident2-done-unchanged = Nothing changed (already so, or nothing left to stop). Recorded in this incident's actions.
incident2-done-reason = Say why (the reason is recorded).
incident2-actions-heading = Actions
incident2-actions-none = No action recorded yet.
incident2-col-action = Action

## Staff console: a key believed leaked
incident2-by-key = From a key believed leaked
incident2-by-key-intro = Every enquiry whose text, notes, replies or emails are sealed under a programme key believed leaked; or, for the master key, every enquiry of the programme (the master key opens every programme key).
incident2-key = Key id, or master
incident2-key-hint = The key's id as the programme's Keys page shows it, or the word master.
incident2-problem-key = A key id is 32 letters and digits, as the Keys page shows it; or write master.
incident2-rotate-link = Rotate the programme key (programme admins; asks for your password again): the rotation is listed in this incident's actions
