//! What is wrong in a programme file, as data: each [`super::DefinitionError`] carries
//! one, beside its English message (which the command line prints with the path), so
//! that the web editor can say it in the admin's language, in words, without paths.

/// One kind of problem, with what the sentence needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The TOML reader or serde refused the text before any check of ours.
    Unreadable(Unreadable),
    /// A list where a table belongs.
    NotATable,
    TooMany {
        max: usize,
    },
    /// One line of 1 to `max` characters.
    OneLine {
        max: usize,
    },
    ListedTwice {
        value: String,
    },
    NotSingleCheckbox,
    /// A setting names a question that does not exist.
    NoSuchField {
        key: String,
    },
    BasesNeeded,
    /// A key of the wrong form; `dashes`: `-` is allowed too.
    Key {
        dashes: bool,
    },
    KeyTaken {
        key: String,
    },
    Email,
    PartnerRecipient,
    PartnerFieldsEmpty,
    FieldAndFact {
        name: String,
    },
    NeitherFieldNorFact {
        name: String,
    },
    PersonalUnconfirmed {
        names: Vec<String>,
    },
    NotPersonal,
    /// A setting names a question of the wrong kind.
    WrongKind {
        want: Want,
    },
    NameLength {
        max: usize,
    },
    SubjectOneLine,
    UnknownPlaceholder {
        name: String,
    },
    Unclosed,
    Unopened,
    NameWithoutField,
    NoLanguages,
    UnsupportedLanguage {
        tag: String,
    },
    /// A required text with none at all.
    TextMissing {
        default: Option<String>,
    },
    TextEmpty,
    TooLong {
        max: usize,
    },
    SecondText {
        tag: String,
    },
    NotALanguage {
        tag: String,
    },
    DefaultMissing {
        tag: String,
    },
    NoFields,
    Reserved {
        key: String,
    },
    NoMaxLength,
    Range {
        max: u64,
        unit: Unit,
    },
    OptionsNeeded,
    OptionsNotAllowed,
    OptionValue,
    NoQueues,
    NotAQueue {
        key: String,
    },
    RuleNameEmpty,
    NoConditions,
    OneOperator,
    CheckboxAnswered,
    EmptyValue,
    NotAnOption {
        value: String,
        field: String,
    },
    EmptyList,
    ContainsKind,
    Empty,
    Slug,
    Escrow,
    CountriesFirst,
    DiscreetAddress,
}

/// What the TOML reader or serde refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    UnknownKey { key: String },
    MissingKey { key: String },
    UnknownValue { value: String },
    WrongType,
    Duplicate,
    Syntax,
}

impl Unreadable {
    /// Sorts the reader's message (toml 0.9, serde's wording).
    pub fn of(message: &str) -> Self {
        let quoted = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_owned)
        };
        if let Some(key) = quoted("unknown field `") {
            Unreadable::UnknownKey { key }
        } else if let Some(key) = quoted("missing field `") {
            Unreadable::MissingKey { key }
        } else if let Some(value) = quoted("unknown variant `") {
            Unreadable::UnknownValue { value }
        } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
            Unreadable::WrongType
        } else if message.contains("duplicate key") {
            Unreadable::Duplicate
        } else {
            Unreadable::Syntax
        }
    }
}

/// The kind of question a setting must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Text,
    TextOrTextarea,
}

/// What a range counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Characters,
    /// 1 (most urgent) to 9.
    Priority,
}

impl From<&crate::outbound::template::TemplateError> for Problem {
    fn from(e: &crate::outbound::template::TemplateError) -> Self {
        use crate::outbound::template::TemplateError;
        match e {
            TemplateError::Unknown(name) => Problem::UnknownPlaceholder { name: name.clone() },
            TemplateError::Unclosed => Problem::Unclosed,
            TemplateError::Unopened => Problem::Unopened,
        }
    }
}
