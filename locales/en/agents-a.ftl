# Texts of the agents-a branch (issue 22, items 1 and 2): phone intake in the console,
# the receipt read aloud, and verifying a caller without learning their secret.

## Asked of the caller, in their language
phone-safe-question = Is it safe to talk now?
phone-safe-yes = Yes, it is safe to talk now
phone-safe-no = No, it is not safe to talk now
phone-call-back-question = When may we call you back?
phone-call-back-hint = For example: weekday mornings, not after 6 pm
phone-error-safe = Say whether it is safe to talk now
phone-error-call-back = “When may we call you back?” must be on one line, without special characters
phone-error-call-back-long = “When may we call you back?” must be { $max } characters or fewer
caller-number-label = A number a staff member gave you on the phone
caller-number-hint = Only if someone from our team asked you to type it here, while you are on the phone with them.

## Staff console
phone-link = Take a call
phone-title = Take a call: { $programme }
phone-intro = Fill in the form while you talk to the caller, in their language. Ask the first question before anything else. Nothing is sent until you press the button at the end.
phone-caller-language = The caller's language
phone-caller-language-button = Show the form in this language
phone-receipt-title = Read these to the caller
phone-receipt-intro = The enquiry is saved. Read the reference code and the passphrase to the caller slowly, group by group, in { $language }, and ask them to read both back to you.
phone-spelling-own = Each letter and digit has a word to spell it in the caller's language.
phone-spelling-nato = Digits are spelled in the caller's language, letters with the international spelling alphabet (Alfa, Bravo, …).
phone-receipt-reference = Reference code
phone-receipt-passphrase = Passphrase
phone-receipt-new-passphrase = You have heard this passphrase, so the caller will be asked to choose a new one the first time they open their reply inbox. Do not write it down.
phone-receipt-inbox = Tell the caller that replies will be in their reply inbox, opened with these two codes.
phone-read-back = The caller read both codes back to me correctly
phone-read-back-missing = Tick the box once the caller has read both codes back to you
phone-done = Done
phone-call-heading = The call
phone-call-safe = Safe to talk when called
phone-call-back = When to call back
phone-entered-by = Entered by
verify-link = Verify a caller
verify-title = Verify a caller
verify-back = Back to the enquiry
verify-none = No caller has been verified on this call.
verify-waiting = Not verified yet.
verify-verified = Verified: the caller typed the number into this enquiry's reply inbox.
verify-expired = Not verified: the number expired. Show a new one.
verify-too-many = Not verified: too many wrong numbers were typed. Show a new one.
verify-no-detail = Until the caller is verified, give no status and no detail of this enquiry.
verify-number-heading = Read this number to the caller
verify-number-instructions = Ask the caller to open their reply inbox with their reference code and passphrase and to type this number in the field for a number given on the phone. It works for five minutes. Then check again.
verify-refresh = Check again
verify-issue = Show a new one-time number
