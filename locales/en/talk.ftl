# The two-way reply inbox (issue 21, item 5): the conversation, writing back, and
# statuses worded for the person.
talk-status-reviewing = We are reviewing your enquiry
talk-status-answered = We have answered. Read our reply below; you can write back.
talk-status-received = We have your message
talk-status-closed = Closed
talk-conversation-heading = Messages
talk-no-messages = No messages yet. We will reply here, and you can write to us below.
talk-from-staff = From us
talk-from-person = You wrote
talk-write-heading = Write to us
talk-write-intro = Answer our questions or tell us anything new. Only the team handling your enquiry can read it.
talk-passphrase-hint = Type your passphrase again to send. This page does not keep it.
talk-message-label = Your message
talk-message-hint = At most { $max } characters.
talk-send = Send message
talk-sent = Your message was sent. We will reply here.
talk-not-sent = Your message was not sent. What you wrote is kept below.
talk-not-sent-limit = Too many messages in a short time, so this one was not sent. Try again in { $minutes } min.
talk-form-expired = This page was open for too long or was sent from another site. Your message is below: type your passphrase and send it again.
talk-error-empty = Write a message first
talk-console-from-staff = Reply from staff
talk-console-from-person = From the person (written in their reply inbox)
