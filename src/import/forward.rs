//! Forwarded mail written into the text of a message: the header block that Gmail,
//! Outlook, Thunderbird and Apple Mail put above the original, and the original text
//! below it.

/// A forwarded message found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    /// What the forwarder wrote above the forwarded message (trimmed; may be empty).
    pub note: String,
    /// The original sender, as written in the `From:` line.
    pub from: String,
    pub subject: Option<String>,
    /// The original text.
    pub text: String,
}

/// Separator lines that say "a forwarded message follows" and nothing else.
fn is_forward_marker(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    let inner = l.trim_matches(|c: char| c == '-' || c.is_whitespace());
    let dashed = l.starts_with("---") && l.ends_with("---");
    (dashed
        && matches!(
            inner,
            "forwarded message" | "message transféré" | "weitergeleitete nachricht"
        ))
        || l == "begin forwarded message:"
        || l == "début du message réexpédié :"
}

/// Separators Outlook puts above both forwards and quoted replies.
fn is_outlook_marker(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    let inner = l.trim_matches(|c: char| c == '-' || c.is_whitespace());
    (l.starts_with("---") && inner == "original message")
        || (l.len() >= 10 && l.chars().all(|c| c == '_'))
}

/// `From: x` → (`from`, `x`), also for `*From:* x` (Outlook's HTML made text).
fn header_line(line: &str) -> Option<(String, String)> {
    let line = line.trim_start().trim_start_matches('*');
    let (key, value) = line.split_once(':')?;
    let key = key.trim().trim_end_matches('*').to_lowercase();
    let known = matches!(
        key.as_str(),
        "from"
            | "de"
            | "von"
            | "sent"
            | "date"
            | "envoyé"
            | "gesendet"
            | "datum"
            | "to"
            | "à"
            | "an"
            | "cc"
            | "subject"
            | "objet"
            | "sujet"
            | "betreff"
            | "reply-to"
            | "importance"
    );
    known.then(|| {
        let value = value.trim_start_matches('*').trim();
        (key, value.to_owned())
    })
}

fn is_from(key: &str) -> bool {
    matches!(key, "from" | "de" | "von")
}

fn is_subject(key: &str) -> bool {
    matches!(key, "subject" | "objet" | "sujet" | "betreff")
}

fn is_sent(key: &str) -> bool {
    matches!(key, "sent" | "date" | "envoyé" | "gesendet" | "datum")
}

/// The subject says the message is a forward (`Fwd:`, `FW:`, `TR:`, `WG:`, `RV:`).
pub fn is_forward_subject(subject: Option<&str>) -> bool {
    let s = subject.unwrap_or("").trim_start().to_lowercase();
    ["fwd:", "fw:", "tr:", "wg:", "rv:", "fwd :", "tr :"]
        .iter()
        .any(|p| s.starts_with(p))
}

/// The header block starting at line `at`: (fields, index of the first line after it).
fn header_block(lines: &[&str], mut at: usize) -> (Vec<(String, String)>, usize) {
    // Some clients leave a blank line between the marker and the block.
    while at < lines.len() && lines[at].trim().is_empty() {
        at += 1;
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    while at < lines.len() {
        let line = lines[at];
        if line.trim().is_empty() {
            break;
        }
        if let Some(field) = header_line(line) {
            fields.push(field);
        } else if line.starts_with([' ', '\t']) && !fields.is_empty() {
            // A folded header line.
            if let Some(last) = fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else {
            break;
        }
        at += 1;
    }
    (fields, at)
}

/// Finds the first forwarded message in `text`. Outlook's markers (and its bare
/// `From:`/`Sent:` block) also start quoted replies, so they count only when the
/// subject says forward or nothing was written above them.
pub fn find(text: &str, subject: Option<&str>) -> Option<Inline> {
    let lines: Vec<&str> = text.lines().collect();
    for i in 0..lines.len() {
        let line = lines[i];
        let (clear, start) = if is_forward_marker(line) {
            (true, i + 1)
        } else if is_outlook_marker(line) {
            (false, i + 1)
        } else if header_line(line).is_some_and(|(k, _)| is_from(&k))
            && lines
                .get(i + 1)
                .and_then(|l| header_line(l))
                .is_some_and(|(k, _)| is_sent(&k))
        {
            (false, i)
        } else {
            continue;
        };
        let note = lines[..i].join("\n").trim().to_owned();
        if !(clear || note.is_empty() || is_forward_subject(subject)) {
            continue;
        }
        let (fields, end) = header_block(&lines, start);
        let Some(from) = fields
            .iter()
            .find(|(k, _)| is_from(k))
            .map(|(_, v)| v.clone())
        else {
            continue;
        };
        let subject = fields
            .iter()
            .find(|(k, _)| is_subject(k))
            .map(|(_, v)| v.clone())
            .filter(|s| !s.is_empty());
        let body = lines[end.min(lines.len())..].join("\n").trim().to_owned();
        return Some(Inline {
            note,
            from,
            subject,
            text: body,
        });
    }
    None
}

/// The address and display name in a `From:` value as mail clients write it:
/// `Name <a@b.c>`, `Name [mailto:a@b.c]`, `"Name" <a@b.c>`, or `a@b.c`.
pub fn split_address(value: &str) -> (Option<String>, String) {
    let value = value.trim();
    let (name, address) = if let Some(open) = value.rfind('<')
        && let Some(close) = value[open..].find('>')
    {
        (&value[..open], &value[open + 1..open + close])
    } else if let Some(open) = value.rfind("[mailto:")
        && let Some(close) = value[open..].find(']')
    {
        (&value[..open], &value[open + 8..open + close])
    } else if let Some(token) = value.split_whitespace().find(|t| t.contains('@')) {
        let at = value.find(token).unwrap_or(0);
        (&value[..at], token)
    } else {
        ("", value)
    };
    let name = name.trim().trim_matches(['"', '\'']).trim();
    let address = address
        .trim()
        .trim_start_matches("mailto:")
        .trim_matches(['(', ')', '"', '\''])
        .to_owned();
    ((!name.is_empty()).then(|| name.to_owned()), address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_forward() {
        let text = "FYI, this came to the info box.\n\n---------- Forwarded message ---------\nFrom: Ana Rahimi <ana@example.org>\nDate: Mon, 16 Aug 2021 at 10:00\nSubject: Please help\nTo: <info@ngo.example>\n\n\nI need help to leave.\nThank you.\n";
        let f = find(text, Some("Fwd: Please help")).unwrap();
        assert_eq!(f.note, "FYI, this came to the info box.");
        assert_eq!(
            split_address(&f.from),
            (Some("Ana Rahimi".into()), "ana@example.org".into())
        );
        assert_eq!(f.subject.as_deref(), Some("Please help"));
        assert_eq!(f.text, "I need help to leave.\nThank you.");
    }

    #[test]
    fn outlook_forward_in_both_forms() {
        let old = "\n-----Original Message-----\nFrom: Ana Rahimi [mailto:ana@example.org]\nSent: Monday, August 16, 2021 10:00 AM\nTo: Info\nSubject: Help\n\nMy text.";
        let f = find(old, Some("FW: Help")).unwrap();
        assert_eq!(split_address(&f.from).1, "ana@example.org");
        assert_eq!(f.text, "My text.");
        let new = "________________________________\nFrom: Ana Rahimi <ana@example.org>\nSent: Monday, 16 August 2021 10:00\nTo: Info <info@ngo.example>\nSubject: Help\n\nMy text.";
        assert_eq!(find(new, None).unwrap().text, "My text.");
        let bare = "*From:* Ana <ana@example.org>\n*Sent:* Monday\n*Subject:* Help\n\nMy text.";
        assert_eq!(
            split_address(&find(bare, None).unwrap().from).1,
            "ana@example.org"
        );
    }

    #[test]
    fn a_quoted_reply_is_not_a_forward() {
        let reply = "Thanks, that helps.\n\n-----Original Message-----\nFrom: Staff <staff@ngo.example>\nSent: Monday\n\nOur answer.";
        assert_eq!(find(reply, Some("RE: Help")), None);
        assert!(find("Just text.\nFrom: here to there", None).is_none());
    }

    #[test]
    fn addresses_in_their_usual_shapes() {
        assert_eq!(
            split_address("ana@example.org"),
            (None, "ana@example.org".into())
        );
        assert_eq!(
            split_address("\"Rahimi, Ana\" <ana@example.org>"),
            (Some("Rahimi, Ana".into()), "ana@example.org".into())
        );
        assert_eq!(split_address("Ana ana@example.org").1, "ana@example.org");
    }
}
