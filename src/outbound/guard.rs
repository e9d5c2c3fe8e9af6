//! The exposure guard: the last check before a message is queued and again before it
//! is sent. It refuses a message whose text carries any email address other than its
//! recipient's (and the sender's), or any reference code other than the recipient's
//! own enquiry's. It errs on the side of refusing: a refused message is audited and
//! looked at by a person; a sent one cannot be called back.

/// Why a message was refused. Deliberately carries no address or code, so the refusal
/// itself can be logged and audited without spreading what it caught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Exposure {
    #[error("the message contains an email address other than its recipient's")]
    OtherAddress,
    #[error("the message contains a reference code of another enquiry")]
    OtherReference,
}

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '.'
}

/// Every `local@domain.tld` in `text`, lowercased, whatever surrounds it (angle
/// brackets, `mailto:`, punctuation, other scripts).
pub fn find_addresses(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if *c != '@' {
            continue;
        }
        let mut start = i;
        while start > 0 && is_local_char(chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < chars.len() && is_domain_char(chars[end]) {
            end += 1;
        }
        let local: String = chars[start..i].iter().collect();
        let domain: String = chars[i + 1..end].iter().collect();
        let domain = domain.trim_end_matches(['.', '-']);
        let local = local.trim_start_matches('.');
        if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') {
            found.push(format!("{local}@{domain}").to_lowercase());
        }
    }
    found
}

/// Every reference code in `text`, in canonical form: four groups of five symbols
/// separated by single dashes or spaces (how codes are shown and typed), or any run of
/// 20 or more symbols without separators (every 20-symbol window of it, since a code
/// could hide inside a longer token). Case and look-alikes are mapped as for typed codes.
pub fn find_reference_codes(text: &str) -> Vec<String> {
    // Tokens of code symbols, each with the separator that followed it.
    let mut tokens: Vec<(String, Option<char>)> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let symbol = match c.to_ascii_uppercase() {
            'I' | 'L' => Some('1'),
            'O' => Some('0'),
            'U' => None,
            u if u.is_ascii_alphanumeric() => Some(u),
            _ => None,
        };
        match symbol {
            Some(s) => current.push(s),
            None => {
                if !current.is_empty() {
                    tokens.push((std::mem::take(&mut current), Some(c)));
                } else if let Some(last) = tokens.last_mut() {
                    // Two separators in a row end any group.
                    last.1 = None;
                }
            }
        }
    }
    if !current.is_empty() {
        tokens.push((current, None));
    }

    let mut found = Vec::new();
    for (token, _) in &tokens {
        if token.len() >= 20 {
            for start in 0..=(token.len() - 20) {
                found.push(token[start..start + 20].to_owned());
            }
        }
    }
    for window in tokens.windows(4) {
        let grouped = window.iter().all(|(t, _)| t.len() == 5)
            && window[..3]
                .iter()
                .all(|(_, sep)| matches!(sep, Some('-' | ' ')));
        if grouped {
            found.push(window.iter().map(|(t, _)| t.as_str()).collect());
        }
    }
    found
}

/// Checks one message's texts. `allowed_addresses` are the recipient's and the
/// sender's; `own_reference` is the canonical code of the recipient's own enquiry.
pub fn check(
    texts: &[&str],
    allowed_addresses: &[&str],
    own_reference: Option<&str>,
) -> Result<(), Exposure> {
    let allowed: Vec<String> = allowed_addresses.iter().map(|a| a.to_lowercase()).collect();
    for text in texts {
        if find_addresses(text).iter().any(|a| !allowed.contains(a)) {
            return Err(Exposure::OtherAddress);
        }
        // A 20-symbol run that is not the own code: refused. Long alphanumeric runs
        // (tokens, hashes) in a template are refused too; templates have no need of them.
        if find_reference_codes(text)
            .iter()
            .any(|code| Some(code.as_str()) != own_reference)
        {
            return Err(Exposure::OtherReference);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_addresses_in_any_wrapping() {
        let text =
            "Write to <Other.Person@Example.org>, or mailto:x+y@mail.example.af. دری z@q.io.";
        assert_eq!(
            find_addresses(text),
            vec!["other.person@example.org", "x+y@mail.example.af", "z@q.io"]
        );
        assert!(find_addresses("no address @ here, a@b, @example.org").is_empty());
    }

    #[test]
    fn finds_reference_codes_grouped_or_not() {
        let code = "ABCDEFGHJKMNPQRSTVWX";
        assert_eq!(
            find_reference_codes("ref ABCDE-FGHJK-MNPQR-STVWX."),
            vec![code]
        );
        assert_eq!(find_reference_codes("abcde fghjk mnpqr stvwx"), vec![code]);
        assert_eq!(find_reference_codes("x=ABCDEFGHJKMNPQRSTVWX;"), vec![code]);
        assert!(find_reference_codes("ABCDE-FGHJK").is_empty());
        assert!(find_reference_codes("Your reference is below, please keep it safe").is_empty());
        assert!(find_reference_codes("ABCDE, FGHJK, MNPQR, STVWX").is_empty());
    }

    #[test]
    fn the_recipients_own_address_and_code_pass_anything_else_is_refused() {
        let own = "ABCDEFGHJKMNPQRSTVWX";
        assert_eq!(
            check(
                &["Dear ana@example.org, your reference is ABCDE-FGHJK-MNPQR-STVWX"],
                &["ana@example.org", "help@haven.example"],
                Some(own),
            ),
            Ok(())
        );
        assert_eq!(
            check(&["cc: omar@example.org"], &["ana@example.org"], Some(own)),
            Err(Exposure::OtherAddress)
        );
        assert_eq!(
            check(
                &["see ZZZZZ-FGHJK-MNPQR-STVWX"],
                &["ana@example.org"],
                Some(own)
            ),
            Err(Exposure::OtherReference)
        );
        assert_eq!(
            check(&["ABCDE-FGHJK-MNPQR-STVWX"], &["ana@example.org"], None),
            Err(Exposure::OtherReference)
        );
    }
}
