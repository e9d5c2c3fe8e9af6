//! Programme-defined labels on staff pages (issue 22, item 7): queue names, field and
//! option labels, the programme's title, in the staff member's console language where
//! the programme file gives that text, else its default language. Staff-only texts
//! (queue names) may be given in any language Haven's console speaks, even one the
//! form is not offered in (`programme::parse`).

use crate::domain::Language;
use crate::programme::Programme;

/// A queue's name for `lang`; its key when the programme has no such queue.
pub fn queue_name(p: &Programme, key: &str, lang: Language) -> String {
    p.file()
        .queues
        .iter()
        .find(|q| q.key == key)
        .map(|q| p.text(&q.name, lang).to_owned())
        .unwrap_or_else(|| key.to_owned())
}

/// The programme's title for `lang`.
pub fn title(p: &Programme, lang: Language) -> String {
    p.text(&p.file().title, lang).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../ops/examples/afghanistan-2021.toml");

    #[test]
    fn queue_names_in_every_console_language_the_example_gives() {
        let p = Programme::parse(EXAMPLE).expect("the example parses");
        assert!(
            !p.languages().contains(&Language::Uk),
            "not a form language"
        );
        for lang in Language::ALL {
            let name = queue_name(&p, "family", lang);
            assert_eq!(
                name,
                p.file().queues[2].name[lang.tag()],
                "{lang:?} has its own"
            );
        }
        assert_eq!(
            queue_name(&p, "family", Language::FaAf),
            "پیوستن به خانواده"
        );
        assert_eq!(queue_name(&p, "gone", Language::En), "gone");
    }

    #[test]
    fn only_staff_texts_may_be_in_a_language_the_form_does_not_offer() {
        // A queue name in Ukrainian: fine. The form's title in Ukrainian: still refused.
        assert!(Programme::parse(EXAMPLE).is_ok());
        let title = EXAMPLE.replacen("[title]\n", "[title]\nuk = \"Звернення\"\n", 1);
        assert_ne!(title, EXAMPLE, "the example has an English title");
        assert!(Programme::parse(&title).is_err());
    }
}
