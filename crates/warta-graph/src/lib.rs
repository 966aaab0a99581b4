//! warta-graph: extractions as RDF in an embedded Oxigraph store.
//!
//! `warta-extract` turns an article into an `Extraction`; this crate writes
//! it as RDF, keeps it on disk, and answers questions about it:
//!
//! ```text
//!  Extraction --rdf--> ArticleQuads --ingest/retract--> store (Oxigraph, RocksDB)
//!                                                         |
//!                 query (SPARQL)  export (Turtle, ...)  link, unlinked
//! ```
//!
//! The store's layout ([`layout`]): every fact once in the default graph
//! (entities, events, their roles and the direct triples), and one named graph
//! per article with what only that article says (its mentions, as spans on
//! per-article readings, and the attestations that tie an event to a sentence).
//! [`retract`] removes an article exactly, keeping what another article still
//! supports; [`readback`] reads an article's graph back into an extraction
//! (for `warta link`); [`verify`] checks the layout's invariants.

pub mod export;
pub mod ingest;
pub mod jsonld;
pub mod layout;
pub mod link;
pub mod query;
pub mod rdf;
pub mod readback;
pub mod retract;
pub mod store;
pub mod unlinked;
pub mod verify;
