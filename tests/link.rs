//! End-to-end tests of `warta link`: the binary on the bundled articles with a
//! real on-disk store. No test reaches the network: the Wikidata tests use a
//! closed loopback port, a pre-written cache, or a tiny HTTP server on
//! 127.0.0.1 answering canned `wbsearchentities` JSON.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;
use common::{assert_span, count, count_quads, counts, ok, root, run, stderr};

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A store with the examples ingested (with extra global arguments).
fn ingest(store: &Path, extra: &[&str]) {
    let mut args: Vec<&str> = extra.to_vec();
    args.extend(["ingest", "examples/"]);
    let summary = ok(store, &args);
    assert!(summary.contains("7 documents"), "{summary}");
}

fn canonical(store: &Path) -> String {
    let out = ok(store, &["export", "--canonical"]);
    assert!(!out.is_empty());
    out
}

/// A copy of `ontology/` with this local-links.tsv, for `--ontology DIR`.
fn ontology_with_links(dir: &Path, links: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read_dir").flatten() {
            let target = to.join(e.file_name());
            if e.path().is_dir() {
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), &target).expect("copy");
            }
        }
    }
    let ont = dir.join("ontology");
    copy(&root().join("ontology"), &ont);
    std::fs::write(ont.join("local-links.tsv"), links).expect("write links");
    ont
}

const ENT: &str = "https://w3id.org/warta/entity/";

/// Realistic links (made-up QIDs): people and bodies the gazetteer lacks
/// (Retno Marsudi and Lavrov among them, known there without a QID), two
/// names of one airport, a palace whose type the file fixes (the seat of
/// the presidency), and a local linked to a gazetteer QID in the same
/// article (merging, the gazetteer's labels and type win).
const LINKS: &str = "# test links\n\
local_id\tqid\tlabel\ttype\tnote\n\
retno_marsudi\tQ900000001\tRetno Marsudi\n\
sergey_lavrov\tQ900000002\n\
kementerian_luar_negeri_korea_utara\tQ900000003\n\
pyongyang_airport\tQ900000004\n\
pyongyang_international_airport\tQ900000004\n\
istana_kepresidenan_bogor\tQ900000005\tIstana Kepresidenan Bogor\tGovernmentBody\tthe seat, for the presidency\n\
kbri_tokyo\tQ900000007\n\
tri_purnajaya\tQ900000006\n\
rodong_sinmun\tQ423\n\
not_in_any_article\tQ900000009\n";

/// Links that make both sides of events one entity (Blinken and Retno as one
/// item; Lavrov as Choe Son Hui, whom he meets): those events are dropped.
const COLLAPSING: &str = "local_id\tqid\n\
retno_marsudi\tQ900000001\n\
antony_j_blinken\tQ900000001\n\
kbri_tokyo\tQ252\n\
tri_purnajaya\tQ252\n\
sergey_lavrov\tQ50382875\n\
kementerian_luar_negeri_korea_utara\tQ37470\n";

#[test]
fn unlinked_lists_local_entities_with_counts_and_examples() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    ingest(&store, &[]);
    let json = ok(&store, &["link", "--unlinked", "--format", "json"]);
    let list: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON array");
    assert!(list.len() > 10, "{json}");
    // Most articles first, then most mentions.
    let key = |v: &serde_json::Value| {
        (
            v["articles"].as_u64().unwrap_or(0),
            v["mentions"].as_u64().unwrap_or(0),
        )
    };
    assert!(
        list.windows(2).all(|w| key(&w[0]) >= key(&w[1])),
        "sorted: {json}"
    );
    let retno = &list[0];
    assert_eq!(retno["local_id"], "retno_marsudi", "{json}");
    assert_eq!(retno["iri"], format!("{ENT}retno_marsudi"));
    assert_eq!(retno["types"], serde_json::json!(["Person"]));
    assert_eq!(retno["articles"], 3);
    assert!(retno["mentions"].as_u64().unwrap_or(0) >= 3);
    assert!(retno["events"].as_u64().unwrap_or(0) >= 1);
    let examples = retno["examples"].as_array().expect("examples");
    assert_eq!(examples.len(), 3, "one per article");
    for ex in examples {
        let file = ex["article"].as_str().expect("article");
        let text = std::fs::read_to_string(file).expect("the article file");
        assert_span(&text, ex);
    }
    assert!(
        examples.iter().any(|e| e["sentence"]
            .as_str()
            .is_some_and(|s| s.contains("Retno Marsudi"))),
        "an event sentence: {examples:?}"
    );
    // No linked entity is listed.
    assert!(list
        .iter()
        .all(|v| !v["local_id"].as_str().unwrap_or("Q").starts_with('Q')));

    let table = ok(&store, &["link", "--unlinked", "--limit", "3"]);
    let first = table.lines().nth(1).expect("a row");
    assert!(
        first.starts_with("retno_marsudi") && first.contains("Person"),
        "{table}"
    );
    assert!(
        table.contains(&format!("3 of {} local entities", list.len())),
        "{table}"
    );

    // The TSV is a links-file template: loadable as it is (nothing linked),
    // and once a qid is filled in, it links.
    let tsv = ok(&store, &["link", "--unlinked", "--format", "tsv"]);
    let rows: Vec<&str> = tsv.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(rows[0], "local_id\tqid\tlabel\ttype\tnote");
    assert_eq!(rows.len(), list.len() + 1);
    assert!(
        rows[1].starts_with("retno_marsudi\t\tRetno Marsudi\t\tPerson; "),
        "{tsv}"
    );
    assert!(rows.iter().all(|r| r.split('\t').count() == 5), "{tsv}");
    let template = dir.path().join("template.tsv");
    std::fs::write(&template, &tsv).expect("write");
    let nothing = ok(&store, &["--links", p(&template), "link"]);
    assert!(nothing.starts_with("no links in"), "{nothing}");
    let filled = tsv.replacen("retno_marsudi\t\t", "retno_marsudi\tQ900000001\t", 1);
    // Appending a template to a links file repeats the header: that is fine.
    std::fs::write(&template, format!("{tsv}{filled}")).expect("write");
    let out = ok(&store, &["--links", p(&template), "link"]);
    assert!(
        out.starts_with("relinked 1 local entity in 3 articles"),
        "{out}"
    );
    let after = ok(&store, &["link", "--unlinked", "--format", "json"]);
    assert!(
        !after.contains("\"retno_marsudi\""),
        "linked: no longer listed"
    );
}

/// Each bad links file: a non-zero exit, an error naming the file and line,
/// and the store exactly as it was.
#[test]
fn bad_links_files_name_file_and_line_and_change_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    ingest(&store, &[]);
    let before = count_quads(&store);
    let export_before = canonical(&store);
    let h = "local_id\tqid\tlabel\ttype\tnote\n";
    let cases: &[(&str, String, &[&str])] = &[
        (
            "bad-qid.tsv",
            format!("# c\n{h}retno_marsudi\tQ12x\n"),
            &["bad-qid.tsv:3:", "Q12x", "not a Wikidata QID"],
        ),
        (
            "duplicate.tsv",
            format!("{h}retno_marsudi\tQ1\nsergey_lavrov\tQ2\nretno_marsudi\tQ3\n"),
            &[
                "duplicate.tsv:4:",
                "retno_marsudi is linked to Q3 here but to Q1 at line 2",
            ],
        ),
        (
            "columns.tsv",
            format!("{h}retno_marsudi\tQ1\tRetno\tPerson\tnote\tmore\n"),
            &["columns.tsv:2:", "6 tab-separated columns"],
        ),
        (
            "spaces.tsv",
            "local_id qid label note\n".to_string(),
            &["spaces.tsv:1:", "tabs"],
        ),
        (
            "type.tsv",
            format!("{h}retno_marsudi\tQ1\t\tMinister\n"),
            &["type.tsv:2:", "unknown type"],
        ),
        (
            "qid-as-id.tsv",
            format!("{h}Q7747\tQ1\n"),
            &["qid-as-id.tsv:2:", "already a Wikidata QID"],
        ),
    ];
    for (name, text, needles) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).expect("write");
        let out = run(&store, &["--links", p(&file), "link"]);
        assert!(!out.status.success(), "{name} should fail");
        let msg = stderr(&out);
        for n in *needles {
            assert!(msg.contains(n), "{name}: error should mention {n:?}: {msg}");
        }
        assert_eq!(count_quads(&store), before, "{name} changed the store");
    }
    // The same error from the ontology folder's file, for any command.
    let ont = ontology_with_links(
        dir.path(),
        &format!("{h}retno_marsudi\tQ1\nretno_marsudi\tQ2\n"),
    );
    let out = run(&store, &["--ontology", p(&ont), "ingest", "examples/"]);
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert!(
        msg.contains("local-links.tsv:3:") && msg.contains("linked to Q2 here"),
        "{msg}"
    );
    // A missing --links file.
    let out = run(&store, &["--links", "no/such/links.tsv", "link"]);
    assert!(!out.status.success() && stderr(&out).contains("no/such/links.tsv"));
    assert_eq!(canonical(&store), export_before);
}

/// The required equivalence: ingesting without links and then `warta link`
/// gives byte for byte the canonical export of a fresh store ingested with
/// the links in its ontology folder (the trace triples included: both paths
/// write them). Then the store is linked and a second run changes nothing.
#[test]
fn relinking_equals_ingesting_with_the_links_and_is_idempotent() {
    for (name, links) in [("realistic", LINKS), ("collapsing", COLLAPSING)] {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("links.tsv");
        std::fs::write(&file, links).expect("write");
        let relinked = dir.path().join("relinked");
        ingest(&relinked, &[]);
        let unlinked_export = canonical(&relinked);
        let summary = ok(&relinked, &["--links", p(&file), "link"]);
        assert!(summary.starts_with("relinked "), "{summary}");
        let ont = ontology_with_links(dir.path(), links);
        let fresh = dir.path().join("fresh");
        ingest(&fresh, &["--ontology", p(&ont)]);
        let a = canonical(&relinked);
        let b = canonical(&fresh);
        assert_ne!(a, unlinked_export, "{name}: the links changed something");
        if a != b {
            let only_a: Vec<&str> = a.lines().filter(|l| !b.contains(l)).take(10).collect();
            let only_b: Vec<&str> = b.lines().filter(|l| !a.contains(l)).take(10).collect();
            panic!("{name}: relinked and fresh exports differ\nrelinked only: {only_a:#?}\nfresh only: {only_b:#?}");
        }
        // Idempotent: nothing to do, nothing changed.
        let quads = count_quads(&relinked);
        let again = ok(&relinked, &["--links", p(&file), "link"]);
        assert!(
            again.starts_with("relinked 0 local entities in 0 articles"),
            "{again}"
        );
        assert!(again.contains("0 quads removed, 0 added"), "{again}");
        assert_eq!(count_quads(&relinked), quads);
        assert_eq!(canonical(&relinked), a);
        // Re-ingesting with the links changes nothing either.
        ok(&relinked, &["--ontology", p(&ont), "ingest", "examples/"]);
        assert_eq!(canonical(&relinked), a, "{name}: re-ingest with the links");
        assert_eq!(
            summary.contains("dropped (both sides became one entity)"),
            name == "collapsing",
            "{summary}"
        );
    }
}

#[test]
fn after_relinking_sparql_finds_the_items_and_only_the_trace_names_the_old_iri() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    ingest(&store, &[]);
    let file = dir.path().join("links.tsv");
    std::fs::write(&file, LINKS).expect("write");
    let dry = ok(&store, &["--links", p(&file), "link", "--dry-run"]);
    assert!(
        dry.starts_with("would relink 9 local entities") && dry.contains("dry run"),
        "{dry}"
    );
    assert!(
        dry.contains("not in the store: 1 (not_in_any_article)"),
        "{dry}"
    );
    assert!(
        count(
            &store,
            &format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p <{ENT}pyongyang_airport> }} }}"
            )
        ) > 0,
        "a dry run changes nothing"
    );
    let out = ok(&store, &["--links", p(&file), "link"]);
    assert!(out.starts_with("relinked 9 local entities in "), "{out}");
    assert!(out.contains("  pyongyang_airport -> Q900000004"), "{out}");
    for (local, qid) in [
        ("pyongyang_airport", "Q900000004"),
        ("pyongyang_international_airport", "Q900000004"),
        ("retno_marsudi", "Q900000001"),
        ("rodong_sinmun", "Q423"),
    ] {
        let old = format!("<{ENT}{local}>");
        let new = format!("<{ENT}{qid}>");
        assert_eq!(
            count(
                &store,
                &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {old} ?p ?o }} }}")
            ),
            0,
            "{local} as a subject"
        );
        assert_eq!(
            count(&store, &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p {old} FILTER(?p != owl:sameAs) }} }}")),
            0,
            "{local} as an object other than the trace"
        );
        let ask = ok(
            &store,
            &[
                "query",
                "--format",
                "csv",
                "-e",
                &format!("ASK {{ {new} owl:sameAs wd:{qid}, {old} }}"),
            ],
        );
        assert!(
            ask.contains("true"),
            "{local}: sameAs wd:{qid} and the trace: {ask}"
        );
    }
    // The airport: one entity, the longest name as label and the other as
    // altLabel; the palace takes the type the links file gives it.
    let rows = ok(&store, &["query", "--format", "csv", "-e", &format!("SELECT ?t ?l ?alt WHERE {{ <{ENT}Q900000004> a ?t ; rdfs:label ?l ; skos:altLabel ?alt }}")]);
    assert!(
        rows.contains("ontology#Place")
            && rows.contains("Pyongyang International Airport,Pyongyang Airport"),
        "{rows}"
    );
    let palace = ok(
        &store,
        &[
            "query",
            "--format",
            "csv",
            "-e",
            &format!("SELECT ?t WHERE {{ <{ENT}Q900000005> a ?t }}"),
        ],
    );
    assert!(
        palace.contains("ontology#GovernmentBody") && !palace.contains("ontology#Place"),
        "{palace}"
    );
    // Rodong Sinmun merged into North Korea: the gazetteer's labels, its name kept as altLabel.
    let nk = ok(
        &store,
        &[
            "query",
            "--format",
            "csv",
            "-e",
            &format!("SELECT DISTINCT ?t WHERE {{ <{ENT}Q423> a ?t }}"),
        ],
    );
    assert!(
        nk.contains("ontology#Country") && !nk.contains("Media"),
        "{nk}"
    );
    assert_eq!(count(&store, &format!("SELECT (COUNT(*) AS ?n) WHERE {{ <{ENT}Q423> skos:altLabel \"Rodong Sinmun\"@en }}")), 1);
    // Who Retno Marsudi met, through the item.
    let met = ok(
        &store,
        &[
            "query",
            "--format",
            "csv",
            "-e",
            "SELECT DISTINCT ?o WHERE { ?r owl:sameAs wd:Q900000001 ; warta:meets ?o }",
        ],
    );
    assert!(met.lines().count() > 1, "{met}");
    // Another QID for a local id linked already: a warning, exit 1, and the
    // applied link stays (warta link does not undo links).
    let quads = count_quads(&store);
    let other = dir.path().join("other.tsv");
    std::fs::write(&other, "local_id\tqid\nretno_marsudi\tQ900000077\n").expect("write");
    let out = run(&store, &["--links", p(&other), "link"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("retno_marsudi is already linked to Q900000001 in the store")
            && stderr(&out).contains("re-ingest"),
        "{}",
        stderr(&out)
    );
    assert_eq!(count_quads(&store), quads);
    // The store now holds links the default (empty) links lack: ingest warns.
    let out = run(&store, &["ingest", "examples/en-wiki-putin-visit-2024.txt"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("link(s) applied by `warta link` that the links in use lack"),
        "{}",
        stderr(&out)
    );
}

/// An event read in an article ingested before the link and the same event in
/// one ingested after it (with the links) are one node with two sources.
#[test]
fn an_article_ingested_after_relinking_merges_with_the_relinked_events() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    let id = dir.path().join("id.jsonl");
    let en = dir.path().join("en.jsonl");
    std::fs::write(&id, "{\"text\": \"Menteri Luar Negeri Indonesia Retno Marsudi bertemu dengan Menteri Luar Negeri Rusia Sergey Lavrov di Moskow pada hari Senin.\", \"language\": \"id\", \"published\": \"2024-03-04\"}\n").expect("write");
    std::fs::write(&en, "{\"text\": \"Indonesian Foreign Minister Retno Marsudi met Russian Foreign Minister Sergey Lavrov in Moscow on Monday.\", \"language\": \"en\", \"published\": \"2024-03-04\"}\n").expect("write");
    let links = dir.path().join("links.tsv");
    std::fs::write(
        &links,
        "local_id\tqid\nretno_marsudi\tQ900000001\nsergey_lavrov\tQ900000002\n",
    )
    .expect("write");
    ok(&store, &["ingest", p(&id)]);
    let out = ok(&store, &["--links", p(&links), "link"]);
    assert!(
        out.contains("in 1 article: 3 events re-minted"),
        "meets and two holdsPosition: {out}"
    );
    ok(&store, &["--links", p(&links), "ingest", p(&en)]);
    let q = "SELECT (COUNT(DISTINCT ?ev) AS ?events) (COUNT(DISTINCT ?doc) AS ?docs) WHERE { ?ev a warta:Meeting ; warta:participant ?a, ?b ; warta:attestedBy/prov:wasDerivedFrom ?doc . ?a owl:sameAs wd:Q900000001 . ?b owl:sameAs wd:Q900000002 }";
    assert_eq!(counts(&store, q), vec![1, 2], "one event, two sources");
    // Re-ingesting the old article, now with the links, duplicates nothing.
    let before = count_quads(&store);
    ok(&store, &["--links", p(&links), "ingest", p(&id)]);
    assert_eq!(count_quads(&store), before);
}

fn canned_answer(search: &str) -> String {
    format!(
        "{{\"searchinfo\":{{\"search\":{search:?}}},\"search\":[\
         {{\"id\":\"Q900000001\",\"label\":{search:?},\"description\":\"Indonesian diplomat and politician\"}},\
         {{\"id\":\"Q900000099\",\"label\":\"{search} (film)\",\"description\":\"2019 film\"}}],\"success\":1}}"
    )
}

/// A loopback HTTP server answering `wbsearchentities` with canned JSON,
/// for at most `seconds`; returns its endpoint and the requests it saw.
fn canned_wikidata(seconds: u64) -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let endpoint = format!("http://{}/w/api.php", listener.local_addr().expect("addr"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while Instant::now() < deadline {
            let Ok((mut stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            };
            let _ = stream.set_nonblocking(false);
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let request = String::from_utf8_lossy(&request).to_string();
            let search = request
                .split("search=")
                .nth(1)
                .and_then(|s| s.split(['&', ' ']).next())
                .unwrap_or("")
                .replace('+', " ")
                .replace("%20", " ");
            let body = canned_answer(&search);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tx.send(request);
        }
    });
    (endpoint, rx)
}

#[test]
fn suggestions_come_from_the_api_then_from_the_cache() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    ingest(&store, &[]);
    let cache = dir.path().join("cache");
    let (endpoint, requests) = canned_wikidata(60);
    let args = [
        "link",
        "--unlinked",
        "--suggest",
        "--limit",
        "2",
        "--format",
        "json",
        "--wikidata-api",
        &endpoint,
        "--cache",
        p(&cache),
        "--timeout",
        "5",
    ];
    let out = run(&store, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("cannot reach"), "{}", stderr(&out));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list.len(), 2);
    let s = &list[0]["suggestions"];
    assert_eq!(s[0]["qid"], "Q900000001", "{s}");
    assert_eq!(s[0]["label"], "Retno Marsudi");
    assert_eq!(s[0]["fits_type"], true, "a diplomat fits a Person");
    assert_eq!(s[1]["fits_type"], false);
    let seen: Vec<String> = requests.try_iter().collect();
    assert_eq!(seen.len(), 2, "one request per entity: {seen:?}");
    assert!(
        seen[0].starts_with("GET /w/api.php?") && seen[0].contains("action=wbsearchentities"),
        "{}",
        seen[0]
    );
    assert!(
        seen[0].to_ascii_lowercase().contains("user-agent: warta/"),
        "{}",
        seen[0]
    );
    assert!(cache.join("wikidata-search.json").exists());
    // Again: answered from the cache, no request.
    let out = run(&store, &args);
    assert!(out.status.success());
    let again: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(again[0]["suggestions"], list[0]["suggestions"]);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(requests.try_iter().count(), 0, "cached");
    // The TSV template carries them as comments; the qid stays empty.
    let tsv = ok(
        &store,
        &[
            "link",
            "--unlinked",
            "--suggest",
            "--limit",
            "1",
            "--format",
            "tsv",
            "--wikidata-api",
            &endpoint,
            "--cache",
            p(&cache),
        ],
    );
    assert!(tsv.contains("retno_marsudi\t\tRetno Marsudi\t"), "{tsv}");
    assert!(
        tsv.contains(
            "#\t? Q900000001 Retno Marsudi \u{2014} Indonesian diplomat and politician [type fits]"
        ),
        "{tsv}"
    );
}

#[test]
fn offline_suggestions_say_so_and_still_list_with_cached_answers() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    ingest(&store, &[]);
    // Nothing listens on the discard port of the loopback address.
    let endpoint = "http://127.0.0.1:9/w/api.php";
    let cache = dir.path().join("cache");
    std::fs::create_dir(&cache).expect("mkdir");
    std::fs::write(
        cache.join("wikidata-search.json"),
        format!(
            "{{\"format\": \"warta-wikidata-cache/1\", \"entries\": {{\"{endpoint}|id|Sungai Tumen\": {{\"fetched\": 0, \"results\": [{{\"id\": \"Q900000020\", \"label\": \"Sungai Tumen\", \"description\": \"sungai di Asia Timur\"}}]}}}}}}"
        ),
    )
    .expect("write cache");
    let out = run(
        &store,
        &[
            "link",
            "--unlinked",
            "--suggest",
            "--wikidata-api",
            endpoint,
            "--cache",
            p(&cache),
            "--timeout",
            "2",
        ],
    );
    assert!(
        out.status.success(),
        "offline is not an error: {}",
        stderr(&out)
    );
    let msg = stderr(&out);
    assert_eq!(msg.lines().count(), 1, "one line: {msg}");
    assert!(
        msg.contains(&format!("cannot reach Wikidata at {endpoint} ("))
            && msg.contains("working offline; cached suggestions only"),
        "{msg}"
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("local_id")),
        "{table}"
    );
    assert!(table.contains("retno_marsudi"), "still listed: {table}");
    let river = table
        .lines()
        .skip_while(|l| !l.starts_with("sungai_tumen "))
        .nth(1)
        .unwrap_or("");
    assert!(
        river.trim_start().starts_with("? Q900000020 Sungai Tumen"),
        "from the cache: {table}"
    );
    // A broken cache is an error naming it.
    std::fs::write(cache.join("wikidata-search.json"), "{").expect("write");
    let out = run(
        &store,
        &[
            "link",
            "--unlinked",
            "--suggest",
            "--wikidata-api",
            endpoint,
            "--cache",
            p(&cache),
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("wikidata-search.json"),
        "{}",
        stderr(&out)
    );
}
