//! Values that have passed validation get a type: holding one is proof of validity.

mod email;
mod language;
mod reference;
mod slug;

pub use email::{EmailAddress, InvalidEmail};
pub use language::{Language, UnsupportedLanguage};
pub use reference::{InvalidCode, Passphrase, ReferenceCode};
pub use slug::{InvalidSlug, ProgrammeSlug};
