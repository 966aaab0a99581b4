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

/// A blocking HTTP client for Wikimedia's services: a whole-request
/// `timeout`, warta's User-Agent, and HTTP error statuses returned as
/// answers (each caller reads the status and the body's detail itself).
pub(crate) fn agent(timeout: std::time::Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .user_agent(USER_AGENT)
        .http_status_as_error(false)
        .build()
        .into()
}
