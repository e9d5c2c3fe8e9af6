## Confirmed contact addresses, the rest (issue 19, item 1).
gaps-confirm-remove-heading = Remove the email address
gaps-confirm-remove-intro = Nothing more will be emailed to this person. Replies wait in their inbox. Only the person can give a new address.
gaps-confirm-reason = Why
gaps-confirm-reason-person-asked = The person asked for it
gaps-confirm-reason-not-theirs = The address is not theirs
gaps-confirm-reason-unsafe = Email is not safe for them
gaps-confirm-reason-bounced = Messages to it do not arrive
gaps-confirm-remove-submit = Remove the address
gaps-confirm-flash-removed = The address will be removed within a minute. Nothing more is emailed to it.
gaps-confirm-receipt-address = Email address you gave: { $address }. We send it nothing but a code until you type that code in your inbox.
