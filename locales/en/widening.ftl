## Staff console and administration: programme changes that widen who can read data

widening-title = Confirm a change that widens access
widening-intro = This change lets more people, or other people, read this programme's data, or lets more of it leave. It is saved only after you type your password again.
widening-audited = The audit log will name each of these items, under your account.
widening-submit = Save with my password
widening-cancel = Cancel and go back to the programme
widening-instance-only = Only an instance admin may change { $settings }; nothing was changed.
widening-kind-held-answered = The field { $field } cannot change from “{ $from }” to “{ $to }”: people have answered it, and their answers would be read as something else. Add a new field instead; nothing was changed.
widening-kind-held-shared = The field { $field } cannot change from “{ $from }” to “{ $to }”: a partner's sharing profile names it. Add a new field instead; nothing was changed.
widening-kind-escrow = an escrow key is added or replaced: whoever holds it can open this programme's data outside Haven, without the hourly limit or the audit log.
widening-kind-partner-added = a new partner, { $partner }, may receive referrals.
widening-kind-partner-address = referrals to { $partner } go to another address.
widening-kind-partner-recipient = what leaves for { $partner } is encrypted to another key.
widening-kind-partner-profile = more may leave for { $partner }: { $fields }.
widening-kind-consent = the consent that personal data needs before it leaves is dropped or moved to another question.
widening-kind-shared-field = the question { $field }, whose answers leave for a partner or record consent, asks something else now.
widening-kind-language = the language { $language } is added while answers leave for partners.
widening-kind-inbox-referrals = the reply inbox will tell whoever opens it which partners the case was referred to.
widening-kind-two-factor = agents may sign in without two-step verification.
widening-kind-email-full = emails about a reply will carry the reply itself.
widening-kind-name-field = an answer, the person's name, goes into replies and emails.
widening-kind-contact-email = people may give an email address, and replies are announced to that mailbox.
widening-kind-import-replies-full = answers to imported mail will carry the reply itself.
widening-kind-import-text-shared = the text of imported mail goes into a question whose answers leave for a partner.
