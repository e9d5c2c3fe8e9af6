//! What a partner's sharing profile may name, and which of it is personal data.
//!
//! A profile lists field keys and a few pseudo-fields (facts about the enquiry that
//! are not answers). Whether a profile holds personal data is derived from the kinds
//! of what it names, never taken from the administrator's word alone: the file must
//! also say `personal_data = true`, so that adding a name or free text to a profile
//! is a deliberate, reviewable act.

use super::definition::{FieldKind, Partner, ProgrammeFile};

/// Facts about an enquiry a profile may name besides its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pseudo {
    /// The reference code, so the partner can refer back to the case.
    Reference,
    /// The language the person wrote in.
    Language,
    /// The day the enquiry arrived.
    Received,
    /// The email address the person gave, if any.
    ContactEmail,
}

impl Pseudo {
    pub const ALL: [Pseudo; 4] = [
        Pseudo::Reference,
        Pseudo::Language,
        Pseudo::Received,
        Pseudo::ContactEmail,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Pseudo::Reference => "reference",
            Pseudo::Language => "language",
            Pseudo::Received => "received",
            Pseudo::ContactEmail => "contact_email",
        }
    }

    pub fn parse(key: &str) -> Option<Pseudo> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Pseudo::Reference => "Reference code",
            Pseudo::Language => "Language",
            Pseudo::Received => "Received (day)",
            Pseudo::ContactEmail => "Email address",
        }
    }

    pub fn is_personal(self) -> bool {
        matches!(self, Pseudo::ContactEmail)
    }
}

/// Answers of these kinds can identify or locate a person: free text (names, places,
/// stories), dates (of birth), phone numbers and email addresses. Choices from a fixed
/// list (category, country) cannot on their own.
pub fn is_personal_kind(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Text
            | FieldKind::Textarea
            | FieldKind::Email
            | FieldKind::Phone
            | FieldKind::Date
    )
}

/// The entries of `profile` that are personal data, in profile order. Unknown names
/// are not counted (validation reports them).
pub fn personal_entries<'a>(file: &ProgrammeFile, profile: &'a [String]) -> Vec<&'a str> {
    profile
        .iter()
        .filter(|name| match Pseudo::parse(name) {
            Some(p) => p.is_personal(),
            None => file
                .fields
                .iter()
                .find(|f| f.key == **name)
                .is_some_and(|f| is_personal_kind(f.kind)),
        })
        .map(String::as_str)
        .collect()
}

/// A change to a partner that lets more, or other people, read what leaves for it:
/// such a change is confirmed with the admin's password and named in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widening {
    /// A partner that was not there.
    Added,
    /// Referrals go to another mailbox.
    Address,
    /// Packages are sealed to another key (referrals not yet sent included).
    Recipient,
    /// The profile names something it did not.
    Fields,
}

impl Widening {
    pub fn key(self) -> &'static str {
        match self {
            Widening::Added => "added",
            Widening::Address => "address",
            Widening::Recipient => "recipient",
            Widening::Fields => "fields",
        }
    }
}

/// How `after` widens `before` (`None`: a new partner); empty when it does not, as
/// for a new name, a narrower profile or the same entries in another order.
pub fn widenings(before: Option<&Partner>, after: &Partner) -> Vec<Widening> {
    let Some(before) = before else {
        return vec![Widening::Added];
    };
    let mut changes = Vec::new();
    if before.address != after.address {
        changes.push(Widening::Address);
    }
    if before.recipient != after.recipient {
        changes.push(Widening::Recipient);
    }
    if after.fields.iter().any(|f| !before.fields.contains(f)) {
        changes.push(Widening::Fields);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_dates_and_contact_details_are_personal_choices_are_not() {
        assert!(is_personal_kind(FieldKind::Text));
        assert!(is_personal_kind(FieldKind::Textarea));
        assert!(is_personal_kind(FieldKind::Phone));
        assert!(is_personal_kind(FieldKind::Date));
        assert!(!is_personal_kind(FieldKind::Country));
        assert!(!is_personal_kind(FieldKind::Radio));
        assert!(Pseudo::ContactEmail.is_personal());
        assert!(!Pseudo::Reference.is_personal());
        for p in Pseudo::ALL {
            assert_eq!(Pseudo::parse(p.key()), Some(p));
        }
    }

    fn ngo(fields: &[&str]) -> Partner {
        Partner {
            key: "ngo".into(),
            name: "NGO".into(),
            address: "ref@ngo.example".into(),
            recipient: "age1…".into(),
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            personal_data: false,
        }
    }

    #[test]
    fn only_a_new_partner_address_key_or_profile_entry_widens() {
        let before = ngo(&["reference", "language"]);
        assert_eq!(widenings(None, &before), [Widening::Added]);
        assert!(widenings(Some(&before), &before).is_empty());
        let renamed_and_narrowed = Partner {
            name: "Another name".into(),
            ..ngo(&["language"])
        };
        assert!(widenings(Some(&before), &renamed_and_narrowed).is_empty());
        assert!(widenings(Some(&before), &ngo(&["language", "reference"])).is_empty());
        assert_eq!(
            widenings(Some(&before), &ngo(&["language", "full_name"])),
            [Widening::Fields]
        );
        let moved = Partner {
            address: "other@ngo.example".into(),
            recipient: "age1other".into(),
            ..before.clone()
        };
        assert_eq!(
            widenings(Some(&before), &moved),
            [Widening::Address, Widening::Recipient]
        );
    }
}
