//! Where a question and its options are used elsewhere in a programme: routing rules
//! (conditions on its answers), partners' sharing profiles, the consent box, the
//! name in replies, imported mail's text.
//!
//! The editor asks this before and after a change to a question, so that it can say
//! in words which rule uses which option that is going, link to it, and fix both in
//! the same save, instead of showing the parser's
//! `routing.rules[2].when[0].equals: "former_staff" is not an option value…`.

use super::definition::{Condition, Field, FieldKind, ProgrammeFile};

/// A rule's condition that no longer fits the questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The rule's place in `routing.rules`, and its name.
    pub rule: usize,
    pub rule_name: String,
    /// The condition's place in the rule.
    pub condition: usize,
    pub field: String,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The question is gone.
    NoQuestion,
    /// The condition tests for this answer, which is no longer one of the options.
    NoOption(String),
}

/// The values a condition tests for (`equals`, `in`).
fn values(c: &Condition) -> Vec<&str> {
    match (&c.equals, &c.one_of) {
        (Some(v), _) => vec![v.as_str()],
        (None, Some(vs)) => vs.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn has_option(field: &Field, value: &str) -> bool {
    field.options.iter().any(|o| o.value == value)
}

/// Every condition that tests a question that is gone, or an option a question no
/// longer has.
pub fn broken_conditions(file: &ProgrammeFile) -> Vec<Broken> {
    let mut found = Vec::new();
    for (i, rule) in file.routing.rules.iter().enumerate() {
        for (j, c) in rule.when.iter().enumerate() {
            let why = match file.fields.iter().find(|f| f.key == c.field) {
                None => Some(Why::NoQuestion),
                Some(field) if !field.options.is_empty() => values(c)
                    .into_iter()
                    .find(|v| !has_option(field, v))
                    .map(|v| Why::NoOption(v.to_owned())),
                Some(_) => None,
            };
            if let Some(why) = why {
                found.push(Broken {
                    rule: i,
                    rule_name: rule.name.clone(),
                    condition: j,
                    field: c.field.clone(),
                    why,
                });
            }
        }
    }
    found
}

/// The conditions on `field`, as (rule, condition) places.
pub fn conditions_on(file: &ProgrammeFile, field: &str) -> Vec<(usize, usize)> {
    file.routing
        .rules
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.when
                .iter()
                .enumerate()
                .filter(|(_, c)| c.field == field)
                .map(move |(j, _)| (i, j))
        })
        .collect()
}

/// Removes the conditions at `places` (rule, condition), and every rule left with no
/// condition (a rule without one would match nothing it could be asked about).
/// Returns the names of the rules removed.
pub fn drop_conditions(file: &mut ProgrammeFile, places: &[(usize, usize)]) -> Vec<String> {
    for (i, rule) in file.routing.rules.iter_mut().enumerate() {
        let mut j = 0;
        rule.when.retain(|_| {
            let keep = !places.contains(&(i, j));
            j += 1;
            keep
        });
    }
    let removed: Vec<String> = file
        .routing
        .rules
        .iter()
        .filter(|r| r.when.is_empty())
        .map(|r| r.name.clone())
        .collect();
    file.routing.rules.retain(|r| !r.when.is_empty());
    removed
}

/// Another part of the programme that names a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Use {
    /// A partner's profile sends its answers.
    Partner(String),
    /// It is the consent box referrals depend on.
    Consent,
    /// Its answer is `{name}` in replies.
    NameField,
    /// Imported mail's text goes into it.
    ImportText,
}

/// What else names `field` (besides routing rules).
pub fn other_uses(file: &ProgrammeFile, field: &str) -> Vec<Use> {
    let mut found: Vec<Use> = file
        .partners
        .iter()
        .filter(|p| p.fields.iter().any(|f| f == field))
        .map(|p| Use::Partner(p.key.clone()))
        .collect();
    if file.referrals.consent_field.as_deref() == Some(field) {
        found.push(Use::Consent);
    }
    if file.outbound.name_field.as_deref() == Some(field) {
        found.push(Use::NameField);
    }
    let import_text = file.import.text_field.as_deref().or_else(|| {
        file.fields
            .iter()
            .find(|f| f.kind == FieldKind::Textarea)
            .map(|f| f.key.as_str())
    });
    if import_text == Some(field) {
        found.push(Use::ImportText);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::Programme;

    const EXAMPLE: &str = include_str!("../../ops/examples/afghanistan-2021.toml");

    fn example() -> ProgrammeFile {
        Programme::parse(EXAMPLE).unwrap().file().clone()
    }

    #[test]
    fn a_removed_option_names_the_rule_that_tests_for_it() {
        let mut file = example();
        assert!(broken_conditions(&file).is_empty());
        let help = file
            .fields
            .iter_mut()
            .find(|f| f.key == "help_category")
            .unwrap();
        help.options.retain(|o| o.value != "former_staff");
        let broken = broken_conditions(&file);
        assert_eq!(
            broken,
            [Broken {
                rule: 2,
                rule_name: "Former staff".into(),
                condition: 0,
                field: "help_category".into(),
                why: Why::NoOption("former_staff".into()),
            }]
        );
        // Dropping that condition drops the rule it leaves empty, and the file is whole.
        let removed = drop_conditions(&mut file, &[(2, 0)]);
        assert_eq!(removed, ["Former staff"]);
        let text = crate::programme::editing::to_text(&file).unwrap();
        Programme::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_removed_question_breaks_every_condition_on_it() {
        let mut file = example();
        assert_eq!(
            conditions_on(&file, "help_category"),
            [(1, 0), (2, 0), (3, 0)]
        );
        file.fields.retain(|f| f.key != "help_category");
        let broken = broken_conditions(&file);
        assert_eq!(broken.len(), 3);
        assert!(broken.iter().all(|b| b.why == Why::NoQuestion));
    }

    #[test]
    fn other_uses_of_a_question_are_named() {
        let file = example();
        assert_eq!(
            other_uses(&file, "full_name"),
            [Use::Partner("resettlement-ngo".into()), Use::NameField]
        );
        assert_eq!(other_uses(&file, "consent_partners"), [Use::Consent]);
        assert_eq!(other_uses(&file, "situation"), [Use::ImportText]);
        assert!(other_uses(&file, "date_of_birth").is_empty());
    }
}
