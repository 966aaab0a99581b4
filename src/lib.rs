//! warta: a knowledge-graph builder for international-politics news.
//!
//! warta reads Indonesian and English articles and turns the facts in them
//! into RDF in an embedded Oxigraph store. The pipeline, one module per
//! stage, data flowing one way:
//!
//! ```text
//! input      article files, directories, JSONL feeds, stdin  -> Article
//! text       sentences/titles/boilerplate, tokens with byte spans
//! mentions   gazetteer names, titled persons, capitalised names, descriptions
//! entities   linking to Wikidata QIDs, coreference within the article
//! relations  events from trigger lexicons and clause structure
//! extract    the pipeline above, per article -> Extraction
//! nearmiss   for `warta explain`: the rules that almost fired where none did
//! rdf        Extraction -> quads in the article's named graph
//! store      Oxigraph on disk; one transaction per article
//! query      SPARQL with results as table/CSV/TSV/JSON/XML
//! export     Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML, RDFC-1.0
//! eval       precision/recall/F1 against gold annotations
//! link       user links of local entities to QIDs, at extraction and in a store
//! unlinked   the local entities of a store (`warta link --unlinked`)
//! wikidata   candidate QIDs from the Wikidata API, cached (`--suggest`)
//! ```
//!
//! Lexicons, titles, descriptions and the gazetteer are data under
//! `ontology/` (see [`ontology`]); the relation catalogue lives in the OWL
//! ontology itself, so extractor and data model share one definition.

pub mod entities;
pub mod eval;
pub mod explain;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod input;
pub mod layout;
pub mod link;
pub mod mentions;
pub mod model;
pub mod ontology;
pub mod query;
pub mod rdf;
pub mod readback;
pub mod relations;
pub mod retract;
pub mod store;
pub mod text;
pub use relations::time;
pub mod unlinked;
pub mod verify;
pub mod vocab;
pub mod wikidata;

pub use explain::nearmiss;
