//! Golden tests: the output of `warta extract examples/` and of `warta
//! explain` on each example, byte for byte, against files committed under
//! `tests/golden/`. They pin the behaviour of the whole extraction pipeline,
//! so a refactor that changes nothing for users keeps them green.
//!
//! A change that is *meant* to alter the output regenerates the files on
//! purpose and commits them with the change (review the diff first):
//!
//! ```text
//! WARTA_BLESS=1 cargo test --release --test golden
//! git diff tests/golden/
//! ```
//!
//! (the same as `warta extract examples/ > tests/golden/examples.extract.jsonl`
//! and `warta --memory explain examples/NAME.txt > tests/golden/NAME.explain.txt`
//! from the repository root).

use std::path::Path;

mod common;
use common::{root, warta};

/// `warta ARGS...` from the repository root, its standard output (asserting
/// success).
fn stdout_of(args: &[&str]) -> String {
    let out = warta()
        .args(args)
        .current_dir(root())
        .output()
        .expect("the warta binary runs");
    assert!(
        out.status.success(),
        "warta {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Compares `actual` with the golden file, or rewrites the file when
/// `WARTA_BLESS` is set.
fn check_golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("WARTA_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (WARTA_BLESS=1 creates it)", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name}: output differs from the golden file from line {} on\n expected: {:?}\n   actual: {:?}\n(if the change is intended: WARTA_BLESS=1 cargo test --release --test golden)",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        );
    }
}

#[test]
fn extract_of_the_examples_is_unchanged() {
    check_golden(
        "examples.extract.jsonl",
        &stdout_of(&["extract", "examples/"]),
    );
}

#[test]
fn explain_of_each_example_is_unchanged() {
    let mut files: Vec<_> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "the bundled examples");
    for file in files {
        let name = file.file_stem().and_then(|s| s.to_str()).expect("name");
        let rel = Path::new("examples").join(file.file_name().expect("file name"));
        let out = stdout_of(&["--memory", "explain", rel.to_str().expect("UTF-8 path")]);
        check_golden(&format!("{name}.explain.txt"), &out);
    }
}
