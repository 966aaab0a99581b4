//! Ingestion: articles in, one named graph per article in the store.
//!
//! Each article is extracted, mapped to quads and written in its own
//! transaction (graph cleared, then filled), so re-ingesting replaces and a
//! bad file or a crash leaves every earlier article intact. When a run brings
//! many new articles, they go through the bulk loader in batches instead,
//! each batch atomic; articles already in the store always take the
//! transactional path so they are replaced, never duplicated.

use crate::extract::Extractor;
use crate::input::{self, Article, InputError, InputOptions, InputSource};
use crate::model::Language;
use crate::ontology::Ontology;
use crate::rdf::{document_graph, RdfWriter};
use crate::store::{KgStore, StoreError};
use crate::vocab::{IriMinter, ONTOLOGY_IRI};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::HashSet;
use std::time::Instant;

/// Options of one ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub language: Option<Language>,
    pub input: InputOptions,
    /// Use the bulk loader when a run has at least this many articles.
    pub bulk_threshold: usize,
    /// Articles per bulk batch.
    pub bulk_batch: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            language: None,
            input: InputOptions::default(),
            bulk_threshold: 200,
            bulk_batch: 2500,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IngestSummary {
    pub documents: usize,
    pub replaced: usize,
    pub entities: usize,
    pub events: usize,
    /// Quads written by this run.
    pub triples: usize,
    pub bytes: usize,
    pub seconds: f64,
    /// Problems with single inputs (the rest was ingested).
    pub errors: Vec<String>,
}

/// Loads the ontology into its own named graph (replacing any older copy).
pub fn load_ontology(store: &KgStore, ont: &Ontology) -> Result<usize, StoreError> {
    let graph = NamedNode::new_unchecked(ONTOLOGY_IRI);
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .with_default_graph(GraphName::NamedNode(graph.clone()))
        .for_slice(ont.turtle.as_bytes())
        .filter_map(Result::ok)
        .collect();
    let n = quads.len();
    store.replace_graph(graph.as_ref(), &quads)?;
    Ok(n)
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
    let started = Instant::now();
    load_ontology(store, ont)?;
    let extractor = Extractor::new(ont);
    let writer = RdfWriter::new(minter, &ont.catalogue);
    let mut summary = IngestSummary::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut pending: Vec<(NamedNode, Vec<Quad>)> = Vec::new();
    let mut bulk = false;
    let mut count = 0usize;
    for src in sources {
        let mut articles: Vec<Article> = Vec::new();
        let mut errors: Vec<InputError> = Vec::new();
        let mut sink = |r: Result<Article, InputError>| match r {
            Ok(a) => articles.push(a),
            Err(e) => errors.push(e),
        };
        if let Err(e) = input::read_source(src, &opts.input, &mut sink) {
            summary.errors.push(e.to_string());
        }
        summary
            .errors
            .extend(errors.iter().map(ToString::to_string));
        if !bulk && (count + articles.len() >= opts.bulk_threshold) {
            bulk = true;
        }
        for article in articles {
            count += 1;
            let id = article.id();
            if !seen.insert(id.clone()) {
                continue; // the same text twice in one run
            }
            let x = extractor.extract(&article, opts.language);
            let quads = writer.quads(&x);
            summary.triples += quads.len();
            summary.documents += 1;
            summary.entities += x.entities.len();
            summary.events += x.relations.len();
            summary.bytes += article.text.len();
            let graph = document_graph(minter, &id);
            let exists = store.has_graph(graph.as_ref())?;
            if exists {
                summary.replaced += 1;
            }
            if bulk && !exists {
                pending.push((graph, quads));
                if pending.len() >= opts.bulk_batch {
                    flush(store, &mut pending)?;
                }
            } else {
                store.replace_graph(graph.as_ref(), &quads)?;
            }
            progress(summary.documents, summary.bytes);
        }
    }
    flush(store, &mut pending)?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn flush(store: &KgStore, pending: &mut Vec<(NamedNode, Vec<Quad>)>) -> Result<(), StoreError> {
    if pending.is_empty() {
        return Ok(());
    }
    let quads: Vec<Quad> = pending.drain(..).flat_map(|(_, q)| q).collect();
    store.bulk_insert_new(quads)
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
        ns = crate::vocab::ONT
    ))? {
        let _ = writeln!(s, "  {:<20} {}", r.first().map_or("", String::as_str), r.get(1).map_or("", String::as_str));
    }
    let _ = writeln!(s, "events by relation");
    for r in rows(&format!(
        "SELECT ?relation (COUNT(DISTINCT ?ev) AS ?n) WHERE {{ ?ev a ?c . ?c <{ns}relationName> ?relation }} GROUP BY ?relation ORDER BY DESC(?n)",
        ns = crate::vocab::ONT
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
