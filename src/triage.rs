//! Triage: which queue, at which priority, an enquiry goes to, from its answers.
//!
//! Pure and deterministic, so that it can run in the public role at submission
//! time (the answers are encrypted right after and cannot be re-read there) and
//! be re-run by tests and by staff tooling with the same result.

use crate::programme::{Answer, Answers, Condition, Match, Routing, RoutingRule};

/// Where an enquiry goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub queue: String,
    /// 1 is most urgent.
    pub priority: u8,
    /// Name of the rule that matched; `None` means the routing's default.
    pub rule: Option<String>,
}

/// Applies the rules in order; the first that matches decides, otherwise the default.
///
/// Answers must already be validated against the programme (empty optional
/// answers absent, choices restricted to option values); `routing` is expected
/// to come from a [`crate::programme::Programme`], whose validation guarantees
/// each condition has exactly one operator and fits its field's kind. On
/// unvalidated input nothing panics: an impossible condition simply never holds.
pub fn route(routing: &Routing, answers: &Answers) -> Route {
    routing
        .rules
        .iter()
        .find(|rule| matches(rule, answers))
        .map(|rule| Route {
            queue: rule.queue.clone(),
            priority: rule.priority,
            rule: Some(rule.name.clone()),
        })
        .unwrap_or_else(|| Route {
            queue: routing.default_queue.clone(),
            priority: routing.default_priority,
            rule: None,
        })
}

fn matches(rule: &RoutingRule, answers: &Answers) -> bool {
    let mut results = rule.when.iter().map(|c| holds(c, answers.get(&c.field)));
    match rule.match_ {
        Match::All => results.all(|held| held),
        Match::Any => results.any(|held| held),
    }
}

fn holds(condition: &Condition, answer: Option<&Answer>) -> bool {
    if let Some(expected) = condition.answered {
        return answer.is_some_and(Answer::is_answered) == expected;
    }
    let Some(answer) = answer else {
        return false;
    };
    if let Some(value) = &condition.equals {
        return match answer {
            Answer::Text(text) => text == value,
            Answer::Choices(ticked) => ticked.contains(value),
            // A single checkbox is tested with `answered`; validation rejects `equals` on it.
            Answer::Flag(_) => false,
        };
    }
    if let Some(values) = &condition.one_of {
        return match answer {
            Answer::Text(text) => values.contains(text),
            Answer::Choices(ticked) => ticked.iter().any(|t| values.contains(t)),
            Answer::Flag(_) => false,
        };
    }
    if let Some(needle) = &condition.contains {
        return match answer {
            // Lowercasing both sides rather than comparing char by char, because
            // Unicode lowercase mappings may change the length (e.g. `İ`).
            Answer::Text(text) => text.to_lowercase().contains(&needle.to_lowercase()),
            Answer::Choices(_) | Answer::Flag(_) => false,
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(field: &str) -> Condition {
        Condition {
            field: field.to_owned(),
            equals: None,
            one_of: None,
            contains: None,
            answered: None,
        }
    }

    fn equals(field: &str, value: &str) -> Condition {
        Condition {
            equals: Some(value.to_owned()),
            ..cond(field)
        }
    }

    fn one_of(field: &str, values: &[&str]) -> Condition {
        Condition {
            one_of: Some(values.iter().map(|v| v.to_string()).collect()),
            ..cond(field)
        }
    }

    fn contains(field: &str, needle: &str) -> Condition {
        Condition {
            contains: Some(needle.to_owned()),
            ..cond(field)
        }
    }

    fn answered(field: &str, yes: bool) -> Condition {
        Condition {
            answered: Some(yes),
            ..cond(field)
        }
    }

    fn rule(
        name: &str,
        queue: &str,
        priority: u8,
        match_: Match,
        when: Vec<Condition>,
    ) -> RoutingRule {
        RoutingRule {
            name: name.to_owned(),
            queue: queue.to_owned(),
            priority,
            match_,
            when,
        }
    }

    /// Mirrors the routing of the Afghanistan example, plus rules exercising every operator.
    fn routing() -> Routing {
        Routing {
            default_queue: "general".to_owned(),
            default_priority: 5,
            rules: vec![
                rule(
                    "Immediate danger",
                    "urgent",
                    1,
                    Match::All,
                    vec![equals("in_danger", "yes")],
                ),
                // `any`: either signal is enough.
                rule(
                    "Medical or threats",
                    "urgent",
                    2,
                    Match::Any,
                    vec![
                        one_of("needs", &["medical"]),
                        contains("situation", "THREAT"),
                    ],
                ),
                // Dari: "تهدید" (threat) in the description.
                rule(
                    "Threat (Dari)",
                    "urgent",
                    2,
                    Match::All,
                    vec![contains("situation", "تهدید")],
                ),
                rule(
                    "Arrest (French)",
                    "urgent",
                    2,
                    Match::All,
                    vec![contains("situation", "ARRÊTÉ")],
                ),
                // `all`: former staff with a phone number, so they can be called back.
                rule(
                    "Former staff reachable",
                    "former-staff",
                    2,
                    Match::All,
                    vec![
                        equals("help_category", "former_staff"),
                        answered("phone", true),
                    ],
                ),
                rule(
                    "Former staff",
                    "former-staff",
                    3,
                    Match::All,
                    vec![equals("help_category", "former_staff")],
                ),
                rule(
                    "Family",
                    "family",
                    3,
                    Match::All,
                    vec![one_of("help_category", &["family_reunion", "family_visa"])],
                ),
                rule(
                    "Housing without consent",
                    "general",
                    4,
                    Match::All,
                    vec![equals("needs", "housing"), answered("consent", false)],
                ),
            ],
        }
    }

    fn text(s: &str) -> Answer {
        Answer::Text(s.to_owned())
    }

    fn choices(values: &[&str]) -> Answer {
        Answer::Choices(values.iter().map(|v| v.to_string()).collect())
    }

    #[test]
    fn routes_by_first_matching_rule() {
        type Case = (
            &'static str,
            Vec<(&'static str, Answer)>,
            &'static str,
            u8,
            Option<&'static str>,
        );
        let cases: Vec<Case> = vec![
            ("no answers: default", vec![], "general", 5, None),
            (
                "nothing matches: default",
                vec![("in_danger", text("no")), ("help_category", text("other"))],
                "general",
                5,
                None,
            ),
            (
                "first match wins over later rules that also match",
                vec![
                    ("in_danger", text("yes")),
                    ("help_category", text("former_staff")),
                ],
                "urgent",
                1,
                Some("Immediate danger"),
            ),
            (
                "equals is exact, not case-insensitive",
                vec![("in_danger", text("Yes"))],
                "general",
                5,
                None,
            ),
            (
                "any: first condition alone (ticked in a checkbox group)",
                vec![("needs", choices(&["housing", "medical"]))],
                "urgent",
                2,
                Some("Medical or threats"),
            ),
            (
                "any: second condition alone, contains folds case",
                vec![("situation", text("They sent threats to my father"))],
                "urgent",
                2,
                Some("Medical or threats"),
            ),
            (
                "contains folds non-ASCII case",
                vec![("situation", text("Mon frère a été arrêté hier"))],
                "urgent",
                2,
                Some("Arrest (French)"),
            ),
            (
                "contains in Dari script",
                vec![("situation", text("طالبان خانواده‌ام را تهدید کردند"))],
                "urgent",
                2,
                Some("Threat (Dari)"),
            ),
            (
                "contains is a substring match, not a word match",
                vec![("situation", text("تهدیدها ادامه دارد"))],
                "urgent",
                2,
                Some("Threat (Dari)"),
            ),
            (
                "all: both conditions hold",
                vec![
                    ("help_category", text("former_staff")),
                    ("phone", text("+93 700 000 000")),
                ],
                "former-staff",
                2,
                Some("Former staff reachable"),
            ),
            (
                "all: one condition fails (absent phone is not answered), next rule",
                vec![("help_category", text("former_staff"))],
                "former-staff",
                3,
                Some("Former staff"),
            ),
            (
                "in on a text answer",
                vec![("help_category", text("family_visa"))],
                "family",
                3,
                Some("Family"),
            ),
            (
                "checkbox group without the tested value",
                vec![
                    ("needs", choices(&["housing", "legal"])),
                    ("consent", Answer::Flag(true)),
                ],
                "general",
                5,
                None,
            ),
            (
                "answered = false holds for an unticked single checkbox",
                vec![
                    ("needs", choices(&["housing"])),
                    ("consent", Answer::Flag(false)),
                ],
                "general",
                4,
                Some("Housing without consent"),
            ),
            (
                "answered = false holds for an absent answer",
                vec![("needs", choices(&["housing"]))],
                "general",
                4,
                Some("Housing without consent"),
            ),
            (
                "an empty checkbox group never matches equals",
                vec![("needs", choices(&[])), ("in_danger", text("no"))],
                "general",
                5,
                None,
            ),
        ];
        let routing = routing();
        for (name, answers, queue, priority, rule) in cases {
            let answers: Answers = answers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            let expected = Route {
                queue: queue.to_owned(),
                priority,
                rule: rule.map(str::to_owned),
            };
            assert_eq!(route(&routing, &answers), expected, "{name}");
        }
    }

    #[test]
    fn a_flag_never_equals_anything() {
        // Validation rejects `equals` on a single checkbox; if one slipped
        // through it must not route by accident.
        let routing = Routing {
            default_queue: "general".to_owned(),
            default_priority: 5,
            rules: vec![rule(
                "Consent",
                "urgent",
                1,
                Match::All,
                vec![equals("consent", "true")],
            )],
        };
        let answers = Answers::from([("consent".to_owned(), Answer::Flag(true))]);
        assert_eq!(route(&routing, &answers).rule, None);
    }
}
