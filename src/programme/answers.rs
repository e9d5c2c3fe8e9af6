//! What a person answered, after validation against the programme's fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One field's answer. Empty optional fields are absent from [`Answers`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// text, textarea, email, phone, select, radio, country, date.
    Text(String),
    /// A checkbox group: the ticked option values, in the programme's option order.
    Choices(Vec<String>),
    /// A single checkbox without options.
    Flag(bool),
}

impl Answer {
    /// Whether the answer carries anything (a `false` flag or no ticked choice does not).
    pub fn is_answered(&self) -> bool {
        match self {
            Answer::Text(t) => !t.is_empty(),
            Answer::Choices(c) => !c.is_empty(),
            Answer::Flag(f) => *f,
        }
    }
}

/// Answers keyed by field key.
pub type Answers = BTreeMap<String, Answer>;
