//! Ingestion: articles in, each as its own named graph plus its contribution
//! to the merged knowledge graph (see [`crate::layout`]).
//!
//! An article already in the store is replaced in one transaction (its old
//! graph and the facts only it gave removed, the new ones written), so
//! re-ingesting never duplicates and a failure half-way leaves every earlier
//! article intact. When a run brings many new articles, they stream into one
//! bulk load instead, committed when the run ends (all of them become
//! visible together): a new article only adds facts, so a plain load is
//! exact for it. One load per run, not one per batch, because every further
//! load of overlapping keys lands in RocksDB levels that are not compressed
//! (a store of 20,000 articles loaded in 2,500-article batches took 843 MB,
//! in one load 563 MB).

use crate::rdf::{layout_quad, ArticleQuads, RdfWriter};
use crate::readback::Reader;
use crate::retract::{remove_article, replace_article};
use crate::store::{KgStore, StoreError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::HashSet;
use std::time::Instant;
use warta_extract::extract::Extractor;
use warta_extract::input::{self, Article, InputError, InputOptions, InputSource, Shard};
use warta_extract::model::Language;
use warta_extract::ontology::Ontology;
use warta_extract::vocab::{IriMinter, ONTOLOGY_IRI};

/// Options of one ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub language: Option<Language>,
    pub input: InputOptions,
    /// Use the bulk loader when a run has at least this many articles.
    pub bulk_threshold: usize,
    /// Quads handed to the bulk loader at a time (each hand-over builds one
    /// set of index files on a loader thread).
    pub bulk_chunk: usize,
    /// Threads extracting at once (1: on the calling thread). The store has
    /// one writer whatever the number; articles are written in input order,
    /// so the store is the same for any number of jobs.
    pub jobs: usize,
    /// Only the articles of this shard (`--shard i/n`); the others are
    /// passed over and counted in the summary.
    pub shard: Option<Shard>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            language: None,
            input: InputOptions::default(),
            bulk_threshold: 200,
            bulk_chunk: 500_000,
            jobs: 1,
            shard: None,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct IngestSummary {
    pub documents: usize,
    pub replaced: usize,
    pub entities: usize,
    pub events: usize,
    /// Quads written by this run (article graphs and knowledge contributions;
    /// a fact another article gave already is counted again).
    pub triples: usize,
    pub bytes: usize,
    pub seconds: f64,
    /// Articles passed over because they belong to another shard.
    #[serde(default)]
    pub other_shards: usize,
    /// Problems with single inputs (the rest was ingested).
    pub errors: Vec<String>,
}

/// Loads the ontology into its own named graph (replacing any older copy),
/// and marks the store with its layout.
pub fn load_ontology(
    store: &KgStore,
    ont: &Ontology,
    minter: &IriMinter,
) -> Result<usize, StoreError> {
    let graph = NamedNode::new_unchecked(ONTOLOGY_IRI);
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(GraphName::NamedNode(graph.clone()))
        .for_slice(ont.turtle.as_bytes())
        .filter_map(Result::ok)
        .collect();
    let n = quads.len();
    store.replace_graph(graph.as_ref(), &quads)?;
    store.inner().insert(&layout_quad(minter))?;
    Ok(n)
}

/// Writes articles into the store: new ones through one bulk load,
/// articles the store holds already each replaced in its own transaction.
pub struct ArticleWriter<'a> {
    store: &'a KgStore,
    writer: RdfWriter<'a>,
    reader: Reader<'a>,
    loader: Option<oxigraph::store::BulkLoader<'a>>,
    /// Quads not yet handed to the loader.
    pending: Vec<Quad>,
    /// Graphs of the articles in the load (not visible before commit).
    loading: HashSet<NamedNode>,
    chunk: usize,
}

impl<'a> ArticleWriter<'a> {
    pub fn new(store: &'a KgStore, ont: &'a Ontology, minter: &'a IriMinter, chunk: usize) -> Self {
        ArticleWriter {
            store,
            writer: RdfWriter::new(minter, ont),
            reader: Reader::new(minter, ont),
            loader: None,
            pending: Vec::new(),
            loading: HashSet::new(),
            chunk: chunk.max(1),
        }
    }

    pub fn rdf(&self) -> &RdfWriter<'a> {
        &self.writer
    }

    /// Does the store (or the load under way) hold this article?
    pub fn holds(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self.loading.contains(graph) || self.store.has_graph(graph.as_ref())?)
    }

    /// Replaces (or writes) one article now, in one transaction.
    pub fn replace(&mut self, quads: &ArticleQuads) -> Result<(), StoreError> {
        if self.loading.contains(&quads.graph) {
            self.finish()?;
        }
        let mut tx = self.store.inner().start_transaction()?;
        replace_article(&mut tx, &self.reader, &self.writer, quads)?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a new article to the bulk load.
    pub fn add_new(&mut self, quads: ArticleQuads) -> Result<(), StoreError> {
        self.loading.insert(quads.graph);
        self.pending.extend(quads.article);
        self.pending.extend(quads.knowledge);
        if self.pending.len() >= self.chunk {
            self.hand_over()?;
        }
        Ok(())
    }

    /// Hands the pending quads to the loader (which builds their index files
    /// on a thread of its own while extraction goes on).
    fn hand_over(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let store = self.store;
        let loader = self.loader.get_or_insert_with(|| store.bulk_loader());
        loader.load_quads(std::mem::take(&mut self.pending))?;
        Ok(())
    }

    /// Commits the bulk load: its articles become visible, all at once.
    pub fn finish(&mut self) -> Result<(), StoreError> {
        self.hand_over()?;
        if let Some(loader) = self.loader.take() {
            // The loader records the graph of every quad; each article graph
            // has quads (its document node at least), so the graphs exist.
            loader.commit()?;
        }
        self.loading.clear();
        Ok(())
    }
}

/// Ingests every article of `sources`. `progress` is called after each
/// article with (articles done, bytes done).
pub fn ingest(
    store: &KgStore,
    ont: &Ontology,
    minter: &IriMinter,
    sources: &[InputSource],
    opts: &IngestOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<IngestSummary, StoreError> {
    let mut run = IngestRun::start(store, ont, minter, opts)?;
    for src in sources {
        // A batch at a time: a feed of any length is never held whole.
        let mut errors = Vec::new();
        input::read_source_in_batches(
            src,
            &opts.input,
            input::BATCH_ARTICLES,
            &mut |e| errors.push(e.to_string()),
            &mut |articles| run.write(articles, progress),
        )?;
        run.note_errors(errors);
    }
    run.finish()
}

/// The first 128 bits of a document id (hex SHA-256). Ids are always hex;
/// anything else is folded with FNV-1a so it still gets bits of its own.
fn id_bits(id: &str) -> u128 {
    id.get(..32)
        .and_then(|head| u128::from_str_radix(head, 16).ok())
        .unwrap_or_else(|| {
            id.bytes()
                .fold(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d, |h, b| {
                    (h ^ u128::from(b)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b)
                })
        })
}

/// Reads one source into its articles and the problems of single inputs
/// (each message names its file, and line for JSONL).
pub fn read_articles(src: &InputSource, opts: &InputOptions) -> (Vec<Article>, Vec<String>) {
    let mut articles: Vec<Article> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut sink = |r: Result<Article, InputError>| match r {
        Ok(a) => articles.push(a),
        Err(e) => errors.push(e.to_string()),
    };
    if let Err(e) = input::read_source(src, opts, &mut sink) {
        errors.push(e.to_string());
    }
    (articles, errors)
}

/// One ingest run: articles go in batch by batch (a CLI run's sources, or the
/// bodies `warta serve` receives), each written in its own transaction until
/// the run is large enough for the bulk loader; [`IngestRun::finish`]
/// commits the load and gives the summary.
pub struct IngestRun<'a> {
    extractor: Extractor<'a>,
    out: ArticleWriter<'a>,
    language: Option<Language>,
    bulk_threshold: usize,
    /// Extraction threads; `None` for a one-job run.
    pool: Option<rayon::ThreadPool>,
    shard: Option<Shard>,
    summary: IngestSummary,
    /// The first 128 bits of each written article's id: 16 bytes an article,
    /// so a run of millions keeps its memory small.
    seen: HashSet<u128>,
    bulk: bool,
    count: usize,
    started: Instant,
}

/// An article made ready for the store: its extraction's counts and quads.
struct Prepared {
    quads: ArticleQuads,
    entities: usize,
    events: usize,
    bytes: usize,
}

/// Articles extracted together before their writes: enough to keep every
/// thread busy, few enough that their quads stay small in memory.
const ARTICLES_PER_JOB_ROUND: usize = 16;

impl<'a> IngestRun<'a> {
    /// Checks the store's layout and (re)loads the ontology graph.
    pub fn start(
        store: &'a KgStore,
        ont: &'a Ontology,
        minter: &'a IriMinter,
        opts: &IngestOptions,
    ) -> Result<Self, StoreError> {
        let started = Instant::now();
        store.check_layout()?;
        load_ontology(store, ont, minter)?;
        let pool = match opts.jobs {
            0 | 1 => None,
            n => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("warta-extract-{i}"))
                .build()
                .ok(),
        };
        Ok(IngestRun {
            extractor: Extractor::new(ont),
            out: ArticleWriter::new(store, ont, minter, opts.bulk_chunk),
            language: opts.language,
            bulk_threshold: opts.bulk_threshold,
            pool,
            shard: opts.shard,
            summary: IngestSummary::default(),
            seen: HashSet::new(),
            bulk: false,
            count: 0,
            started,
        })
    }

    /// Records problems with single inputs (the summary lists them).
    pub fn note_errors(&mut self, errors: impl IntoIterator<Item = String>) {
        self.summary.errors.extend(errors);
    }

    /// Extracts and writes a batch of articles: extraction on the run's
    /// threads, a round of articles at a time, then the writes in input
    /// order on this thread.
    pub fn write(
        &mut self,
        articles: Vec<Article>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(), StoreError> {
        // Each article's id (a hash of its text) is computed once: it picks
        // the shard, and the same text twice in one run is written once.
        let mut held = Vec::with_capacity(articles.len());
        for a in articles {
            let id = a.id();
            if self.shard.is_some_and(|s| !s.holds(&id)) {
                self.summary.other_shards += 1;
            } else {
                held.push((id, a));
            }
        }
        if !self.bulk && (self.count + held.len() >= self.bulk_threshold) {
            self.bulk = true;
        }
        self.count += held.len();
        let fresh: Vec<Article> = held
            .into_iter()
            .filter_map(|(id, a)| self.seen.insert(id_bits(&id)).then_some(a))
            .collect();
        let jobs = self.pool.as_ref().map_or(1, |p| p.current_num_threads());
        for round in fresh.chunks(ARTICLES_PER_JOB_ROUND * jobs) {
            for prepared in self.prepare(round) {
                self.write_one(prepared)?;
                progress(self.summary.documents, self.summary.bytes);
            }
        }
        Ok(())
    }

    /// Extraction and RDF of each article, in order.
    fn prepare(&self, articles: &[Article]) -> Vec<Prepared> {
        // Only what extraction reads is shared with the threads (the
        // writer's bulk loader stays on this one).
        let (extractor, rdf, language) = (&self.extractor, self.out.rdf(), self.language);
        let one = |article: &Article| {
            let x = extractor.extract(article, language);
            Prepared {
                quads: rdf.quads(&x, &article.text),
                entities: x.entities.len(),
                events: x.relations.len(),
                bytes: article.text.len(),
            }
        };
        match &self.pool {
            Some(pool) => {
                use rayon::prelude::*;
                pool.install(|| articles.par_iter().map(one).collect())
            }
            None => articles.iter().map(one).collect(),
        }
    }

    fn write_one(&mut self, p: Prepared) -> Result<(), StoreError> {
        let summary = &mut self.summary;
        summary.triples += p.quads.article.len() + p.quads.knowledge.len();
        summary.documents += 1;
        summary.entities += p.entities;
        summary.events += p.events;
        summary.bytes += p.bytes;
        let exists = self.out.holds(&p.quads.graph)?;
        if exists {
            summary.replaced += 1;
        }
        if self.bulk && !exists {
            self.out.add_new(p.quads)
        } else {
            self.out.replace(&p.quads)
        }
    }

    /// Commits what is pending and returns the run's summary.
    pub fn finish(mut self) -> Result<IngestSummary, StoreError> {
        self.out.finish()?;
        self.summary.seconds = self.started.elapsed().as_secs_f64();
        Ok(self.summary)
    }
}

/// What `warta remove` did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RemoveSummary {
    pub removed: Vec<String>,
    pub missing: Vec<String>,
}

/// Removes articles (by document id) and every fact only they gave, in one
/// transaction: on error nothing is removed.
pub fn remove(
    store: &KgStore,
    ont: &Ontology,
    minter: &IriMinter,
    doc_ids: &[String],
) -> Result<RemoveSummary, StoreError> {
    store.check_layout()?;
    let writer = RdfWriter::new(minter, ont);
    let reader = Reader::new(minter, ont);
    let mut summary = RemoveSummary::default();
    let mut tx = store.inner().start_transaction()?;
    for id in doc_ids {
        let graph = crate::rdf::document_graph(minter, id);
        if remove_article(&mut tx, &reader, &writer, &graph)? {
            summary.removed.push(id.clone());
        } else {
            summary.missing.push(id.clone());
        }
    }
    tx.commit()?;
    Ok(summary)
}

/// Counts for `warta stats`, as text.
pub fn stats(store: &KgStore) -> Result<String, StoreError> {
    use oxigraph::sparql::QueryResults;
    use std::fmt::Write;
    let rows = |q: &str| -> Result<Vec<Vec<String>>, StoreError> {
        let mut out = Vec::new();
        if let QueryResults::Solutions(sols) = store.query(q)? {
            for s in sols {
                let s = s.map_err(|e| StoreError::QueryEvaluation(e.to_string()))?;
                out.push(
                    s.values()
                        .iter()
                        .map(|v| v.as_ref().map_or(String::new(), term_text))
                        .collect(),
                );
            }
        }
        Ok(out)
    };
    let mut s = String::new();
    let docs =
        rows("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://schema.org/NewsArticle> }")?;
    let _ = writeln!(
        s,
        "documents     {}",
        docs.first()
            .and_then(|r| r.first())
            .map_or("0", String::as_str)
    );
    let _ = writeln!(s, "entities by type");
    for r in rows(&format!(
        "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ?t . FILTER(STRSTARTS(STR(?t), \"{ns}\")) ?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{ns}Entity> . BIND(STRAFTER(STR(?t), \"#\") AS ?type) }} GROUP BY ?type ORDER BY DESC(?n)",
        ns = warta_extract::vocab::ONT
    ))? {
        let _ = writeln!(s, "  {:<20} {}", r.first().map_or("", String::as_str), r.get(1).map_or("", String::as_str));
    }
    let _ = writeln!(s, "events by relation");
    for r in rows(&format!(
        "SELECT ?relation (COUNT(DISTINCT ?ev) AS ?n) WHERE {{ ?ev a ?c . ?c <{ns}relationName> ?relation }} GROUP BY ?relation ORDER BY DESC(?n)",
        ns = warta_extract::vocab::ONT
    ))? {
        let _ = writeln!(s, "  {:<24} {}", r.first().map_or("", String::as_str), r.get(1).map_or("", String::as_str));
    }
    let _ = writeln!(s, "triples       {}", store.len()?);
    if store.path().is_some() {
        let _ = writeln!(s, "store size    {:.1} MB", store.disk_size() as f64 / 1e6);
    }
    Ok(s)
}

fn term_text(t: &oxigraph::model::Term) -> String {
    match t {
        oxigraph::model::Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}
