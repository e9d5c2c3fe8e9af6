# Data handling (issue 17): the exposure guard's refusals.

console-reply-error-encoded-word = L’objet contient un mot encodé (=?…?=). Les logiciels de messagerie les décodent et affichent ce qu’ils cachent : un objet ne peut donc pas en contenir. Écrivez l’objet en texte simple.
