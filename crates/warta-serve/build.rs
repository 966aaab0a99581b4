//! Embeds every file under `assets/` (the page's scripts, styles and the
//! vendored npm packages) and every query of the repository's `queries/`
//! folder, so the binary serves them with nothing beside it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn table(name: &str, root: &Path, filter: fn(&Path) -> bool) -> String {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    files_under(root, &mut files);
    files.retain(|p| filter(p));
    files.sort();
    let mut code = format!("pub static {name}: &[(&str, &[u8])] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path
            .strip_prefix(root)
            .expect("a file found under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let abs = path.canonicalize().expect("an existing file");
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        );
    }
    code.push_str("];\n");
    code
}

fn main() {
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut code = table("ASSETS", &here.join("assets"), |_| true);
    code.push_str(&table(
        "SHIPPED_QUERIES",
        &here.join("../../queries"),
        |p| p.extension().is_some_and(|e| e == "rq"),
    ));
    code.push_str(&table("PAGE_QUERIES", &here.join("queries"), |p| {
        p.extension().is_some_and(|e| e == "rq")
    }));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("embedded.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
