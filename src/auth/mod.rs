//! Staff authentication: passwords, TOTP second factor, sessions, CSRF for staff pages.

pub mod password;
pub mod totp;
