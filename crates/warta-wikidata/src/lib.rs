//! warta's two conversations with Wikidata, both on demand and never during
//! extraction (which works offline from `ontology/`):
//!
//! - [`suggest`]: candidate items for a name the gazetteer does not know, for
//!   `warta link --unlinked --suggest`, cached on disk.
//! - [`refresh`]: terms of office (P39 with P580/P582) from a SPARQL endpoint,
//!   for `warta refresh-positions`, written in the format of
//!   `ontology/positions.tsv` for a person to review and merge.

pub mod refresh;
pub mod suggest;

pub use suggest::*;

/// Identifies warta to Wikimedia's services, as their User-Agent policy asks.
pub const USER_AGENT: &str = concat!(
    "warta/",
    env!("CARGO_PKG_VERSION"),
    " (knowledge-graph builder for international-politics news; https://w3id.org/warta/) ureq/3"
);
