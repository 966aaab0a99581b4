//! `warta push` end to end, against real Graph Store servers on loopback:
//!
//! - `warta serve --writable` (bearer token); needs nothing beyond the build;
//! - the Oxigraph server from PyPI (`oxigraph serve --union-default-graph`),
//!   skipped with a printed reason when the `oxigraph` binary is missing;
//! - Virtuoso, Debian's `virtuoso-opensource`, started by
//!   `tests/push/virtuoso.sh` with digest authentication; skipped with a
//!   printed reason when Virtuoso is not installed (`.ci/run` installs it).
//!
//! Each run pushes the examples store, then asks the remote every shipped
//! query and compares the rows with `warta query` on the local store; it
//! pushes again (nothing is sent), after changing one article (only its
//! graph and the knowledge buckets it touches are sent), and after removing
//! one (its graph is deleted remotely).

mod common;

use common::{free_port, ok, root, run, warta, Server};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A remote to push to and query.
struct Remote {
    /// The Graph Store endpoint given to `warta push`.
    store_url: String,
    /// The SPARQL query endpoint.
    query_url: String,
    /// Extra `warta push` arguments (authentication).
    push_args: Vec<String>,
    /// Environment for `warta push` (secrets).
    push_env: Vec<(String, String)>,
    _server: Option<Server>,
}

/// What one push reported on stderr.
#[derive(Debug, Default)]
struct Pushed {
    sent: usize,
    documents: usize,
    deleted: usize,
    documents_deleted: usize,
    unchanged: usize,
}

fn number_before(text: &str, word: &str) -> usize {
    let at = text
        .find(word)
        .unwrap_or_else(|| panic!("no {word:?} in {text:?}"));
    text[..at]
        .trim_end()
        .rsplit([' ', '('])
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number before {word:?} in {text:?}"))
}

fn push(store: &Path, remote: &Remote) -> Pushed {
    let mut cmd = warta();
    cmd.arg("--store")
        .arg(store)
        .arg("push")
        .arg(&remote.store_url);
    cmd.args(&remote.push_args).args(["--timeout", "60"]);
    for (k, v) in &remote.push_env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("warta push runs");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "warta push failed: {err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("warta: sent "))
        .unwrap_or_else(|| panic!("no summary in {err:?}"));
    Pushed {
        sent: number_before(line, "graphs"),
        documents: number_before(line, "documents"),
        deleted: number_before(line, "deleted"),
        documents_deleted: number_before(&line[line.find("deleted").unwrap_or(0)..], "documents"),
        unchanged: number_before(line, "unchanged"),
    }
}

/// A SPARQL JSON results document as a set of rows, each term written the
/// same way whatever server wrote it (Virtuoso's "typed-literal" is a
/// literal; xsd:string is a plain literal).
fn rows(json: &str, origin: &str) -> BTreeSet<String> {
    let doc: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{origin}: not SPARQL JSON ({e}): {json:.300}"));
    let vars: Vec<String> = doc["head"]["vars"]
        .as_array()
        .unwrap_or_else(|| panic!("{origin}: no head.vars"))
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let bindings = doc["results"]["bindings"]
        .as_array()
        .unwrap_or_else(|| panic!("{origin}: no results.bindings"));
    bindings
        .iter()
        .map(|b| {
            vars.iter()
                .map(|v| term(&b[v.as_str()]))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect()
}

fn term(t: &serde_json::Value) -> String {
    let value = t["value"].as_str().unwrap_or("");
    match t["type"].as_str() {
        None => String::new(),
        Some("uri") => format!("<{value}>"),
        Some("bnode") => "_:b".to_string(),
        Some(_) => {
            let lang = t["xml:lang"].as_str().unwrap_or("");
            let datatype = t["datatype"].as_str().unwrap_or("");
            if !lang.is_empty() {
                format!("{value:?}@{}", lang.to_ascii_lowercase())
            } else if datatype.is_empty() || datatype.ends_with("#string") {
                format!("{value:?}")
            } else {
                format!("{value:?}^^<{datatype}>")
            }
        }
    }
}

fn local_rows(store: &Path, query: &Path) -> BTreeSet<String> {
    let json = ok(
        store,
        &["query", "--format", "json", &query.to_string_lossy()],
    );
    rows(&json, "warta query")
}

fn remote_rows(remote: &Remote, query: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(query).expect("query file");
    let answer = ureq::post(&remote.query_url)
        .header("Accept", "application/sparql-results+json")
        .send_form([("query", text.as_str())])
        .unwrap_or_else(|e| panic!("{}: {e}", remote.query_url));
    let json = answer.into_body().read_to_string().expect("answer body");
    rows(&json, &remote.query_url)
}

/// Every shipped query gives the same rows locally and remotely.
fn assert_queries_agree(store: &Path, remote: &Remote, when: &str) {
    let mut dir: Vec<PathBuf> = std::fs::read_dir(root().join("queries"))
        .expect("queries/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .collect();
    dir.sort();
    for query in dir {
        let local = local_rows(store, &query);
        let remote_answer = remote_rows(remote, &query);
        assert!(!local.is_empty(), "{} has no rows locally", query.display());
        let only_local: Vec<_> = local.difference(&remote_answer).take(3).collect();
        let only_remote: Vec<_> = remote_answer.difference(&local).take(3).collect();
        assert!(
            only_local.is_empty() && only_remote.is_empty(),
            "{when}: {} differs at {} ({} rows local, {} remote); only local: {only_local:?}; only remote: {only_remote:?}",
            query.display(),
            remote.query_url,
            local.len(),
            remote_answer.len()
        );
    }
}

/// The whole round: push, compare, push again, change one article, remove one.
fn round_trip(remote: &Remote) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let articles = tmp.path().join("articles");
    std::fs::create_dir(&articles).expect("articles dir");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "txt" || x == "md") {
            let name = path.file_name().expect("name").to_owned();
            std::fs::copy(&path, articles.join(&name)).expect("copy");
            names.push(name);
        }
    }
    names.sort();
    assert!(names.len() >= 3, "examples/ has too few articles");
    let store = tmp.path().join("store");
    ok(&store, &["ingest", "-q", &articles.to_string_lossy()]);

    let first = push(&store, remote);
    assert_eq!(first.documents, names.len(), "{first:?}");
    assert_eq!(first.unchanged, 0, "{first:?}");
    assert_queries_agree(&store, remote, "after the first push");

    let again = push(&store, remote);
    assert_eq!(
        (again.sent, again.deleted),
        (0, 0),
        "a repeated push sends nothing: {again:?}"
    );
    assert_eq!(again.unchanged, first.sent);

    // One article changes (a sentence of our own added): only its graph goes,
    // with the knowledge buckets its facts fall in; the old version's graph
    // is deleted remotely when the new one replaces it locally.
    let changed = articles.join(&names[0]);
    let mut text = std::fs::read_to_string(&changed).expect("article");
    text.push_str("\n\nThe foreign ministers of Norway and Chile met in Oslo on Tuesday.\n");
    std::fs::write(&changed, text).expect("changed article");
    ok(&store, &["ingest", "-q", &changed.to_string_lossy()]);
    let after_change = push(&store, remote);
    assert_eq!(after_change.documents, 1, "{after_change:?}");
    assert!(after_change.documents_deleted <= 1, "{after_change:?}");
    assert!(
        after_change.sent < first.sent / 2,
        "a change of one article sent {} of {} graphs",
        after_change.sent,
        first.sent
    );
    assert_queries_agree(&store, remote, "after one article changed");

    // One article is removed: its graph is deleted remotely.
    ok(
        &store,
        &["remove", &articles.join(&names[1]).to_string_lossy()],
    );
    let after_remove = push(&store, remote);
    assert_eq!(
        (after_remove.documents, after_remove.documents_deleted),
        (0, 1),
        "{after_remove:?}"
    );
    assert_queries_agree(&store, remote, "after one article was removed");
}

/// Waits until `url` answers anything over HTTP.
fn wait_until_up(url: &str, server: &mut Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    while agent.get(url).call().is_err() {
        if let Ok(Some(exit)) = server.0.try_wait() {
            panic!("the server of {url} exited early ({exit})");
        }
        assert!(
            Instant::now() < deadline,
            "{url} did not answer within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn push_to_warta_serve() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let token_file = tmp.path().join("token");
    std::fs::write(&token_file, "push-test-token\n").expect("token file");
    let (server, url) = common::start_writable_warta_serve(&tmp.path().join("remote"), &token_file);
    let remote = Remote {
        store_url: format!("{url}store"),
        query_url: format!("{url}sparql"),
        push_args: vec![],
        push_env: vec![("WARTA_PUSH_TOKEN".into(), "push-test-token".into())],
        _server: Some(server),
    };
    round_trip(&remote);
}

/// `oxigraph serve` (or `serve-read-only`) over `location` with the union
/// default graph: the server and its base URL; `None` (the test skips, and
/// says why) when the binary does not run.
fn start_oxigraph(location: &Path, command: &str, test: &str) -> Option<(Server, String)> {
    let oxigraph = std::env::var("OXIGRAPH").unwrap_or_else(|_| "oxigraph".to_string());
    let runs = Command::new(&oxigraph)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !runs {
        eprintln!(
            "SKIPPED {test}: `{oxigraph} --version` does not run \
             (python3 -m pip install oxigraph==0.5.13, or set OXIGRAPH=/path/to/oxigraph)"
        );
        return None;
    }
    let port = free_port();
    let child = Command::new(&oxigraph)
        .arg(command)
        .arg("--location")
        .arg(location)
        .args([
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--union-default-graph",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("oxigraph serve starts");
    let mut server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(&format!("{base}/query?query=ASK%7B%7D"), &mut server);
    Some((server, base))
}

#[test]
fn push_to_the_oxigraph_server() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let location = tmp.path().join("oxigraph-store");
    let Some((server, base)) = start_oxigraph(&location, "serve", "push_to_the_oxigraph_server")
    else {
        return;
    };
    let remote = Remote {
        store_url: format!("{base}/store"),
        query_url: format!("{base}/query"),
        push_args: vec![],
        push_env: vec![],
        _server: Some(server),
    };
    round_trip(&remote);
}

#[test]
fn bulk_files_load_into_the_oxigraph_server_and_answer_alike() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = tmp.path().join("store");
    ok(
        &store,
        &["ingest", "-q", &root().join("examples").to_string_lossy()],
    );
    let bulk = tmp.path().join("bulk");
    ok(&store, &["export", "--bulk", &bulk.to_string_lossy()]);
    let again = run(&store, &["export", "--bulk", &bulk.to_string_lossy()]);
    assert!(
        common::stderr(&again).contains("must be empty"),
        "a second export into the same folder is refused"
    );
    let location = tmp.path().join("oxigraph-store");
    let oxigraph = std::env::var("OXIGRAPH").unwrap_or_else(|_| "oxigraph".to_string());
    for file in std::fs::read_dir(&bulk).expect("bulk dir") {
        let file = file.expect("entry").path();
        let loaded = Command::new(&oxigraph)
            .arg("load")
            .arg("--location")
            .arg(&location)
            .arg("--file")
            .arg(&file)
            .output();
        match loaded {
            Ok(out) => assert!(
                out.status.success(),
                "oxigraph load {}: {}",
                file.display(),
                common::stderr(&out)
            ),
            Err(e) => {
                eprintln!("SKIPPED bulk_files_load_into_the_oxigraph_server_and_answer_alike: {oxigraph}: {e}");
                return;
            }
        }
    }
    let name = "bulk_files_load_into_the_oxigraph_server_and_answer_alike";
    let Some((server, base)) = start_oxigraph(&location, "serve-read-only", name) else {
        return;
    };
    let remote = Remote {
        store_url: String::new(),
        query_url: format!("{base}/query"),
        push_args: vec![],
        push_env: vec![],
        _server: Some(server),
    };
    assert_queries_agree(&store, &remote, "after a bulk load");
}

/// A private Virtuoso under `dir` (tests/push/virtuoso.sh): its URL and
/// dba's password, and the guard that stops it; `None` (the test skips, and
/// says why) when Virtuoso is not installed.
fn start_virtuoso(dir: &Path, test: &str) -> Option<(String, String, StopVirtuoso)> {
    if !Path::new("/usr/bin/virtuoso-t").exists() {
        eprintln!(
            "SKIPPED {test}: Virtuoso is not installed \
             (apt-get install virtuoso-opensource; .ci/run does)"
        );
        return None;
    }
    let out = run_script(&[&dir.to_string_lossy()]);
    let stop = StopVirtuoso(dir.to_path_buf());
    let var = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("tests/push/virtuoso.sh printed no {name}: {out}"))
            .trim_matches('\'')
            .to_string()
    };
    Some((var("VIRTUOSO_URL"), var("VIRTUOSO_PASSWORD"), stop))
}

#[test]
fn push_to_virtuoso_with_digest_authentication() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let test = "push_to_virtuoso_with_digest_authentication";
    let Some((url, password, _stop)) = start_virtuoso(&tmp.path().join("virtuoso"), test) else {
        return;
    };
    let password_file = tmp.path().join("password");
    std::fs::write(&password_file, format!("{password}\n")).expect("password file");
    let remote = Remote {
        store_url: format!("{url}/sparql-graph-crud-auth"),
        query_url: format!("{url}/sparql"),
        push_args: vec![
            "--auth".into(),
            "digest".into(),
            "--user".into(),
            "dba".into(),
            "--password-file".into(),
            password_file.to_string_lossy().to_string(),
        ],
        push_env: vec![],
        _server: None,
    };
    round_trip(&remote);
}

/// `warta export --bulk` files through Virtuoso's bulk loader (`ld_dir`,
/// `rdf_loader_run`), then every shipped query compared.
#[test]
fn bulk_files_load_into_virtuoso_and_answer_alike() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("virtuoso");
    let test = "bulk_files_load_into_virtuoso_and_answer_alike";
    let Some((url, password, _stop)) = start_virtuoso(&dir, test) else {
        return;
    };
    let store = tmp.path().join("store");
    ok(
        &store,
        &["ingest", "-q", &root().join("examples").to_string_lossy()],
    );
    // Virtuoso reads only from its DirsAllowed: the script allows its folder.
    let bulk = dir.join("bulk");
    ok(&store, &["export", "--bulk", &bulk.to_string_lossy()]);
    let ports = std::fs::read_to_string(dir.join("ports")).expect("the script's ports file");
    let isql_port = ports
        .lines()
        .find_map(|l| l.strip_prefix("ISQL_PORT="))
        .expect("ISQL_PORT in the ports file");
    let load = format!(
        "exec=ld_dir('{}', 'warta-*.nq', 'https://w3id.org/warta/graph/knowledge/'); rdf_loader_run(); checkpoint; \
         select count(*) from DB.DBA.load_list where ll_state <> 2 or ll_error is not null;",
        bulk.display()
    );
    let out = Command::new("isql-vt")
        .arg(format!("127.0.0.1:{isql_port}"))
        .arg("dba")
        .arg(&password)
        .arg(&load)
        .output()
        .expect("isql-vt runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && !text.contains("Error"),
        "the bulk load failed: {text}"
    );
    let remote = Remote {
        store_url: String::new(),
        query_url: format!("{url}/sparql"),
        push_args: vec![],
        push_env: vec![],
        _server: None,
    };
    assert_queries_agree(&store, &remote, "after Virtuoso's bulk load");
}

fn run_script(args: &[&str]) -> String {
    // Ports the OS picked, so Virtuosos of tests run side by side never race
    // for the script's default "first free port from 18890".
    let http = free_port();
    let isql = std::iter::repeat_with(free_port)
        .find(|&p| p != http)
        .expect("a second free port");
    let out = Command::new("bash")
        .arg(root().join("tests/push/virtuoso.sh"))
        .args(args)
        .env("VIRTUOSO_HTTP_PORT", http.to_string())
        .env("VIRTUOSO_ISQL_PORT", isql.to_string())
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "tests/push/virtuoso.sh {args:?} failed: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// Stops the Virtuoso of a test when it ends, also on a panic.
struct StopVirtuoso(PathBuf);

impl Drop for StopVirtuoso {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(root().join("tests/push/virtuoso.sh"))
            .arg("--stop")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn secrets_never_come_from_the_command_line_and_errors_name_the_endpoint() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = tmp.path().join("store");
    ok(
        &store,
        &["ingest", "-q", &root().join("examples").to_string_lossy()],
    );
    let out = run(
        &store,
        &[
            "push",
            "--auth",
            "basic",
            "--user",
            "u",
            "http://127.0.0.1:9/store",
        ],
    );
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains("--password-file FILE") && err.contains("$WARTA_PUSH_PASSWORD"),
        "{err}"
    );
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/store");
    let out = run(&store, &["push", "--retries", "1", "--timeout", "5", &url]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains(&url) && err.contains("failed after 2 attempts"),
        "{err}"
    );
    // A dry run lists the graphs and writes no push log.
    let listed = ok(&store, &["push", "--dry-run", &url]);
    assert!(
        listed.lines().filter(|l| l.starts_with("PUT\t")).count() > 7,
        "{listed}"
    );
    assert!(
        !store.join("push").exists()
            || std::fs::read_dir(store.join("push")).expect("dir").count() == 1
    );
}
