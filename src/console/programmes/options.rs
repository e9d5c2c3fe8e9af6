//! A question's options as rows: one row per option, its value and an input per
//! language of the programme (each marked with its language and direction, so Dari and
//! English are typed and read correctly side by side), a box to remove it, and empty
//! rows for new ones. Shared by the page that adds a question and a question's page.

use maud::{Markup, html};

use super::shown::text_in;
use super::widgets::Posted;
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::programme::FieldOption;

/// Empty rows under a question's options, for new ones.
pub(super) const BLANK_ROWS: usize = 3;

/// The option rows as posted (`opt.{i}.value`, `opt.{i}.label.{tag}`,
/// `opt.{i}.remove`), in order; blank rows and rows marked for removal are left out.
/// `Err`: the row number (from 1) of a row with a label but no value.
pub(super) fn options_from(
    posted: &Posted,
    languages: &[Language],
) -> Result<Vec<FieldOption>, usize> {
    let mut options = Vec::new();
    for i in 0.. {
        let Some(value) = posted.get(&format!("opt.{i}.value")) else {
            break;
        };
        if posted.has(&format!("opt.{i}.remove")) {
            continue;
        }
        let label = posted.localised(&format!("opt.{i}.label"), languages);
        let value = value.trim();
        match (value.is_empty(), label.is_empty()) {
            (true, true) => continue,
            (true, false) => return Err(i + 1),
            _ => options.push(FieldOption {
                value: value.to_owned(),
                label,
            }),
        }
    }
    Ok(options)
}

/// One row per option: its value, a label per language, and a box to remove it; then
/// `blanks` empty rows. After a refused save, the rows as they were typed.
pub(super) fn option_rows(
    lang: Language,
    languages: &[Language],
    options: &[FieldOption],
    typed: Option<&Posted>,
    blanks: usize,
) -> Markup {
    let rows: Vec<(String, Vec<String>, bool)> = match typed {
        Some(posted) if posted.has("opt.0.value") => (0..)
            .map_while(|i| {
                let value = posted.get(&format!("opt.{i}.value"))?;
                Some((
                    value.to_owned(),
                    languages
                        .iter()
                        .map(|l| {
                            posted
                                .text(&format!("opt.{i}.label.{}", l.tag()))
                                .to_owned()
                        })
                        .collect(),
                    posted.has(&format!("opt.{i}.remove")),
                ))
            })
            .collect(),
        _ => options
            .iter()
            .map(|o| {
                (
                    o.value.clone(),
                    languages.iter().map(|l| text_in(&o.label, *l)).collect(),
                    false,
                )
            })
            .chain(
                (0..blanks).map(|_| (String::new(), vec![String::new(); languages.len()], false)),
            )
            .collect(),
    };
    html! {
        fieldset class="options" id="options" {
            legend { (t(lang, "pe-options")) }
            p class="hint" { (t(lang, "launch-options-hint")) }
            div class="table-scroll" {
                table class="compact option-rows" {
                    thead { tr {
                        th scope="col" { (t(lang, "launch-option-value")) }
                        @for l in languages {
                            th scope="col" lang=(l.tag()) { (l.endonym()) }
                        }
                        th scope="col" { (t(lang, "pe-remove")) }
                    } }
                    tbody {
                        @for (i, (value, labels, remove)) in rows.iter().enumerate() {
                            tr id={ "option-" (i) } {
                                td {
                                    label class="visually-hidden" for={ "opt-" (i) "-value" } { (t_args(lang, "launch-option-value-n", &[("n", (i + 1).to_string())])) }
                                    input type="text" id={ "opt-" (i) "-value" } name={ "opt." (i) ".value" } value=(value)
                                        dir="ltr" class="short" spellcheck="false" autocomplete="off";
                                }
                                @for (l, label) in languages.iter().zip(labels) {
                                    td {
                                        label class="visually-hidden" for={ "opt-" (i) "-" (l.tag()) } {
                                            (t_args(lang, "launch-option-label-n", &[("n", (i + 1).to_string()), ("language", l.endonym().to_owned())]))
                                        }
                                        input type="text" id={ "opt-" (i) "-" (l.tag()) } name={ "opt." (i) ".label." (l.tag()) } value=(label)
                                            lang=(l.tag()) dir=(l.dir()) autocomplete="off";
                                    }
                                }
                                td {
                                    @if !value.is_empty() {
                                        input type="checkbox" id={ "opt-" (i) "-remove" } name={ "opt." (i) ".remove" } value="yes" checked[*remove];
                                        label for={ "opt-" (i) "-remove" } class="visually-hidden" {
                                            (t_args(lang, "launch-option-remove-n", &[("n", (i + 1).to_string())]))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Posted {
        Posted::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn option_rows_read_back_in_order_without_blank_or_removed_rows() {
        let langs = [Language::En, Language::Ar];
        let form = posted(&[
            ("opt.0.value", "yes"),
            ("opt.0.label.en", "Yes"),
            ("opt.0.label.ar", "نعم"),
            ("opt.1.value", "no"),
            ("opt.1.label.en", " No\r\n"),
            ("opt.1.label.ar", ""),
            ("opt.1.remove", "yes"),
            ("opt.2.value", " maybe "),
            ("opt.2.label.en", ""),
            ("opt.2.label.ar", "ربما"),
            ("opt.3.value", ""),
            ("opt.3.label.en", ""),
            ("opt.3.label.ar", ""),
        ]);
        let options = options_from(&form, &langs).unwrap();
        assert_eq!(options.len(), 2);
        assert_eq!(options[0].value, "yes");
        assert_eq!(options[0].label.get("ar").map(String::as_str), Some("نعم"));
        assert_eq!(options[1].value, "maybe");
        assert_eq!(options[1].label.get("en"), None);
        let no_value = posted(&[("opt.0.value", ""), ("opt.0.label.en", "Label")]);
        assert_eq!(options_from(&no_value, &langs), Err(1));
    }
}
