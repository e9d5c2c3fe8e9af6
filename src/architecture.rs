//! The code's shape, checked from its sources: modules never import each other (even
//! through others), and ARCHITECTURE.md's module map names every module there is.

/// The import graph of `src/`, read from the sources: which module names which.
#[cfg(test)]
mod import_cycles {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    type Module = Vec<String>;

    fn modules(root: &Path, dir: &Path, out: &mut BTreeMap<Module, String>) {
        for entry in std::fs::read_dir(dir).expect("src readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                modules(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(root)
                    .expect("under src")
                    .with_extension("");
                let mut m: Module = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(m.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                    m.pop();
                }
                let text = std::fs::read_to_string(&path).expect("readable");
                // Test modules may reach anywhere.
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
                out.insert(m, code);
            }
        }
    }

    /// Paths after `crate::`, `super::` and `self::`, with one level of `{…}` expanded.
    fn paths(module: &Module, code: &str) -> Vec<Module> {
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let mut out = Vec::new();
        let code: String = code
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for start in ["crate::", "super::", "self::"] {
            for (at, _) in code.match_indices(start) {
                if at > 0 && code[..at].ends_with(ident) {
                    continue;
                }
                let mut base: Module = match start {
                    "crate::" => Vec::new(),
                    "super::" => module[..module.len().saturating_sub(1)].to_vec(),
                    _ => module.clone(),
                };
                let rest = &code[at + start.len()..];
                let mut segs = Vec::new();
                let mut tail = rest;
                loop {
                    let end = tail.find(|c: char| !ident(c)).unwrap_or(tail.len());
                    if end == 0 {
                        break;
                    }
                    segs.push(tail[..end].to_owned());
                    tail = &tail[end..];
                    match tail.strip_prefix("::") {
                        Some(t) => tail = t,
                        None => break,
                    }
                }
                while segs.first().is_some_and(|s| s == "super") {
                    segs.remove(0);
                    base.pop();
                }
                base.extend(segs);
                if let Some(group) = tail.strip_prefix('{') {
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    for item in group.split(',') {
                        let mut m = base.clone();
                        m.extend(
                            item.trim()
                                .split("::")
                                .filter(|s| !s.is_empty() && *s != "self" && s.chars().all(ident))
                                .map(str::to_owned),
                        );
                        out.push(m);
                    }
                } else {
                    out.push(base);
                }
            }
        }
        out
    }

    #[test]
    fn no_two_modules_import_each_other_even_through_others() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = BTreeMap::new();
        modules(&root, &root, &mut files);
        let known: BTreeSet<Module> = files.keys().cloned().collect();
        let resolve = |path: &Module| {
            (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| known.contains(p))
        };
        let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
        for (m, code) in &files {
            for p in paths(m, code) {
                if let Some(target) = resolve(&p) {
                    // A module may use its parents (where shared types live).
                    if &target != m && !m.starts_with(&target) {
                        edges.entry(m.clone()).or_default().insert(target);
                    }
                }
            }
        }
        // Strongly connected components (Tarjan): any with two modules is a cycle.
        struct State<'a> {
            edges: &'a BTreeMap<Module, BTreeSet<Module>>,
            index: BTreeMap<Module, usize>,
            low: BTreeMap<Module, usize>,
            stack: Vec<Module>,
            cycles: Vec<Vec<String>>,
        }
        fn visit(s: &mut State<'_>, v: &Module) {
            let n = s.index.len();
            s.index.insert(v.clone(), n);
            s.low.insert(v.clone(), n);
            s.stack.push(v.clone());
            let next: Vec<Module> = s.edges.get(v).into_iter().flatten().cloned().collect();
            for w in next {
                if !s.index.contains_key(&w) {
                    visit(s, &w);
                    let lw = s.low[&w];
                    let lv = s.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if s.stack.contains(&w) {
                    let iw = s.index[&w];
                    let lv = s.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if s.low[v] == s.index[v] {
                let mut cycle = Vec::new();
                while let Some(w) = s.stack.pop() {
                    let done = &w == v;
                    cycle.push(w.join("::"));
                    if done {
                        break;
                    }
                }
                if cycle.len() > 1 {
                    cycle.sort();
                    s.cycles.push(cycle);
                }
            }
        }
        let mut state = State {
            edges: &edges,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            cycles: Vec::new(),
        };
        for m in files.keys() {
            if !state.index.contains_key(m) {
                visit(&mut state, m);
            }
        }
        assert!(
            state.cycles.is_empty(),
            "modules that import each other: {:?}",
            state.cycles
        );
        // The same between top-level modules (`store` and `replies`, say, whatever
        // file of each does the importing).
        let top = |m: &Module| m.first().cloned().unwrap_or_default();
        let mut pairs = BTreeSet::new();
        for (from, tos) in &edges {
            for to in tos {
                if top(from) != top(to) {
                    pairs.insert((top(from), top(to)));
                }
            }
        }
        let mutual: Vec<_> = pairs
            .iter()
            .filter(|(a, b)| a < b && pairs.contains(&(b.clone(), a.clone())))
            // The worker checks a referral's destination just before sending it, and a
            // referral's email is an `OutboundMessage`: still to be untangled.
            .filter(|(a, b)| (a.as_str(), b.as_str()) != ("outbound", "referrals"))
            .collect();
        assert!(
            mutual.is_empty(),
            "top-level modules importing each other: {mutual:?}"
        );
        assert!(
            files.len() > 80 && edges.len() > 60,
            "the scan read the sources"
        );
    }
}

/// Permissions have one source: `casework::permit` (through `Staff::may`,
/// `Staff::may_in`, `console::member`, or a domain function that asks it). The
/// console's handlers and pages never re-derive one by comparing roles or reading
/// the instance-admin flag, so a page cannot offer what its handler refuses.
#[cfg(test)]
mod permission_checks {
    use std::path::Path;

    fn files(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable");
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
                out.push((path.display().to_string(), code));
            }
        }
    }

    const ORDERING: [&str; 4] = [">=", "<=", ">", "<"];
    const EQUALITY: [&str; 2] = ["==", "!="];

    /// Whether `text` starts with a comparison operator (not `=>` or `->`).
    fn starts_comparing(text: &str, ops: &[&str]) -> bool {
        let text = text.trim_start();
        ops.iter()
            .any(|op| text.starts_with(op) && !text.starts_with("=>") && !text.starts_with("->"))
    }

    /// Whether `text` ends with a comparison operator (not `=>` or `->`).
    fn ends_comparing(text: &str, ops: &[&str]) -> bool {
        let text = text.trim_end();
        let text = text.strip_suffix("Some(").unwrap_or(text).trim_end();
        ops.iter()
            .any(|op| text.ends_with(op) && !text.ends_with("=>") && !text.ends_with("->"))
    }

    /// The role comparisons and instance-admin reads on one line of code.
    fn offences(line: &str) -> Vec<&'static str> {
        let line = line.split("//").next().unwrap_or("");
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let all: Vec<&str> = ORDERING.iter().chain(&EQUALITY).copied().collect();
        let mut found = Vec::new();
        for (at, _) in line.match_indices("ProgrammeRole::") {
            let after = &line[at + "ProgrammeRole::".len()..];
            let after = after.trim_start_matches(ident).trim_start_matches(')');
            if ends_comparing(&line[..at], &all) || starts_comparing(after, &all) {
                found.push("compares with a ProgrammeRole");
            }
        }
        for (at, _) in line.match_indices(".role") {
            let after = &line[at + ".role".len()..];
            if !after.starts_with(ident) && starts_comparing(after, &ORDERING) {
                found.push("orders roles");
            }
        }
        for (at, _) in line.match_indices("staff.is_admin") {
            let after = &line[at + "staff.is_admin".len()..];
            // Handing the flag on as data (`instance_admin: staff.is_admin,`) is not
            // a decision.
            if !after.starts_with(ident) && !after.trim_start().starts_with(',') {
                found.push("reads the instance-admin flag");
            }
        }
        for (at, _) in line.match_indices(".instance_admin") {
            if !line[at + ".instance_admin".len()..].starts_with(ident) {
                found.push("reads the instance-admin flag");
            }
        }
        found
    }

    #[test]
    fn the_console_asks_permit_and_never_compares_roles_itself() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/console");
        let mut sources = Vec::new();
        files(&root, &mut sources);
        let mut bad = Vec::new();
        for (path, code) in &sources {
            for (n, line) in code.lines().enumerate() {
                for what in offences(line) {
                    bad.push(format!("{path}:{}: {what}: {}", n + 1, line.trim()));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "ask casework::permit (Staff::may, Staff::may_in, console::member) instead:\n{}",
            bad.join("\n")
        );
        assert!(sources.len() > 30, "the scan read the console's sources");
    }

    #[test]
    fn what_the_scan_catches_and_what_it_leaves() {
        for caught in [
            "@if staff.is_admin || staff.memberships.iter().any(|m| m.role == ProgrammeRole::Admin) {",
            "if staff.role_in(&id) != Some(ProgrammeRole::Admin) {",
            "@if role >= ProgrammeRole::Supervisor {",
            "if ProgrammeRole::Agent < role {",
            "if m.role > other {",
            "@if !me.instance_admin && r != ProgrammeRole::Agent {",
            "let all = if staff.is_admin {",
        ] {
            assert!(!offences(caught).is_empty(), "{caught}");
        }
        for left in [
            "ProgrammeRole::Agent => \"admin-role-agent\",",
            "@for r in [ProgrammeRole::Agent, ProgrammeRole::Supervisor, ProgrammeRole::Admin] {",
            "let role = ProgrammeRole::parse(&form.role).ok_or(AppError::BadRequest)?;",
            "option value=(r.as_str()) selected[typed.role == r.as_str()] {",
            "instance_admin: staff.is_admin,",
            "@if u.is_admin { (t(lang, \"admin-instance-admin\")) }",
            "fn role_label(lang: Language, role: ProgrammeRole) -> String {",
            "// was: staff.is_admin",
        ] {
            assert!(offences(left).is_empty(), "{left}: {:?}", offences(left));
        }
    }
}

/// Console files stay page-sized: one over 500 lines says why in its module doc
/// comment ("longer than …" or "over ~500 lines …"), or is split by concern.
#[cfg(test)]
mod file_sizes {
    use std::path::Path;

    fn check(dir: &Path, long: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("src readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                check(&path, long);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable");
                let doc: String = text
                    .lines()
                    .take_while(|l| l.starts_with("//!"))
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                let says_why = doc.contains("longer than") || doc.contains("over ~500");
                if text.lines().count() > 500 && !says_why {
                    long.push(format!(
                        "{} ({} lines)",
                        path.display(),
                        text.lines().count()
                    ));
                }
            }
        }
    }

    #[test]
    fn a_long_console_file_says_why_in_its_doc_comment() {
        let mut long = Vec::new();
        check(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/console"),
            &mut long,
        );
        assert!(
            long.is_empty(),
            "split these by concern, or say in the module doc why they are long: {long:?}"
        );
    }

    /// The `async fn`s of `text` (handlers, and the functions that load or decide for
    /// them) longer than `limit` lines, by name.
    fn long_async_fns(text: &str, limit: usize) -> Vec<(String, usize)> {
        let lines: Vec<&str> = text.lines().collect();
        let mut long = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line
                .trim_start_matches("pub ")
                .trim_start_matches("pub(super) ")
                .trim_start_matches("pub(crate) ")
                .strip_prefix("async fn ")
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let end = lines[i..].iter().position(|l| *l == "}").unwrap_or(0);
            if end + 1 > limit {
                long.push((name, end + 1));
            }
        }
        long
    }

    /// "About 80 lines": a little slack, so a handler that grows by a line or two does
    /// not fail the build, but one that starts deciding things does.
    const HANDLER_LINES: usize = 85;

    #[test]
    fn console_handlers_stay_short() {
        fn scan(dir: &Path, long: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("src readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    scan(&path, long);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("readable");
                    let code = text.split("#[cfg(test)]").next().unwrap_or("");
                    for (name, n) in long_async_fns(code, HANDLER_LINES) {
                        long.push(format!("{}: {name} ({n} lines)", path.display()));
                    }
                }
            }
        }
        let mut long = Vec::new();
        scan(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/console"),
            &mut long,
        );
        assert!(
            long.is_empty(),
            "a handler parses, calls one domain function and renders; move the deciding \
             out, or the rendering into a function of its own: {long:?}"
        );
        let sample = "async fn a() {\n    x;\n}\npub(super) async fn b() {\n".to_owned()
            + &"    y;\n".repeat(HANDLER_LINES)
            + "}\n";
        assert_eq!(
            long_async_fns(&sample, HANDLER_LINES),
            vec![("b".to_owned(), HANDLER_LINES + 2)]
        );
    }
}

/// ARCHITECTURE.md's module map against the code.
#[cfg(test)]
mod module_map {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// The module names in the first column of ARCHITECTURE.md's tables under
    /// "## Modules".
    fn mapped() -> BTreeSet<String> {
        let doc =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
                .expect("ARCHITECTURE.md");
        let section = doc
            .split("\n## Modules\n")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("a Modules section");
        section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .map(str::to_owned)
            .collect()
    }

    /// The library's modules (`pub mod` in lib.rs).
    fn top_level() -> BTreeSet<String> {
        include_str!("lib.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("pub mod "))
            .map(|l| l.trim_end_matches(';').to_owned())
            .collect()
    }

    /// The files of `dir` as modules of `prefix` (`mod.rs` is the parent itself).
    fn files_of(dir: &str, prefix: &str) -> BTreeSet<String> {
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir))
            .expect("module folder")
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".rs")?;
                (stem != "mod").then(|| format!("{prefix}::{stem}"))
            })
            .collect()
    }

    #[test]
    fn architecture_names_every_module_and_no_module_that_is_gone() {
        let mapped = mapped();
        let mut expected = top_level();
        for (dir, prefix) in [
            ("store", "store"),
            ("outbound", "outbound"),
            ("audit", "audit"),
            ("console/programmes", "console::programmes"),
            ("console/signin", "console::signin"),
            ("console/admin", "console::admin"),
        ] {
            expected.extend(files_of(dir, prefix));
        }
        let missing: Vec<_> = expected.difference(&mapped).collect();
        assert!(
            missing.is_empty(),
            "not in ARCHITECTURE.md's module map: {missing:?}"
        );
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let exists = |m: &str| {
            let path = m.replace("::", "/");
            src.join(format!("{path}.rs")).exists() || src.join(path).join("mod.rs").exists()
        };
        let gone: Vec<_> = mapped.iter().filter(|m| !exists(m)).collect();
        assert!(
            gone.is_empty(),
            "in the module map but not in the code: {gone:?}"
        );
        assert!(top_level().len() > 20);
    }
}

/// docs/SECURITY-CONTROLS.md maps each control to its code and its test by name. Names
/// go stale when code moves (the outside review found rows naming functions and files
/// that were gone), so every backticked path must exist and every backticked
/// `module::item` must name an identifier that is still in the source.
#[cfg(test)]
mod security_controls {
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn backticked(doc: &str) -> Vec<&str> {
        doc.split('`').skip(1).step_by(2).collect()
    }

    /// `a/{b,c}.rs` → `a/b.rs`, `a/c.rs` (one brace group, as the document writes).
    fn expand(path: &str) -> Vec<String> {
        match (path.find('{'), path.find('}')) {
            (Some(open), Some(close)) if open < close => path[open + 1..close]
                .split(',')
                .map(|alt| format!("{}{}{}", &path[..open], alt, &path[close + 1..]))
                .collect(),
            _ => vec![path.to_owned()],
        }
    }

    fn rust_sources(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    rust_sources(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
                out.push('\n');
            }
        }
    }

    fn is_ident(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '_'
    }

    /// `name` (or, for `prefix…`, an identifier starting with it) as a whole word.
    fn has_identifier(code: &str, name: &str, prefix: bool) -> bool {
        code.match_indices(name).any(|(at, _)| {
            let before = code[..at].chars().next_back().is_none_or(|c| !is_ident(c));
            let after = code[at + name.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_ident(c));
            before && (prefix || after)
        })
    }

    fn doc() -> String {
        std::fs::read_to_string(root().join("docs/SECURITY-CONTROLS.md")).unwrap()
    }

    #[test]
    fn every_path_it_cites_exists() {
        let doc = doc();
        let mut missing = Vec::new();
        let mut checked = 0;
        for token in backticked(&doc) {
            let cited = ["src/", "tests/", "ops/", "migrations/", "docs/", "locales/"]
                .iter()
                .any(|p| token.starts_with(p))
                || ["Cargo.toml", "clippy.toml", "deny.toml", ".ci/run"].contains(&token);
            if !cited || token.contains(char::is_whitespace) {
                continue;
            }
            for path in expand(token) {
                checked += 1;
                if !root().join(&path).exists() {
                    missing.push(path);
                }
            }
        }
        assert!(checked > 10, "the document cites files ({checked})");
        assert!(
            missing.is_empty(),
            "cited but not in the repository: {missing:?}"
        );
    }

    #[test]
    fn every_function_type_and_test_it_names_is_still_in_the_source() {
        let doc = doc();
        let mut code = String::new();
        rust_sources(&root().join("src"), &mut code);
        rust_sources(&root().join("tests"), &mut code);
        rust_sources(&root().join("ops"), &mut code);
        let mut missing = Vec::new();
        let mut checked = 0;
        for token in backticked(&doc) {
            // `a::b::c`, `Type::method`, `module::test…`, `module::tests::*`.
            let path = token.trim_end_matches("::*");
            let (path, prefix) = match path.strip_suffix('…') {
                Some(p) => (p, true),
                None => (path, false),
            };
            let segments: Vec<&str> = path.split("::").collect();
            let well_formed = segments.len() >= 2
                && segments
                    .iter()
                    .all(|s| !s.is_empty() && s.chars().all(is_ident));
            // The document's own placeholders for how tests are named.
            if !well_formed || ["module::test", "path::test"].contains(&path) {
                continue;
            }
            checked += 1;
            let last = segments[segments.len() - 1];
            if !has_identifier(&code, last, prefix) {
                missing.push(token.to_owned());
            }
        }
        assert!(checked > 100, "the document names code ({checked})");
        assert!(
            missing.is_empty(),
            "named but gone from the source: {missing:?}"
        );
    }
}
