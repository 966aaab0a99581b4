//! `warta refresh-positions` end to end, against two real SPARQL servers
//! holding `tests/data/wikidata-sample.ttl` (a few P39 statements in
//! Wikidata's own RDF shape):
//!
//! - `warta serve`, the sample written into its default graph over the Graph
//!   Store Protocol; this needs nothing beyond the build;
//! - the Oxigraph server from PyPI (`pip install oxigraph==0.5.13`), loaded
//!   with `oxigraph load`; `.ci/run` installs it. Without it that test fails
//!   and says how to install it (or set OXIGRAPH=/path/to/oxigraph).
//!
//! Each answer must give the terms the sample says, in warta's own
//! `positions.tsv` format and loader.

mod common;

use common::{free_port, root, warta, Server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use warta::ontology::positions::Positions;
use warta::ontology::Ontology;

const INSTALL: &str = "install it with `python3 -m pip install oxigraph==0.5.13` \
(gives the `oxigraph` binary; with pip --user add ~/.local/bin to PATH), or set OXIGRAPH=/path/to/oxigraph; \
.ci/run does this before `cargo test`";

fn oxigraph() -> String {
    std::env::var("OXIGRAPH").unwrap_or_else(|_| "oxigraph".to_string())
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// One HTTP request to the server: the status line, if it answered.
fn ask(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET /query?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    answer.lines().next().map(str::to_string)
}

/// `oxigraph serve-read-only` over a store loaded with the sample: the
/// server and its query URL.
fn start_oxigraph(store: &Path) -> (Server, String) {
    run(Command::new(oxigraph())
        .arg("load")
        .arg("--location")
        .arg(store)
        .arg("--file")
        .arg(root().join("tests/data/wikidata-sample.ttl")));
    let port = free_port();
    let child = Command::new(oxigraph())
        .arg("serve-read-only")
        .arg("--location")
        .arg(store)
        .arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start `{} serve-read-only`: {e}; {INSTALL}",
                oxigraph()
            )
        });
    let mut server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = ask(port) {
            assert!(status.contains(" 200"), "server answered {status}");
            return (server, format!("http://127.0.0.1:{port}/query"));
        }
        if let Ok(Some(exit)) = server.0.try_wait() {
            panic!("oxigraph server exited early ({exit})");
        }
        assert!(
            Instant::now() < deadline,
            "oxigraph server did not answer on port {port} within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `warta serve --writable` over a fresh store, the sample PUT into its
/// default graph: the server and its query URL.
fn start_warta_serve(dir: &Path) -> (Server, String) {
    let token_file = dir.join("token");
    std::fs::write(&token_file, "refresh-test-token\n").expect("token file");
    let (server, url) = common::start_writable_warta_serve(&dir.join("warta-store"), &token_file);
    let sample = std::fs::read(root().join("tests/data/wikidata-sample.ttl")).expect("sample");
    let put = ureq::put(&format!("{url}store?default"))
        .header("Content-Type", "text/turtle")
        .header("Authorization", "Bearer refresh-test-token")
        .send(&sample[..])
        .expect("the sample is written over the Graph Store Protocol");
    assert!(put.status().is_success(), "PUT answered {}", put.status());
    (server, format!("{url}sparql"))
}

fn data_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .collect()
}

#[test]
fn refresh_from_warta_serve() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (server, endpoint) = start_warta_serve(tmp.path());
    refresh_and_check(tmp.path(), &endpoint, server);
}

#[test]
fn refresh_from_the_oxigraph_server() {
    let ok = Command::new(oxigraph())
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "`{} --version` did not run: {INSTALL}", oxigraph());
    let tmp = tempfile::tempdir().expect("temp dir");
    let (server, endpoint) = start_oxigraph(&tmp.path().join("oxigraph-store"));
    refresh_and_check(tmp.path(), &endpoint, server);
}

#[test]
fn an_unreachable_endpoint_is_an_error_naming_it() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/sparql");
    let out = warta()
        .args(["refresh-positions", "--timeout", "5", "--endpoint", &url])
        .current_dir(root())
        .output()
        .expect("warta runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("error: {url}: ")), "{err}");
    let out = warta()
        .args(["refresh-positions", "--out", "ontology/positions.tsv"])
        .current_dir(root())
        .output()
        .expect("warta runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refusing to overwrite"), "{err}");
}

/// Runs `warta refresh-positions` against `endpoint` and checks what it
/// writes against the sample.
fn refresh_and_check(tmp: &Path, endpoint: &str, server: Server) {
    let out_path = tmp.join("positions.wikidata.tsv");
    let people_path = tmp.join("people.wikidata.tsv");
    // Ban Ki-moon (Q1253) stands for a person the gazetteer does not have
    // yet: the refresh and the loader are given the gazetteer without him.
    let ban = |q: &str| q == "Q1253";
    let gazetteer = std::fs::read_to_string(root().join("ontology/gazetteer.tsv"))
        .expect("ontology/gazetteer.tsv");
    let gazetteer_path = tmp.join("gazetteer.tsv");
    std::fs::write(
        &gazetteer_path,
        gazetteer
            .lines()
            .filter(|l| !l.split('\t').next().is_some_and(ban))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .expect("gazetteer without Ban Ki-moon");
    let refresh = run(warta()
        .current_dir(root())
        .args(["refresh-positions", "--endpoint", endpoint])
        .args(["--today", "2026-11-25", "--timeout", "30"])
        .arg("--out")
        .arg(&out_path)
        .arg("--people-out")
        .arg(&people_path)
        .arg("--gazetteer")
        .arg(&gazetteer_path));
    drop(server);
    let stderr = String::from_utf8_lossy(&refresh.stderr);
    assert!(
        stderr.contains("Q9999990") && stderr.contains("no start date"),
        "the statement without a start is reported: {stderr}"
    );

    let text = std::fs::read_to_string(&out_path).expect("refresh output");
    assert_eq!(
        text.lines().next(),
        Some(format!("# refreshed: 2026-11-25 from {endpoint}").as_str())
    );
    let potus = "President of the United States (Q11696)";
    let src = "A\twikidata-sparql:2026-11-25";
    let mut want = Vec::new();
    for pos in ["head_of_state", "head_of_government"] {
        for (who, start, end) in [
            ("Q76", "2009-01-20", "2017-01-20"),
            ("Q22686", "2017-01-20", "2021-01-20"),
            ("Q6279", "2021-01-20", "2025-01-20"),
            ("Q22686", "2025-01-20", ""),
        ] {
            want.push(format!("{who}\t{pos}\tQ30\t{potus}\t{start}\t{end}\t{src}"));
        }
    }
    want.push(format!(
        "Q1058\thead_of_government\tQ668\tPrime Minister of India (Q192711)\t2014\t\t{src}"
    ));
    let sg = "Secretary-General of the United Nations (Q81066)";
    want.push(format!(
        "Q1253\tleader\tQ1065\t{sg}\t2007-01-01\t2016-12-31\t{src}"
    ));
    want.push(format!("Q311440\tleader\tQ1065\t{sg}\t2017-01-01\t\t{src}"));
    assert_eq!(data_lines(&text), want);

    // Ban Ki-moon is not in that gazetteer: a people row is proposed for him.
    let people = std::fs::read_to_string(&people_path).expect("people output");
    let rows = data_lines(&people);
    assert_eq!(rows.len(), 1, "{people}");
    let cells: Vec<&str> = rows[0].split('\t').collect();
    assert_eq!(
        &cells[..9],
        [
            "Q1253",
            "Person",
            "Ban Ki-moon",
            "Ban Ki-moon",
            "",
            "",
            "position=Secretary-General of the United Nations",
            "A",
            "wikidata-sparql:2026-11-25"
        ]
    );

    // warta's loader: refuses the rows until the new person is in the
    // gazetteer, then answers from them.
    let ontology = Ontology::embedded().expect("embedded ontology");
    let in_gazetteer = |q: &str| {
        !ban(q)
            && ontology
                .gazetteer
                .by_id(q)
                .is_some_and(|e| e.entity_type == warta::model::EntityType::Person)
    };
    let err = Positions::parse(&text, "positions.wikidata.tsv", &in_gazetteer)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("positions.wikidata.tsv:13: ") && err.contains("Q1253"),
        "{err}"
    );
    let with_new = |q: &str| in_gazetteer(q) || ban(q);
    let p = Positions::parse(&text, "positions.wikidata.tsv", &with_new).expect("loads");
    assert_eq!(p.refreshed(), Some("2026-11-25"));
    assert_eq!(p.len(), 11);
    let who = |pos: &str, of: &str, on: Option<&str>| -> Vec<String> {
        p.holders(pos, of, on)
            .iter()
            .map(|t| t.person.clone())
            .collect()
    };
    assert_eq!(who("head_of_state", "Q30", Some("2022-06-01")), ["Q6279"]);
    assert_eq!(who("head_of_state", "Q30", Some("2019-01-01")), ["Q22686"]);
    assert_eq!(who("head_of_state", "Q30", None), ["Q22686"]);
    assert_eq!(who("leader", "Q1065", Some("2010-05-01")), ["Q1253"]);
    assert_eq!(
        who("head_of_government", "Q668", Some("2014-06")),
        ["Q1058"]
    );
    assert!(who("head_of_state", "Q30", Some("2008-12-31")).is_empty());
    assert_eq!(p.terms_of("Q22686").len(), 4);
    // and the shipped positions.tsv agrees with the sample where both speak
    let shipped = &ontology.positions;
    for (pos, on) in [
        ("head_of_state", "2022-06-01"),
        ("head_of_state", "2012-01-01"),
    ] {
        let a: Vec<&str> = shipped
            .holders(pos, "Q30", Some(on))
            .iter()
            .map(|t| t.person.as_str())
            .collect();
        assert_eq!(a, who(pos, "Q30", Some(on)), "{pos} {on}");
    }
    for on in ["2010-05-01", "2020-05-01"] {
        let a: Vec<&str> = shipped
            .holders("leader", "Q1065", Some(on))
            .iter()
            .map(|t| t.person.as_str())
            .collect();
        assert_eq!(a, who("leader", "Q1065", Some(on)), "UN {on}");
    }
}
