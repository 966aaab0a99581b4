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
//!
//! `ARCHITECTURE.md` at the top of the repository draws the crates and the
//! stages.

pub use warta_extract::*;
pub use warta_graph::*;
pub use warta_wikidata as wikidata;
