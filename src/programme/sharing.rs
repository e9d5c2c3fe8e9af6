//! What a partner's sharing profile may name, and which of it is personal data.
//!
//! A profile lists field keys and a few pseudo-fields (facts about the enquiry that
//! are not answers). Whether a profile holds personal data is derived from the kinds
//! of what it names, never taken from the administrator's word alone: the file must
//! also say `personal_data = true`, so that adding a name or free text to a profile
//! is a deliberate, reviewable act.

use super::definition::{FieldKind, ProgrammeFile};

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
}
