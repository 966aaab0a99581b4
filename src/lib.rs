//! warta: a knowledge-graph builder for international-politics news.
//!
//! The `warta` command lives in `main.rs`; this library is its facade over
//! the workspace's crates, so the command, the end-to-end tests and the
//! benchmarks name every module as `warta::<module>`:
//!
//! - [`warta_extract`]: an article in, an `Extraction` out (input, text,
//!   mentions, entities, relations; explain and eval). No database.
//! - [`warta_graph`]: RDF, the Oxigraph store, ingest, query, export, link.
//! - [`warta_wikidata`]: candidate Wikidata items from the online API.
//! - [`warta_push`]: the store to a remote Graph Store (`warta push`).
//! - [`warta_serve`]: the store over HTTP (`warta serve`): the SPARQL
//!   endpoint, the graph store, ingest, and the analyst's pages.
//!
//! `ARCHITECTURE.md` at the top of the repository draws the crates and the
//! stages.

pub use warta_extract::*;
pub use warta_graph::*;
pub use warta_push as push;
pub use warta_serve as serve;
pub use warta_wikidata as wikidata;
