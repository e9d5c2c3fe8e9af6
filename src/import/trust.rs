//! Whether an imported sender's address counts as confirmed (issue 19, item 1).
//!
//! Anyone can write any `From:`. Only the receiving server Haven's operator names
//! (`HAVEN_IMPORT_TRUSTED_AUTHSERV_ID`) is believed: its `Authentication-Results`
//! header must say `dkim=pass` with a signing domain (`header.d`) *aligned* with the
//! `From` domain. The rule (relaxed alignment without a public-suffix list): `d` is
//! the From domain itself, or a parent of it with at least two labels
//! (`d=example.org` for `From: a@mail.example.org`, never `d=org`). Only the topmost
//! header carrying the trusted authserv-id counts: the receiving server adds its own
//! on top and (RFC 8601 §5) removes any older one claiming its name. A forward,
//! unwrapped from an attachment or a body's `From:` line, is never confirmed: its
//! headers speak of the forwarder (`mail::read` keeps none for it).

use super::mail::Mail;
use crate::domain::EmailAddress;

/// Whether `mail`'s sender `from` counts as confirmed under `trusted`.
pub fn sender_confirmed(trusted: Option<&str>, mail: &Mail, from: &EmailAddress) -> bool {
    let Some(trusted) = trusted else {
        return false;
    };
    if mail.details.forwarded {
        return false;
    }
    let Some((_, domain)) = from.as_str().rsplit_once('@') else {
        return false;
    };
    mail.auth_results
        .iter()
        .find(|h| authserv_id(h).is_some_and(|id| id.eq_ignore_ascii_case(trusted)))
        .is_some_and(|h| dkim_pass_domains(h).iter().any(|d| aligned(d, domain)))
}

/// RFC 8601 comments `( … )` removed (nesting allowed).
fn without_comments(header: &str) -> String {
    let mut depth = 0u32;
    header
        .chars()
        .filter(|c| match c {
            '(' => {
                depth += 1;
                false
            }
            ')' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// The header's authserv-id (its first word).
fn authserv_id(header: &str) -> Option<String> {
    let clean = without_comments(header);
    let first = clean.split(';').next()?;
    first.split_whitespace().next().map(str::to_owned)
}

/// The `header.d` of every `dkim=pass` result in the header.
fn dkim_pass_domains(header: &str) -> Vec<String> {
    let clean = without_comments(header);
    clean
        .split(';')
        .skip(1)
        .filter_map(|result| {
            let mut words = result.split_whitespace();
            let method = words.next()?;
            let (name, value) = method.split_once('=')?;
            if !name.eq_ignore_ascii_case("dkim") || !value.eq_ignore_ascii_case("pass") {
                return None;
            }
            words.find_map(|w| {
                let (k, v) = w.split_once('=')?;
                k.eq_ignore_ascii_case("header.d").then(|| {
                    v.trim_matches('"')
                        .trim_end_matches('.')
                        .to_ascii_lowercase()
                })
            })
        })
        .collect()
}

/// `d` is `domain`, or a parent of it of at least two labels.
fn aligned(d: &str, domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    if d.is_empty() {
        return false;
    }
    d == domain || (d.contains('.') && domain.ends_with(&format!(".{d}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enquiry::MailDetails;
    use crate::import::mail::read;

    fn mail(headers: &str) -> Mail {
        let raw = format!(
            "{headers}From: Ana <ana@mail.example.org>\r\nTo: info@ngo.example\r\nSubject: Help\r\n\r\nI need help.\r\n"
        );
        read(raw.as_bytes(), Default::default()).unwrap()
    }

    fn confirmed(headers: &str) -> bool {
        let m = mail(headers);
        let from = EmailAddress::parse(&m.sender).unwrap();
        sender_confirmed(Some("mx.ngo.example"), &m, &from)
    }

    #[test]
    fn only_an_aligned_pass_from_the_trusted_server_confirms() {
        let ok = "Authentication-Results: mx.ngo.example; dkim=pass (good) header.d=example.org header.s=s1; spf=pass\r\n";
        assert!(confirmed(ok));
        assert!(confirmed(
            "Authentication-Results: mx.ngo.example 1; dkim=pass header.d=mail.example.org\r\n"
        ));
        // Another server, a failure, a misaligned or too short d=, nothing at all.
        assert!(!confirmed(
            "Authentication-Results: mx.evil.example; dkim=pass header.d=example.org\r\n"
        ));
        assert!(!confirmed(
            "Authentication-Results: mx.ngo.example; dkim=fail header.d=example.org\r\n"
        ));
        assert!(!confirmed(
            "Authentication-Results: mx.ngo.example; dkim=pass header.d=evil.example\r\n"
        ));
        assert!(!confirmed(
            "Authentication-Results: mx.ngo.example; dkim=pass header.d=org\r\n"
        ));
        assert!(!confirmed(
            "Authentication-Results: mx.ngo.example; dkim=pass header.d=ample.org\r\n"
        ));
        assert!(!confirmed(""));
        // Only the topmost header of the trusted server counts.
        assert!(!confirmed(
            "Authentication-Results: mx.ngo.example; dkim=fail header.d=example.org\r\n\
             Authentication-Results: mx.ngo.example; dkim=pass header.d=example.org\r\n"
        ));
        // No trusted server configured: nobody.
        let m = mail(ok);
        let from = EmailAddress::parse(&m.sender).unwrap();
        assert!(!sender_confirmed(None, &m, &from));
    }

    #[test]
    fn a_forward_is_never_confirmed() {
        let mut m =
            mail("Authentication-Results: mx.ngo.example; dkim=pass header.d=example.org\r\n");
        m.details = MailDetails {
            forwarded: true,
            ..m.details
        };
        let from = EmailAddress::parse(&m.sender).unwrap();
        assert!(!sender_confirmed(Some("mx.ngo.example"), &m, &from));
    }
}
