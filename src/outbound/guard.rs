//! The exposure guard: the last check before a message is queued and again before it
//! is sent. It refuses a message whose text carries any email address other than its
//! recipient's (and the sender's), or any reference code other than the recipient's
//! own enquiry's. It errs on the side of refusing: a refused message is audited and
//! looked at by a person; a sent one cannot be called back.

use unicode_general_category::{GeneralCategory, get_general_category};
use unicode_normalization::UnicodeNormalization;

/// Why a message was refused. Deliberately carries no address or code, so the refusal
/// itself can be logged and audited without spreading what it caught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Exposure {
    #[error("the message contains an email address other than its recipient's")]
    OtherAddress,
    #[error("the message contains a reference code of another enquiry")]
    OtherReference,
    /// `=?charset?B?…?=` in a subject: mail clients decode it and show whatever it
    /// hides (an address, a code), so a subject may not carry one at all.
    #[error("the subject contains an encoded word (=?…?=)")]
    EncodedWord,
}

/// Characters a reader does not see: every format character (Cf: zero-width space and
/// joiners, word joiner, soft hyphen, bidirectional controls, tags, BOM) and the other
/// invisible fillers and selectors. Dropped from the guard's view only, never from
/// the message (Dari and Pashto need the zero-width non-joiner).
fn invisible(c: char) -> bool {
    get_general_category(c) == GeneralCategory::Format
        || matches!(
            c,
            '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180B}'..='\u{180F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FFA0}'
                | '\u{E0100}'..='\u{E01EF}'
        )
}

/// Decodes every RFC 2047 encoded word (`=?charset?B|Q?text?=`) in `text`, as a mail
/// client would show it. UTF-8 and ASCII are decoded as such, any other charset byte
/// for byte as Latin-1 (enough to reveal `@` and a code's symbols); whitespace
/// between two encoded words goes, as in RFC 2047.
fn decode_encoded_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut pending_space = String::new();
    let mut after_word = false;
    while let Some(at) = rest.find("=?") {
        let before = &rest[..at];
        if after_word && before.chars().all(char::is_whitespace) {
            pending_space.clear();
        } else {
            out.push_str(&pending_space);
            pending_space.clear();
            out.push_str(before);
        }
        let candidate = &rest[at + 2..];
        match decode_one(candidate) {
            Some((decoded, used)) => {
                out.push_str(&decoded);
                rest = &candidate[used..];
                after_word = true;
                // Whitespace up to a following encoded word is dropped (above).
                let ws = rest.len() - rest.trim_start().len();
                pending_space.push_str(&rest[..ws]);
                rest = &rest[ws..];
            }
            None => {
                out.push_str("=?");
                rest = candidate;
                after_word = false;
            }
        }
    }
    out.push_str(&pending_space);
    out.push_str(rest);
    out
}

/// `charset?E?text?=` → (decoded text, bytes used).
fn decode_one(s: &str) -> Option<(String, usize)> {
    use base64::Engine;
    let q1 = s.find('?')?;
    let charset = s[..q1].split('*').next()?.to_ascii_lowercase();
    if charset.is_empty() || charset.contains(char::is_whitespace) {
        return None;
    }
    let after = &s[q1 + 1..];
    let mut it = after.chars();
    let encoding = it.next()?.to_ascii_uppercase();
    if it.next()? != '?' {
        return None;
    }
    let body_start = q1 + 1 + encoding.len_utf8() + 1;
    let body_len = s[body_start..].find("?=")?;
    let body = &s[body_start..body_start + body_len];
    if body.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match encoding {
        'B' => {
            let trimmed = body.trim_end_matches('=');
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(trimmed)
                .ok()?
        }
        'Q' => {
            let raw = body.as_bytes();
            let mut bytes = Vec::with_capacity(raw.len());
            let mut i = 0;
            while i < raw.len() {
                match raw[i] {
                    b'_' => bytes.push(b' '),
                    b'=' if i + 2 < raw.len() => {
                        let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok()?;
                        bytes.push(u8::from_str_radix(hex, 16).ok()?);
                        i += 2;
                    }
                    b => bytes.push(b),
                }
                i += 1;
            }
            bytes
        }
        _ => return None,
    };
    let decoded = match charset.as_str() {
        "utf-8" | "utf8" | "us-ascii" => String::from_utf8_lossy(&bytes).into_owned(),
        _ => bytes.iter().map(|b| char::from(*b)).collect(),
    };
    Some((decoded, body_start + body_len + 2))
}

/// The text as a reader sees it: encoded words decoded, invisible characters dropped,
/// compatibility forms folded (NFKC: `＠` is `@`, `ＡＢ７` is `AB7`, `ｏｒｇ` is `org`).
pub fn normalise(text: &str) -> String {
    let decoded = decode_encoded_words(text);
    let visible: String = decoded.chars().filter(|c| !invisible(*c)).collect();
    visible.nfkc().filter(|c| !invisible(*c)).collect()
}

/// Whether a subject carries an encoded word (or something a client might take for
/// one). Refused outright: a subject has no need of them, Haven encodes its own.
pub fn has_encoded_word(subject: &str) -> bool {
    // Folded but not decoded: `＝？…？＝` is refused as well.
    let visible: String = subject.chars().filter(|c| !invisible(*c)).collect();
    let folded: String = visible.nfkc().filter(|c| !invisible(*c)).collect();
    folded
        .find("=?")
        .is_some_and(|at| folded[at + 2..].contains("?="))
}

/// Checks a subject: no encoded word (see [`has_encoded_word`]).
pub fn check_subject(subject: &str) -> Result<(), Exposure> {
    if has_encoded_word(subject) {
        Err(Exposure::EncodedWord)
    } else {
        Ok(())
    }
}

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '.'
}

/// Every `local@domain.tld` in `text`, lowercased, whatever surrounds it (angle
/// brackets, `mailto:`, punctuation, other scripts). Reads `text` as it is; the guard
/// first normalises it and undoes the usual obfuscations ([`exposed_addresses`]).
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

/// `[at]`, `(at)`, `{at}`, `<at>` → `@` and the same with `dot` → `.` (with any
/// spaces inside and around), whitespace around `@` dropped, and ` . ` → `.`.
/// `text` is normalised and lowercased.
fn undo_bracketed(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let close = match chars[i] {
            '[' => Some(']'),
            '(' => Some(')'),
            '{' => Some('}'),
            '<' => Some('>'),
            _ => None,
        };
        if let Some(close) = close {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let word_start = j;
            while j < chars.len() && chars[j].is_alphabetic() {
                j += 1;
            }
            let word: String = chars[word_start..j].iter().collect();
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let symbol = match word.as_str() {
                "at" => Some('@'),
                "dot" => Some('.'),
                _ => None,
            };
            if let (Some(symbol), true) = (symbol, j < chars.len() && chars[j] == close) {
                let kept = out.trim_end().len();
                out.truncate(kept);
                out.push(symbol);
                i = j + 1;
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    // `omar @ example . org`
    let mut collapsed = String::with_capacity(out.len());
    let chars: Vec<char> = out.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let spaced_dot = c == '.'
            && i > 0
            && chars[i - 1].is_whitespace()
            && chars.get(i + 1).is_some_and(|n| n.is_whitespace());
        if c == '@' || spaced_dot {
            let kept = collapsed.trim_end().len();
            collapsed.truncate(kept);
            collapsed.push(c);
            i += 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            continue;
        }
        collapsed.push(c);
        i += 1;
    }
    collapsed
}

/// `omar at example dot org`: a word, `at`, a word, then one or more `dot word`. Both
/// words are needed: "the guidance at gov.uk" is prose, not an address.
fn spelled_out(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let plain = |w: &str| !w.is_empty() && w.chars().all(is_local_char);
    // Punctuation may open the address and close it, not break it ("at home, dot").
    let mut found = Vec::new();
    for i in 1..words.len().saturating_sub(3) {
        if words[i] != "at" {
            continue;
        }
        let local = words[i - 1].trim_start_matches(|c: char| !c.is_alphanumeric());
        if !plain(local) || !plain(words[i + 1]) {
            continue;
        }
        let mut domain = words[i + 1].to_owned();
        let mut j = i + 2;
        while j + 1 < words.len() && words[j] == "dot" {
            let last = words[j + 1].trim_end_matches(|c: char| !c.is_alphanumeric());
            if !plain(last) {
                break;
            }
            domain.push('.');
            domain.push_str(last);
            j += 2;
            if last.len() != words[j - 1].len() {
                break;
            }
        }
        if j > i + 2 {
            found.push(format!("{local}@{domain}"));
        }
    }
    found
}

/// Every address a reader could take from `text`: written plainly, in fullwidth or
/// other compatibility forms, with invisible characters inside, in an encoded word,
/// or spelled out (`omar [at] example [dot] org`, `omar at example dot org`).
pub fn exposed_addresses(text: &str) -> Vec<String> {
    let seen = normalise(text).to_lowercase();
    // As written too: normalising can change an address so that it reads as another
    // (or as none); either reading showing a stranger's address refuses (found by the
    // guard fuzz target).
    let mut found: Vec<String> = find_addresses(text)
        .iter()
        .map(|a| normalise(a).to_lowercase())
        .collect();
    found.extend(find_addresses(&seen));
    found.extend(find_addresses(&undo_bracketed(&seen)));
    found.extend(spelled_out(&seen));
    found
}

/// A run of code symbols, whether it holds a written digit (not a look-alike letter),
/// and the characters after it up to the next run.
struct Run {
    symbols: String,
    digit: bool,
    separator: String,
}

/// Every reference code in `text` (normalised first), in canonical form. Found:
/// - any run of 20 or more symbols (every 20-symbol window of it, since a code could
///   hide inside a longer token);
/// - 4 groups of 5, 5 groups of 4 or 2 groups of 10 symbols, with any separator of
///   one to three non-alphanumeric characters between them (`-`, `.`, `–`, `/`, `_`,
///   ` – `, `, `, …). Groups of four or ten whose separators include one ending in a
///   space (as prose does) count only when they hold a digit.
///
/// So "when they have been sent" (five groups of four) stays sendable; a code in
/// groups of four joined by spaces is still found unless it has no digit at all
/// (about 1 code in 1,800).
///
/// Case and look-alikes are mapped as for typed codes.
pub fn find_reference_codes(text: &str) -> Vec<String> {
    let text = normalise(text);
    let mut runs: Vec<Run> = Vec::new();
    let mut current = Run {
        symbols: String::new(),
        digit: false,
        separator: String::new(),
    };
    for c in text.chars() {
        let symbol = match c.to_ascii_uppercase() {
            'I' | 'L' => Some('1'),
            'O' => Some('0'),
            'U' => None,
            u if u.is_ascii_alphanumeric() => Some(u),
            _ => None,
        };
        match symbol {
            Some(s) if current.separator.is_empty() => {
                current.symbols.push(s);
                current.digit |= c.is_ascii_digit();
            }
            Some(s) => {
                let next = Run {
                    symbols: s.to_string(),
                    digit: c.is_ascii_digit(),
                    separator: String::new(),
                };
                runs.push(std::mem::replace(&mut current, next));
            }
            None if current.symbols.is_empty() => {}
            None => current.separator.push(c),
        }
    }
    if !current.symbols.is_empty() {
        runs.push(current);
    }

    let mut found = Vec::new();
    for run in &runs {
        let n = run.symbols.len();
        if n >= 20 {
            for start in 0..=(n - 20) {
                found.push(run.symbols[start..start + 20].to_owned());
            }
        }
    }
    let joins = |sep: &str| {
        (1..=3).contains(&sep.chars().count()) && !sep.chars().any(char::is_alphanumeric)
    };
    for (size, groups) in [(5, 4), (4, 5), (10, 2)] {
        for window in runs.windows(groups) {
            if !window.iter().all(|r| r.symbols.len() == size)
                || !window[..groups - 1].iter().all(|r| joins(&r.separator))
            {
                continue;
            }
            // A separator ending in whitespace could be prose (", ", ". ", " "); codes
            // in fives are how they are shown, and prose has no digits.
            let prose = |r: &Run| r.separator.ends_with(char::is_whitespace);
            let digit = window.iter().any(|r| r.digit);
            if size == 5 || digit || !window[..groups - 1].iter().any(prose) {
                found.push(window.iter().map(|r| r.symbols.as_str()).collect());
            }
        }
    }
    found
}

/// Checks one message's texts. `allowed_addresses` are the recipient's and the
/// sender's; `own_reference` is the canonical code of the recipient's own enquiry.
/// Every text is read as a reader would see it ([`normalise`]).
pub fn check(
    texts: &[&str],
    allowed_addresses: &[&str],
    own_reference: Option<&str>,
) -> Result<(), Exposure> {
    let allowed: Vec<String> = allowed_addresses
        .iter()
        .map(|a| normalise(a).to_lowercase())
        .collect();
    for text in texts {
        if exposed_addresses(text).iter().any(|a| !allowed.contains(a)) {
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
        // Any separator, the same each time, is a code written out.
        assert_eq!(
            find_reference_codes("ABCDE, FGHJK, MNPQR, STVWX"),
            vec![code]
        );
        // Prose in short words is not.
        for prose in [
            "When they have been sent, look at the guidance at gov.uk.",
            "Dear Ana, we have your form and will write back soon.",
        ] {
            assert!(find_reference_codes(prose).is_empty(), "{prose}");
        }
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

    /// The outside review's inputs, and their kin: each is refused.
    #[test]
    fn obfuscated_addresses_are_refused() {
        let allowed = ["ana@example.org", "help@haven.example"];
        for text in [
            "omar＠example.org",
            "omar\u{200b}@example.org",
            "omar@exa\u{00ad}mple.org",
            "omar\u{2060}@\u{feff}example.org",
            "omar [at] example [dot] org",
            "omar(at)example(dot)org",
            "omar { AT } example.org",
            "omar <at> example <dot> org",
            "omar at example dot org",
            "Omar At Example Dot Org",
            "omar @ example . org",
            "ｏｍａｒ＠ｅｘａｍｐｌｅ．ｏｒｇ",
            "=?utf-8?Q?omar=40example.org?=",
            "=?UTF-8?B?b21hckBleGFtcGxlLm9yZw==?=",
            "=?utf-8?Q?omar?= =?utf-8?Q?=40example.org?=",
            "=?iso-8859-1?q?omar=40example=2Eorg?=",
        ] {
            assert_eq!(
                check(&[text], &allowed, None),
                Err(Exposure::OtherAddress),
                "{text}"
            );
        }
        for text in [
            "ana＠example.org",
            "ａｎａ@example.org",
            "look at the guidance at gov.uk",
            "we are at home, dot the i",
            "می‌خواهیم کمک کنیم",
        ] {
            assert_eq!(check(&[text], &allowed, None), Ok(()), "{text}");
        }
    }

    #[test]
    fn encoded_words_in_subjects_are_refused_outright() {
        for subject in [
            "=?utf-8?Q?Hello?=",
            "Re: =?utf-8?B?b21hckBleGFtcGxlLm9yZw==?=",
            "＝？utf-8？Q？x？＝",
            "=\u{200b}?x?q?y?=",
        ] {
            assert_eq!(
                check_subject(subject),
                Err(Exposure::EncodedWord),
                "{subject}"
            );
        }
        for subject in ["About your case", "Is 2+2=4? Yes", "= ? not one"] {
            assert_eq!(check_subject(subject), Ok(()), "{subject}");
        }
    }

    mod written_out {
        use super::super::*;
        use proptest::prelude::*;

        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

        fn code() -> impl Strategy<Value = String> {
            proptest::collection::vec(0..32usize, 20)
                .prop_map(|v| v.iter().map(|i| ALPHABET[*i] as char).collect())
        }

        proptest! {
            /// Another enquirer's code in groups of 4, 5 or 10 with any separator
            /// (the same throughout, or mixed), any case, fullwidth or with invisible
            /// characters inside: always found.
            #[test]
            fn any_grouping_and_separator_is_found(
                code in code(),
                size in prop::sample::select(vec![4usize, 5, 10]),
                seps in proptest::collection::vec(
                    prop::sample::select(vec![
                        "-", ".", "–", "—", "/", "_", ":", "·", " - ", " / ", ". ", "=", " ",
                    ]),
                    1..3,
                ),
                lower in any::<bool>(),
                fullwidth in any::<bool>(),
            ) {
                let groups: Vec<&str> = code
                    .as_bytes()
                    .chunks(size)
                    .map(|c| std::str::from_utf8(c).unwrap())
                    .collect();
                let mut text = String::from("see ");
                for (i, g) in groups.iter().enumerate() {
                    if i > 0 {
                        text.push_str(seps[i % seps.len()]);
                    }
                    text.push_str(g);
                }
                text.push_str(" please");
                if lower {
                    text = text.to_lowercase();
                }
                if fullwidth {
                    text = text
                        .chars()
                        .map(|c| match c {
                            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap(),
                            c => c,
                        })
                        .collect();
                }
                let prose = (1..groups.len()).any(|i| seps[i % seps.len()].ends_with(' '));
                let digit = code.chars().any(|c| c.is_ascii_digit());
                prop_assume!(size == 5 || digit || !prose);
                prop_assert!(find_reference_codes(&text).contains(&code), "{}", text);
                prop_assert_eq!(
                    check(&[&text], &[], Some("0000000000000000000Z")),
                    Err(Exposure::OtherReference)
                );
                prop_assert_eq!(check(&[&text], &[], Some(code.as_str())), Ok(()));
            }

            /// Groups joined by plain spaces: found when there is a digit, or in fives.
            #[test]
            fn spaced_groups_are_found_with_a_digit(
                code in code(),
                size in prop::sample::select(vec![4usize, 5, 10]),
            ) {
                let text = code
                    .as_bytes()
                    .chunks(size)
                    .map(|c| std::str::from_utf8(c).unwrap())
                    .collect::<Vec<_>>()
                    .join(" ");
                if size == 5 || code.chars().any(|c| c.is_ascii_digit()) {
                    prop_assert!(find_reference_codes(&text).contains(&code), "{}", text);
                }
            }
        }
    }
}
