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
