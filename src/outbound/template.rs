//! Reply templates: `{placeholder}` text rendered with the context of one enquiry.
//!
//! A [`Context`] holds one enquiry's values and nothing else, so a rendered message can
//! only ever speak of its own enquiry. Placeholders are checked when a programme is
//! saved (`Programme::parse` calls [`placeholders`]), so an unknown one is an error for
//! the administrator, never a surprise at send time. `{{` and `}}` are literal braces.
//!
//! The HTML alternative is made from the plain text (escaped, paragraphs and line
//! breaks kept) rather than written by hand: it cannot drift from the text, and no
//! template or typed reply can inject markup into anyone's mail client.

use maud::{Markup, html};

use super::Rendered;

/// Every placeholder a template may use.
pub const PLACEHOLDERS: [&str; 4] = ["reference", "name", "inbox_url", "programme"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "unknown placeholder {{{0}}}; the placeholders are {{reference}}, {{name}}, {{inbox_url}} and {{programme}}"
    )]
    Unknown(String),
    #[error("a {{ without its closing }} (write {{{{ for a literal brace)")]
    Unclosed,
    #[error("a }} without its opening {{ (write }}}} for a literal brace)")]
    Unopened,
}

/// One enquiry's values, the only things a template can say.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The reference code as the person saw it on their receipt.
    pub reference: String,
    /// The name they gave, if the programme has a name field and they answered it.
    pub name: Option<String>,
    /// Where their reply inbox is.
    pub inbox_url: String,
    /// The programme's title in their language.
    pub programme: String,
}

impl Context {
    fn value(&self, placeholder: &str) -> &str {
        match placeholder {
            "reference" => &self.reference,
            "name" => self.name.as_deref().unwrap_or(""),
            "inbox_url" => &self.inbox_url,
            "programme" => &self.programme,
            _ => "",
        }
    }
}

enum Piece<'a> {
    Text(&'a str),
    Brace(char),
    Placeholder(&'a str),
}

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        out.push(Piece::Text(&rest[..at]));
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push(Piece::Brace('{'));
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push(Piece::Brace('}'));
            rest = after;
        } else if tail.starts_with('}') {
            return Err(TemplateError::Unopened);
        } else {
            let end = tail.find('}').ok_or(TemplateError::Unclosed)?;
            let name = tail[1..end].trim();
            if !PLACEHOLDERS.contains(&name) {
                return Err(TemplateError::Unknown(name.to_owned()));
            }
            out.push(Piece::Placeholder(name));
            rest = &tail[end + 1..];
        }
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// The placeholders `text` uses; an error for anything that is not one.
pub fn placeholders(text: &str) -> Result<Vec<&str>, TemplateError> {
    Ok(pieces(text)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Placeholder(name) => Some(name),
            _ => None,
        })
        .collect())
}

/// Renders `text` with `ctx`. Text that does not parse renders as written (callers
/// render only what `placeholders` accepted when the programme was saved).
pub fn render_text(text: &str, ctx: &Context) -> String {
    let Ok(pieces) = pieces(text) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len() + 64);
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Brace(c) => out.push(c),
            Piece::Placeholder(name) => out.push_str(ctx.value(name)),
        }
    }
    out
}

/// A subject is one header line: line breaks (typed, or inside a name) become spaces,
/// so no value can start a header of its own.
pub fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The HTML alternative of a plain-text body.
pub fn html_from_text(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n");
    let paragraphs: Vec<Vec<&str>> = normalised
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.lines().collect())
        .collect();
    let body: Markup = html! {
        @for p in &paragraphs {
            p {
                @for (i, line) in p.iter().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    };
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body dir=\"auto\">{}</body></html>",
        body.into_string()
    )
}

/// A complete message: subject and body rendered for one enquiry, with its HTML
/// alternative.
pub fn render(subject: &str, body: &str, ctx: &Context) -> Rendered {
    let text = render_text(body, ctx);
    Rendered {
        subject: one_line(&render_text(subject, ctx)),
        html: Some(html_from_text(&text)),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            reference: "ABCDE-FGHJK-MNPQR-STVWX".into(),
            name: Some("Ana".into()),
            inbox_url: "https://help.example/p/x/status".into(),
            programme: "Help".into(),
        }
    }

    #[test]
    fn placeholders_render_and_braces_escape() {
        assert_eq!(
            render_text(
                "Dear {name}, ref {reference} {{literal}} {programme}",
                &ctx()
            ),
            "Dear Ana, ref ABCDE-FGHJK-MNPQR-STVWX {literal} Help"
        );
        assert_eq!(render_text("{ name }", &ctx()), "Ana");
        let anon = Context {
            name: None,
            ..ctx()
        };
        assert_eq!(render_text("Dear {name}.", &anon), "Dear .");
    }

    #[test]
    fn unknown_or_broken_placeholders_are_errors() {
        assert_eq!(
            placeholders("{email}"),
            Err(TemplateError::Unknown("email".into()))
        );
        assert_eq!(placeholders("{name"), Err(TemplateError::Unclosed));
        assert_eq!(placeholders("name}"), Err(TemplateError::Unopened));
        assert_eq!(placeholders("{{ok}} {inbox_url}"), Ok(vec!["inbox_url"]));
        assert!(
            TemplateError::Unknown("x".into())
                .to_string()
                .contains("{reference}")
        );
    }

    #[test]
    fn a_subject_stays_one_line_whatever_the_name_holds() {
        let evil = Context {
            name: Some("Ana\r\nBcc: everyone@example.org\r\n".into()),
            ..ctx()
        };
        let r = render("Reply for {name}", "Hello {name}", &evil);
        assert!(!r.subject.contains(['\r', '\n']), "{:?}", r.subject);
        assert_eq!(r.subject, "Reply for Ana Bcc: everyone@example.org");
    }

    #[test]
    fn the_html_alternative_is_escaped_text() {
        let h = html_from_text("Hello <b>you</b> & co\nline two\n\nsecond paragraph");
        assert!(
            h.contains(
                "<p>Hello &lt;b&gt;you&lt;/b&gt; &amp; co<br>line two</p><p>second paragraph</p>"
            ),
            "{h}"
        );
        assert!(!h.contains("<b>"));
    }
}
