//! The `warta` command line: ingest, query, export, stats, extract, eval,
//! explain, parse. A thin layer over the library; errors get their context here.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum, ValueHint};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use warta::export::{export, export_canonical, ExportFormat, ExportOptions};
use warta::extract::Extractor;
use warta::ingest::{ingest, IngestOptions};
use warta::input::{self, InputOptions};
use warta::model::Language;
use warta::ontology::{Ontology, SyntaxModels};
use warta::query::{run_query_in_width, ResultFormat};
use warta::store::KgStore;
use warta::syntax::{render, score};
use warta::vocab::{IriMinter, DEFAULT_BASE, ONTOLOGY_IRI};

mod push;
mod refresh;

/// warta: a knowledge graph of international-politics news.
///
/// Reads Indonesian and English articles, extracts entities (linked to
/// Wikidata) and events (meetings, condemnations, sanctions blocks ...), and
/// stores them as RDF in an embedded Oxigraph store you can query with SPARQL.
#[derive(Parser)]
#[command(
    name = "warta",
    version,
    about,
    long_about,
    after_long_help = "Exit status: 0 when everything was done; 1 when some inputs were skipped (each named on stderr, the rest done); 2 for a usage error or a failure (nothing half-written: the store keeps every earlier article)."
)]
struct Cli {
    /// The store directory (created when missing).
    #[arg(long, global = true, default_value = "warta-store", value_hint = ValueHint::DirPath, env = "WARTA_STORE")]
    store: PathBuf,
    /// Use a throwaway in-memory store instead of the directory.
    #[arg(long, global = true)]
    memory: bool,
    /// Base IRI for minted entity, event and document IRIs.
    #[arg(long, global = true, default_value = DEFAULT_BASE, env = "WARTA_BASE_IRI")]
    base_iri: String,
    /// Load lexicons, gazetteer and ontology from this folder instead of the
    /// copy built into the binary (edit ontology/ and use it without rebuilding).
    #[arg(long, global = true, value_hint = ValueHint::DirPath, env = "WARTA_ONTOLOGY")]
    ontology: Option<PathBuf>,
    /// Links from local entities to Wikidata QIDs to use instead of the
    /// ontology folder's local-links.tsv (repeatable; see `warta link`).
    #[arg(long = "links", global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    links: Vec<PathBuf>,
    /// Never parse: roles come from word order only (about ten times faster
    /// extraction, lower recall; `parse` and `explain`'s trees need syntax).
    /// `WARTA_NO_SYNTAX=1` (or true/yes/on) does the same.
    #[arg(long, global = true, env = "WARTA_NO_SYNTAX", value_parser = clap::builder::BoolishValueParser::new())]
    no_syntax: bool,
    /// Say less: no progress bar, no per-request log (serve), warnings only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Say more: eval's per-article misses and false positives; ingest's
    /// bytes and rate.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Auto,
    Id,
    En,
}

impl LangArg {
    fn forced(self) -> Option<Language> {
        match self {
            LangArg::Auto => None,
            LangArg::Id => Some(Language::Id),
            LangArg::En => Some(Language::En),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Ingest articles: files (.txt, .md, .html), directories (recursive),
    /// JSONL feeds (one article per line) or - for stdin.
    Ingest {
        #[arg(required = true, value_hint = ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
        /// Article language.
        #[arg(long, value_enum, default_value = "auto")]
        language: LangArg,
        /// Publication date (YYYY-MM-DD) for articles that carry none.
        #[arg(long)]
        published: Option<String>,
        /// Decode invalid UTF-8 with replacement characters instead of failing.
        #[arg(long)]
        lossy: bool,
        /// Largest article file accepted, in MiB.
        #[arg(long, default_value_t = 64)]
        max_file_mib: u64,
        /// Send the articles to a running `warta serve --writable` at this
        /// URL (http://127.0.0.1:7878/) instead of opening the store.
        #[arg(long, value_name = "URL")]
        server: Option<String>,
        /// With --server: a file holding the server's bearer token.
        #[arg(long, value_name = "FILE", requires = "server", value_hint = ValueHint::FilePath)]
        token_file: Option<PathBuf>,
        /// Articles extracted at once, on that many threads (default: the
        /// number of cores). One thread writes the store, in input order: the
        /// store is the same for any number.
        #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Only the articles of shard i of n (by document id): n machines
        /// split one corpus with no coordination, and the union of their
        /// stores is the store of one run.
        #[arg(long, value_name = "i/n", value_parser = parse_shard, conflicts_with = "server")]
        shard: Option<input::Shard>,
    },
    /// Serve the store over HTTP: a SPARQL 1.1 endpoint (/sparql), the Graph
    /// Store Protocol (/store), ingest (/ingest, with --writable) and pages
    /// for people (/: the query editor; /search; /entity/Q7747; /doc/SHA).
    ///
    /// Listens on loopback unless --bind says otherwise. Stops cleanly on
    /// Ctrl-C or SIGTERM. While it runs it is the store's only user: other
    /// warta commands are told to go through it.
    Serve {
        /// Address to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: std::net::SocketAddr,
        /// Seconds a query may run before it is cancelled (503).
        #[arg(long, value_name = "SECS", default_value_t = 30)]
        timeout: u64,
        /// Rows (or triples) in one answer at most; 0 for no cap. A cut
        /// answer carries the header Warta-Results-Truncated.
        #[arg(long, default_value_t = 100_000)]
        max_rows: usize,
        /// Largest request body, in bytes.
        #[arg(long, default_value_t = 16 << 20)]
        max_body: u64,
        /// Queries evaluated at once; more wait (up to --timeout).
        #[arg(long, default_value_t = 4)]
        max_queries: usize,
        /// Connections served at once.
        #[arg(long, default_value_t = 64)]
        max_connections: usize,
        /// Allow this origin to call the endpoint from a browser (CORS).
        #[arg(long, value_name = "ORIGIN")]
        cors: Option<String>,
        /// Accept SPARQL Update, Graph Store writes and POST /ingest.
        #[arg(long)]
        writable: bool,
        /// A file holding the bearer token that writes must carry.
        #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
        token_file: Option<PathBuf>,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over all graphs.
    Query {
        /// A file with the query (e.g. queries/meetings.rq).
        #[arg(value_hint = ValueHint::FilePath, required_unless_present = "expr")]
        file: Option<PathBuf>,
        /// The query text itself.
        #[arg(short = 'e', long = "expr", conflicts_with = "file")]
        expr: Option<String>,
        /// Result format (default: table on a terminal, csv otherwise).
        #[arg(long, value_enum)]
        format: Option<QueryFormatArg>,
        /// Print Oxigraph's evaluation plan with row counts and times (JSON)
        /// instead of the results.
        #[arg(long)]
        explain: bool,
    },
    /// Export the graph as RDF.
    Export {
        #[arg(long, value_enum, default_value = "turtle")]
        format: ExportFormatArg,
        /// Only this named graph (a document IRI, or the ontology's).
        #[arg(long)]
        graph: Option<String>,
        /// Leave the ontology graph out.
        #[arg(long)]
        without_ontology: bool,
        /// Write RDFC-1.0 canonical N-Quads (byte-identical for the same graph).
        #[arg(long)]
        canonical: bool,
        /// Output file (default: stdout).
        #[arg(short, long, value_hint = ValueHint::FilePath)]
        output: Option<PathBuf>,
        /// Write N-Quads files for a server's bulk loader into this (empty)
        /// folder instead: warta-0000.nq ..., a million quads each, every
        /// article in its graph and the knowledge layer in the 256 graphs
        /// <base>graph/knowledge/NNN that `warta push` uses (see the README,
        /// "Pushing to a server store").
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath,
              conflicts_with_all = ["graph", "without_ontology", "canonical", "output"])]
        bulk: Option<PathBuf>,
    },
    /// Counts: documents, entities by type, events by relation, triples, size.
    Stats,
    /// Print what the pipeline finds in articles, as JSON Lines, without a store.
    Extract {
        #[arg(required = true, value_hint = ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "auto")]
        language: LangArg,
        #[arg(long)]
        published: Option<String>,
        #[arg(long)]
        lossy: bool,
        /// Articles extracted at once (default: the number of cores); the
        /// lines come out in input order for any number.
        #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Only the articles of shard i of n (by document id).
        #[arg(long, value_name = "i/n", value_parser = parse_shard)]
        shard: Option<input::Shard>,
    },
    /// Score extraction against gold annotations (*.gold.json beside their texts).
    Eval {
        #[arg(value_hint = ValueHint::DirPath)]
        gold_dir: PathBuf,
        /// Machine-readable JSON.
        #[arg(long)]
        json: bool,
    },
    /// Link local entities (names the gazetteer does not know) to Wikidata.
    ///
    /// Without --unlinked: applies the links (the ontology folder's
    /// local-links.tsv, or --links FILE) to the store without re-ingesting:
    /// every local entity IRI in the links becomes its QID entity, with the
    /// entity and event IRIs a fresh ingest with the links would give, and
    /// `owl:sameAs <.../entity/LOCAL_ID>` as a trace. One transaction; running
    /// it twice changes nothing the second time.
    ///
    /// With --unlinked: lists the store's local entities, most frequent first,
    /// as a table, JSON, or TSV ready to fill in as a links file.
    Link {
        /// List the local entities instead of applying links.
        #[arg(long)]
        unlinked: bool,
        /// Output of --unlinked: table, json, or tsv (a links-file template).
        #[arg(long, value_enum, default_value = "table")]
        format: LinkFormatArg,
        /// With --unlinked: only the first N entities.
        #[arg(long)]
        limit: Option<usize>,
        /// With --unlinked: example mentions per entity.
        #[arg(long, default_value_t = 3)]
        examples: usize,
        /// With --unlinked: ask the Wikidata API for candidate QIDs of each
        /// entity's name (suggestions only; nothing is applied).
        #[arg(long, requires = "unlinked")]
        suggest: bool,
        /// The Wikidata API endpoint for --suggest.
        #[arg(long, value_name = "URL", default_value = warta::wikidata::DEFAULT_ENDPOINT)]
        wikidata_api: String,
        /// Seconds to wait for each Wikidata answer.
        #[arg(long, value_name = "SECS", default_value_t = 10.0)]
        timeout: f64,
        /// Directory of the --suggest cache (wikidata-search.json); default:
        /// the store directory.
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        cache: Option<PathBuf>,
        /// Say what applying the links would change, and change nothing.
        #[arg(long, conflicts_with = "unlinked")]
        dry_run: bool,
    },
    /// Remove articles from the store, with every fact only they gave.
    ///
    /// DOC is a document id (the SHA-256 of the text, or its first 8 or more
    /// hex digits), a document IRI, or an article file (its id is computed
    /// the way ingest does). One transaction: all are removed, or none.
    Remove {
        #[arg(required = true, value_name = "DOC")]
        docs: Vec<String>,
    },
    /// Show, sentence by sentence, the dependency tree, mentions, entities,
    /// triggers, rules and events.
    Explain {
        #[arg(value_hint = ValueHint::FilePath)]
        file: PathBuf,
        #[arg(long, value_enum, default_value = "auto")]
        language: LangArg,
        #[arg(long)]
        published: Option<String>,
        /// One JSON object per article (with a `tree` per sentence) instead
        /// of text.
        #[arg(long)]
        json: bool,
    },
    /// Tag and parse articles (UPOS and Universal Dependencies), printing
    /// CoNLL-U with warta's byte offsets (TokenRange=START:END in MISC).
    ///
    /// Takes the same inputs as `extract`: files, directories, JSONL feeds,
    /// or - for stdin. With --eval, the paths are gold CoNLL-U files instead and
    /// the parser is scored on their own tokenisation (UPOS, UAS, LAS).
    Parse {
        #[arg(required = true, value_hint = ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
        /// Language of the articles (of the gold files with --eval: by
        /// default from their UD names, en_*.conllu / id_*.conllu).
        #[arg(long, visible_alias = "lang", value_enum, default_value = "auto")]
        language: LangArg,
        #[arg(long, value_enum, default_value = "conllu")]
        format: ParseFormatArg,
        /// Score against gold CoNLL-U files (the paths) instead of parsing
        /// articles.
        #[arg(long)]
        eval: bool,
        #[arg(long)]
        lossy: bool,
    },
    /// Refresh terms of office (Wikidata P39 with start and end) from a
    /// SPARQL endpoint into a file to review: the format of
    /// ontology/positions.tsv, never that file itself.
    ///
    /// Asks for the offices of ontology/wikidata/offices.tsv with the query
    /// ontology/wikidata/positions.rq, prints a warning for each statement it
    /// cannot use, and compares the result with the ontology's positions.tsv
    /// on stderr. ontology/GAZETTEER.md, "Refreshing from Wikidata", gives the
    /// steps of a merge.
    RefreshPositions(refresh::RefreshArgs),
    /// Push the store to a remote SPARQL 1.1 Graph Store (Virtuoso, Oxigraph
    /// server, Fuseki, warta serve --writable): only the graphs that changed
    /// since the last push to that endpoint.
    ///
    /// Each article's graph is PUT under its own IRI, and the merged knowledge
    /// layer (the local default graph) as 256 graphs <base>graph/knowledge/NNN
    /// split by subject, so queries over the remote's union of graphs answer as
    /// local ones do. Graphs removed locally are deleted remotely. A push log in
    /// the store (push/*.log, one per endpoint) records each accepted graph, so
    /// an interrupted push resumes where it stopped and a repeated one sends
    /// nothing.
    Push(push::PushArgs),
    /// Print a shell completion script: `warta completions bash >
    /// ~/.local/share/bash-completion/completions/warta` (zsh: a file `_warta`
    /// on $fpath; fish: ~/.config/fish/completions/warta.fish).
    Completions {
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the manual page (roff): `warta man > warta.1; man ./warta.1`.
    Man,
}

#[derive(Clone, Copy, ValueEnum)]
enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormatArg {
    /// CoNLL-U (10 columns; byte offsets in MISC).
    Conllu,
    /// One line per word: index, form, UPOS, head index and form, relation.
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
enum QueryFormatArg {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LinkFormatArg {
    Table,
    Tsv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormatArg {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    /// Compact JSON-LD (@context, compact IRIs).
    Jsonld,
    /// Expanded JSON-LD (full IRIs everywhere).
    JsonldExpanded,
    Rdfxml,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (warta query ... | head) is not an error.
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("warta: error: {err:#}");
            if is_disk_full(&err) {
                eprintln!(
                    "warta: the disk is full. What the store held before this run is kept; \
                     free some space and run the same command again (articles already stored \
                     are replaced, never duplicated)."
                );
            }
            ExitCode::from(2)
        }
    }
}

/// Whether a write failed for want of disk space (RocksDB reports it as
/// text inside its own error).
fn is_disk_full(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::StorageFull)
            || c.to_string().contains("No space left on device")
    })
}

/// Writes to stdout, returning the error (`print!` would panic on a closed
/// pipe: `warta stats | head -1`; `main` treats a broken pipe as success).
fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn parse_shard(s: &str) -> Result<input::Shard, String> {
    input::Shard::parse(s)
}

/// The number of cores this process may use (1 when it cannot be told).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn load_ontology(cli: &Cli) -> Result<Ontology> {
    let mut ont = match &cli.ontology {
        Some(dir) => Ontology::from_dir(dir)
            .with_context(|| format!("loading the ontology folder {}", dir.display()))?,
        None => Ontology::embedded().context("loading the built-in ontology")?,
    };
    if !cli.links.is_empty() {
        let mut links = warta::ontology::LocalLinks::default();
        for path in &cli.links {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the links file {}", path.display()))?;
            links.merge(warta::ontology::LocalLinks::parse(
                &text,
                &path.display().to_string(),
            )?)?;
        }
        ont.set_local_links(links);
    }
    if cli.no_syntax {
        ont.syntax = SyntaxModels::off();
    }
    Ok(ont)
}

/// Warns when the store holds links (applied by `warta link`) that the links
/// in use lack: articles ingested now would name those entities differently.
fn warn_missing_links(store: &KgStore, minter: &IriMinter, ont: &Ontology) -> Result<()> {
    let missing = warta::link::missing_links(store, minter, &ont.local_links)?;
    if missing.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = missing
        .iter()
        .take(3)
        .map(|(local, qid, now)| match now {
            Some(other) => format!("{local} -> {qid} (the links say {other})"),
            None => format!("{local} -> {qid}"),
        })
        .collect();
    eprintln!(
        "warta: warning: the store has {} link(s) applied by `warta link` that the links in use lack ({}{}); \
         articles ingested now keep those entities' local IRIs. Use the same links (--ontology DIR with local-links.tsv, or --links FILE).",
        missing.len(),
        shown.join(", "),
        if missing.len() > 3 { ", ..." } else { "" }
    );
    Ok(())
}

fn open_store(cli: &Cli) -> Result<KgStore> {
    if cli.memory {
        return Ok(KgStore::memory()?);
    }
    match KgStore::open(&cli.store) {
        Err(warta::store::StoreError::Locked { path }) => {
            if let Some(server) = warta::serve::marker::served_by(&path) {
                bail!(
                    "the store at {} is served by PID {} at {}; use --server {} (ingest), \
                     or query it over HTTP ({}sparql), or stop the server first",
                    path.display(),
                    server.pid,
                    server.url,
                    server.url,
                    server.url
                );
            }
            Err(warta::store::StoreError::Locked { path }.into())
        }
        other => Ok(other?),
    }
}

/// The secret in a token or password file: its first line, trimmed.
fn read_token(path: &std::path::Path) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the secret file {}", path.display()))?;
    let token = text.lines().next().unwrap_or("").trim().to_owned();
    if token.is_empty() {
        bail!(
            "{}: the secret file is empty (its first line is the secret)",
            path.display()
        );
    }
    Ok(token)
}

fn open_existing_store(cli: &Cli) -> Result<KgStore> {
    if !cli.memory && !cli.store.exists() {
        bail!(
            "no store at {} (run `warta ingest` first, or pass --store)",
            cli.store.display()
        );
    }
    let store = open_store(cli)?;
    store.check_layout()?;
    Ok(store)
}

/// The document ids `warta remove` names: full ids, id prefixes, document
/// IRIs or article files.
fn resolve_documents(
    store: &KgStore,
    minter: &IriMinter,
    docs: &[String],
    opts: &InputOptions,
) -> Result<Vec<String>> {
    let prefix = minter.document_prefix();
    let mut held: Vec<String> = Vec::new();
    for g in store.inner().named_graphs() {
        if let oxigraph::model::NamedOrBlankNode::NamedNode(g) = g? {
            if let Some(id) = g.as_str().strip_prefix(&prefix) {
                held.push(id.to_string());
            }
        }
    }
    let mut out = Vec::new();
    for d in docs {
        let d = d.strip_prefix(&prefix).unwrap_or(d);
        let is_hex = d.len() >= 8 && d.bytes().all(|b| b.is_ascii_hexdigit());
        if is_hex {
            let d = d.to_ascii_lowercase();
            let hits: Vec<&String> = held.iter().filter(|h| h.starts_with(&d)).collect();
            match hits.as_slice() {
                [one] => out.push((*one).clone()),
                [] if d.len() == 64 => out.push(d),
                [] => bail!("{d}: no document in the store has an id starting so"),
                many => bail!(
                    "{d}: {} documents have ids starting so; give more digits",
                    many.len()
                ),
            }
            continue;
        }
        let path = std::path::Path::new(d);
        if !path.exists() {
            bail!("{d}: not a document id, a document IRI or a file");
        }
        for src in input::discover(&[path.to_path_buf()])? {
            let mut failed: Option<String> = None;
            let mut sink = |r: Result<input::Article, input::InputError>| match r {
                Ok(a) => out.push(a.id()),
                Err(e) => failed = Some(e.to_string()),
            };
            input::read_source(&src, opts, &mut sink)?;
            if let Some(e) = failed {
                bail!("{e}");
            }
        }
    }
    Ok(out)
}

fn input_options(published: Option<String>, lossy: bool, max_mib: u64) -> Result<InputOptions> {
    if let Some(p) = &published {
        if warta::time::parse_date(p).is_none() || p.len() != 10 {
            bail!("--published {p}: expected a date as YYYY-MM-DD");
        }
    }
    Ok(InputOptions {
        lossy,
        max_file_bytes: max_mib.saturating_mul(1024 * 1024),
        default_published: published,
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Ingest {
            paths,
            language,
            published,
            lossy,
            max_file_mib,
            server,
            token_file,
            jobs,
            shard,
        } => {
            let opts = IngestOptions {
                language: language.forced(),
                input: input_options(published.clone(), *lossy, *max_file_mib)?,
                jobs: jobs.map_or_else(cores, usize::from),
                shard: *shard,
                ..IngestOptions::default()
            };
            let sources = input::discover(paths)?;
            if let Some(url) = server {
                return ingest_via_server(url, token_file.as_deref(), &sources, &opts);
            }
            let ont = load_ontology(&cli)?;
            let store = open_store(&cli)?;
            let minter = IriMinter::new(&cli.base_iri);
            warn_missing_links(&store, &minter, &ont)?;
            let bar = progress_bar(&cli, &sources);
            let mut progress = |n: usize, bytes: usize| {
                bar.set_position(bytes as u64);
                bar.set_message(format!("{n} articles"));
            };
            let summary = ingest(&store, &ont, &minter, &sources, &opts, &mut progress)
                .with_context(|| match cli.memory {
                    true => "writing the articles into the in-memory store".to_string(),
                    false => format!("writing the articles into {}", cli.store.display()),
                })?;
            bar.finish_and_clear();
            let place = if cli.memory {
                "in memory".to_string()
            } else {
                format!("in {}", cli.store.display())
            };
            if cli.verbose {
                eprintln!(
                    "warta: {:.1} MB of text, {:.0} articles/s, {:.2} MB/s",
                    summary.bytes as f64 / 1e6,
                    summary.documents as f64 / summary.seconds.max(1e-9),
                    summary.bytes as f64 / 1e6 / summary.seconds.max(1e-9)
                );
            }
            report_ingest(&summary, &place)
        }
        Command::Serve {
            bind,
            timeout,
            max_rows,
            max_body,
            max_queries,
            max_connections,
            cors,
            writable,
            token_file,
        } => {
            let token = token_file.as_deref().map(read_token).transpose()?;
            let opts = warta::serve::ServeOptions {
                bind: *bind,
                timeout: std::time::Duration::from_secs((*timeout).max(1)),
                max_rows: *max_rows,
                max_body: *max_body,
                max_queries: *max_queries,
                max_connections: *max_connections,
                cors: cors.clone(),
                writable: *writable,
                token,
                log: !cli.quiet,
            };
            serve_store(&cli, opts)
        }
        Command::Query {
            file,
            expr,
            format,
            explain,
        } => {
            let sparql = match (file, expr) {
                (_, Some(e)) => e.clone(),
                (Some(f), None) if f.as_os_str() == "-" => {
                    let mut s = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                        .context("reading the query from stdin")?;
                    s
                }
                (Some(f), None) => std::fs::read_to_string(f)
                    .with_context(|| format!("reading the query file {}", f.display()))?,
                (None, None) => bail!("give a query file or -e 'SPARQL'"),
            };
            let format = match format {
                Some(QueryFormatArg::Table) => ResultFormat::Table,
                Some(QueryFormatArg::Csv) => ResultFormat::Csv,
                Some(QueryFormatArg::Tsv) => ResultFormat::Tsv,
                Some(QueryFormatArg::Json) => ResultFormat::Json,
                Some(QueryFormatArg::Xml) => ResultFormat::Xml,
                None if std::io::stdout().is_terminal() => ResultFormat::Table,
                None => ResultFormat::Csv,
            };
            let store = open_existing_store(&cli)?;
            if *explain {
                emit(&format!("{}\n", store.explain(&sparql)?))?;
                return Ok(ExitCode::SUCCESS);
            }
            let minter = IriMinter::new(&cli.base_iri);
            let prefixes = minter.prefixes();
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let shown = file
                .as_ref()
                .map_or_else(|| "the query".to_string(), |f| f.display().to_string());
            run_query_in_width(
                store.inner(),
                &sparql,
                format,
                &prefixes,
                terminal_width(),
                &mut out,
            )
            .with_context(|| format!("in {shown}"))?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            graph,
            without_ontology,
            canonical,
            output,
            bulk,
        } => {
            let store = open_existing_store(&cli)?;
            if let Some(dir) = bulk {
                if !matches!(format, ExportFormatArg::Nquads | ExportFormatArg::Turtle) {
                    bail!("--bulk writes N-Quads; leave --format out or give --format nquads");
                }
                let prefix = warta::push::plan::knowledge_prefix(&cli.base_iri);
                let s = warta::push::bulk::write_bulk(
                    &store,
                    dir,
                    &prefix,
                    warta::push::bulk::QUADS_PER_FILE,
                )?;
                let files = if s.files.len() == 1 { "file" } else { "files" };
                eprintln!(
                    "warta: {} quads in {} {files} in {}",
                    s.quads,
                    s.files.len(),
                    dir.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let minter = IriMinter::new(&cli.base_iri);
            let prefixes = minter.prefixes();
            let graph = graph
                .as_ref()
                .map(|g| {
                    oxigraph::model::NamedNode::new(g.clone())
                        .with_context(|| format!("--graph {g} is not a valid IRI"))
                })
                .transpose()?;
            if let Some(g) = &graph {
                if !store.has_graph(g.as_ref())? {
                    bail!("--graph {g}: no such graph in the store");
                }
            }
            let mut sink: Box<dyn Write> = match output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("creating {}", path.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let n = if *canonical {
                export_canonical(store.inner(), graph.as_ref(), &mut sink)?
            } else {
                let format = match format {
                    ExportFormatArg::Turtle => ExportFormat::Turtle,
                    ExportFormatArg::Ntriples => ExportFormat::NTriples,
                    ExportFormatArg::Nquads => ExportFormat::NQuads,
                    ExportFormatArg::Trig => ExportFormat::TriG,
                    ExportFormatArg::Jsonld => ExportFormat::JsonLd,
                    ExportFormatArg::JsonldExpanded => ExportFormat::JsonLdExpanded,
                    ExportFormatArg::Rdfxml => ExportFormat::RdfXml,
                };
                let exclude = without_ontology
                    .then(|| oxigraph::model::NamedNode::new_unchecked(ONTOLOGY_IRI));
                export(
                    store.inner(),
                    &ExportOptions {
                        format,
                        graph: graph.clone(),
                        exclude_graph: exclude,
                        prefixes: &prefixes,
                    },
                    &mut sink,
                )?
            };
            sink.flush()?;
            if let Some(path) = output {
                eprintln!("wrote {n} statements to {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats => {
            let store = open_existing_store(&cli)?;
            let stats = warta::ingest::stats(&store)?;
            emit(&stats.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract {
            paths,
            language,
            published,
            lossy,
            jobs,
            shard,
        } => {
            let ont = load_ontology(&cli)?;
            let opts = input_options(published.clone(), *lossy, 64)?;
            let jobs = jobs.map_or_else(cores, usize::from);
            extract_articles(paths, &opts, &ont, language.forced(), jobs, *shard)
        }
        Command::Eval { gold_dir, json } => {
            let ont = load_ontology(&cli)?;
            let report = warta::eval::evaluate(gold_dir, &ont)?;
            if *json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
            } else {
                // --verbose: per-article misses and false positives with their sentences.
                emit(&report.render(cli.verbose))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Link {
            unlinked,
            format,
            limit,
            examples,
            suggest,
            wikidata_api,
            timeout,
            cache,
            dry_run,
        } => {
            let ont = load_ontology(&cli)?;
            let store = open_existing_store(&cli)?;
            let minter = IriMinter::new(&cli.base_iri);
            if *unlinked {
                let mut list =
                    warta::unlinked::unlinked(&store, &minter, &ont.local_links, *examples)?;
                let total = list.len();
                if let Some(n) = limit {
                    list.truncate(*n);
                }
                if *suggest {
                    suggest_all(&cli, &mut list, wikidata_api, *timeout, cache.as_deref())?;
                }
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                match format {
                    LinkFormatArg::Table => warta::unlinked::write_table(&list, total, &mut out)?,
                    LinkFormatArg::Tsv => warta::unlinked::write_tsv(&list, &mut out)?,
                    LinkFormatArg::Json => warta::unlinked::write_json(&list, &mut out)?,
                }
                out.flush()?;
                return Ok(ExitCode::SUCCESS);
            }
            if *format != LinkFormatArg::Table || *suggest || limit.is_some() {
                bail!("--format, --limit and --suggest go with --unlinked");
            }
            relink(&cli, &store, &minter, &ont, *dry_run)
        }
        Command::Remove { docs } => {
            let ont = load_ontology(&cli)?;
            let store = open_existing_store(&cli)?;
            let minter = IriMinter::new(&cli.base_iri);
            let opts = input_options(None, false, 64)?;
            let ids = resolve_documents(&store, &minter, docs, &opts)?;
            let s = warta::ingest::remove(&store, &ont, &minter, &ids)
                .context("removing; the store is unchanged")?;
            for id in &s.missing {
                eprintln!("warta: not in the store: {id}");
            }
            emit(&format!(
                "removed {} document{}\n",
                s.removed.len(),
                if s.removed.len() == 1 { "" } else { "s" }
            ))?;
            Ok(if s.missing.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Explain {
            file,
            language,
            published,
            json,
        } => {
            let ont = load_ontology(&cli)?;
            let opts = input_options(published.clone(), false, 64)?;
            let mut articles = Vec::new();
            for src in input::discover(std::slice::from_ref(file))? {
                let mut sink = |r: Result<input::Article, input::InputError>| {
                    if let Ok(a) = r {
                        articles.push(a);
                    }
                };
                input::read_source(&src, &opts, &mut sink)?;
            }
            let extractor = Extractor::new(&ont);
            for a in &articles {
                let analysis = extractor.analyse(a, language.forced());
                if *json {
                    let v = warta::explain::json::explain_json(a, &analysis, &ont)?;
                    emit(&format!("{}\n", serde_json::to_string(&v)?))?;
                } else {
                    emit(&warta::explain::explain(a, &analysis, &ont)?)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Push(args) => {
            let store = open_existing_store(&cli)?;
            push::run(args, &store, &cli.base_iri, cli.quiet)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::RefreshPositions(args) => {
            let ont = load_ontology(&cli)?;
            refresh::run(args, &ont, cli.ontology.as_deref(), cli.quiet)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            print_completions(*shell)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut page)
                .context("writing the manual page")?;
            std::io::stdout().lock().write_all(&page)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse {
            paths,
            language,
            format,
            eval,
            lossy,
        } => {
            // Only the models: a parse needs no lexicon or gazetteer.
            let models = match &cli.ontology {
                Some(dir) => SyntaxModels::from_dir(dir),
                None => SyntaxModels::embedded(),
            };
            if *eval {
                return score_parser(paths, language.forced(), &models);
            }
            let format = match format {
                ParseFormatArg::Conllu => render::Format::Conllu,
                ParseFormatArg::Text => render::Format::Text,
            };
            parse_articles(paths, language.forced(), &models, format, *lossy)
        }
    }
}

/// Writes to standard output what `each` makes of every article of `paths`,
/// in order. A file or record that cannot be read is reported and skipped,
/// and makes the exit code 1.
fn write_each_article(
    paths: &[PathBuf],
    opts: &input::InputOptions,
    mut each: impl FnMut(input::Article, &mut dyn Write) -> Result<()>,
) -> Result<ExitCode> {
    write_each_source(paths, opts, |articles, out| {
        articles.into_iter().try_for_each(|a| each(a, out))
    })
}

/// `warta extract`: one JSON line per article, extracted `jobs` at a time
/// and written in input order.
fn extract_articles(
    paths: &[PathBuf],
    opts: &input::InputOptions,
    ont: &Ontology,
    forced: Option<Language>,
    jobs: usize,
    shard: Option<input::Shard>,
) -> Result<ExitCode> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("starting the extraction threads")?;
    let extractor = Extractor::new(ont);
    let line = |a: &input::Article| {
        let x = extractor.extract(a, forced);
        serde_json::to_string(&warta::extract::to_public_json(&x))
    };
    write_each_source(paths, opts, |mut articles, out| {
        if let Some(shard) = shard {
            articles.retain(|a| shard.holds(&a.id()));
        }
        // A round at a time keeps memory flat on a large feed.
        for round in articles.chunks(64 * jobs) {
            let lines: Vec<_> = pool.install(|| round.par_iter().map(line).collect());
            for l in lines {
                writeln!(out, "{}", l?)?;
            }
        }
        Ok(())
    })
}

/// Reads each source and hands its articles to `each`, a batch at a time
/// (a feed of any length is never held whole); inputs that cannot be read
/// are named on stderr and make the exit status 1.
fn write_each_source(
    paths: &[PathBuf],
    opts: &input::InputOptions,
    mut each: impl FnMut(Vec<input::Article>, &mut dyn Write) -> Result<()>,
) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0;
    for src in input::discover(paths)? {
        input::read_source_in_batches(
            &src,
            opts,
            input::BATCH_ARTICLES,
            &mut |e| {
                failed += 1;
                eprintln!("warta: skipped: {e}");
            },
            &mut |articles| each(articles, &mut out),
        )?;
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `warta parse FILE...`: every article's sentences in CoNLL-U or as text.
fn parse_articles(
    paths: &[PathBuf],
    forced: Option<Language>,
    models: &SyntaxModels,
    format: render::Format,
    lossy: bool,
) -> Result<ExitCode> {
    let opts = input_options(None, lossy, 64)?;
    let mut buf = String::new();
    write_each_article(paths, &opts, |a, out| {
        let lang = Extractor::language_of(&a, forced);
        buf.clear();
        render::write_article(&a, lang, models, format, &mut buf)?;
        out.write_all(buf.as_bytes())?;
        Ok(())
    })
}

/// `warta parse --eval GOLD.conllu...`: UPOS, UAS and LAS per file.
fn score_parser(
    paths: &[PathBuf],
    forced: Option<Language>,
    models: &SyntaxModels,
) -> Result<ExitCode> {
    let mut rows = Vec::new();
    for path in paths {
        rows.push(score::score_file(path, forced, models)?);
    }
    emit(&score::table(&rows))?;
    Ok(ExitCode::SUCCESS)
}

/// `warta link`: applies the links to the store and says what changed.
fn relink(
    cli: &Cli,
    store: &KgStore,
    minter: &IriMinter,
    ont: &Ontology,
    dry_run: bool,
) -> Result<ExitCode> {
    let links = &ont.local_links;
    let source = if cli.links.is_empty() {
        match &cli.ontology {
            Some(dir) => dir
                .join(warta::ontology::LOCAL_LINKS_FILE)
                .display()
                .to_string(),
            None => "the built-in ontology/local-links.tsv".to_string(),
        }
    } else {
        cli.links
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if links.is_empty() {
        writeln!(
            out,
            "no links in {source}: list the local entities with `warta link --unlinked`, fill in their QIDs, and pass the file with --links FILE (or --ontology DIR)"
        )?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = warta::link::relink(store, minter, ont, links, dry_run)
        .context("applying the links; the store is unchanged")?;
    for (local, in_store, in_links) in &s.conflicts {
        eprintln!(
            "warta: warning: {local} is already linked to {in_store} in the store, but {source} says {in_links}; `warta link` does not undo links: re-ingest the articles that name it to change it"
        );
    }
    let place = if cli.memory {
        "in memory".to_string()
    } else {
        format!("in {}", cli.store.display())
    };
    let verb = if dry_run { "would relink" } else { "relinked" };
    let dropped = if s.events_dropped > 0 {
        format!(
            ", {} dropped (both sides became one entity)",
            s.events_dropped
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "{verb} {} local entit{} in {} article{}: {} event{} re-minted{dropped}; {} quads removed, {} added {place}",
        s.relinked.len(),
        if s.relinked.len() == 1 { "y" } else { "ies" },
        s.articles,
        if s.articles == 1 { "" } else { "s" },
        s.events_reminted,
        if s.events_reminted == 1 { "" } else { "s" },
        s.quads_removed,
        s.quads_added,
    )?;
    for (local, qid) in &s.relinked {
        writeln!(out, "  {local} -> {qid}")?;
    }
    if !s.already.is_empty() {
        writeln!(out, "already linked in the store: {}", s.already.len())?;
    }
    if !s.unused.is_empty() {
        writeln!(
            out,
            "not in the store: {} ({})",
            s.unused.len(),
            s.unused.join(", ")
        )?;
    }
    if dry_run {
        writeln!(out, "dry run: the store is unchanged")?;
    }
    out.flush()?;
    Ok(if s.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--suggest`: candidate QIDs for every listed entity, from the cache or the
/// Wikidata API; offline, one line says so and the cache still answers.
fn suggest_all(
    cli: &Cli,
    list: &mut [warta::unlinked::Unlinked],
    endpoint: &str,
    timeout: f64,
    cache: Option<&std::path::Path>,
) -> Result<()> {
    let timeout = std::time::Duration::try_from_secs_f64(timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .with_context(|| format!("--timeout {timeout}: expected a number of seconds above 0"))?;
    let cache_file = match cache {
        Some(dir) => Some(dir.join(warta::wikidata::CACHE_FILE)),
        None if cli.memory => None,
        None => Some(cli.store.join(warta::wikidata::CACHE_FILE)),
    };
    let mut suggester = warta::wikidata::Suggester::new(endpoint, timeout, cache_file)?;
    let mut told = false;
    for u in list.iter_mut() {
        let lang = u.label_language.clone().unwrap_or_else(|| "en".to_string());
        let hint = u
            .types
            .first()
            .and_then(|t| warta::model::EntityType::parse(t));
        u.suggestions = suggester.suggest(&u.label, &lang, hint);
        if !told {
            if let Some(msg) = suggester.offline_message() {
                eprintln!("warta: {msg}");
                told = true;
            }
        }
    }
    suggester.save()?;
    Ok(())
}

/// Prints what an ingest did; exit code 1 when some input had problems.
fn report_ingest(summary: &warta::ingest::IngestSummary, place: &str) -> Result<ExitCode> {
    for e in &summary.errors {
        eprintln!("warta: skipped: {e}");
    }
    emit(&format!(
        "{} documents ({} replaced), {} entities, {} events, {} triples written {place}, {:.2} s\n",
        summary.documents,
        summary.replaced,
        summary.entities,
        summary.events,
        summary.triples,
        summary.seconds
    ))?;
    if summary.other_shards > 0 {
        emit(&format!(
            "{} article(s) of other shards passed over\n",
            summary.other_shards
        ))?;
    }
    if !summary.errors.is_empty() {
        eprintln!(
            "warta: {} input(s) had problems; everything else was ingested",
            summary.errors.len()
        );
        return Ok(ExitCode::from(1));
    }
    if summary.documents == 0 && summary.other_shards == 0 {
        bail!("no article was ingested");
    }
    Ok(ExitCode::SUCCESS)
}

/// `warta ingest --server URL`: reads the articles here, sends them there.
fn ingest_via_server(
    url: &str,
    token_file: Option<&std::path::Path>,
    sources: &[input::InputSource],
    opts: &IngestOptions,
) -> Result<ExitCode> {
    let token = token_file.map(read_token).transpose()?;
    let mut articles = Vec::new();
    let mut errors = Vec::new();
    for src in sources {
        let (read, problems) = warta::ingest::read_articles(src, &opts.input);
        articles.extend(read);
        errors.extend(problems);
    }
    if let Some(language) = opts.language {
        for a in &mut articles {
            a.language = Some(language.tag().to_owned());
        }
    }
    let mut summary = warta::serve::client::send(url, token.as_deref(), &articles)?;
    errors.append(&mut summary.errors);
    summary.errors = errors;
    report_ingest(&summary, &format!("at {url}"))
}

/// `warta serve`: opens the store (creating it when missing, with the
/// ontology loaded so the editor's queries have their classes) and serves it.
fn serve_store(cli: &Cli, opts: warta::serve::ServeOptions) -> Result<ExitCode> {
    let ont = load_ontology(cli)?;
    let store = open_store(cli)?;
    let minter = IriMinter::new(&cli.base_iri);
    // The layout is checked by the server as it starts (Service::new).
    if store.is_empty()? {
        warta::ingest::load_ontology(&store, &ont, &minter)?;
    }
    if !opts.bind.ip().is_loopback() {
        eprintln!(
            "warta serve: warning: listening on {}, reachable from other machines{}",
            opts.bind,
            if opts.writable && opts.token.is_none() {
                ", and writable without a token: anyone who reaches it can change the store (add --token-file)"
            } else {
                ""
            }
        );
    }
    let mode = if opts.writable {
        "writable"
    } else {
        "read-only"
    };
    eprintln!(
        "warta serve: {} ({mode}; queries time out after {} s)",
        if cli.memory {
            "an in-memory store".to_string()
        } else {
            cli.store.display().to_string()
        },
        opts.timeout.as_secs()
    );
    warta::serve::serve(store, ont, minter, opts)?;
    Ok(ExitCode::SUCCESS)
}

fn print_completions(shell: ShellArg) -> Result<()> {
    use clap_complete::Shell;
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Elvish => Shell::Elvish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "warta", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(())
}

/// The ingest progress bar: bytes read of the inputs' total, articles,
/// rate and time left. Hidden off a terminal and with --quiet; plain (no
/// colour) so NO_COLOR has nothing to turn off.
fn progress_bar(cli: &Cli, sources: &[input::InputSource]) -> indicatif::ProgressBar {
    if cli.quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let total: u64 = sources
        .iter()
        .filter_map(|s| match s {
            input::InputSource::File(p) | input::InputSource::Jsonl(p) => std::fs::metadata(p).ok(),
            input::InputSource::Stdin => None,
        })
        .map(|m| m.len())
        .sum();
    let bar = indicatif::ProgressBar::new(total.max(1));
    let style = indicatif::ProgressStyle::with_template(
        "{bar:30} {bytes}/{total_bytes} {msg} ({bytes_per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// The terminal's width when stdout is one (tables are cut to fit it).
fn terminal_width() -> Option<usize> {
    let term = console::Term::stdout();
    if !term.is_term() {
        return None;
    }
    term.size_checked().map(|(_, cols)| usize::from(cols))
}
