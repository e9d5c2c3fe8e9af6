//! From programme file text to a validated [`Programme`].
//!
//! Administrators write these files by hand, so every error names the place it
//! was found (`fields[2].options[0].label`) and, where the item can be found in
//! the text, its line. Semantic checks report everything they find at once, so
//! that a long file can be fixed in one pass rather than one error per apply.
//!
//! Serde gives us the typed [`ProgrammeFile`] but no positions for values that
//! are well-formed yet wrong (a rule naming a missing queue), so the text is
//! parsed a second time into toml's spanned document tree, which is only used to
//! turn an error path back into a line.

use std::collections::{HashMap, HashSet};
use std::fmt;

use toml::de::{DeTable, DeValue};

use super::Programme;
use super::definition::{
    Condition, Field, FieldKind, Localised, MAX_COUNTRIES_FIRST, ProgrammeFile,
};
use super::limits::{
    MAX_BASES, MAX_FIELD_LENGTH, MAX_FIELDS, MAX_HINT, MAX_LABEL, MAX_LONG_TEXT, MAX_OPTIONS,
    MAX_PARTNERS, MAX_RETENTION_DAYS, MAX_RULE_NAME, MAX_SUBJECT, MAX_TEMPLATE_BODY, MAX_TEMPLATES,
    MAX_TITLE, PRIORITIES, RESERVED_FIELD_KEYS,
};
use super::problems::{Problem, Unit, Unreadable, Want};
use crate::domain::{Language, ProgrammeSlug};

/// One problem in a programme file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    /// 1-based, when the offending item could be located in the text.
    pub line: Option<usize>,
    /// Where in the file, e.g. `fields[2].options[0].label`; empty for the file as a whole.
    pub path: String,
    pub message: String,
    /// What is wrong, for saying it in words (the web editor); `message` says it in
    /// English beside the path (the command line).
    pub problem: Problem,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for DefinitionError {}

/// Every problem found in a programme file; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}

/// Every place of the file that holds a struct of [`super::definition`] (`[]`: each
/// element of a list). A test checks the list against the schema's objects.
pub(super) const TABLES: [&str; 13] = [
    "public",
    "routing",
    "routing.rules[]",
    "routing.rules[].when[]",
    "staff",
    "outbound",
    "import",
    "referrals",
    "fields[]",
    "fields[].options[]",
    "queues[]",
    "templates[]",
    "partners[]",
];

impl Programme {
    /// Reads and checks a programme file.
    ///
    /// Language tags are accepted case-insensitively and with the aliases
    /// [`Language::parse`] knows (`fa`, `prs`), and are stored in their canonical
    /// form (`fa-AF`), both in `languages` and as keys of every text, so that
    /// [`Programme::text`] can look texts up by [`Language::tag`].
    pub fn parse(toml_text: &str) -> Result<Programme, DefinitionErrors> {
        let mut file: ProgrammeFile = match toml::from_str(toml_text) {
            Ok(file) => file,
            Err(e) => return Err(DefinitionErrors(vec![from_toml_error(toml_text, &e)])),
        };
        let mut checker = Checker {
            text: toml_text,
            doc: DeTable::parse(toml_text).ok(),
            errors: Vec::new(),
            languages: Vec::new(),
            raw_languages: Vec::new(),
            languages_sound: true,
        };
        let slug = checker.check(&mut file);
        match slug {
            Some(slug) if checker.errors.is_empty() => Ok(Programme {
                file,
                slug,
                languages: checker.languages,
            }),
            _ => Err(DefinitionErrors(checker.errors)),
        }
    }
}

/// Turns a syntax or shape error from toml/serde into a located error.
fn from_toml_error(text: &str, error: &toml::de::Error) -> DefinitionError {
    let span = error.span();
    let mut line = span.as_ref().map(|s| line_at(text, s.start));
    let mut path = match (&span, DeTable::parse(text)) {
        (Some(span), Ok(doc)) => path_at(doc.get_ref(), span.start),
        _ => String::new(),
    };
    // Serde points a missing field at its table (the header), so the name of the
    // missing key is only in the message.
    if let Some(name) = error
        .message()
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        if path.is_empty() {
            // The "table" is the whole document, whose first line says nothing.
            line = None;
        } else {
            path.push('.');
        }
        path.push_str(name);
    }
    let message = error.message().trim().to_owned();
    DefinitionError {
        line,
        path,
        problem: Problem::Unreadable(Unreadable::of(&message)),
        message,
    }
}

fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The path of the most deeply nested key or value whose span holds `offset`.
///
/// The whole tree is searched rather than descended by span, because a table's
/// span is its header only and does not enclose its keys.
fn path_at(root: &DeTable<'_>, offset: usize) -> String {
    struct Best {
        depth: usize,
        path: String,
    }
    fn holds(span: std::ops::Range<usize>, offset: usize) -> bool {
        span.start <= offset && offset < span.end.max(span.start + 1)
    }
    fn consider(best: &mut Best, depth: usize, path: &str, hit: bool) {
        if hit && depth > best.depth {
            *best = Best {
                depth,
                path: path.to_owned(),
            };
        }
    }
    fn table(t: &DeTable<'_>, path: &str, depth: usize, offset: usize, best: &mut Best) {
        for (key, child) in t.iter() {
            let child_path = if path.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{path}.{}", key.get_ref())
            };
            let hit = holds(key.span(), offset) || holds(child.span(), offset);
            consider(best, depth + 1, &child_path, hit);
            value(child.get_ref(), &child_path, depth + 1, offset, best);
        }
    }
    fn value(v: &DeValue<'_>, path: &str, depth: usize, offset: usize, best: &mut Best) {
        match v {
            DeValue::Table(t) => table(t, path, depth, offset, best),
            DeValue::Array(array) => {
                for (i, child) in array.iter().enumerate() {
                    let child_path = format!("{path}[{i}]");
                    consider(best, depth + 1, &child_path, holds(child.span(), offset));
                    value(child.get_ref(), &child_path, depth + 1, offset, best);
                }
            }
            _ => {}
        }
    }
    let mut best = Best {
        depth: 0,
        path: String::new(),
    };
    table(root, "", 0, offset, &mut best);
    best.path
}

/// The start offset of the item at `path` (or of its deepest ancestor found).
/// Keys are located by the key itself, so `label` points at `label.en = …`, and
/// array elements by their own span, which for `[[fields]]` is the header.
fn offset_of(root: &DeTable<'_>, path: &str) -> Option<usize> {
    let mut found = None;
    let mut table = Some(root);
    let mut array = None;
    'walk: for part in path.split('.') {
        let (name, indices) = match part.find('[') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if !name.is_empty() {
            let Some((key, value)) = table.and_then(|t| t.get_key_value(name)) else {
                break 'walk;
            };
            found = Some(key.span().start);
            table = value.get_ref().as_table();
            array = value.get_ref().as_array();
        }
        for index in indices.split('[').filter(|s| !s.is_empty()) {
            let element = index
                .trim_end_matches(']')
                .parse::<usize>()
                .ok()
                .and_then(|i| array.and_then(|a| a.get(i)));
            let Some(element) = element else {
                break 'walk;
            };
            found = Some(element.span().start);
            table = element.get_ref().as_table();
            array = element.get_ref().as_array();
        }
    }
    found
}

struct Checker<'t> {
    text: &'t str,
    /// `None` only if toml's two parsers disagree, which would cost us lines, not checks.
    doc: Option<toml::Spanned<DeTable<'t>>>,
    errors: Vec<DefinitionError>,
    /// The supported, distinct languages, in file order.
    languages: Vec<Language>,
    /// The entries of `languages` as written, so that a text keyed by an entry
    /// that was already reported as unsupported is not reported again.
    raw_languages: Vec<String>,
    /// False when `languages` itself had errors: then which texts are missing or
    /// superfluous is unknowable, and reporting it for every text would bury the
    /// one error that matters.
    languages_sound: bool,
}

impl Checker<'_> {
    fn error(&mut self, problem: Problem, path: impl Into<String>, message: impl Into<String>) {
        let path = path.into();
        let line = self
            .doc
            .as_ref()
            .and_then(|doc| offset_of(doc.get_ref(), &path))
            .map(|offset| line_at(self.text, offset));
        self.errors.push(DefinitionError {
            line,
            path,
            message: message.into(),
            problem,
        });
    }

    fn check(&mut self, file: &mut ProgrammeFile) -> Option<ProgrammeSlug> {
        self.check_tables();
        let slug = match ProgrammeSlug::parse(&file.slug) {
            Ok(slug) => Some(slug),
            Err(e) => {
                self.error(Problem::Slug, "slug", e.to_string());
                None
            }
        };
        self.check_languages(file);
        if let Some(address) = &file.public.discreet_address {
            let sound = ProgrammeSlug::parse(address).is_ok() && *address != file.slug;
            if !sound {
                self.error(
                    Problem::DiscreetAddress,
                    "public.discreet_address",
                    "must follow the rules of a slug (3 to 40 of a-z, 0-9 and inner -, starting with a letter) and differ from the slug",
                );
            }
        }
        if let Some(escrow) = &file.escrow
            && escrow.parse::<age::x25519::Recipient>().is_err()
        {
            self.error(
                Problem::Escrow,
                "escrow",
                "must be an age public key (age1…), as `age-keygen -y` prints it",
            );
        }
        if !(1..=MAX_RETENTION_DAYS).contains(&file.retention_days) {
            self.error(
                Problem::Range {
                    max: u64::from(MAX_RETENTION_DAYS),
                    unit: Unit::Days,
                },
                "retention_days",
                format!("must be between 1 and {MAX_RETENTION_DAYS} days"),
            );
        }
        self.text("title", &mut file.title, Need::Required, MAX_TITLE);
        self.text("intro", &mut file.intro, Need::Required, MAX_LONG_TEXT);
        self.text(
            "privacy_notice",
            &mut file.privacy_notice,
            Need::Required,
            MAX_LONG_TEXT,
        );
        self.text(
            "closed_message",
            &mut file.closed_message,
            Need::Optional,
            MAX_LONG_TEXT,
        );
        self.text(
            "handling_rules",
            &mut file.handling_rules,
            Need::Optional,
            MAX_LONG_TEXT,
        );
        self.check_fields(&mut file.fields);
        let queue_keys = self.check_queues(file);
        self.check_routing(file, &queue_keys);
        self.check_outbound(file);
        self.check_import(file);
        self.check_referrals(file);
        slug
    }

    /// Serde also reads a struct from a list of its values in order, so without this
    /// `import = []` or `when = [["danger", "yes"]]` would be accepted, and mean
    /// something no reader of the file could tell.
    fn check_tables(&mut self) {
        fn walk(value: &DeValue<'_>, segments: &[&str], at: &str, out: &mut Vec<String>) {
            match value {
                DeValue::Table(table) if !segments.is_empty() => step(table, segments, at, out),
                DeValue::Table(_) => {}
                _ if segments.is_empty() => out.push(at.to_owned()),
                // Not a table on the way there: serde reports it.
                _ => {}
            }
        }
        fn step(table: &DeTable<'_>, segments: &[&str], at: &str, out: &mut Vec<String>) {
            let Some((segment, rest)) = segments.split_first() else {
                return;
            };
            let (name, each) = match segment.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (*segment, false),
            };
            let Some(child) = table.get(name) else {
                return;
            };
            let here = if at.is_empty() {
                name.to_owned()
            } else {
                format!("{at}.{name}")
            };
            match child.get_ref() {
                DeValue::Array(items) if each => {
                    for (i, item) in items.iter().enumerate() {
                        walk(item.get_ref(), rest, &format!("{here}[{i}]"), out);
                    }
                }
                // A table where a list belongs: serde reports it.
                _ if each => {}
                other => walk(other, rest, &here, out),
            }
        }
        let Some(doc) = &self.doc else {
            return;
        };
        let mut found = Vec::new();
        for path in TABLES {
            let segments: Vec<&str> = path.split('.').collect();
            step(doc.get_ref(), &segments, "", &mut found);
        }
        for at in found {
            self.error(Problem::NotATable,
                at,
                "must be a table of keys and values (`[name]` with keys below it, or `{ key = … }`), not a list",
            );
        }
    }

    fn check_referrals(&mut self, file: &ProgrammeFile) {
        let settings = &file.referrals;
        if settings.bases.len() > MAX_BASES {
            self.error(
                Problem::TooMany { max: MAX_BASES },
                "referrals.bases",
                format!("at most {MAX_BASES} bases are allowed"),
            );
        }
        let mut bases = HashSet::new();
        for (i, basis) in settings.bases.iter().enumerate() {
            let at = format!("referrals.bases[{i}]");
            if basis.trim().is_empty()
                || basis.chars().count() > MAX_LABEL
                || basis.contains(['\r', '\n'])
            {
                self.error(
                    Problem::OneLine { max: MAX_LABEL },
                    at,
                    format!("give one line of 1 to {MAX_LABEL} characters"),
                );
            } else if !bases.insert(basis.trim()) {
                self.error(
                    Problem::ListedTwice {
                        value: basis.clone(),
                    },
                    at,
                    format!("{basis:?} is listed twice"),
                );
            }
        }
        if let Some(consent) = &settings.consent_field {
            match file.fields.iter().find(|f| f.key == *consent) {
                Some(f) if f.kind == FieldKind::Checkbox && f.options.is_empty() => {}
                Some(_) => self.error(
                    Problem::NotSingleCheckbox,
                    "referrals.consent_field",
                    "must name a single checkbox (a checkbox field without options)",
                ),
                None => self.error(
                    Problem::NoSuchField {
                        key: consent.clone(),
                    },
                    "referrals.consent_field",
                    format!("there is no field {consent:?}"),
                ),
            }
        }
        if !file.partners.is_empty() && settings.bases.is_empty() {
            self.error(
                Problem::BasesNeeded,
                "referrals.bases",
                "list the reasons or legal bases staff may give for a referral",
            );
        }
        if file.partners.len() > MAX_PARTNERS {
            self.error(
                Problem::TooMany { max: MAX_PARTNERS },
                "partners",
                format!("at most {MAX_PARTNERS} partners are allowed"),
            );
        }
        let mut keys = HashSet::new();
        for (i, partner) in file.partners.iter().enumerate() {
            let at = format!("partners[{i}]");
            if !is_queue_key(&partner.key) {
                self.error(
                    Problem::Key { dashes: true },
                    format!("{at}.key"),
                    "must be a lowercase letter followed by up to 39 of a-z, 0-9, _ and -",
                );
            } else if !keys.insert(partner.key.as_str()) {
                self.error(
                    Problem::KeyTaken {
                        key: partner.key.clone(),
                    },
                    format!("{at}.key"),
                    format!("{:?} is already the key of another partner", partner.key),
                );
            }
            if partner.name.trim().is_empty()
                || partner.name.chars().count() > MAX_LABEL
                || partner.name.contains(['\r', '\n'])
            {
                self.error(
                    Problem::OneLine { max: MAX_LABEL },
                    format!("{at}.name"),
                    format!("give one line of 1 to {MAX_LABEL} characters"),
                );
            }
            if let Err(e) = crate::domain::EmailAddress::parse(&partner.address) {
                self.error(Problem::Email, format!("{at}.address"), e.to_string());
            }
            if partner.recipient.parse::<age::x25519::Recipient>().is_err() {
                self.error(
                    Problem::PartnerRecipient,
                    format!("{at}.recipient"),
                    "must be the partner's age public key (age1…)",
                );
            }
            self.check_profile(file, &at, partner);
        }
    }

    fn check_profile(
        &mut self,
        file: &ProgrammeFile,
        at: &str,
        partner: &super::definition::Partner,
    ) {
        use super::sharing::{Pseudo, personal_entries};
        if partner.fields.is_empty() {
            self.error(
                Problem::PartnerFieldsEmpty,
                format!("{at}.fields"),
                "list what may leave for this partner (for example \"reference\")",
            );
        }
        let mut seen = HashSet::new();
        for (j, name) in partner.fields.iter().enumerate() {
            let here = format!("{at}.fields[{j}]");
            let is_field = file.fields.iter().any(|f| f.key == *name);
            match (Pseudo::parse(name), is_field) {
                (Some(_), true) => self.error(Problem::FieldAndFact { name: name.clone() },
                    here,
                    format!("{name:?} is both a field and a fact about the enquiry; rename the field"),
                ),
                (None, false) => self.error(Problem::NeitherFieldNorFact { name: name.clone() },
                    here,
                    format!(
                        "{name:?} is neither a field nor one of reference, language, received, contact_email"
                    ),
                ),
                _ if !seen.insert(name.as_str()) => {
                    self.error(Problem::ListedTwice { value: name.clone() }, here, format!("{name:?} is listed twice"));
                }
                _ => {}
            }
        }
        let personal = personal_entries(file, &partner.fields);
        if !personal.is_empty() && !partner.personal_data {
            self.error(Problem::PersonalUnconfirmed { names: personal.iter().map(ToString::to_string).collect() },
                format!("{at}.fields"),
                format!(
                    "{} personal data; add `personal_data = true` to this partner to confirm that it may leave",
                    match personal.as_slice() {
                        [one] => format!("{one} is"),
                        many => format!("{} are", many.join(", ")),
                    }
                ),
            );
        } else if personal.is_empty() && partner.personal_data {
            self.error(
                Problem::NotPersonal,
                format!("{at}.personal_data"),
                "none of this partner's fields is personal data; remove `personal_data`",
            );
        }
    }

    fn check_import(&mut self, file: &ProgrammeFile) {
        if let Some(text_field) = &file.import.text_field {
            match file.fields.iter().find(|f| f.key == *text_field) {
                Some(f) if matches!(f.kind, FieldKind::Textarea | FieldKind::Text) => {}
                Some(_) => self.error(
                    Problem::WrongKind {
                        want: Want::TextOrTextarea,
                    },
                    "import.text_field",
                    "must name a textarea or text field",
                ),
                None => self.error(
                    Problem::NoSuchField {
                        key: text_field.clone(),
                    },
                    "import.text_field",
                    format!("there is no field {text_field:?}"),
                ),
            }
        }
    }

    fn check_outbound(&mut self, file: &mut ProgrammeFile) {
        if let Some(name_field) = &file.outbound.name_field {
            match file.fields.iter().find(|f| f.key == *name_field) {
                Some(f) if f.kind == FieldKind::Text => {}
                Some(_) => self.error(
                    Problem::WrongKind { want: Want::Text },
                    "outbound.name_field",
                    "must name a text field",
                ),
                None => self.error(
                    Problem::NoSuchField {
                        key: name_field.clone(),
                    },
                    "outbound.name_field",
                    format!("there is no field {name_field:?}"),
                ),
            }
        }
        let has_name = file.outbound.name_field.is_some();
        let mut keys = HashSet::new();
        if file.templates.len() > MAX_TEMPLATES {
            self.error(
                Problem::TooMany { max: MAX_TEMPLATES },
                "templates",
                format!("at most {MAX_TEMPLATES} templates are allowed"),
            );
        }
        for (i, template) in file.templates.iter_mut().enumerate() {
            let at = format!("templates[{i}]");
            if !is_queue_key(&template.key) {
                self.error(
                    Problem::Key { dashes: true },
                    format!("{at}.key"),
                    "must be a lowercase letter followed by up to 39 of a-z, 0-9, _ and -",
                );
            } else if !keys.insert(template.key.clone()) {
                self.error(
                    Problem::KeyTaken {
                        key: template.key.clone(),
                    },
                    format!("{at}.key"),
                    format!("{:?} is already the key of another template", template.key),
                );
            }
            if template.name.trim().is_empty() || template.name.chars().count() > MAX_LABEL {
                self.error(
                    Problem::NameLength { max: MAX_LABEL },
                    format!("{at}.name"),
                    format!("give a name of 1 to {MAX_LABEL} characters"),
                );
            }
            self.text(
                &format!("{at}.subject"),
                &mut template.subject,
                Need::Required,
                MAX_SUBJECT,
            );
            self.text(
                &format!("{at}.body"),
                &mut template.body,
                Need::Required,
                MAX_TEMPLATE_BODY,
            );
            let texts: Vec<(String, String)> = template
                .subject
                .iter()
                .map(|(l, t)| (format!("{at}.subject.{l}"), t.clone()))
                .chain(
                    template
                        .body
                        .iter()
                        .map(|(l, t)| (format!("{at}.body.{l}"), t.clone())),
                )
                .collect();
            for (path, text) in texts {
                if path.contains(".subject.") && text.contains(['\r', '\n']) {
                    self.error(Problem::SubjectOneLine, &path, "a subject is one line");
                }
                match crate::outbound::template::placeholders(&text) {
                    Err(e) => self.error(Problem::from(&e), &path, e.to_string()),
                    Ok(used) if used.contains(&"name") && !has_name => self.error(Problem::NameWithoutField,
                        &path,
                        "uses {name}, but `outbound.name_field` does not say which field holds the name",
                    ),
                    Ok(_) => {}
                }
            }
        }
    }

    fn check_languages(&mut self, file: &mut ProgrammeFile) {
        let errors_before = self.errors.len();
        if file.languages.is_empty() {
            self.error(
                Problem::NoLanguages,
                "languages",
                "list at least one language; the first is the default",
            );
        }
        self.raw_languages = file.languages.clone();
        for (i, tag) in file.languages.iter().enumerate() {
            match Language::parse(tag) {
                Ok(lang) if self.languages.contains(&lang) => {
                    self.error(
                        Problem::ListedTwice { value: tag.clone() },
                        format!("languages[{i}]"),
                        format!("{tag:?} is listed twice"),
                    );
                }
                Ok(lang) => self.languages.push(lang),
                Err(e) => self.error(
                    Problem::UnsupportedLanguage { tag: tag.clone() },
                    format!("languages[{i}]"),
                    e.to_string(),
                ),
            }
        }
        self.languages_sound = self.errors.len() == errors_before;
        file.languages = self.languages.iter().map(|l| l.tag().to_owned()).collect();
    }

    /// `None` when `languages` had errors (see `languages_sound`).
    fn default_language(&self) -> Option<Language> {
        self.languages
            .first()
            .copied()
            .filter(|_| self.languages_sound)
    }

    /// Checks one set of translations and rewrites its keys to canonical tags.
    fn text(&mut self, path: &str, texts: &mut Localised, need: Need, max_chars: usize) {
        self.text_in(path, texts, need, max_chars, false);
    }

    /// A text only staff read (a queue's name): besides the programme's languages it
    /// may be given in any language the console speaks, so a Ukrainian or Arabic
    /// console shows it in its own language even when the form is not offered in it.
    fn staff_text(&mut self, path: &str, texts: &mut Localised, need: Need, max_chars: usize) {
        self.text_in(path, texts, need, max_chars, true);
    }

    fn text_in(
        &mut self,
        path: &str,
        texts: &mut Localised,
        need: Need,
        max_chars: usize,
        any_console_language: bool,
    ) {
        if texts.is_empty() {
            if need == Need::Required {
                let default = self
                    .default_language()
                    .map_or("the default language", Language::tag);
                self.error(
                    Problem::TextMissing {
                        default: self.default_language().map(|l| l.tag().to_owned()),
                    },
                    path,
                    format!("missing; give at least the text in {default}"),
                );
            }
            return;
        }
        let mut canonical = Localised::new();
        for (tag, value) in std::mem::take(texts) {
            let here = format!("{path}.{tag}");
            match Language::parse(&tag) {
                Ok(lang) if self.languages.contains(&lang) || any_console_language => {
                    if value.trim().is_empty() {
                        self.error(
                            Problem::TextEmpty,
                            &here,
                            "must not be empty; leave the language out instead",
                        );
                    } else if value.chars().count() > max_chars {
                        self.error(
                            Problem::TooLong { max: max_chars },
                            &here,
                            format!("is longer than {max_chars} characters"),
                        );
                    }
                    if canonical.insert(lang.tag().to_owned(), value).is_some() {
                        self.error(
                            Problem::SecondText {
                                tag: lang.tag().to_owned(),
                            },
                            &here,
                            format!("a second text in {}", lang.tag()),
                        );
                    }
                }
                // Already reported as unsupported in `languages`.
                Err(_) if self.raw_languages.contains(&tag) => {}
                Ok(_) if !self.languages_sound => {}
                _ => self.error(
                    Problem::NotALanguage { tag: tag.clone() },
                    &here,
                    format!("language {tag:?} is not one of this programme's `languages`"),
                ),
            }
        }
        if let Some(default) = self.default_language()
            && !canonical.contains_key(default.tag())
        {
            self.error(
                Problem::DefaultMissing {
                    tag: default.tag().to_owned(),
                },
                path,
                format!(
                    "missing the text in {}, the default language",
                    default.tag()
                ),
            );
        }
        *texts = canonical;
    }

    fn check_fields(&mut self, fields: &mut [Field]) {
        if fields.is_empty() {
            self.error(
                Problem::NoFields,
                "fields",
                "a programme needs at least one field",
            );
        } else if fields.len() > MAX_FIELDS {
            self.error(
                Problem::TooMany { max: MAX_FIELDS },
                "fields",
                format!("at most {MAX_FIELDS} fields are allowed"),
            );
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, field) in fields.iter_mut().enumerate() {
            let at = format!("fields[{i}]");
            if !is_field_key(&field.key) {
                self.error(
                    Problem::Key { dashes: false },
                    format!("{at}.key"),
                    "must be a lowercase letter followed by up to 39 of a-z, 0-9 and _",
                );
            } else if RESERVED_FIELD_KEYS.contains(&field.key.as_str()) {
                self.error(
                    Problem::Reserved {
                        key: field.key.clone(),
                    },
                    format!("{at}.key"),
                    format!(
                        "{:?} is used by the form itself; choose another key",
                        field.key
                    ),
                );
            } else if let Some(first) = seen.get(&field.key) {
                self.error(
                    Problem::KeyTaken {
                        key: field.key.clone(),
                    },
                    format!("{at}.key"),
                    format!("{:?} is already the key of fields[{first}]", field.key),
                );
            } else {
                seen.insert(field.key.clone(), i);
            }
            self.text(
                &format!("{at}.label"),
                &mut field.label,
                Need::Required,
                MAX_LABEL,
            );
            self.text(
                &format!("{at}.hint"),
                &mut field.hint,
                Need::Optional,
                MAX_HINT,
            );
            self.text(
                &format!("{at}.error"),
                &mut field.error,
                Need::Optional,
                MAX_LABEL,
            );
            self.check_options(&at, field);
            self.check_countries_first(&at, field);
            if let Some(max) = field.max_length {
                let path = format!("{at}.max_length");
                if !has_length(field.kind) {
                    self.error(
                        Problem::NoMaxLength,
                        path,
                        "only text, textarea, email and phone fields have a max_length",
                    );
                } else if !(1..=MAX_FIELD_LENGTH).contains(&max) {
                    self.error(
                        Problem::Range {
                            max: MAX_FIELD_LENGTH as u64,
                            unit: Unit::Characters,
                        },
                        path,
                        format!("must be between 1 and {MAX_FIELD_LENGTH}"),
                    );
                }
            }
        }
    }

    fn check_countries_first(&mut self, at: &str, field: &Field) {
        if field.first.is_empty() {
            return;
        }
        let path = format!("{at}.first");
        let mut seen = HashSet::new();
        let sound = field.kind == FieldKind::Country
            && field.first.len() <= MAX_COUNTRIES_FIRST
            && field
                .first
                .iter()
                .all(|c| crate::programme::countries::is_country(c) && seen.insert(c.as_str()));
        if !sound {
            self.error(
                Problem::CountriesFirst,
                path,
                format!(
                    "only a country question lists countries first: each an ISO code such as \"AF\", once, at most {MAX_COUNTRIES_FIRST}"
                ),
            );
        }
    }

    fn check_options(&mut self, at: &str, field: &mut Field) {
        let count = field.options.len();
        if needs_options(field.kind) && count == 0 {
            self.error(
                Problem::OptionsNeeded,
                format!("{at}.options"),
                "select and radio fields need at least one option",
            );
        } else if !has_options(field.kind) {
            if count > 0 {
                self.error(
                    Problem::OptionsNotAllowed,
                    format!("{at}.options"),
                    "only select, radio and checkbox fields have options",
                );
            }
            return;
        }
        if count > MAX_OPTIONS {
            self.error(
                Problem::TooMany { max: MAX_OPTIONS },
                format!("{at}.options"),
                format!("at most {MAX_OPTIONS} options are allowed"),
            );
        }
        let mut seen: HashSet<String> = HashSet::new();
        for (j, option) in field.options.iter_mut().enumerate() {
            let here = format!("{at}.options[{j}]");
            if !is_option_value(&option.value) {
                self.error(
                    Problem::OptionValue,
                    format!("{here}.value"),
                    "must be 1 to 60 of A-Z, a-z, 0-9, _ and -",
                );
            } else if !seen.insert(option.value.clone()) {
                self.error(
                    Problem::KeyTaken {
                        key: option.value.clone(),
                    },
                    format!("{here}.value"),
                    format!("{:?} is already the value of another option", option.value),
                );
            }
            self.text(
                &format!("{here}.label"),
                &mut option.label,
                Need::Required,
                MAX_LABEL,
            );
        }
    }

    /// Returns the valid queue keys, for the routing checks.
    fn check_queues(&mut self, file: &mut ProgrammeFile) -> HashSet<String> {
        if file.queues.is_empty() {
            self.error(
                Problem::NoQueues,
                "queues",
                "a programme needs at least one queue",
            );
        }
        let mut keys = HashSet::new();
        for (i, queue) in file.queues.iter_mut().enumerate() {
            let at = format!("queues[{i}]");
            if !is_queue_key(&queue.key) {
                self.error(
                    Problem::Key { dashes: true },
                    format!("{at}.key"),
                    "must be a lowercase letter followed by up to 39 of a-z, 0-9, _ and -",
                );
            } else if !keys.insert(queue.key.clone()) {
                self.error(
                    Problem::KeyTaken {
                        key: queue.key.clone(),
                    },
                    format!("{at}.key"),
                    format!("{:?} is already the key of another queue", queue.key),
                );
            }
            self.staff_text(
                &format!("{at}.name"),
                &mut queue.name,
                Need::Required,
                MAX_LABEL,
            );
        }
        keys
    }

    fn check_routing(&mut self, file: &ProgrammeFile, queues: &HashSet<String>) {
        let routing = &file.routing;
        if !queues.contains(&routing.default_queue) {
            self.error(
                Problem::NotAQueue {
                    key: routing.default_queue.clone(),
                },
                "routing.default_queue",
                format!("{:?} is not the key of a queue", routing.default_queue),
            );
        }
        if !PRIORITIES.contains(&routing.default_priority) {
            self.error(
                Problem::Range {
                    max: 9,
                    unit: Unit::Priority,
                },
                "routing.default_priority",
                "must be between 1 (most urgent) and 9",
            );
        }
        let fields: HashMap<&str, &Field> =
            file.fields.iter().map(|f| (f.key.as_str(), f)).collect();
        let mut names = HashSet::new();
        for (i, rule) in routing.rules.iter().enumerate() {
            let at = format!("routing.rules[{i}]");
            let name = rule.name.trim();
            if name.is_empty() {
                self.error(
                    Problem::RuleNameEmpty,
                    format!("{at}.name"),
                    "must not be empty: staff see it on every enquiry it routes",
                );
            } else if name.chars().count() > MAX_RULE_NAME {
                self.error(
                    Problem::TooLong { max: MAX_RULE_NAME },
                    format!("{at}.name"),
                    format!("is longer than {MAX_RULE_NAME} characters"),
                );
            } else if !names.insert(name) {
                self.error(
                    Problem::ListedTwice {
                        value: name.to_owned(),
                    },
                    format!("{at}.name"),
                    format!("{name:?} is already the name of another rule"),
                );
            }
            if !queues.contains(&rule.queue) {
                self.error(
                    Problem::NotAQueue {
                        key: rule.queue.clone(),
                    },
                    format!("{at}.queue"),
                    format!("{:?} is not the key of a queue", rule.queue),
                );
            }
            if !PRIORITIES.contains(&rule.priority) {
                self.error(
                    Problem::Range {
                        max: 9,
                        unit: Unit::Priority,
                    },
                    format!("{at}.priority"),
                    "must be between 1 (most urgent) and 9",
                );
            }
            if rule.when.is_empty() {
                self.error(
                    Problem::NoConditions,
                    format!("{at}.when"),
                    "a rule needs at least one condition",
                );
            }
            for (j, condition) in rule.when.iter().enumerate() {
                self.check_condition(&format!("{at}.when[{j}]"), condition, &fields);
            }
        }
    }

    fn check_condition(&mut self, at: &str, condition: &Condition, fields: &HashMap<&str, &Field>) {
        let field = fields.get(condition.field.as_str()).copied();
        if field.is_none() {
            self.error(
                Problem::NoSuchField {
                    key: condition.field.clone(),
                },
                format!("{at}.field"),
                format!("{:?} is not the key of a field", condition.field),
            );
        }
        let operators = [
            condition.equals.is_some(),
            condition.one_of.is_some(),
            condition.contains.is_some(),
            condition.answered.is_some(),
        ];
        if operators.iter().filter(|&&set| set).count() != 1 {
            self.error(
                Problem::OneOperator,
                at,
                "give exactly one of `equals`, `in`, `contains` and `answered`",
            );
            return;
        }
        let Some(field) = field else {
            return;
        };
        let single_checkbox = field.kind == FieldKind::Checkbox && field.options.is_empty();
        let has_options = !field.options.is_empty();
        let check_value = |checker: &mut Self, path: String, value: &str| {
            if single_checkbox {
                checker.error(Problem::CheckboxAnswered,
                    path,
                    "a single checkbox is tested with `answered = true` (ticked) or `answered = false`",
                );
            } else if value.is_empty() {
                checker.error(
                    Problem::EmptyValue,
                    path,
                    "must not be empty; use `answered = false` to test for no answer",
                );
            } else if has_options && !field.options.iter().any(|o| o.value == value) {
                checker.error(
                    Problem::NotAnOption {
                        value: value.to_owned(),
                        field: field.key.clone(),
                    },
                    path,
                    format!("{value:?} is not an option value of field {:?}", field.key),
                );
            }
        };
        if let Some(value) = &condition.equals {
            check_value(self, format!("{at}.equals"), value);
        }
        if let Some(values) = &condition.one_of {
            if values.is_empty() {
                self.error(
                    Problem::EmptyList,
                    format!("{at}.in"),
                    "list at least one value",
                );
            } else if single_checkbox {
                // Reported once for the list, not once per value.
                check_value(self, format!("{at}.in"), "");
            } else {
                for (k, value) in values.iter().enumerate() {
                    check_value(self, format!("{at}.in[{k}]"), value);
                }
            }
        }
        if let Some(needle) = &condition.contains {
            if !matches!(field.kind, FieldKind::Text | FieldKind::Textarea) {
                self.error(
                    Problem::ContainsKind,
                    format!("{at}.contains"),
                    "`contains` only applies to text and textarea fields",
                );
            } else if needle.trim().is_empty() {
                self.error(
                    Problem::Empty,
                    format!("{at}.contains"),
                    "must not be empty",
                );
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Required,
    /// May be absent altogether; if given, the default language must be among its texts.
    Optional,
}

/// Kinds that take a `max_length`.
pub(super) fn has_length(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Text | FieldKind::Textarea | FieldKind::Email | FieldKind::Phone
    )
}

/// Kinds that cannot be answered without `options`.
pub(super) fn needs_options(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::Select | FieldKind::Radio)
}

/// Kinds that may have `options`.
pub(super) fn has_options(kind: FieldKind) -> bool {
    needs_options(kind) || kind == FieldKind::Checkbox
}

/// `[a-z][a-z0-9_]{0,39}`
fn is_field_key(key: &str) -> bool {
    is_key(key, |b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
    })
}

/// `[a-z][a-z0-9_-]{0,39}`
fn is_queue_key(key: &str) -> bool {
    is_key(key, |b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
    })
}

fn is_key(key: &str, rest: impl Fn(u8) -> bool) -> bool {
    let bytes = key.as_bytes();
    (1..=40).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes[1..].iter().all(|&b| rest(b))
}

/// `[A-Za-z0-9_-]{1,60}`
fn is_option_value(value: &str) -> bool {
    (1..=60).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../ops/examples/afghanistan-2021.toml");

    const MINIMAL: &str = r#"
slug = "test-prog"
status = "draft"
languages = ["en", "fr"]
retention_days = 30
contact = "inbox-only"

[title]
en = "Test"
fr = "Essai"

[intro]
en = "Intro"

[privacy_notice]
en = "Privacy"

[[fields]]
key = "name"
kind = "text"
label.en = "Name"

[[fields]]
key = "danger"
kind = "radio"
required = true
label.en = "In danger?"

[[fields.options]]
value = "yes"
label.en = "Yes"

[[fields.options]]
value = "no"
label.en = "No"

[[fields]]
key = "consent"
kind = "checkbox"
label.en = "I agree"

[[queues]]
key = "urgent"
name.en = "Urgent"

[[queues]]
key = "general"
name.en = "General"

[routing]
default_queue = "general"
default_priority = 5

[[routing.rules]]
name = "Danger"
queue = "urgent"
priority = 1
when = [{ field = "danger", equals = "yes" }]

[[routing.rules]]
name = "Named"
queue = "general"
priority = 4
when = [{ field = "name", answered = true }]
"#;

    /// The 1-based line of the `nth` (0-based) occurrence of `needle` in `text`.
    fn line_of(text: &str, needle: &str, nth: usize) -> usize {
        let (offset, _) = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("{needle:?} #{nth} not in the text"));
        line_at(text, offset)
    }

    fn errors(text: &str) -> Vec<DefinitionError> {
        match Programme::parse(text) {
            Ok(_) => panic!("expected errors, the text parsed"),
            Err(DefinitionErrors(errors)) => {
                assert!(!errors.is_empty());
                errors
            }
        }
    }

    fn find<'a>(errors: &'a [DefinitionError], path: &str) -> &'a DefinitionError {
        errors.iter().find(|e| e.path == path).unwrap_or_else(|| {
            panic!(
                "no error at {path}; got:\n{}",
                DefinitionErrors(errors.to_vec())
            )
        })
    }

    #[test]
    fn the_example_programme_parses() {
        let p = Programme::parse(EXAMPLE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.slug().as_str(), "afghanistan-2021");
        assert_eq!(
            p.languages(),
            [Language::En, Language::Fr, Language::FaAf, Language::Ps]
        );
        assert_eq!(p.default_language(), Language::En);
        assert_eq!(p.file().fields.len(), 10);
        assert_eq!(p.file().queues.len(), 4);
        // Every text the example has, it has in every language.
        let mut texts: Vec<&Localised> = vec![
            &p.file().title,
            &p.file().intro,
            &p.file().privacy_notice,
            &p.file().closed_message,
        ];
        for field in &p.file().fields {
            texts.push(&field.label);
            if !field.hint.is_empty() {
                texts.push(&field.hint);
            }
            texts.extend(field.options.iter().map(|o| &o.label));
        }
        texts.extend(p.file().queues.iter().map(|q| &q.name));
        for text in texts {
            for lang in p.languages() {
                assert!(text.contains_key(lang.tag()), "{text:?} lacks {lang}");
            }
        }
        assert!(Programme::parse(MINIMAL).is_ok());
    }

    #[test]
    fn export_round_trips_and_is_stable() {
        for text in [EXAMPLE, MINIMAL] {
            let p = Programme::parse(text).unwrap_or_else(|e| panic!("{e}"));
            let exported = p.to_toml();
            let again = Programme::parse(&exported).unwrap_or_else(|e| panic!("{e}\n{exported}"));
            assert_eq!(again, p);
            assert_eq!(again.to_toml(), exported);
        }
    }

    #[test]
    fn language_aliases_are_stored_canonically() {
        let text = MINIMAL
            .replace(r#"["en", "fr"]"#, r#"["EN", "fa"]"#)
            .replace("fr = \"Essai\"", "fa-af = \"آزمایش\"");
        let p = Programme::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.file().languages, ["en", "fa-AF"]);
        assert_eq!(p.text(&p.file().title, Language::FaAf), "آزمایش");
        assert_eq!(p.text(&p.file().intro, Language::FaAf), "Intro");
        assert_eq!(Programme::parse(&p.to_toml()), Ok(p));
    }

    #[test]
    fn an_unknown_key_in_a_field_names_its_line() {
        let text = MINIMAL.replace("required = true\n", "requird = true\n");
        let errors = errors(&text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let error = &errors[0];
        assert_eq!(error.line, Some(line_of(&text, "requird", 0)));
        assert_eq!(error.path, "fields[1].requird");
        assert!(error.message.contains("unknown field `requird`"), "{error}");
    }

    #[test]
    fn a_list_where_a_table_belongs_is_refused() {
        // Serde would read these as the struct's values in order.
        let text = MINIMAL
            .replace(
                "contact = \"inbox-only\"\n",
                "contact = \"inbox-only\"\nimport = []\nstaff = [false]\n",
            )
            .replace(
                r#"when = [{ field = "danger", equals = "yes" }]"#,
                r#"when = [["danger", "yes"]]"#,
            );
        let errors = errors(&text);
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            ["routing.rules[0].when[0]", "staff", "import"],
            "{}",
            DefinitionErrors(errors.clone())
        );
        assert_eq!(errors[2].line, Some(line_of(&text, "import = []", 0)));
        assert!(errors[0].message.contains("not a list"), "{}", errors[0]);
    }

    #[test]
    fn a_bad_kind_names_its_field_and_line() {
        let text = MINIMAL.replace("kind = \"text\"", "kind = \"string\"");
        let errors = errors(&text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "fields[0].kind");
        assert_eq!(errors[0].line, Some(line_of(&text, "kind = \"string\"", 0)));
        assert!(
            errors[0].message.contains("unknown variant `string`"),
            "{}",
            errors[0]
        );
        assert!(errors[0].to_string().starts_with(&format!(
            "line {}: fields[0].kind: unknown variant",
            errors[0].line.unwrap_or(0)
        )));
    }

    #[test]
    fn a_missing_key_names_its_table() {
        let text = MINIMAL.replace("default_priority = 5\n", "");
        let errors = errors(&text);
        assert_eq!(errors[0].path, "routing.default_priority");
        assert_eq!(errors[0].line, Some(line_of(&text, "[routing]", 0)));
    }

    #[test]
    fn a_syntax_error_has_a_line() {
        let text = MINIMAL.replace(
            "[[queues]]\nkey = \"general\"",
            "[[queues]\nkey = \"general\"",
        );
        let errors = errors(&text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(line_of(&text, "[[queues]\n", 0)));
    }

    #[test]
    fn a_rule_with_an_unknown_queue_names_the_rule_and_its_line() {
        let text = MINIMAL.replace("\nqueue = \"general\"", "\nqueue = \"genral\"");
        let errors = errors(&text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let error = find(&errors, "routing.rules[1].queue");
        assert_eq!(error.line, Some(line_of(&text, "queue = \"genral\"", 0)));
        assert!(error.message.contains("\"genral\""));
    }

    #[test]
    fn a_title_without_the_default_language_is_reported() {
        let text = MINIMAL.replace("en = \"Test\"\n", "");
        let errors = errors(&text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path, "title");
        assert_eq!(errors[0].line, Some(line_of(&text, "[title]", 0)));
        assert!(errors[0].message.contains("en"));
    }

    #[test]
    fn all_semantic_errors_are_reported_at_once() {
        let text = MINIMAL
            .replace("slug = \"test-prog\"", "slug = \"Test Prog\"")
            .replace("retention_days = 30", "retention_days = 0")
            .replace("key = \"name\"", "key = \"lang\"")
            .replace("value = \"no\"", "value = \"yes\"")
            .replace(
                "label.en = \"I agree\"",
                "label.en = \"I agree\"\nlabel.ps = \"زه موافق یم\"",
            )
            .replace("key = \"general\"", "key = \"urgent\"")
            .replace("priority = 4", "priority = 0")
            .replace("equals = \"yes\"", "equals = \"maybe\"")
            .replace(
                "field = \"name\", answered = true",
                "field = \"nom\", answered = true",
            );
        let errors = errors(&text);
        // (path, a text on the offending line, which occurrence of that text)
        let expected = [
            ("slug", "slug = ", 0),
            ("retention_days", "retention_days", 0),
            ("fields[0].key", "key = \"lang\"", 0),
            ("fields[1].options[1].value", "value = \"yes\"", 1),
            ("fields[2].label.ps", "label.ps", 0),
            ("queues[1].key", "key = \"urgent\"", 1),
            // Renaming the queue left the default queue and a rule pointing nowhere.
            ("routing.default_queue", "default_queue", 0),
            ("routing.rules[0].when[0].equals", "equals = \"maybe\"", 0),
            ("routing.rules[1].queue", "queue = \"general\"", 1),
            ("routing.rules[1].priority", "priority = 0", 0),
            ("routing.rules[1].when[0].field", "field = \"nom\"", 0),
        ];
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            expected.map(|(path, ..)| path),
            "{}",
            DefinitionErrors(errors.clone())
        );
        for (path, needle, nth) in expected {
            assert_eq!(
                find(&errors, path).line,
                Some(line_of(&text, needle, nth)),
                "{path}"
            );
        }
        let shown = DefinitionErrors(errors).to_string();
        assert_eq!(shown.lines().count(), expected.len());
    }

    #[test]
    fn conditions_must_fit_their_field() {
        let text = MINIMAL.replace(
            r#"when = [{ field = "name", answered = true }]"#,
            r#"when = [
  { field = "consent", equals = "true" },
  { field = "danger", contains = "y" },
  { field = "danger", in = ["yes", "nope"] },
  { field = "name", equals = "x", answered = true },
  { field = "name", equals = "" },
]"#,
        );
        let errors = errors(&text);
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "routing.rules[1].when[0].equals",
                "routing.rules[1].when[1].contains",
                "routing.rules[1].when[2].in[1]",
                "routing.rules[1].when[3]",
                "routing.rules[1].when[4].equals",
            ],
            "{}",
            DefinitionErrors(errors.clone())
        );
        assert!(errors[0].message.contains("answered = true"));
        for (i, error) in errors.iter().enumerate() {
            assert_eq!(
                error.line,
                Some(line_of(&text, "{ field", 1 + i)),
                "{error}"
            );
        }
    }

    #[test]
    fn field_shapes_are_checked() {
        let text = MINIMAL
            .replace(
                "key = \"name\"\nkind = \"text\"",
                "key = \"name\"\nkind = \"date\"\nmax_length = 10",
            )
            .replace("kind = \"radio\"", "kind = \"select\"\nmax_length = 0")
            .replace(
                "kind = \"checkbox\"\nlabel.en = \"I agree\"",
                "kind = \"country\"\nlabel.en = \"Country\"\n[[fields.options]]\nvalue = \"x y\"\nlabel.en = \"X\"",
            );
        let errors = errors(&text);
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "fields[0].max_length",
                "fields[1].max_length",
                "fields[2].options"
            ],
            "{}",
            DefinitionErrors(errors.clone())
        );
    }

    #[test]
    fn display_omits_an_unknown_line() {
        let error = DefinitionError {
            line: None,
            path: "title".to_owned(),
            message: "missing".to_owned(),
            problem: Problem::TextMissing { default: None },
        };
        assert_eq!(error.to_string(), "title: missing");
        let located = DefinitionError {
            line: Some(12),
            ..error.clone()
        };
        assert_eq!(
            DefinitionErrors(vec![located, error]).to_string(),
            "line 12: title: missing\ntitle: missing"
        );
    }

    #[test]
    fn templates_are_checked_when_the_programme_is_saved() {
        let with = |extra: &str| format!("{MINIMAL}\n{extra}");
        let errs = errors(&with(
            "[[templates]]\nkey = \"ack\"\nname = \"Ack\"\nsubject.en = \"Hi\"\nbody.en = \"Your {email} here\"\n",
        ));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].path, "templates[0].body.en");
        assert!(errs[0].line.is_some());
        assert!(
            errs[0].message.contains("unknown placeholder {email}"),
            "{}",
            errs[0].message
        );
        let errs = errors(&with(
            "[[templates]]\nkey = \"ack\"\nname = \"Ack\"\nsubject.en = \"Hi {name}\"\nbody.en = \"x\"\n",
        ));
        assert!(errs[0].message.contains("name_field"), "{errs:?}");
        let ok = with(
            "[outbound]\nname_field = \"name\"\n[[templates]]\nkey = \"ack\"\nname = \"Ack\"\nsubject.en = \"Hi {name}\"\nbody.en = \"Ref {reference} {{x}}\"\n",
        );
        let p = Programme::parse(&ok).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.template("ack").map(|t| t.name.as_str()), Some("Ack"));
        assert_eq!(
            Programme::parse(&p.to_toml()).unwrap().file(),
            p.file(),
            "round trip"
        );
    }

    const KEY: &str = "age18zkd4tcyta29xj6uv7qcltl75k4znt3grdnsjupxmp5l7t4t83jqpxwpp9";

    fn partner(fields: &str, extra: &str) -> String {
        format!(
            "[[partners]]\nkey = \"ngo\"\nname = \"NGO\"\naddress = \"ref@ngo.example\"\n\
             recipient = \"{KEY}\"\nfields = [{fields}]\n{extra}"
        )
    }

    #[test]
    fn partners_and_their_profiles_are_checked_with_lines() {
        let with = |extra: &str| format!("{MINIMAL}\n{extra}");
        // Personal data (a text field) must be confirmed; bases are required.
        let text = with(&partner("\"reference\", \"name\"", ""));
        let errs = errors(&text);
        let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["referrals.bases", "partners[0].fields"], "{errs:?}");
        assert!(
            errs[1].message.contains("name is personal data"),
            "{errs:?}"
        );
        assert_eq!(errs[1].line, Some(line_of(&text, "fields = [", 0)));

        let ok = with(&format!(
            "[referrals]\nbases = [\"Consent\"]\nconsent_field = \"consent\"\nshow_in_inbox = true\n{}",
            partner(
                "\"reference\", \"name\", \"danger\"",
                "personal_data = true\n"
            )
        ));
        let p = Programme::parse(&ok).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.partner("ngo").map(|x| x.fields.len()), Some(3));
        assert!(p.file().referrals.show_in_inbox);
        assert_eq!(
            Programme::parse(&p.to_toml()).unwrap().file(),
            p.file(),
            "round trip"
        );

        // Unknown names, a bad key and address, an unneeded confirmation, a consent
        // field that is not a single checkbox.
        let bad = with(&format!(
            "[referrals]\nbases = [\"Consent\"]\nconsent_field = \"danger\"\n{}",
            partner("\"danger\", \"passport\"", "personal_data = true\n")
                .replace(KEY, "age1nope")
                .replace("ref@ngo.example", "not an address")
        ));
        let errs = errors(&bad);
        let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "referrals.consent_field",
                "partners[0].address",
                "partners[0].recipient",
                "partners[0].fields[1]",
                "partners[0].personal_data",
            ],
            "{errs:?}"
        );
        assert!(errs.iter().all(|e| e.line.is_some()), "{errs:?}");
    }

    #[test]
    fn each_error_carries_its_problem_for_the_editor() {
        let text = EXAMPLE.replacen(
            "equals = \"former_staff\"",
            "equals = \"former_staffer\"",
            1,
        );
        let errors = Programme::parse(&text).unwrap_err().0;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].problem,
            Problem::NotAnOption {
                value: "former_staffer".into(),
                field: "help_category".into()
            }
        );
        let unknown = Programme::parse(&EXAMPLE.replacen("retention_days", "retention_dayz", 1))
            .unwrap_err()
            .0;
        assert!(
            matches!(
                &unknown[0].problem,
                Problem::Unreadable(Unreadable::UnknownKey { key }) if key == "retention_dayz"
            ),
            "{unknown:?}"
        );
    }
}
