//! End-to-end tests: the `warta` binary on the bundled real articles, with a
//! real on-disk Oxigraph store, real SPARQL and real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;
use common::{assert_span, count, count_quads, counts, ok, root, run, stderr, warta};

/// A fresh store with the examples ingested.
fn ingested() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let summary = ok(&store, &["ingest", "examples/"]);
    assert!(summary.contains("7 documents"), "{summary}");
    (dir, store)
}

/// Distinct triples of the union graph (what triple formats export).
fn distinct_triples(store: &Path) -> usize {
    count(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    )
}

fn csv_rows(store: &Path, query: &str) -> Vec<String> {
    let out = ok(store, &["query", "--format", "csv", query]);
    out.lines().skip(1).map(str::to_string).collect()
}

#[test]
fn seed_article_yields_the_spine_facts() {
    let (_d, store) = ingested();
    let meetings = csv_rows(&store, "queries/meetings.rq").join("\n");
    assert!(
        meetings.contains("Choe Son Hui") && meetings.contains("Vladimir Putin"),
        "{meetings}"
    );
    assert!(meetings.contains("Sergey Lavrov"), "{meetings}");
    let choe_putin = csv_rows(&store, "queries/meetings.rq")
        .into_iter()
        .find(|r| r.contains("Choe Son Hui") && r.contains("Vladimir Putin"))
        .expect("Choe meets Putin");
    assert!(choe_putin.contains("Moscow"), "meeting place: {choe_putin}");

    let condemn = csv_rows(&store, "queries/condemnations.rq").join("\n");
    assert!(
        condemn.contains("Kementerian Luar Negeri Korea Utara")
            && condemn.contains("United Nations Security Council"),
        "{condemn}"
    );

    let blocks = csv_rows(&store, "queries/sanctions-blocks.rq");
    for country in ["Russia", "China"] {
        assert!(
            blocks.iter().any(|r| r.starts_with(country)
                && r.contains("North Korea")
                && r.contains("id-kontan-korut-rusia")),
            "{country} blocks sanctions against North Korea: {blocks:?}"
        );
    }
    let links = csv_rows(&store, "queries/wikidata-links.rq").join("\n");
    for q in ["Q159", "Q148", "Q423", "Q7747", "Q37470"] {
        assert!(
            links.contains(&format!("http://www.wikidata.org/entity/{q}")),
            "{q} linked: {links}"
        );
    }
}

#[test]
fn every_bundled_query_runs_and_answers() {
    let (_d, store) = ingested();
    let expect: &[(&str, &[&str])] = &[
        (
            "queries/entity.rq",
            &[
                "http://www.w3.org/2002/07/owl#sameAs",
                "https://w3id.org/warta/ontology#meets",
            ],
        ),
        ("queries/timeline.rq", &["2024-06-19", "meets"]),
        (
            "queries/sources.rq",
            &["Vladimir Putin,visits,North Korea", "visited North Korea"],
        ),
    ];
    for (q, needles) in expect {
        let rows = csv_rows(&store, q).join("\n");
        for n in *needles {
            assert!(rows.contains(n), "{q} lacks {n}:\n{rows}");
        }
    }
    for entry in std::fs::read_dir(root().join("queries")).expect("queries/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "rq") {
            continue; // queries/plans/ holds their evaluation plans
        }
        let text = std::fs::read_to_string(&path).expect("query text");
        assert!(
            text.starts_with('#'),
            "{} opens with a comment saying what it answers",
            path.display()
        );
        let rows = csv_rows(&store, path.to_str().expect("path"));
        assert!(!rows.is_empty(), "{} returned no rows", path.display());
    }
}

#[test]
fn reingesting_does_not_duplicate() {
    let (_d, store) = ingested();
    let before = count_quads(&store);
    let again = ok(&store, &["ingest", "examples/"]);
    assert!(again.contains("7 replaced"), "{again}");
    assert_eq!(count_quads(&store), before);
}

#[test]
fn query_formats_and_errors() {
    let (_d, store) = ingested();
    let json = ok(
        &store,
        &[
            "query",
            "--format",
            "json",
            "-e",
            "ASK { ?s a <https://w3id.org/warta/ontology#Meeting> }",
        ],
    );
    assert!(
        json.contains("\"boolean\":true") || json.contains("\"boolean\": true"),
        "{json}"
    );
    let xml = ok(&store, &["query", "--format", "xml", "queries/meetings.rq"]);
    assert!(xml.contains("<sparql"), "{xml}");
    let table = ok(
        &store,
        &["query", "--format", "table", "queries/sanctions-blocks.rq"],
    );
    assert!(
        table.contains("blocker") && table.contains("rows"),
        "{table}"
    );
    let ttl = ok(&store, &["query", "-e", "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/warta/ontology#SanctionsBlock> ; ?p ?o }"]);
    assert!(ttl.contains("SanctionsBlock"), "{ttl}");
    let bad = run(&store, &["query", "-e", "SELECT * WHERE {\n ?s ?p }"]);
    assert!(!bad.status.success());
    let msg = stderr(&bad);
    assert!(
        msg.contains("line") || msg.contains("2:"),
        "position in: {msg}"
    );
}

fn rapper_count(path: &Path, syntax: &str) -> usize {
    let out = Command::new("rapper")
        .args(["-c", "-i", syntax])
        .arg(path)
        .output()
        .expect("rapper (raptor2-utils) is installed by .ci/run");
    assert!(
        out.status.success(),
        "rapper rejected {}: {}",
        path.display(),
        stderr(&out)
    );
    let msg = stderr(&out);
    msg.split("returned ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("rapper said: {msg}"))
}

/// `warta export --format FORMAT` into `DIR/graph.FORMAT`.
fn export_file(dir: &Path, store: &Path, format: &str) -> PathBuf {
    let file = dir.join(format!("graph.{format}"));
    ok(
        store,
        &[
            "export",
            "--format",
            format,
            "-o",
            file.to_str().expect("path"),
        ],
    );
    file
}

#[test]
fn exports_parse_with_an_independent_parser() {
    let (dir, store) = ingested();
    let expected = distinct_triples(&store);
    for (format, syntax) in [
        ("turtle", "turtle"),
        ("ntriples", "ntriples"),
        ("rdfxml", "rdfxml"),
    ] {
        let file = export_file(dir.path(), &store, format);
        assert_eq!(
            rapper_count(&file, syntax),
            expected,
            "{format} export triple count"
        );
    }
    let ttl = std::fs::read_to_string(dir.path().join("graph.turtle")).expect("turtle");
    for prefix in [
        "@prefix wd:",
        "@prefix warta:",
        "@prefix prov:",
        "@prefix schema:",
        "@prefix owl:",
        "@prefix rdfs:",
        "@prefix xsd:",
    ] {
        assert!(ttl.contains(prefix), "turtle has {prefix}");
    }
    assert!(ttl.contains("wd:Q7747"));
    let nq = export_file(dir.path(), &store, "nquads");
    assert_eq!(rapper_count(&nq, "nquads"), count_quads(&store));
}

/// The triples of an RDF file, as N-Triples lines, read with oxigraph.
fn parsed_triples(
    path: &Path,
    format: oxigraph::io::RdfFormat,
) -> std::collections::BTreeSet<String> {
    let bytes = std::fs::read(path).expect("the export file");
    oxigraph::io::RdfParser::from_format(format)
        .for_slice(&bytes)
        .map(|q| {
            let q = q.unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            oxigraph::model::Triple::from(q).to_string()
        })
        .collect()
}

#[test]
fn compact_jsonld_export_reads_back_as_the_same_graph() {
    let (dir, store) = ingested();
    let export = |format: &str| export_file(dir.path(), &store, format);
    let jsonld = oxigraph::io::RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::empty(),
    };
    let nt = parsed_triples(&export("ntriples"), oxigraph::io::RdfFormat::NTriples);
    let compact = export("jsonld");
    assert_eq!(
        parsed_triples(&compact, jsonld),
        nt,
        "compact JSON-LD reads back as the N-Triples export"
    );
    let expanded = export("jsonld-expanded");
    assert_eq!(
        parsed_triples(&expanded, jsonld),
        nt,
        "expanded JSON-LD too"
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&compact).expect("read")).expect("JSON");
    for prefix in [
        "schema", "prov", "owl", "rdfs", "skos", "wd", "warta", "ent",
    ] {
        assert!(doc["@context"][prefix].is_string(), "@context has {prefix}");
    }
    let text = std::fs::read_to_string(&compact).expect("read");
    assert!(
        text.contains("\"warta:agent\"") && text.contains("\"wd:Q7747\""),
        "compact keys and ids"
    );
    assert!(
        !text.contains("\"https://w3id.org/warta/ontology#agent\""),
        "no expanded keys"
    );
}

#[test]
fn canonical_export_is_stable_across_ingest_orders() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut files: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    files.sort();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let mut args: Vec<&str> = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    ok(&a, &args);
    let mut rev: Vec<&str> = vec!["ingest"];
    rev.extend(files.iter().rev().map(String::as_str));
    ok(&b, &rev);
    let ca = ok(&a, &["export", "--canonical"]);
    let cb = ok(&b, &["export", "--canonical"]);
    assert!(!ca.is_empty());
    assert!(ca == cb, "canonical exports differ");
}

#[test]
fn one_document_graph_exports_alone() {
    let (_d, store) = ingested();
    let graphs = ok(
        &store,
        &[
            "query",
            "--format",
            "tsv",
            "-e",
            "SELECT ?g WHERE { GRAPH ?g { ?g a <https://schema.org/NewsArticle> } } LIMIT 1",
        ],
    );
    let g = graphs
        .lines()
        .nth(1)
        .expect("a graph")
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    let ttl = ok(&store, &["export", "--graph", &g]);
    assert!(ttl.contains("NewsArticle"));
    let bad = run(&store, &["export", "--graph", "http://example.org/nothing"]);
    assert!(!bad.status.success() && stderr(&bad).contains("no such graph"));
}

#[test]
fn stats_report_counts() {
    let (_d, store) = ingested();
    let s = ok(&store, &["stats"]);
    assert!(s.contains("documents     7"), "{s}");
    assert!(
        s.contains("Country") && s.contains("blocksSanctionsAgainst") && s.contains("triples"),
        "{s}"
    );
}

// ---------------------------------------------------------------- bad input

/// Each bad input: a clear error naming the file, a non-zero exit, and the
/// store still holding exactly what it held.
fn assert_rejected(store: &Path, args: &[&str], needles: &[&str]) {
    let before = count_quads(store);
    let out = run(store, args);
    assert!(!out.status.success(), "{args:?} should fail");
    let msg = stderr(&out);
    for n in needles {
        assert!(
            msg.contains(n),
            "error for {args:?} should mention {n:?}: {msg}"
        );
    }
    assert_eq!(count_quads(store), before, "{args:?} changed the store");
}

#[test]
fn bad_inputs_get_clear_errors_and_lose_nothing() {
    let (dir, store) = ingested();
    let d = dir.path();
    assert_rejected(
        &store,
        &["ingest", "no/such/file.txt"],
        &["no/such/file.txt"],
    );
    std::fs::create_dir(d.join("empty")).expect("mkdir");
    std::fs::write(d.join("empty/notes.csv"), "a,b").expect("write");
    let empty_dir = d.join("empty");
    assert_rejected(
        &store,
        &["ingest", empty_dir.to_str().expect("p")],
        &["no articles"],
    );
    let bad_utf8 = d.join("latin1.txt");
    std::fs::write(
        &bad_utf8,
        b"Rusia dan China\nmenolak sanksi \xe9 terhadap Korea Utara.",
    )
    .expect("write");
    assert_rejected(
        &store,
        &["ingest", bad_utf8.to_str().expect("p")],
        &["latin1.txt", "line 2", "--lossy"],
    );
    let empty = d.join("empty.txt");
    std::fs::write(&empty, "  \n").expect("write");
    assert_rejected(
        &store,
        &["ingest", empty.to_str().expect("p")],
        &["empty.txt", "empty"],
    );
    let binary = d.join("image.txt");
    std::fs::write(&binary, [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2]).expect("write");
    assert_rejected(
        &store,
        &["ingest", binary.to_str().expect("p")],
        &["image.txt", "binary"],
    );
    let big = d.join("big.txt");
    std::fs::write(&big, "Rusia menolak. ".repeat(150_000)).expect("write");
    assert_rejected(
        &store,
        &["ingest", "--max-file-mib", "1", big.to_str().expect("p")],
        &["big.txt", "MiB"],
    );

    // --lossy decodes with replacement and ingests.
    let out = ok(
        &store,
        &["ingest", "--lossy", bad_utf8.to_str().expect("p")],
    );
    assert!(out.contains("1 documents"), "{out}");
}

#[test]
fn a_bad_jsonl_line_is_reported_and_the_others_ingest() {
    let (dir, store) = ingested();
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        "{\"text\": \"Presiden Rusia Vladimir Putin bertemu dengan Kim Jong Un di Pyongyang.\", \"published\": \"2024-06-19\", \"language\": \"id\"}\n\
         this is not json\n\
         {\"text\": \"China condemned the United States on Monday.\", \"title\": \"Second\", \"url\": \"https://example.org/a\"}\n",
    )
    .expect("write");
    let out = run(&store, &["ingest", feed.to_str().expect("p")]);
    assert_eq!(out.status.code(), Some(1), "partial failure exits 1");
    let msg = stderr(&out);
    assert!(msg.contains("feed.jsonl:2"), "{msg}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 documents"));
    let ask = ok(
        &store,
        &[
            "query",
            "--format",
            "csv",
            "-e",
            "SELECT ?h WHERE { ?d <https://schema.org/headline> ?h }",
        ],
    );
    assert!(ask.contains("Second"), "{ask}");
}

#[test]
fn a_store_held_by_another_process_is_reported() {
    let (_d, store) = ingested();
    // A warta reading stdin holds the store open until stdin closes. If our
    // probe happened to open the store first, the holder lost the race and
    // exited: start it again.
    let spawn_holder = || {
        warta()
            .arg("--store")
            .arg(&store)
            .args(["ingest", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn")
    };
    let mut holder = spawn_holder();
    let mut tries = 0;
    let out = loop {
        std::thread::sleep(std::time::Duration::from_millis(300));
        if holder.try_wait().ok().flatten().is_some() {
            holder = spawn_holder();
            continue;
        }
        let out = run(&store, &["stats"]);
        tries += 1;
        if !out.status.success() || tries > 40 {
            break out;
        }
    };
    drop(holder.stdin.take());
    let _ = holder.wait();
    assert!(!out.status.success(), "a second writer must be refused");
    assert!(
        stderr(&out).contains("in use by another warta process"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn extract_prints_gold_shaped_json_lines() {
    let out = warta()
        .args([
            "extract",
            "examples/id-kontan-korut-rusia.txt",
            "examples/en-wiki-putin-visit-2024.txt",
        ])
        .current_dir(root())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("utf8");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let first = &lines[0];
    assert_eq!(first["language"], "id");
    let ents = first["entities"].as_array().expect("entities");
    let putin = ents.iter().find(|e| e["qid"] == "Q7747").expect("Putin");
    let m = &putin["mentions"][0];
    let source =
        std::fs::read_to_string(root().join("examples/id-kontan-korut-rusia.txt")).expect("text");
    assert_span(&source, m);
    assert!(first["relations"]
        .as_array()
        .expect("relations")
        .iter()
        .any(|r| r["relation"] == "blocksSanctionsAgainst"
            && r["rule"].is_string()
            && r["evidence"].is_string()));
}

#[test]
fn language_detection_gets_the_examples_right() {
    for entry in std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .flatten()
    {
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let name = p.file_name().expect("name").to_string_lossy().to_string();
        let out = warta().arg("extract").arg(&p).output().expect("run");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let want = if name.starts_with("id-") { "id" } else { "en" };
        assert_eq!(v["language"], want, "{name}");
    }
}

#[test]
fn explain_says_why() {
    let out = warta()
        .args(["explain", "examples/id-kontan-korut-rusia.txt"])
        .current_dir(root())
        .output()
        .expect("run");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("EVENT") && s.contains("rule id.blocks-sanctions fired"),
        "{s}"
    );
    assert!(
        s.contains("not article (no events)"),
        "Baca Juga lines are marked"
    );
}

#[test]
fn one_event_reported_by_two_articles_is_one_node_with_two_sources() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    let feed = dir.path().join("two.jsonl");
    std::fs::write(
        &feed,
        "{\"text\": \"Presiden Rusia Vladimir Putin bertemu dengan pemimpin Korea Utara Kim Jong Un di Pyongyang.\", \"language\": \"id\"}\n\
         {\"text\": \"Russian President Vladimir Putin met with North Korean leader Kim Jong Un in Pyongyang on a visit.\", \"language\": \"en\"}\n",
    )
    .expect("write");
    ok(&store, &["ingest", feed.to_str().expect("p")]);
    let q = "PREFIX warta: <https://w3id.org/warta/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX wd: <http://www.wikidata.org/entity/> \
             SELECT (COUNT(DISTINCT ?ev) AS ?events) (COUNT(DISTINCT ?doc) AS ?docs) WHERE { ?ev a warta:Meeting ; warta:participant ?p, ?k ; warta:attestedBy/prov:wasDerivedFrom ?doc . ?p owl:sameAs wd:Q7747 . ?k owl:sameAs wd:Q56226 }";
    assert_eq!(counts(&store, q), vec![1, 2], "one event, two sources");
    // Re-ingesting changes nothing.
    let before = count_quads(&store);
    ok(&store, &["ingest", feed.to_str().expect("p")]);
    assert_eq!(count_quads(&store), before);
}

#[test]
fn malformed_gold_names_the_file_and_field() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("a.txt"), "Rusia menolak.").expect("write");
    std::fs::write(
        dir.path().join("a.gold.json"),
        r#"{"text": "a.txt", "language": "id", "published": null, "entities": [], "relations": [{"subject": "x", "relation": "meets", "object": "y"}]}"#,
    )
    .expect("write");
    let out = warta().arg("eval").arg(dir.path()).output().expect("run");
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert!(
        msg.contains("a.gold.json") && msg.contains("relations[0].subject"),
        "{msg}"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    // A long explain output, cut after its first line (`warta explain F | head -1`).
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.txt");
    let mut text = String::new();
    for entry in std::fs::read_dir(root().join("examples")).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            text.push_str(&std::fs::read_to_string(&path).expect("example text"));
            text.push_str("\n\n");
        }
    }
    std::fs::write(&big, text.repeat(20)).expect("write");
    let mut child = warta()
        .args(["explain", big.to_str().expect("UTF-8 path")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the warta binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("one line");
    assert!(first.starts_with("== "), "{first}");
    // The reading end is closed here; warta must stop quietly.
    let out = child.wait_with_output().expect("warta ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn completions_and_the_man_page_cover_every_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let bash = ok(&store, &["completions", "bash"]);
    let script = dir.path().join("warta.bash");
    std::fs::write(&script, &bash).expect("write");
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash runs");
    assert!(syntax.status.success(), "bash -n: {}", stderr(&syntax));
    let fish = ok(&store, &["completions", "fish"]);
    let man = ok(&store, &["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH warta 1"),
        "{}",
        &man[..man.len().min(200)]
    );
    for command in [
        "ingest",
        "query",
        "export",
        "serve",
        "explain",
        "parse",
        "completions",
    ] {
        assert!(bash.contains(command), "bash completion lacks {command}");
        assert!(fish.contains(command), "fish completion lacks {command}");
        assert!(man.contains(command), "the man page lacks {command}");
    }
    assert!(
        man.contains("Exit status"),
        "the man page documents exit codes"
    );
}
