//! Throughput benchmark (run with `cargo bench`; CI does not run it).
//!
//! Builds a corpus of articles from the real example sentences, recombined and
//! with countries substituted from the gazetteer (so the store holds distinct
//! articles and entities, not copies), then measures on one thread:
//! 1. recognition + linking (mentions and entities) over a 10 MB corpus,
//! 2. extraction (the whole pipeline without the store),
//! 3. ingest end to end into an on-disk Oxigraph store (JSONL feed -> RDF),
//!    reporting articles/s, MB/s, triples/s and peak memory.
//!
//! Recognition and extraction run `WARTA_BENCH_ROUNDS` rounds (default 5)
//! and print the median with the range: one run's wall time on a shared
//! machine is not a measurement.
//!
//! `WARTA_BENCH_ARTICLES` sets the corpus size (default 5000);
//! `WARTA_NO_SYNTAX=1` measures without tree roles (as `warta --no-syntax`).
//! `WARTA_BENCH_STAGES` picks stages by name (`recognition,extraction,ingest`,
//! default all), e.g. to profile one of them.

use std::io::Write;
use std::time::Instant;
use warta::extract::Extractor;
use warta::ingest::{ingest, IngestOptions};
use warta::input::{discover, Article};
use warta::mentions::find_mentions;
use warta::model::{EntityType, Language};
use warta::ontology::Ontology;
use warta::store::KgStore;
use warta::text::{segment, sentences, SegmentKind, Sentence};
use warta::vocab::IriMinter;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<f64>()
                    .unwrap_or(0.0)
                    / 1024.0
            })
        })
        .unwrap_or(0.0)
}

/// CPU time of the calling thread in seconds (Linux; `None` elsewhere).
/// Single-threaded stages also report throughput per CPU second, which
/// stays meaningful on a busy machine where wall time does not.
fn thread_cpu_secs() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// CPU seconds of the calling thread since `cpu0` (from [`thread_cpu_secs`]).
fn cpu_secs_since(cpu0: Option<f64>) -> Option<f64> {
    match (cpu0, thread_cpu_secs()) {
        (Some(a), Some(b)) if b > a => Some(b - a),
        _ => None,
    }
}

/// "median (min-max)" of the values, one decimal.
fn spread(values: &mut [f64]) -> String {
    values.sort_by(f64::total_cmp);
    match (values.first(), values.get(values.len() / 2), values.last()) {
        (Some(lo), Some(mid), Some(hi)) if values.len() > 1 => {
            format!("{mid:.1} ({lo:.1}-{hi:.1})")
        }
        (_, Some(mid), _) => format!("{mid:.1}"),
        _ => "-".to_string(),
    }
}

/// ", N MB per CPU second" (median and range), when the CPU time is known.
fn per_cpu(values: &mut [f64]) -> String {
    if values.is_empty() {
        return String::new();
    }
    format!(", {} MB per CPU second", spread(values))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n_articles: usize = std::env::var("WARTA_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let mut ont = Ontology::embedded()?;
    // WARTA_NO_SYNTAX=1: as `warta --no-syntax`, surface roles only.
    if std::env::var_os("WARTA_NO_SYNTAX").is_some() {
        ont.syntax = warta::ontology::SyntaxModels::off();
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // Sentences of the examples, by language.
    let mut pools: Vec<(Language, Vec<String>)> =
        vec![(Language::Id, Vec::new()), (Language::En, Vec::new())];
    for entry in std::fs::read_dir(root.join("examples"))? {
        let p = entry?.path();
        if p.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&p)?;
        let lang = if p
            .file_name()
            .is_some_and(|f| f.to_string_lossy().starts_with("id-"))
        {
            0
        } else {
            1
        };
        for s in segment(&text)
            .into_iter()
            .filter(|s| s.kind == SegmentKind::Sentence)
        {
            pools[lang].1.push(s.text(&text).to_string());
        }
    }
    let countries: Vec<(String, String)> = ont
        .gazetteer
        .entries()
        .iter()
        .filter(|e| e.entity_type == EntityType::Country)
        .map(|e| (e.label_en.clone(), e.label(Language::Id).to_string()))
        .collect();
    let swaps = [
        ("Korea Utara", "North Korea"),
        ("Rusia", "Russia"),
        ("China", "China"),
        ("Korea Selatan", "South Korea"),
        ("Jepang", "Japan"),
        ("Indonesia", "Indonesia"),
        ("Ukraina", "Ukraine"),
    ];
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut corpus: Vec<(Language, String)> = Vec::with_capacity(n_articles);
    for i in 0..n_articles {
        let (lang, pool) = &pools[i % 2];
        let k = 5 + rng.below(8);
        let mut sents: Vec<String> = (0..k)
            .map(|_| pool[rng.below(pool.len())].clone())
            .collect();
        // Substitute two countries, so articles differ in their entities.
        for _ in 0..2 {
            let (from_id, from_en) = swaps[rng.below(swaps.len())];
            let (to_en, to_id) = &countries[rng.below(countries.len())];
            let (from, to) = if *lang == Language::Id {
                (from_id, to_id.as_str())
            } else {
                (from_en, to_en.as_str())
            };
            for s in &mut sents {
                *s = s.replace(from, to);
            }
        }
        corpus.push((*lang, sents.join(" ")));
    }
    let rounds: usize = std::env::var("WARTA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(5);
    let stages = std::env::var("WARTA_BENCH_STAGES")
        .unwrap_or_else(|_| "recognition,extraction,ingest".to_string());
    let run = |stage: &str| stages.split(',').any(|s| s.trim() == stage);
    let bytes: usize = corpus.iter().map(|(_, t)| t.len()).sum();
    println!(
        "corpus: {n_articles} articles, {:.2} MB",
        bytes as f64 / 1e6
    );

    // Wall-clock throughput on a shared VM varies by a fifth from run to run:
    // each single-threaded stage runs several rounds and reports the median
    // (and the range), in wall time and per CPU second of the thread.
    if run("recognition") {
        // 1. Recognition and linking over >= 10 MB per round.
        let mut wall = Vec::new();
        let mut cpu = Vec::new();
        let mut mentions = 0usize;
        let mut mb = 0.0;
        for _ in 0..rounds {
            let mut rec_bytes = 0usize;
            mentions = 0;
            let t = Instant::now();
            let cpu0 = thread_cpu_secs();
            'outer: loop {
                for (lang, text) in &corpus {
                    let sentences: Vec<Sentence> = sentences(text);
                    let raw = find_mentions(text, &sentences, &ont, *lang);
                    let ents =
                        warta::entities::resolve(text, &raw, &ont, *lang, Some("2024-01-20"));
                    mentions += ents.mentions.len();
                    rec_bytes += text.len();
                    if rec_bytes >= 10_000_000 {
                        break 'outer;
                    }
                }
            }
            mb = rec_bytes as f64 / 1e6;
            wall.push(mb / t.elapsed().as_secs_f64());
            cpu.extend(cpu_secs_since(cpu0).map(|c| mb / c));
        }
        println!(
            "recognition+linking: {mb:.2} MB x {rounds} rounds: {} MB/s{} ({mentions} mentions a round)",
            spread(&mut wall),
            per_cpu(&mut cpu)
        );
    }
    if run("extraction") {
        // 2. Extraction without the store.
        let extractor = Extractor::new(&ont);
        let articles: Vec<(Language, Article)> = corpus
            .iter()
            .enumerate()
            .map(|(i, (lang, text))| {
                let a = Article {
                    source: format!("bench:{i}"),
                    title: None,
                    url: None,
                    published: Some("2024-01-20".into()),
                    language: None,
                    text: text.clone(),
                };
                (*lang, a)
            })
            .collect();
        let (mut docs, mut wall, mut cpu) = (Vec::new(), Vec::new(), Vec::new());
        let mut events = 0usize;
        // Counted outside the timed rounds.
        let sentences: usize = articles
            .iter()
            .map(|(_, a)| warta::text::sentences(&a.text).len())
            .sum();
        let parsed_before = warta::syntax::sentences_parsed();
        for _ in 0..rounds {
            events = 0;
            let t = Instant::now();
            let cpu0 = thread_cpu_secs();
            for (lang, a) in &articles {
                events += extractor.extract(a, Some(*lang)).relations.len();
            }
            let secs = t.elapsed().as_secs_f64();
            docs.push(n_articles as f64 / secs);
            wall.push(bytes as f64 / 1e6 / secs);
            cpu.extend(cpu_secs_since(cpu0).map(|c| bytes as f64 / 1e6 / c));
        }
        let parsed = (warta::syntax::sentences_parsed() - parsed_before) / rounds;
        println!(
            "extraction: {} articles/s, {} MB/s{} ({events} events a round; {parsed} of {sentences} sentences parsed for tree roles, {:.1}%)",
            spread(&mut docs),
            spread(&mut wall),
            per_cpu(&mut cpu),
            100.0 * parsed as f64 / sentences.max(1) as f64
        );
    }
    if run("ingest") {
        // 3. End to end into an on-disk store.
        let dir = tempfile::tempdir()?;
        let feed = dir.path().join("corpus.jsonl");
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&feed)?);
            for (lang, text) in &corpus {
                serde_json::to_writer(
                    &mut f,
                    &serde_json::json!({"text": text, "language": lang.tag(), "published": "2024-01-20"}),
                )?;
                writeln!(f)?;
            }
        }
        let sources = discover(&[feed])?;
        // One job, then every core: the same store, at what speed-up.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut one_job = None;
        for jobs in [1, cores.max(2)] {
            let store = KgStore::open(&dir.path().join(format!("store-{jobs}")))?;
            let t = Instant::now();
            let summary = ingest(
                &store,
                &ont,
                &IriMinter::default(),
                &sources,
                &IngestOptions {
                    jobs,
                    ..IngestOptions::default()
                },
                &mut |_, _| {},
            )?;
            let secs = t.elapsed().as_secs_f64();
            let rate = summary.documents as f64 / secs;
            let scaling = one_job.map_or(String::new(), |r: f64| {
                format!(
                    "; {:.2}x one job, scaling efficiency {:.0}%",
                    rate / r,
                    100.0 * rate / r / jobs as f64
                )
            });
            one_job.get_or_insert(rate);
            println!(
                "ingest end to end, {jobs} job(s): {} articles in {secs:.2} s = {rate:.1} articles/s, {:.2} MB/s, {:.0} triples/s ({} triples, {} events){scaling}",
                summary.documents,
                summary.bytes as f64 / 1e6 / secs,
                summary.triples as f64 / secs,
                summary.triples,
                summary.events
            );
            println!(
                "peak memory (VmHWM, the process so far): {:.0} MiB; store on disk: {:.1} MB",
                peak_rss_mib(),
                store.disk_size() as f64 / 1e6
            );
        }
    }
    Ok(())
}
