## Confirming an email address (issue 19, item 1).
contact-confirm-subject = Your confirmation code
contact-confirm-body = Someone gave this email address to receive messages. If it was you, type this code where you were asked for it: { $code }

    If it was not you, ignore this message: nothing more will be sent to this address.
contact-email-heading = Email address
contact-address = Address: { $address }
contact-confirmed = Confirmed. We will tell you by email when there is a reply.
contact-unconfirmed = Not confirmed yet. We send nothing to this address until you type here the code we emailed to it. Until then your replies wait only in this inbox.
contact-none = You did not give an email address. Replies appear only in this inbox.
contact-code-label = Code from the email
contact-code-submit = Confirm the address
contact-resend = Send me a new code
contact-resend-hint = Ask for a new code only when it is safe for you to receive email.
contact-change-label = New email address
contact-change-submit = Use this address instead
contact-remove = Remove my email address
contact-asked-code = Thank you. If the code is right, the address is confirmed within a minute. Open your inbox again to see.
contact-asked-send = A new code will be sent to the address within a minute (at most three a day).
contact-asked-change = The new address will be used within a minute. It must be confirmed with the code we will email to it.
contact-asked-remove = The address will be removed within a minute. Nothing more will be emailed to it.
contact-back = Back to my inbox
contact-error-code = Enter the code from the email: eight letters and numbers.
contact-error-email = Enter a valid email address, for example name@example.org.
