//! Values that have passed validation get a type: holding one is proof of validity;
//! and how a time is written for people (`date`, `datetime`).

mod email;
mod language;
mod reference;
mod slug;
mod time;

pub use email::{EmailAddress, InvalidEmail};
pub use language::{Language, UnsupportedLanguage};
pub use reference::{InvalidCode, Passphrase, ReferenceCode};
pub use slug::{InvalidSlug, ProgrammeSlug};
pub use time::{date, datetime};
