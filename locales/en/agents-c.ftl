# Call-centre agents side by side (issue 22, items 5 to 7): claims, draft locks,
# related enquiries, duplicate marks.
agents-c-claimed-by-other = { $name } claimed this enquiry. To reply all the same, tick “Reply anyway”.
agents-c-draft-lock = { $name } is writing a reply to this enquiry (until { $until } UTC).
agents-c-own-lock = You are writing a reply: the others see it until { $until } UTC.
agents-c-stop-writing = Stop writing
agents-c-start-writing = I am writing a reply
agents-c-duplicate-of = Marked as a duplicate of enquiry
agents-c-duplicate-undo = Remove the duplicate mark
agents-c-has-duplicates = Enquiries marked as duplicates of this one:
agents-c-related-heading = Other enquiries from the same email address
agents-c-related-shared = Many people share an address: a lawyer or an aid organisation often writes for many families. The same address does not mean the same person.
agents-c-related-reason = Why do you need this list? (recorded)
agents-c-related-submit = Show other enquiries
agents-c-related-no-reason = Write why you need this list (at least 3 characters).
agents-c-related-limited = You have asked for this list too often in the last hour. Try again later.
agents-c-related-none = No other enquiry of this programme came from this address.
agents-c-related-enquiry = Enquiry
agents-c-duplicate-heading = Duplicate
agents-c-duplicate-mark = Mark this enquiry as a duplicate of it
agents-c-flash-writing = The others now see that you are writing a reply.
agents-c-flash-duplicate = Marked as a duplicate. Both conversations stay separate.
agents-c-flash-duplicate-undone = The duplicate mark was removed.
agents-c-status-choose = Choose a status
agents-c-reply-anyway = Reply anyway, although { $name } claimed this enquiry
agents-c-reply-claimed = Someone else claimed this enquiry. Tick “Reply anyway” to send your reply all the same.
