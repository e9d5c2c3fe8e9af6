//! Reference codes and reply-inbox passphrases: machine-made, high-entropy, easy to read
//! aloud and type (Crockford base32: no I, L, O or U; case and dashes do not matter).

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 20 symbols = 100 bits. Identifies an enquiry to its author and to staff; appears in
/// emails, so it is not the secret that opens the reply inbox (that is the [`Passphrase`]).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ReferenceCode(String);

/// 16 symbols = 80 bits. Opens the reply inbox together with the reference code.
/// Never shown to staff, never sent by email, stored only as a keyed hash.
pub struct Passphrase(SecretString);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("that code does not look right: check each character and try again")]
pub struct InvalidCode;

fn random_symbols(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    // 256 is a multiple of 32, so masking keeps the symbols uniform.
    bytes
        .iter()
        .map(|b| ALPHABET[(b & 31) as usize] as char)
        .collect()
}

/// Uppercases, drops spaces and dashes, maps look-alikes (I, L → 1; O → 0), and checks
/// that exactly `len` alphabet symbols remain.
fn canonical(input: &str, len: usize) -> Result<String, InvalidCode> {
    if input.len() > len * 3 {
        return Err(InvalidCode);
    }
    let mut out = String::with_capacity(len);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\u{a0}' => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return Err(InvalidCode),
        };
        out.push(c);
    }
    if out.len() == len {
        Ok(out)
    } else {
        Err(InvalidCode)
    }
}

fn grouped(s: &str, group: usize) -> String {
    s.as_bytes()
        .chunks(group)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-")
}

impl ReferenceCode {
    pub const SYMBOLS: usize = 20;

    pub fn generate() -> Self {
        Self(random_symbols(Self::SYMBOLS))
    }

    pub fn parse(input: &str) -> Result<Self, InvalidCode> {
        canonical(input, Self::SYMBOLS).map(Self)
    }

    /// The canonical form (no dashes): what gets hashed.
    pub fn canonical(&self) -> &str {
        &self.0
    }

    /// `ABCDE-FGHJK-MNPQR-STVWX`: how people see and read it.
    pub fn display(&self) -> String {
        grouped(&self.0, 5)
    }
}

impl fmt::Display for ReferenceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl fmt::Debug for ReferenceCode {
    // Codes identify people: keep them out of debug output and therefore out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReferenceCode(…)")
    }
}

impl Passphrase {
    pub const SYMBOLS: usize = 16;

    pub fn generate() -> Self {
        Self(SecretString::from(random_symbols(Self::SYMBOLS)))
    }

    pub fn parse(input: &str) -> Result<Self, InvalidCode> {
        canonical(input, Self::SYMBOLS).map(|s| Self(SecretString::from(s)))
    }

    pub fn expose_canonical(&self) -> &str {
        self.0.expose_secret()
    }

    /// `ABCD-EFGH-JKMN-PQRS`, for the receipt page only.
    pub fn expose_display(&self) -> String {
        grouped(self.0.expose_secret(), 4)
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_code_reads_back_however_it_is_typed() {
        let code = ReferenceCode::generate();
        let shown = code.display();
        assert_eq!(shown.len(), 23);
        let typed = shown
            .to_lowercase()
            .replace('-', " ")
            .replace('1', "l")
            .replace('0', "o");
        assert_eq!(ReferenceCode::parse(&typed).unwrap(), code);
    }

    #[test]
    fn codes_do_not_repeat() {
        let a: std::collections::HashSet<String> =
            (0..10_000).map(|_| ReferenceCode::generate().0).collect();
        assert_eq!(a.len(), 10_000);
    }

    #[test]
    fn wrong_lengths_and_foreign_symbols_are_refused() {
        assert_eq!(
            ReferenceCode::parse("ABCDE-FGHJK-MNPQR-STVW"),
            Err(InvalidCode)
        );
        assert_eq!(
            ReferenceCode::parse("ABCDE-FGHJK-MNPQR-STVWXY"),
            Err(InvalidCode)
        );
        assert_eq!(
            ReferenceCode::parse("ABCDE-FGHJK-MNPQR-STVWU"),
            Err(InvalidCode)
        );
        assert_eq!(
            ReferenceCode::parse("ABCDE-FGHJK-MNPQR-STVWé"),
            Err(InvalidCode)
        );
        assert!(Passphrase::parse("abcd efgh jkmn pqrs").is_ok());
        assert!(Passphrase::parse("abcd efgh jkmn pqr").is_err());
    }

    #[test]
    fn debug_output_never_shows_the_code() {
        let code = ReferenceCode::generate();
        assert!(!format!("{code:?}").contains(code.canonical()));
        let p = Passphrase::generate();
        assert!(!format!("{p:?}").contains(p.expose_canonical()));
    }
}
