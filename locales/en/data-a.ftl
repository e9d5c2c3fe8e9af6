# Data handling (issue 17): the exposure guard's refusals.

console-reply-error-encoded-word = The subject contains an encoded word (=?…?=). Mail programs decode these and show what they hide, so a subject may not contain one. Write the subject as plain text.
