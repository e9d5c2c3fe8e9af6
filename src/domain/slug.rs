use std::fmt;

use serde::{Deserialize, Serialize};

/// A programme's URL name: 3 to 40 characters of `a-z`, `0-9` and inner `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProgrammeSlug(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "a programme slug is 3 to 40 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'"
)]
pub struct InvalidSlug;

impl ProgrammeSlug {
    pub fn parse(s: &str) -> Result<Self, InvalidSlug> {
        let ok_len = (3..=40).contains(&s.len());
        let ok_chars = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let ok_ends = s.starts_with(|c: char| c.is_ascii_lowercase()) && !s.ends_with('-');
        if ok_len && ok_chars && ok_ends && !s.contains("--") {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidSlug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProgrammeSlug {
    type Error = InvalidSlug;
    fn try_from(s: String) -> Result<Self, InvalidSlug> {
        Self::parse(&s)
    }
}

impl From<ProgrammeSlug> for String {
    fn from(s: ProgrammeSlug) -> String {
        s.0
    }
}

impl fmt::Display for ProgrammeSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_slugs() {
        for s in ["afghanistan-2021", "ukr", "sudan-evac-2"] {
            assert_eq!(ProgrammeSlug::parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn rejects_anything_that_could_escape_a_path_or_confuse_a_reader() {
        for s in [
            "",
            "ab",
            "Afghanistan",
            "a/b",
            "../etc",
            "a--b",
            "x-",
            "-x",
            "1abc",
            "a b",
            "ünï",
            &"a".repeat(41),
        ] {
            assert_eq!(ProgrammeSlug::parse(s), Err(InvalidSlug), "{s:?}");
        }
    }
}
