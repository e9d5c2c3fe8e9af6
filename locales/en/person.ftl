## Submit once (issue 21)
already-sent-title = This form was already sent
already-sent-body = Your enquiry arrived once and is safe with us. It was not sent a second time. If you kept your reference code and passphrase, you can read our replies in your reply inbox.
already-sent-new = Send a new, different enquiry
receipt-gone-title = Your codes are no longer shown here
receipt-gone-body = To protect you, this page shows your reference code and passphrase only for a few minutes after you send the form. If you kept them, you can read our replies in your reply inbox.

## Language switch inside the form (issue 21)
form-switch-language = Read this form in another language (what you typed is kept)

## Leave quickly, the inbox from the form (issue 21)
leave-quickly = Leave this site quickly
form-inbox-link = Already sent us an enquiry? Read our replies in your reply inbox

## The receipt names no programme (issue 21)
receipt-inbox-address = Your reply inbox is at this address. Next time, type it yourself:
receipt-codes-open = Together, these two codes open everything your reply inbox shows. Keep them private: never share them, and never send them in a message.
