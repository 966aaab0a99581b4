//! Crash safety, proved by killing: `warta ingest` of a 2,000-article feed
//! is stopped with SIGKILL (no chance to clean up) at random moments, and
//! after every kill the store must
//!
//! - open again with no repair step (RocksDB replays its write-ahead log),
//! - hold only complete document graphs: each has exactly the triples a
//!   clean ingest gives that article (no partial graph, no stray one),
//! - pass [`warta::verify::problems`]: no entity or event without the
//!   document that supports it, no triple in two graphs.
//!
//! Even kills land in a bulk load (the whole feed into a fresh store); odd
//! ones in replacements (a twentieth of the feed again into a store first
//! resumed to completion, each article in its own transaction). Then the
//! ingest resumes, and at the end the canonical export
//! equals that of a clean ingest of the same feeds, byte for byte.
//!
//! `warta link` gets the same treatment on a copy of the clean store: killed
//! at random moments of a relink of its most frequent local entity, it
//! leaves the store exactly as before or exactly as after, never between
//! (4 kills; `WARTA_CRASH_LINK_KILLS` for more).
//!
//! CI kills 30 times (`.ci/run`); the long form is
//! `WARTA_CRASH_KILLS=200 cargo test --release --test crash -- --nocapture`.
//! The seed of the kill times is printed, and `WARTA_CRASH_SEED` replays it.

mod common;
#[path = "common/corpus.rs"]
mod corpus;

use common::{root, warta};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use warta::ontology::Ontology;
use warta::store::KgStore;
use warta::vocab::{IriMinter, ONTOLOGY_IRI};

const ARTICLES: usize = 2_000;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `warta --store STORE ingest FEED`, as a command not yet started.
fn ingest_command(store: &Path, feed: &Path) -> Command {
    let mut c = warta();
    c.arg("--store")
        .arg(store)
        .args(["--quiet", "ingest"])
        .arg(feed)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs an ingest to its end; its wall time.
fn ingest_to_end(store: &Path, feed: &Path) -> Duration {
    let started = Instant::now();
    let status = ingest_command(store, feed).status().expect("warta runs");
    assert!(status.success(), "a clean ingest of the feed: {status}");
    started.elapsed()
}

/// Triples per named graph, the ontology's left out.
fn graph_sizes(store: &KgStore) -> BTreeMap<String, usize> {
    let ontology = format!("<{ONTOLOGY_IRI}>");
    let mut sizes: HashMap<String, usize> = HashMap::new();
    for q in store.inner().iter() {
        let q = q.expect("every quad reads back");
        if let oxigraph::model::GraphName::NamedNode(g) = &q.graph_name {
            let name = g.to_string();
            if name != ontology {
                *sizes.entry(name).or_default() += 1;
            }
        }
    }
    sizes.into_iter().collect()
}

fn canonical(store: &Path) -> Vec<u8> {
    let out = warta()
        .arg("--store")
        .arg(store)
        .args(["export", "--canonical"])
        .current_dir(root())
        .output()
        .expect("warta runs");
    assert!(out.status.success(), "{}", common::stderr(&out));
    out.stdout
}

/// What a kill left, checked against the reference; the number of
/// documents present.
fn check_after_kill(store: &Path, reference: &BTreeMap<String, usize>, kill: usize) -> usize {
    let opened = KgStore::open(store)
        .unwrap_or_else(|e| panic!("kill {kill}: the store does not reopen: {e}"));
    let sizes = graph_sizes(&opened);
    for (graph, n) in &sizes {
        match reference.get(graph) {
            Some(want) => assert_eq!(
                n, want,
                "kill {kill}: {graph} holds {n} triples, a clean ingest gives {want}: a partial graph"
            ),
            None => panic!("kill {kill}: {graph} is in no clean ingest ({n} triples)"),
        }
    }
    let problems =
        warta::verify::problems(opened.inner(), &IriMinter::default(), 5).expect("the store reads");
    assert!(problems.is_empty(), "kill {kill}: {problems:#?}");
    sizes.len()
}

#[test]
fn ingest_killed_at_random_moments_leaves_only_whole_articles() {
    let kills = env_number("WARTA_CRASH_KILLS", 30) as usize;
    let seed = env_number("WARTA_CRASH_SEED", {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map_or(1, |d| d.as_nanos() as u64)
    });
    eprintln!("crash test: {kills} kills, WARTA_CRASH_SEED={seed}");
    let ont = Ontology::embedded().expect("the built-in ontology");
    let dir = tempfile::tempdir().expect("temp dir");
    let feed = dir.path().join("feed.jsonl");
    let articles = corpus::CorpusMaker::new(&ont, &root()).articles(ARTICLES, 0x5eed_c4a5);
    std::fs::write(&feed, corpus::jsonl(&articles, Some("2024-01-20"))).expect("feed");

    // The reference: a clean ingest (one bulk load), then a twentieth of the
    // feed again (each article replaced in its own transaction), timed to
    // place the kills.
    let clean = dir.path().join("clean");
    let again_feed = dir.path().join("again.jsonl");
    std::fs::write(
        &again_feed,
        corpus::jsonl(&articles[..ARTICLES / 20], Some("2024-01-20")),
    )
    .expect("feed");
    let first = ingest_to_end(&clean, &feed);
    let again = ingest_to_end(&clean, &again_feed);
    let reference = graph_sizes(&KgStore::open(&clean).expect("the clean store"));
    let want = canonical(&clean);
    assert!(
        reference.len() > ARTICLES / 2,
        "{} documents",
        reference.len()
    );
    check_alone(&ont, &articles, &reference);

    // Even kills land in a bulk load into a fresh store; odd ones in the
    // replacements of a twentieth of the feed in a complete store.
    let store = dir.path().join("killed");
    let mut rng = corpus::Rng(seed | 1);
    let mut present = Vec::new();
    let mut complete = false;
    for kill in 0..kills {
        let bulk = kill % 2 == 0;
        if bulk && store.exists() {
            std::fs::remove_dir_all(&store).expect("start afresh");
        } else if !bulk && !complete {
            ingest_to_end(&store, &feed); // resume first
        }
        let (run, took) = if bulk {
            (&feed, first)
        } else {
            (&again_feed, again)
        };
        let delay = took.mul_f64(1.1 * rng.below(1000) as f64 / 1000.0);
        let mut child = ingest_command(&store, run).spawn().expect("warta runs");
        std::thread::sleep(delay);
        let finished = child.try_wait().expect("the child's status").is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let n = check_after_kill(&store, &reference, kill);
        complete = n == reference.len();
        present.push((delay.as_millis(), n, finished));
    }
    // Resume: whatever is missing comes in, then the twentieth once more.
    if !complete {
        ingest_to_end(&store, &feed);
    }
    ingest_to_end(&store, &again_feed);
    assert!(
        canonical(&store) == want,
        "after the kills and a resumed ingest, the canonical export differs from a clean ingest's"
    );
    report(&present, first, again, reference.len());
    let link_kills = env_number("WARTA_CRASH_LINK_KILLS", 4) as usize;
    relink_killed_at_random_moments(&clean, dir.path(), link_kills, &mut rng);
}

/// The store's quads outside the ontology graph (which every run reloads
/// with fresh blank nodes), sorted.
fn fingerprint(store: &Path) -> Vec<String> {
    let store = KgStore::open(store).expect("the store reopens");
    let ontology = format!("<{ONTOLOGY_IRI}>");
    let mut quads: Vec<String> = store
        .inner()
        .iter()
        .map(|q| q.expect("every quad reads back"))
        .filter(|q| q.graph_name.to_string() != ontology)
        .map(|q| q.to_string())
        .collect();
    quads.sort_unstable();
    quads
}

fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp runs");
    assert!(
        status.success(),
        "copying {} to {}",
        from.display(),
        to.display()
    );
}

fn link_command(store: &Path, links: &Path) -> Command {
    let mut c = warta();
    c.arg("--store")
        .arg(store)
        .arg("--links")
        .arg(links)
        .args(["--quiet", "link"])
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Kills `warta link` on copies of `clean`: each copy must end as the
/// store before the relink or as the store after it.
fn relink_killed_at_random_moments(clean: &Path, dir: &Path, kills: usize, rng: &mut corpus::Rng) {
    let template = warta()
        .arg("--store")
        .arg(clean)
        .args(["link", "--unlinked", "--format", "tsv", "--limit", "1"])
        .current_dir(root())
        .output()
        .expect("warta runs");
    assert!(template.status.success(), "{}", common::stderr(&template));
    let mut links = String::from("local_id\tqid\n");
    for (n, row) in String::from_utf8_lossy(&template.stdout)
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("local_id"))
        .enumerate()
    {
        let local = row.split('\t').next().expect("a local id");
        links.push_str(&format!("{local}\tQ{}\n", 970_000_001 + n));
    }
    let links_file = dir.join("links.tsv");
    std::fs::write(&links_file, &links).expect("links file");
    let before = fingerprint(clean);
    let after_store = dir.join("linked");
    copy_dir(clean, &after_store);
    let started = Instant::now();
    let status = link_command(&after_store, &links_file)
        .status()
        .expect("warta runs");
    assert!(status.success(), "a clean relink: {status}");
    let took = started.elapsed();
    let after = fingerprint(&after_store);
    assert!(before != after, "the links change the store");
    let (mut as_before, mut as_after) = (0, 0);
    for kill in 0..kills {
        let store = dir.join(format!("link-kill-{kill}"));
        copy_dir(clean, &store);
        let delay = took.mul_f64(1.1 * rng.below(1000) as f64 / 1000.0);
        let mut child = link_command(&store, &links_file)
            .spawn()
            .expect("warta runs");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = fingerprint(&store);
        if now == before {
            as_before += 1;
        } else if now == after {
            as_after += 1;
        } else {
            panic!("link kill {kill} after {delay:?}: the store is neither as before nor as after the relink");
        }
        std::fs::remove_dir_all(&store).expect("remove the copy");
    }
    eprintln!(
        "crash test: relink {:.2} s; {kills} kills: {as_before} left the store as before, {as_after} as after",
        took.as_secs_f64()
    );
}

/// A document graph's size does not depend on the other articles: three
/// articles ingested alone give the sizes the full ingest gave them.
fn check_alone(
    ont: &Ontology,
    articles: &[(warta::model::Language, String)],
    reference: &BTreeMap<String, usize>,
) {
    for i in [0, ARTICLES / 2 + 1, ARTICLES - 1] {
        let store = KgStore::memory().expect("memory store");
        let dir = tempfile::tempdir().expect("temp dir");
        let one = dir.path().join("one.jsonl");
        std::fs::write(&one, corpus::jsonl(&articles[i..=i], Some("2024-01-20"))).expect("feed");
        warta::ingest::ingest(
            &store,
            ont,
            &IriMinter::default(),
            &[warta::input::InputSource::Jsonl(one)],
            &warta::ingest::IngestOptions::default(),
            &mut |_, _| {},
        )
        .expect("ingest of one article");
        let sizes = graph_sizes(&store);
        assert_eq!(sizes.len(), 1);
        for (graph, n) in sizes {
            assert_eq!(
                reference.get(&graph),
                Some(&n),
                "article {i} alone: {graph}"
            );
        }
    }
}

fn report(present: &[(u128, usize, bool)], first: Duration, again: Duration, all: usize) {
    let empty = present.iter().filter(|(_, n, _)| *n == 0).count();
    let full = present.iter().filter(|(_, n, _)| *n == all).count();
    let finished = present.iter().filter(|(_, _, f)| *f).count();
    eprintln!(
        "crash test: clean ingest {:.1} s, re-ingest of a twentieth {:.1} s; {} kills: {empty} left no document, \
         {} some, {full} all {all} ({finished} runs had already ended)",
        first.as_secs_f64(),
        again.as_secs_f64(),
        present.len(),
        present.len() - empty - full
    );
    for (ms, n, finished) in present {
        eprintln!(
            "  killed after {ms} ms: {n} documents{}",
            if *finished { " (run had ended)" } else { "" }
        );
    }
}
