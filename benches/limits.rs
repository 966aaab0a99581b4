//! Bounded resources, measured (run with `cargo bench --bench limits`; CI
//! does not run it). The figures of the README's reliability table:
//!
//! 1. feeds of 10k, 100k and 1M one-article lines through `warta extract`
//!    and `warta ingest` (the real binary): time and the child's peak RSS
//!    (`wait4`), which must stay flat as the feed grows;
//! 2. one sentence coordinating 1k, 10k and 50k names, one article with
//!    100,000 mentions, a 10 MB line with no sentence break (in process,
//!    extraction only): time, which must grow linearly;
//! 3. a 1 GiB file (sparse) refused by its size.
//!
//! `WARTA_LIMITS_FEEDS=10000,100000` picks the feed sizes (default
//! 10000,100000,1000000); `WARTA_LIMITS_INGEST_MAX` the largest feed also
//! ingested (default 100000: an ingest of a million lines takes many minutes).

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use warta::extract::{invariant_violations, Extractor};
use warta::input::{read_bytes, InputOptions};
use warta::model::{EntityType, Language};
use warta::ontology::Ontology;

type Error = Box<dyn std::error::Error>;

/// Runs the binary to its end (stdout discarded); wall seconds and peak RSS in MiB.
fn measured(args: &[&std::ffi::OsStr]) -> Result<(f64, f64), Error> {
    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/warta");
    let started = Instant::now();
    let child = Command::new(&exe)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let pid = libc::pid_t::try_from(child.id())?;
    let mut status = 0;
    // SAFETY: rusage is plain data (zeroed is valid); wait4 fills it for our
    // own child, which nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } != pid {
        return Err(std::io::Error::last_os_error().into());
    }
    if status != 0 {
        return Err(format!("warta {args:?} exited with status {status}").into());
    }
    Ok((
        started.elapsed().as_secs_f64(),
        usage.ru_maxrss as f64 / 1024.0,
    ))
}

/// A feed of `n` one-sentence articles (sentences of the examples with
/// names swapped, as the ingest bench's corpus), written once and reused.
fn feed(dir: &Path, maker: &corpus::CorpusMaker, n: usize) -> Result<PathBuf, Error> {
    let path = dir.join(format!("feed-{n}.jsonl"));
    if path.exists() {
        return Ok(path);
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let mut written = 0;
    let mut seed = 1;
    while written < n {
        let articles = maker.articles(10_000.min(n - written), seed);
        for (lang, text) in &articles {
            // One sentence an article keeps a million lines near 200 MB.
            let first = text.split_inclusive(". ").next().unwrap_or(text);
            let line = serde_json::json!({
                "text": format!("{first} ({written})"),
                "language": lang.tag(),
            });
            std::io::Write::write_all(&mut out, format!("{line}\n").as_bytes())?;
            written += 1;
        }
        seed += 1;
    }
    std::io::Write::flush(&mut out)?;
    Ok(path)
}

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

fn feeds(dir: &Path, ont: &Ontology) -> Result<(), Error> {
    let maker = corpus::CorpusMaker::new(ont, Path::new(env!("CARGO_MANIFEST_DIR")));
    let ingest_max = env_list("WARTA_LIMITS_INGEST_MAX", &[100_000])[0];
    println!(
        "| feed | MB | command | seconds | lines/s | peak RSS |\n|---:|---:|---|---:|---:|---:|"
    );
    for n in env_list("WARTA_LIMITS_FEEDS", &[10_000, 100_000, 1_000_000]) {
        let path = feed(dir, &maker, n)?;
        let mb = std::fs::metadata(&path)?.len() as f64 / 1e6;
        let store = dir.join(format!("store-{n}"));
        let _ = std::fs::remove_dir_all(&store);
        let mut runs: Vec<(&str, Vec<&std::ffi::OsStr>)> = vec![(
            "extract --jobs 2",
            vec![
                "extract".as_ref(),
                "--jobs".as_ref(),
                "2".as_ref(),
                path.as_os_str(),
            ],
        )];
        if n <= ingest_max {
            runs.push((
                "ingest --jobs 2",
                vec![
                    "--quiet".as_ref(),
                    "--store".as_ref(),
                    store.as_os_str(),
                    "ingest".as_ref(),
                    "--jobs".as_ref(),
                    "2".as_ref(),
                    path.as_os_str(),
                ],
            ));
        }
        for (what, args) in runs {
            let (secs, rss) = measured(&args)?;
            println!(
                "| {n} | {mb:.1} | `{what}` | {secs:.1} | {:.0} | {rss:.0} MB |",
                n as f64 / secs
            );
        }
        let _ = std::fs::remove_dir_all(&store);
    }
    Ok(())
}

/// Extracts one article, checks the invariants, returns the seconds.
fn extract_once(extractor: &Extractor<'_>, name: &str, text: &str) -> Result<f64, Error> {
    let article = read_bytes(name, text.as_bytes(), &InputOptions::default())?;
    let started = Instant::now();
    let x = extractor.extract(&article, Some(Language::Id));
    let secs = started.elapsed().as_secs_f64();
    let problems = invariant_violations(&article, &x);
    if !problems.is_empty() {
        return Err(format!("{name}: {problems:?}").into());
    }
    Ok(secs)
}

fn shapes(ont: &Ontology) -> Result<(), Error> {
    let extractor = Extractor::new(ont);
    let countries: Vec<&str> = ont
        .gazetteer
        .entries()
        .iter()
        .filter(|e| e.entity_type == EntityType::Country)
        .map(|e| e.label(Language::Id))
        .collect();
    println!("\n| input | size | seconds | per unit |\n|---|---:|---:|---:|");
    for n in [1_000, 10_000, 50_000] {
        let names: Vec<&str> = (0..n).map(|i| countries[i % countries.len()]).collect();
        let text = format!(
            "Para menteri dari {} dan Jepang bertemu di Jakarta.",
            names.join(", ")
        );
        let secs = extract_once(&extractor, "names.txt", &text)?;
        println!(
            "| one sentence coordinating {n} names | {:.2} MB | {secs:.3} | {:.1} µs a name |",
            text.len() as f64 / 1e6,
            secs * 1e6 / n as f64
        );
    }
    let sentence = "Presiden Joko Widodo bertemu Presiden Vladimir Putin di Moskow. ";
    let text = sentence.repeat(100_000 / 3 + 1);
    let secs = extract_once(&extractor, "mentions.txt", &text)?;
    println!(
        "| one article with 100,002 mentions | {:.1} MB | {secs:.2} | {:.1} µs a mention |",
        text.len() as f64 / 1e6,
        secs * 1e6 / 100_002.0
    );
    let words = ["kata", "Jakarta", "dan", "Indonesia", "bertemu"];
    let mut line = String::with_capacity(10 << 20);
    let mut i = 0;
    while line.len() < 10 << 20 {
        line.push_str(words[i % words.len()]);
        line.push(' ');
        i += 1;
    }
    let secs = extract_once(&extractor, "line.txt", &line)?;
    println!(
        "| a 10 MB line with no sentence break | {:.1} MB | {secs:.2} | {:.1} MB/s |",
        line.len() as f64 / 1e6,
        line.len() as f64 / 1e6 / secs
    );
    Ok(())
}

fn huge_file(dir: &Path) -> Result<(), Error> {
    let path = dir.join("huge.txt");
    std::fs::File::create(&path)?.set_len(1 << 30)?;
    let started = Instant::now();
    let source = warta::input::InputSource::File(path.clone());
    let refused =
        warta::input::read_source(&source, &InputOptions::default(), &mut |_| {}).is_err();
    let secs = started.elapsed().as_secs_f64();
    std::fs::remove_file(&path)?;
    println!(
        "\na 1 GiB file (sparse) with the default --max-file-mib 64: {} in {:.1} ms",
        if refused {
            "refused"
        } else {
            "READ (unexpected)"
        },
        secs * 1e3
    );
    Ok(())
}

fn main() -> Result<(), Error> {
    let dir = std::env::var_os("WARTA_LIMITS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("warta-limits"));
    std::fs::create_dir_all(&dir)?;
    let ont = Ontology::embedded()?;
    feeds(&dir, &ont)?;
    shapes(&ont)?;
    huge_file(&dir)
}
