//! Helpers shared by the end-to-end tests: run the real `warta` binary from
//! the repository root, with a store of the test's own.
#![allow(dead_code)] // each test crate uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, cleared of the environment that could change what it does:
/// a user's ontology or store, and proxies (tests never leave the machine).
pub fn warta() -> Command {
    let mut c = without_proxies(env!("CARGO_BIN_EXE_warta"));
    c.env_remove("WARTA_ONTOLOGY").env_remove("WARTA_STORE");
    c
}

/// A command with the proxy variables removed (tests never leave the machine).
pub fn without_proxies(program: &str) -> Command {
    let mut c = Command::new(program);
    for v in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        c.env_remove(v);
    }
    c
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `warta --store STORE ARGS...` from the repository root.
pub fn run(store: &Path, args: &[&str]) -> Output {
    warta()
        .arg("--store")
        .arg(store)
        .args(args)
        .current_dir(root())
        .output()
        .expect("the warta binary runs")
}

/// Like [`run`], asserting success; returns stdout.
pub fn ok(store: &Path, args: &[&str]) -> String {
    let out = run(store, args);
    assert!(
        out.status.success(),
        "warta {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The numbers in the first row of a `SELECT (COUNT(...) AS ?a) ...` query,
/// one per column.
pub fn counts(store: &Path, query: &str) -> Vec<usize> {
    let out = ok(store, &["query", "--format", "tsv", "-e", query]);
    let row = out
        .lines()
        .nth(1)
        .unwrap_or_else(|| panic!("a row in {out}"));
    row.split('\t')
        .map(|cell| {
            cell.split('^')
                .next()
                .and_then(|n| n.trim_matches('"').parse().ok())
                .unwrap_or_else(|| panic!("a count in {out}"))
        })
        .collect()
}

/// The number a `SELECT (COUNT(...) AS ?n)` query returns.
pub fn count(store: &Path, query: &str) -> usize {
    let found = counts(store, query);
    assert_eq!(found.len(), 1, "one count from {query}: {found:?}");
    found[0]
}

/// Quads in all named graphs.
pub fn count_quads(store: &Path) -> usize {
    count(
        store,
        // The union of the default (knowledge) graph and the named graphs:
        // no triple is in two graphs, so this counts every quad once.
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    )
}

/// A JSON mention or example (`text`, `start`, `end`) whose byte offsets
/// into `source` give back its text.
pub fn assert_span(source: &str, m: &serde_json::Value) {
    let (s, e) = (
        m["start"].as_u64().expect("start") as usize,
        m["end"].as_u64().expect("end") as usize,
    );
    assert_eq!(
        source.get(s..e),
        Some(m["text"].as_str().expect("text")),
        "byte offsets {s}..{e} give the text"
    );
}

/// A server process; killed when the test ends, also on a panic.
pub struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A localhost port nobody listens on (free when this returns).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free localhost port")
}

/// `warta serve --writable` on a free port over `store`, writes allowed with
/// the bearer token in `token_file`: the server and its base URL.
pub fn start_writable_warta_serve(store: &Path, token_file: &Path) -> (Server, String) {
    use std::io::BufRead;
    let mut child = warta()
        .arg("--store")
        .arg(store)
        .args(["serve", "--bind", "127.0.0.1:0", "--writable", "--quiet"])
        .arg("--token-file")
        .arg(token_file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("warta serve starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let server = Server(child);
    let mut first = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut first)
        .expect("warta serve prints its URL");
    let url = first
        .trim()
        .strip_prefix("warta serve: listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();
    (server, url)
}
