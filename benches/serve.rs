//! Server benchmark (`cargo bench --bench serve`; CI does not run it).
//!
//! On a store of `WARTA_SBENCH_SIZE` generated articles (default 20,000; the
//! corpus recipe of `tests/common/corpus.rs`, as `benches/queries.rs`), it
//! measures:
//!
//! 1. every file of `queries/`, in process (`warta::query::run_query` to
//!    SPARQL JSON) and over HTTP (`warta serve`, POST
//!    application/sparql-query, Accept SPARQL JSON): median of
//!    `WARTA_SBENCH_ROUNDS` (default 3) warm runs each;
//! 2. requests per second with 1, 4 and 16 concurrent clients for a light
//!    query (an entity's labels) and for `entity.rq`;
//! 3. `POST /ingest` articles per second (batches of 200 into a fresh store
//!    on a `--writable` server), beside `warta ingest` of the same articles;
//!
//! and the server's peak RSS. `WARTA_SBENCH_DIR` keeps the store between
//! runs (it is built only when missing).

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use warta::ingest::{ingest, IngestOptions};
use warta::input::InputSource;
use warta::ontology::Ontology;
use warta::query::{run_query, ResultFormat};
use warta::store::KgStore;
use warta::vocab::IriMinter;

type Error = Box<dyn std::error::Error>;

const LIGHT: &str = "SELECT ?label WHERE { <https://w3id.org/warta/entity/Q7747> <http://www.w3.org/2000/01/rdf-schema#label> ?label }";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// A `warta serve` child, killed on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(store: &Path, extra: &[&str]) -> Result<Server, Error> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_warta"))
            .arg("--store")
            .arg(store)
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--quiet",
                "--timeout",
                "600",
            ])
            .args(["--max-rows", "0", "--max-queries", "16"])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let url = line
            .trim()
            .rsplit(' ')
            .next()
            .ok_or("no URL on the first line")?
            .to_owned();
        Ok(Server { child, url })
    }

    fn peak_rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(900)))
        .build()
        .into()
}

fn http_query(agent: &ureq::Agent, url: &str, sparql: &str) -> Result<usize, Error> {
    let mut response = agent
        .post(&format!("{url}sparql"))
        .header("content-type", "application/sparql-query")
        .header(
            "accept",
            "application/sparql-results+json, text/turtle;q=0.9",
        )
        .send(sparql)?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()?;
    if status != 200 {
        return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)).into());
    }
    Ok(body.len())
}

fn build_store(dir: &Path, n: usize, ont: &Ontology) -> Result<PathBuf, Error> {
    let path = dir.join(format!("store-{n}"));
    if path.exists() {
        return Ok(path);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let maker = corpus::CorpusMaker::new(ont, root);
    let feed = dir.join(format!("corpus-{n}.jsonl"));
    std::fs::write(
        &feed,
        corpus::jsonl(
            &maker.articles(n, 0x5eed_1234_abcd_ef01),
            Some("2024-01-20"),
        ),
    )?;
    let store = KgStore::open(&path)?;
    let sources = [InputSource::Jsonl(feed)];
    ingest(
        &store,
        ont,
        &IriMinter::default(),
        &sources,
        &IngestOptions::default(),
        &mut |_, _| {},
    )?;
    Ok(path)
}

fn shipped_queries() -> Result<Vec<(String, String)>, Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut queries = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rq") {
            let name = path
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default();
            queries.push((name, std::fs::read_to_string(&path)?));
        }
    }
    queries.sort();
    Ok(queries)
}

fn in_process(
    store_path: &Path,
    queries: &[(String, String)],
    rounds: usize,
) -> Result<Vec<f64>, Error> {
    let store = KgStore::open(store_path)?;
    let prefixes = IriMinter::default().prefixes();
    let mut medians = Vec::new();
    for (_, sparql) in queries {
        let mut times = Vec::new();
        for round in 0..=rounds {
            let t = Instant::now();
            run_query(
                store.inner(),
                sparql,
                ResultFormat::Json,
                &prefixes,
                &mut std::io::sink(),
            )?;
            if round > 0 {
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
        medians.push(median(times));
    }
    Ok(medians)
}

fn over_http(
    server: &Server,
    queries: &[(String, String)],
    rounds: usize,
) -> Result<Vec<(f64, usize)>, Error> {
    let agent = agent();
    let mut out = Vec::new();
    for (_, sparql) in queries {
        let mut times = Vec::new();
        let mut bytes = 0;
        for round in 0..=rounds {
            let t = Instant::now();
            bytes = http_query(&agent, &server.url, sparql)?;
            if round > 0 {
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
        out.push((median(times), bytes));
    }
    Ok(out)
}

/// Requests per second with `clients` threads for `seconds`.
fn throughput(
    url: &str,
    sparql: &str,
    clients: usize,
    seconds: f64,
) -> Result<(f64, usize), Error> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (url, sparql) = (url.to_owned(), sparql.to_owned());
            std::thread::spawn(move || {
                let agent = agent();
                let (mut done, mut failed) = (0usize, 0usize);
                while Instant::now() < deadline {
                    match http_query(&agent, &url, &sparql) {
                        Ok(_) => done += 1,
                        Err(_) => failed += 1,
                    }
                }
                (done, failed)
            })
        })
        .collect();
    let (mut done, mut failed) = (0, 0);
    for h in handles {
        let (d, f) = h.join().map_err(|_| "a client thread panicked")?;
        done += d;
        failed += f;
    }
    Ok((done as f64 / started.elapsed().as_secs_f64(), failed))
}

fn ingest_rates(dir: &Path, ont: &Ontology) -> Result<(f64, f64), Error> {
    let n = 2000;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let maker = corpus::CorpusMaker::new(ont, root);
    let articles = maker.articles(n, 0x1dea_5eed);
    let feed = corpus::jsonl(&articles, Some("2024-02-01"));
    let lines: Vec<&str> = feed.lines().collect();
    let fresh = dir.join("ingest-http");
    let _ = std::fs::remove_dir_all(&fresh);
    let server = Server::start(&fresh, &["--writable", "--max-body", "268435456"])?;
    let agent = agent();
    let t = Instant::now();
    for batch in lines.chunks(200) {
        let mut response = agent
            .post(&format!("{}ingest", server.url))
            .header("content-type", "application/x-ndjson")
            .send(batch.join("\n"))?;
        if response.status().as_u16() != 200 {
            return Err(response.body_mut().read_to_string()?.into());
        }
    }
    let http_rate = n as f64 / t.elapsed().as_secs_f64();
    drop(server);
    let file = dir.join("ingest-feed.jsonl");
    std::fs::write(&file, &feed)?;
    let local = dir.join("ingest-cli");
    let _ = std::fs::remove_dir_all(&local);
    let store = KgStore::open(&local)?;
    let t = Instant::now();
    ingest(
        &store,
        ont,
        &IriMinter::default(),
        &[InputSource::Jsonl(file)],
        &IngestOptions::default(),
        &mut |_, _| {},
    )?;
    Ok((http_rate, n as f64 / t.elapsed().as_secs_f64()))
}

fn main() -> Result<(), Error> {
    let n = env_number("WARTA_SBENCH_SIZE", 20_000);
    let rounds = env_number("WARTA_SBENCH_ROUNDS", 3).max(1);
    let tmp = tempfile::tempdir()?;
    let dir = std::env::var_os("WARTA_SBENCH_DIR")
        .map_or_else(|| tmp.path().to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    let ont = Ontology::embedded()?;
    let store = build_store(&dir, n, &ont)?;
    let queries = shipped_queries()?;
    let local = in_process(&store, &queries, rounds)?;
    let server = Server::start(&store, &[])?;
    let remote = over_http(&server, &queries, rounds)?;
    println!(
        "\n## {n} articles: queries/ in process and over HTTP (median of {rounds} warm runs)\n"
    );
    println!("| query | in process ms | HTTP ms | HTTP / in process | JSON bytes |\n|---|---|---|---|---|");
    for (((name, _), l), (h, bytes)) in queries.iter().zip(&local).zip(&remote) {
        println!(
            "| {name} | {l:.1} | {h:.1} | {:.2} | {bytes} |",
            h / l.max(1e-3)
        );
    }
    let entity = queries
        .iter()
        .find(|(n, _)| n == "entity.rq")
        .map(|(_, q)| q.clone())
        .unwrap_or_default();
    println!("\n| clients | light query req/s | entity.rq req/s | errors |\n|---|---|---|---|");
    for clients in [1, 4, 16] {
        let (light, e1) = throughput(&server.url, LIGHT, clients, 5.0)?;
        let (heavy, e2) = throughput(&server.url, &entity, clients, 10.0)?;
        println!("| {clients} | {light:.0} | {heavy:.1} | {} |", e1 + e2);
    }
    println!("\nserver peak RSS: {:.0} MB", server.peak_rss_mib());
    drop(server);
    let (http_rate, cli_rate) = ingest_rates(&dir, &ont)?;
    println!("\ningest of 2,000 articles: POST /ingest (batches of 200) {http_rate:.0} articles/s; warta ingest in process {cli_rate:.0} articles/s");
    Ok(())
}
