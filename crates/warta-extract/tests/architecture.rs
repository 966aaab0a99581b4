//! Architecture rules of the extraction crate, checked on its source and
//! on the workspace's lock file.
//!
//! 1. Stages depend one way. In pipeline order, each may use the ones
//!    before it and never one after it:
//!
//!    ```text
//!    model -> input -> text -> ontology -> syntax -> mentions -> entities
//!          -> relations -> extract -> explain -> eval
//!    ```
//!
//!    `model` holds the shared data types; `ontology` is data (lexicons,
//!    gazetteer, links, syntax models) that every stage from `syntax` on
//!    reads, and it folds text with `text`; `syntax` parses sentences on
//!    demand for the stages after it; `time` lives inside `relations` (its helper);
//!    `explain` (with `nearmiss`) only reads what `extract` produced, and
//!    `eval` scores it. A reference is any `crate::<module>` path, and any
//!    `super::` path that leaves the stage, in code (comments and strings
//!    do not count), tests included.
//! 2. The extraction crate knows nothing of the graph side. Its code names
//!    none of the graph crates (`warta_graph`, `warta_wikidata`) nor
//!    `oxigraph`, and its dependencies, followed through `Cargo.lock`,
//!    reach no database (RocksDB), no HTTP client and no TLS: a library user
//!    who only wants extraction builds none of them.
//! 3. No function of an extraction module is longer than
//!    [`MAX_FN_LINES`] lines, from its `fn` line to its closing brace.
//!    Functions inside `#[cfg(test)]` modules are not counted (a test may
//!    read as a long script); their imports are.
//!
//! The scan is lexical: comments, strings (raw too) and char literals are
//! blanked first, then `fn` bodies are brace-matched.

use std::path::{Path, PathBuf};

/// The longest a pipeline function may be.
const MAX_FN_LINES: usize = 150;

/// The extraction modules, in pipeline order (see the module docs).
const STAGES: [&str; 11] = [
    "model",
    "input",
    "text",
    "ontology",
    "syntax",
    "mentions",
    "entities",
    "relations",
    "extract",
    "explain",
    "eval",
];

/// Graph-side crates no extraction module may name.
const GRAPH_SIDE: [&str; 3] = ["warta_graph", "warta_wikidata", "oxigraph"];

/// Packages the extraction crate must not pull in, directly or not.
const FORBIDDEN_PACKAGES: [&str; 8] = [
    "warta-graph",
    "warta-wikidata",
    "oxigraph",
    "oxrocksdb-sys",
    "rocksdb",
    "ureq",
    "rustls",
    "ring",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.rs` files of a top-level module: `src/<m>.rs` and everything
/// under `src/<m>/`.
fn files_of(module: &str) -> Vec<PathBuf> {
    let src = root().join("src");
    let mut out = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        out.push(file);
    }
    let mut dirs = vec![src.join(module)];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The file's module path below the crate root: `src/relations/roles/mod.rs`
/// is `["relations", "roles"]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file
        .strip_prefix(root().join("src"))
        .expect("a file under src/");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn relative(file: &Path) -> String {
    file.strip_prefix(root())
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The source with comments, string literals (raw too) and char literals
/// replaced by spaces, newlines kept, so positions and lines stay valid.
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let prev_ident = i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_');
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r'))) && !prev_ident && {
            let mut k = i + if c == 'b' { 2 } else { 1 };
            while b.get(k) == Some(&'#') {
                k += 1;
            }
            b.get(k) == Some(&'"')
        } {
            // r"...", r#"..."#, br"...": ends at a quote and as many #.
            let mut k = i + if c == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while b.get(k) == Some(&'#') {
                hashes += 1;
                k += 1;
            }
            k += 1;
            while k < b.len() {
                if b[k] == '"' && (1..=hashes).all(|h| b.get(k + h) == Some(&'#')) {
                    k += 1 + hashes;
                    break;
                }
                k += 1;
            }
            for &ch in &b[i..k.min(b.len())] {
                out.push(blank(ch));
            }
            i = k;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && !prev_ident {
            // A char literal ('x', '\n', '\u{7f}', '{'); else a lifetime.
            let end = if next == Some('\\') {
                (i + 2..b.len().min(i + 12)).find(|&k| b[k] == '\'')
            } else {
                (b.get(i + 2) == Some(&'\'')).then_some(i + 2)
            };
            match end {
                Some(e) => {
                    for _ in i..=e {
                        out.push(' ');
                    }
                    i = e + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier starting at byte `at` of `s`.
fn ident_at(s: &str, at: usize) -> &str {
    let rest = &s[at..];
    let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
    &rest[..end]
}

/// Byte ranges of the `#[cfg(test)] mod name { ... }` blocks of `code`.
fn test_modules(code: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = code[from..].find("#[cfg(test)]") {
        let at = from + p;
        from = at + 1;
        let after = code[at + "#[cfg(test)]".len()..].trim_start();
        let after = after.strip_prefix("pub(crate) ").unwrap_or(after);
        let after = after.strip_prefix("pub(super) ").unwrap_or(after);
        if !after.starts_with("mod ") {
            continue;
        }
        let Some(open) = code[at..].find('{').map(|o| at + o) else {
            continue;
        };
        if code[at..open].contains(';') {
            continue; // `mod tests;` in another file
        }
        if let Some(close) = matching_brace(code, open) {
            out.push((at, close));
        }
    }
    out
}

/// The byte index of the `}` closing the `{` at `open`.
fn matching_brace(code: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + k);
                }
            }
            _ => {}
        }
    }
    None
}

fn line_of(code: &str, at: usize) -> usize {
    code[..at].matches('\n').count() + 1
}

/// (name, first line, length in lines) of each function with a body,
/// outside `#[cfg(test)]` modules.
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let skip = test_modules(code);
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(p) = code[from..].find("fn ") {
        let at = from + p;
        from = at + 3;
        if at > 0 && is_ident(bytes[at - 1] as char) {
            continue;
        }
        if skip.iter().any(|&(a, b)| a <= at && at <= b) {
            continue;
        }
        let name_at = at + 3 + (code[at + 3..].len() - code[at + 3..].trim_start().len());
        let name = ident_at(code, name_at);
        if name.is_empty() {
            continue; // a `fn(..)` pointer type
        }
        // The body opens at the first `{` before any `;` (none: a declaration).
        let rest = &code[name_at..];
        let Some(open) = rest.find(['{', ';']).map(|o| name_at + o) else {
            continue;
        };
        if bytes[open] == b';' {
            continue;
        }
        let Some(close) = matching_brace(code, open) else {
            continue;
        };
        let first = line_of(code, at);
        out.push((name.to_string(), first, line_of(code, close) - first + 1));
    }
    out
}

/// The inline modules (`mod name { ... }`) open at byte `at`, outermost first.
fn inline_modules_at(code: &str, at: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = code[from..at].find("mod ") {
        let m = from + p;
        from = m + 4;
        if m > 0 && is_ident(code.as_bytes()[m - 1] as char) {
            continue;
        }
        let name_at = m + 4 + (code[m + 4..].len() - code[m + 4..].trim_start().len());
        let name = ident_at(code, name_at);
        let after = code[name_at + name.len()..].trim_start();
        if name.is_empty() || !after.starts_with('{') {
            continue;
        }
        let open = code.len() - after.len();
        if matching_brace(code, open).is_some_and(|close| open < at && at < close) {
            out.push(name.to_string());
        }
    }
    out
}

/// The top-level modules of the crate that `code` (of the file at module
/// path `module`) refers to, with the line of each reference: every path
/// starting with `crate::`, `super::` or `self::` (groups `{a, b}` at the
/// crate root give each member).
fn references(code: &str, module: &[String]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("::") {
        let head_start = code[..at].trim_end_matches(is_ident).len();
        let head = &code[head_start..at];
        if !matches!(head, "crate" | "super" | "self") || code[..head_start].ends_with("::") {
            continue; // not the head of a path
        }
        let mut path: Vec<String> = Vec::new();
        if head != "crate" {
            path.extend(module.iter().cloned());
            path.extend(inline_modules_at(code, at));
            if head == "super" {
                path.pop();
            }
        }
        let mut k = at + 2;
        while ident_at(code, k) == "super" && code[k + 5..].starts_with("::") {
            path.pop();
            k += "super::".len();
        }
        let line = line_of(code, at);
        if let Some(top) = path.first() {
            out.push((top.clone(), line));
            continue;
        }
        // At the crate root: the next segment, or each member of a group.
        let rest = code[k..].trim_start();
        let Some(group) = rest.strip_prefix('{') else {
            let seg = ident_at(rest, 0);
            if !seg.is_empty() {
                out.push((seg.to_string(), line));
            }
            continue;
        };
        let mut depth = 0;
        let mut member_start = true;
        for (j, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => member_start = true,
                c if member_start && is_ident(c) => {
                    out.push((ident_at(group, j).to_string(), line));
                    member_start = false;
                }
                c if !c.is_whitespace() => member_start = false,
                _ => {}
            }
        }
    }
    out
}

fn rank(module: &str) -> Option<usize> {
    STAGES.iter().position(|s| *s == module)
}

#[test]
fn stages_use_only_earlier_stages_and_no_graph_side() {
    let mut problems = Vec::new();
    for stage in STAGES {
        let files = files_of(stage);
        assert!(!files.is_empty(), "no source files for stage {stage}");
        let own = rank(stage).expect("a stage");
        for file in files {
            let src = std::fs::read_to_string(&file).expect("read source");
            let code = code_only(&src);
            let name = relative(&file);
            for (used, line) in references(&code, &module_path(&file)) {
                if rank(&used).is_some_and(|r| r > own) {
                    problems.push(format!(
                        "{name}:{line}: stage {stage} uses the later stage {used}"
                    ));
                }
            }
            for side in GRAPH_SIDE {
                for (at, _) in code.match_indices(side) {
                    let before_ok = at == 0 || !is_ident(code.as_bytes()[at - 1] as char);
                    if before_ok && ident_at(&code, at) == side {
                        problems.push(format!(
                            "{name}:{}: extraction module {stage} uses {side} (graph side)",
                            line_of(&code, at)
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "dependency rules broken:\n{}",
        problems.join("\n")
    );
}

/// The packages `Cargo.lock` says `package` depends on, transitively.
fn locked_closure(lock: &str, package: &str) -> Vec<String> {
    let lock: toml::Table = lock.parse().expect("Cargo.lock is TOML");
    let packages = lock["package"].as_array().expect("[[package]] entries");
    let deps_of = |name: &str| -> Vec<String> {
        packages
            .iter()
            .filter(|p| p["name"].as_str() == Some(name))
            .filter_map(|p| p.get("dependencies").and_then(|d| d.as_array()))
            .flatten()
            .filter_map(|d| d.as_str())
            .map(|d| d.split(' ').next().unwrap_or(d).to_string())
            .collect()
    };
    let mut seen = vec![package.to_string()];
    let mut todo = vec![package.to_string()];
    while let Some(p) = todo.pop() {
        for d in deps_of(&p) {
            if !seen.contains(&d) {
                seen.push(d.clone());
                todo.push(d);
            }
        }
    }
    seen.sort();
    seen
}

#[test]
fn the_extraction_crate_pulls_in_no_database_http_or_tls() {
    // Cargo.lock lists normal and dev dependencies alike; the crate's only
    // dev-dependency is tempfile, so the closure is a fair upper bound.
    let lock = std::fs::read_to_string(root().join("../../Cargo.lock")).expect("read Cargo.lock");
    let closure = locked_closure(&lock, "warta-extract");
    assert!(closure.contains(&"oxttl".to_string()), "{closure:?}");
    let bad: Vec<&String> = closure
        .iter()
        .filter(|p| FORBIDDEN_PACKAGES.contains(&p.as_str()))
        .collect();
    assert!(bad.is_empty(), "warta-extract pulls in {bad:?}");
    let graph = locked_closure(&lock, "warta-graph");
    assert!(
        graph.contains(&"oxigraph".to_string()),
        "the check must see the graph crate's store"
    );
}

#[test]
fn no_pipeline_function_is_longer_than_the_limit() {
    let mut long = Vec::new();
    let mut longest = (0, String::new());
    for stage in STAGES {
        for file in files_of(stage) {
            let src = std::fs::read_to_string(&file).expect("read source");
            for (name, line, len) in functions(&code_only(&src)) {
                if len > longest.0 {
                    longest = (len, format!("{}:{line}: fn {name}", relative(&file)));
                }
                if len > MAX_FN_LINES {
                    long.push(format!(
                        "{}:{line}: fn {name} is {len} lines",
                        relative(&file)
                    ));
                }
            }
        }
    }
    // Shown with `cargo test --test architecture -- --nocapture`.
    println!(
        "longest pipeline function: {} ({} lines)",
        longest.1, longest.0
    );
    assert!(
        long.is_empty(),
        "functions longer than {MAX_FN_LINES} lines (split them into named steps):\n{}",
        long.join("\n")
    );
}

// The scanner itself, on small inputs.

#[test]
fn the_scanner_ignores_comments_strings_and_chars() {
    let src = "// crate::rdf\nlet s = \"crate::store {\";\nlet c = '{';\nlet r = r#\"}\"#;\nfn f<'a>(x: &'a str) {}\n/* oxigraph */";
    let code = code_only(src);
    assert!(!code.contains("rdf") && !code.contains("store") && !code.contains("oxigraph"));
    assert_eq!(code.matches('{').count(), 1, "{code}");
    assert_eq!(code.lines().count(), src.lines().count());
    assert!(code.contains("fn f<'a>(x: &'a str)"), "{code}");
}

#[test]
fn the_scanner_measures_functions_and_skips_test_modules() {
    let src = "fn a() {\n    let x = { 1 };\n}\nstruct S { f: fn(usize) -> bool }\ntrait T { fn d(&self); }\n#[cfg(test)]\nmod tests {\n    fn long() {\n\n\n    }\n}\n";
    let fns = functions(&code_only(src));
    assert_eq!(fns, vec![("a".to_string(), 1, 3)]);
}

#[test]
fn the_scanner_resolves_crate_and_super_paths() {
    let module = ["relations".to_string(), "roles".to_string()];
    let src = "use crate::{entities::Resolved, text::Token};\nuse super::context::Ctx;\nuse super::super::mentions::X;\nfn f() { crate::eval::g(); }\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n";
    let refs: Vec<String> = references(&code_only(src), &module)
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(
        refs,
        [
            "entities",
            "text",
            "relations",
            "mentions",
            "eval",
            "relations"
        ]
    );
}
