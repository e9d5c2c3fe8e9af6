# Limits at the edge (issue 17): a quota that refuses a form, the reply inbox's
# throttle, the true wait on the 429 page, sign-in under load, second-factor locks.

## The public form and the reply inbox
form-not-sent-client = Your enquiry has not been sent: too many enquiries have come from your connection in the last hour. Everything you typed is still below. Send it again in { $minutes } min.
form-not-sent-network = Your enquiry has not been sent: too many enquiries have come from your network in the last hour. Everything you typed is still below. Send it again in { $minutes } min.
form-not-sent-global = Your enquiry has not been sent: the service is receiving more enquiries than it can take right now. Everything you typed is still below. Send it again in { $minutes } min.
inbox-throttled = Too many attempts to open this inbox, so your reference code and passphrase were not checked. Try again in { $minutes } min.

## Error pages
error-429-wait = Try again in { $minutes } min.
error-429-later = Wait a few minutes, then try again.

## Staff console and administration
console-signin-busy = Signing in is busy right now, so your password was not checked. Wait a few seconds, then try again.
reauth-busy = Password checks are busy right now, so your password was not checked. Wait a few seconds and try again; nothing was changed.
console-code-locked = Two-step verification for this account is paused until { $time } after too many wrong codes, and the account's email address has been told. If this was not you, someone has your password: tell your administrator.
staff-notice-second-factor-locked = On { $time } someone typed the right password for your Haven account, then one wrong two-step verification code after another. Two-step verification on your account is paused for a while.
