use std::fmt;

use validator::ValidateEmail;

/// A syntactically valid email address with one `@`, no whitespace or control characters
/// (so it can never smuggle a header line), at most 254 bytes. The domain is lowercased;
/// the local part is kept as typed (it may be case-sensitive).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("enter an email address in the right format, like name@example.com")]
pub struct InvalidEmail;

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let s = input.trim();
        if s.len() > 254
            || s.chars().any(|c| c.is_control() || c.is_whitespace())
            || s.matches('@').count() != 1
            || s.contains([',', ';', '<', '>', '"', '(', ')', '[', ']', '\\'])
            || !s.validate_email()
        {
            return Err(InvalidEmail);
        }
        let (local, domain) = s.split_once('@').ok_or(InvalidEmail)?;
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(InvalidEmail);
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for the blind index: the whole address lowercased, so that
    /// `Ana@Example.org` and `ana@example.org` find each other.
    pub fn normalised(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Debug for EmailAddress {
    // Addresses are personal data: debug output (and so any log line) shows only the domain.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.split_once('@').map(|(_, d)| d).unwrap_or("");
        write!(f, "EmailAddress(…@{domain})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_and_international_addresses() {
        assert_eq!(
            EmailAddress::parse(" Ana.Rahimi@Example.ORG ")
                .unwrap()
                .as_str(),
            "Ana.Rahimi@example.org"
        );
        assert!(EmailAddress::parse("user+tag@sub.example.af").is_ok());
    }

    #[test]
    fn refuses_lists_headers_and_garbage() {
        for s in [
            "",
            "a@b",
            "a@b.c, d@e.f",
            "a@b.c;d@e.f",
            "a@b.c\r\nBcc: x@y.z",
            "a b@c.d",
            "Name <a@b.cd>",
            "a@@b.cd",
            "a@b.cd@e.fg",
            "@b.cd",
            &format!("{}@b.cd", "a".repeat(260)),
        ] {
            assert_eq!(EmailAddress::parse(s), Err(InvalidEmail), "{s:?}");
        }
    }

    #[test]
    fn debug_hides_the_local_part() {
        let e = EmailAddress::parse("secret.person@example.org").unwrap();
        assert!(!format!("{e:?}").contains("secret"));
    }
}
