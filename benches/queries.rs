//! Query benchmark (`cargo bench --bench queries`; CI does not run it).
//!
//! For each corpus size (default 1,000, 20,000 and 100,000 articles; set
//! `WARTA_QBENCH_SIZES=1000,20000`), it generates articles with the shared
//! corpus recipe (`tests/common/corpus.rs`: example sentences recombined,
//! people, organisations and countries drawn from the whole gazetteer),
//! ingests them into a fresh on-disk store and reports the ingest rate, the
//! triples and bytes per article, then runs every file in `queries/`: once
//! cold (right after opening the store) and `WARTA_QBENCH_ROUNDS` times warm
//! (default 5), printing the median warm latency, the rows and the peak
//! memory of the query (the process's peak RSS is reset before each query
//! through /proc/self/clear_refs, so it is the query's own high-water mark).

#[path = "../tests/common/corpus.rs"]
mod corpus;

use oxigraph::sparql::QueryResults;
use std::io::Write;
use std::time::Instant;
use warta::ingest::{ingest, IngestOptions};
use warta::input::InputSource;
use warta::ontology::Ontology;
use warta::store::KgStore;
use warta::vocab::IriMinter;

fn rss_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak RSS to the current RSS (Linux 4.0+).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Runs a query to the end; returns the number of rows (or triples).
fn run(store: &KgStore, sparql: &str) -> Result<usize, Box<dyn std::error::Error>> {
    Ok(match store.query(sparql)? {
        QueryResults::Solutions(s) => {
            let mut n = 0;
            for row in s {
                row?;
                n += 1;
            }
            n
        }
        QueryResults::Boolean(_) => 1,
        QueryResults::Graph(g) => {
            let mut n = 0;
            for t in g {
                t?;
                n += 1;
            }
            n
        }
    })
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sizes: Vec<usize> = std::env::var("WARTA_QBENCH_SIZES")
        .unwrap_or_else(|_| "1000,20000,100000".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let rounds: usize = std::env::var("WARTA_QBENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ont = Ontology::embedded()?;
    let minter = IriMinter::default();
    let maker = corpus::CorpusMaker::new(&ont, root);
    let mut queries: Vec<(String, String)> = std::fs::read_dir(root.join("queries"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| {
            let name = p
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().to_string());
            (name, std::fs::read_to_string(&p).unwrap_or_default())
        })
        .collect();
    queries.sort();
    // WARTA_QBENCH_DIR keeps the feeds and stores there (to query them by
    // hand afterwards); by default they go to a temporary directory.
    let kept = std::env::var_os("WARTA_QBENCH_DIR").map(std::path::PathBuf::from);
    let tmp = tempfile::tempdir()?;
    let work_dir = kept.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&work_dir)?;
    for &n in &sizes {
        let articles = maker.articles(n, 0x5eed_1234_abcd_ef01);
        let bytes: usize = articles.iter().map(|(_, t)| t.len()).sum();
        let feed = work_dir.join(format!("corpus-{n}.jsonl"));
        std::fs::write(&feed, corpus::jsonl(&articles, Some("2024-01-20")))?;
        drop(articles);
        let path = work_dir.join(format!("store-{n}"));
        let _ = std::fs::remove_dir_all(&path);
        let sources = [InputSource::Jsonl(feed.clone())];
        let (summary, ingest_s, triples) = {
            let store = KgStore::open(&path)?;
            reset_peak();
            let t = Instant::now();
            let summary = ingest(
                &store,
                &ont,
                &minter,
                &sources,
                &IngestOptions::default(),
                &mut |_, _| {},
            )?;
            let secs = t.elapsed().as_secs_f64();
            let triples = store.len()?;
            (summary, secs, triples)
        };
        let ingest_peak = rss_mib("VmHWM:");
        let disk = warta::store::dir_size(&path);
        println!(
            "\n## {n} articles ({:.1} MB of text)\n\ningest: {:.0} articles/s, {:.2} MB/s, {:.1} s, peak RSS {:.0} MB; store {} triples ({:.0} per article), {:.1} MB on disk ({:.1} KB per article)",
            bytes as f64 / 1e6,
            summary.documents as f64 / ingest_s,
            bytes as f64 / 1e6 / ingest_s,
            ingest_s,
            ingest_peak,
            triples,
            triples as f64 / n as f64,
            disk as f64 / 1e6,
            disk as f64 / 1e3 / n as f64,
        );
        println!("\n| query | rows | cold ms | warm ms (median of {rounds}) | peak MB |\n|---|---|---|---|---|");
        let store = KgStore::open(&path)?;
        for (name, sparql) in &queries {
            reset_peak();
            let base = rss_mib("VmRSS:");
            let t = Instant::now();
            let rows = run(&store, sparql)?;
            let cold = t.elapsed().as_secs_f64() * 1e3;
            let mut warm = Vec::new();
            for _ in 0..rounds {
                let t = Instant::now();
                run(&store, sparql)?;
                warm.push(t.elapsed().as_secs_f64() * 1e3);
            }
            let peak = (rss_mib("VmHWM:") - base).max(0.0);
            println!(
                "| {name} | {rows} | {cold:.1} | {:.1} | {peak:.0} |",
                median(&mut warm)
            );
            std::io::stdout().flush()?;
        }
        drop(store);
        if kept.is_none() {
            let _ = std::fs::remove_dir_all(&path);
            let _ = std::fs::remove_file(&feed);
        }
    }
    Ok(())
}
