//! Namespaces and the IRIs warta mints. All IRIs are made here, in one place,
//! deterministically, so the same entity or event gets the same IRI in every
//! article and every run.

use sha2::{Digest, Sha256};

/// The ontology namespace (fixed: published terms do not move with the data).
pub const ONT: &str = "https://w3id.org/warta/ontology#";
/// The ontology's own IRI, also the named graph it is loaded into.
pub const ONTOLOGY_IRI: &str = "https://w3id.org/warta/ontology";
/// Default base for minted data IRIs (`--base-iri` changes it).
pub const DEFAULT_BASE: &str = "https://w3id.org/warta/";

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SCHEMA: &str = "https://schema.org/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const WD: &str = "http://www.wikidata.org/entity/";
pub const WDT: &str = "http://www.wikidata.org/prop/direct/";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";

/// Mints data IRIs under one base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IriMinter {
    base: String,
}

impl Default for IriMinter {
    fn default() -> Self {
        IriMinter {
            base: DEFAULT_BASE.to_string(),
        }
    }
}

impl IriMinter {
    /// `base` must end in `/` or `#`; one is added otherwise.
    pub fn new(base: &str) -> IriMinter {
        let mut base = base.to_string();
        if !base.ends_with('/') && !base.ends_with('#') {
            base.push('/');
        }
        IriMinter { base }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Prefixes for readable Turtle, in a fixed order.
    pub fn prefixes(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("warta", ONT.to_string()),
            ("rdf", RDF.to_string()),
            ("rdfs", RDFS.to_string()),
            ("owl", OWL.to_string()),
            ("xsd", XSD.to_string()),
            ("skos", SKOS.to_string()),
            ("schema", SCHEMA.to_string()),
            ("prov", PROV.to_string()),
            ("wd", WD.to_string()),
            ("wdt", WDT.to_string()),
            ("dcterms", DCTERMS.to_string()),
        ];
        for (prefix, path) in [
            ("ent", "entity/"),
            ("ev", "event/"),
            ("doc", "doc/"),
            ("att", "attestation/"),
            ("men", "mention/"),
            ("rd", "reading/"),
            ("weapon", "weapon/"),
        ] {
            p.push((prefix, format!("{}{path}", self.base)));
        }
        p
    }

    /// An entity: `<base>entity/Q7747` when linked, else `<base>entity/<slug>`.
    pub fn entity(&self, id: &str) -> String {
        format!("{}entity/{}", self.base, iri_safe(id))
    }

    pub fn document(&self, doc_id: &str) -> String {
        format!("{}doc/{}", self.base, doc_id)
    }

    pub fn weapon(&self, class: &str) -> String {
        format!("{}weapon/{}", self.base, iri_safe(class))
    }

    pub fn mention(&self, doc_id: &str, start: usize, end: usize) -> String {
        format!("{}mention/{}-{start}-{end}", self.base, short(doc_id))
    }

    /// One article's reading of one event: unique per (article, span,
    /// event), so two events read from the same words keep apart.
    pub fn attestation(&self, doc_id: &str, start: usize, end: usize, event_iri: &str) -> String {
        let event = event_iri.rsplit('/').next().unwrap_or(event_iri);
        format!(
            "{}attestation/{}-{start}-{end}-{}",
            self.base,
            short(doc_id),
            iri_safe(event)
        )
    }

    /// One article's reading of one entity (its type and label there).
    pub fn reading(&self, doc_id: &str, entity_id: &str) -> String {
        format!(
            "{}reading/{}-{}",
            self.base,
            short(doc_id),
            iri_safe(entity_id)
        )
    }

    /// The store itself (the subject of its layout marker).
    pub fn store_node(&self) -> String {
        format!("{}store", self.base)
    }

    /// The prefix of every entity IRI.
    pub fn entity_prefix(&self) -> String {
        format!("{}entity/", self.base)
    }

    /// The prefix of every document IRI (and article graph name).
    pub fn document_prefix(&self) -> String {
        format!("{}doc/", self.base)
    }

    /// An event is identified by what it is, not by where it was read: the same
    /// relation between the same participants with the same polarity, modality
    /// and (resolved) date is one node, whichever articles report it.
    pub fn event(&self, key: &EventKey<'_>) -> String {
        let mut participants = [key.subject, key.object];
        if key.symmetric {
            participants.sort_unstable();
        }
        let mut h = Sha256::new();
        for part in [
            key.relation,
            participants[0],
            participants[1],
            key.polarity,
            key.modality,
            key.date.unwrap_or(""),
            key.position.unwrap_or(""),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        let digest = h.finalize();
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("{}event/{}-{}", self.base, iri_safe(key.relation), hex)
    }
}

/// What identifies an event (see [`IriMinter::event`]).
pub struct EventKey<'a> {
    pub relation: &'a str,
    pub subject: &'a str,
    pub object: &'a str,
    pub symmetric: bool,
    pub polarity: &'a str,
    pub modality: &'a str,
    pub date: Option<&'a str>,
    pub position: Option<&'a str>,
}

fn short(doc_id: &str) -> &str {
    doc_id.get(..16).unwrap_or(doc_id)
}

/// Keeps IRI path segments to unreserved characters, so every minted IRI is
/// valid and readable in Turtle without escapes.
pub fn iri_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_matches('_');
    if trimmed.is_empty() {
        "x".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A slug of a name: lowercase ASCII words joined by `_` ("Sergey Lavrov" ->
/// "sergey_lavrov"), diacritics dropped.
pub fn slug(name: &str) -> String {
    let folded = crate::text::fold(name);
    let mut out = String::new();
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_events_do_not_depend_on_argument_order() {
        let m = IriMinter::default();
        let key = |s, o| EventKey {
            relation: "meets",
            subject: s,
            object: o,
            symmetric: true,
            polarity: "positive",
            modality: "asserted",
            date: None,
            position: None,
        };
        assert_eq!(m.event(&key("Q1", "Q2")), m.event(&key("Q2", "Q1")));
        let mut k = key("Q1", "Q2");
        k.symmetric = false;
        let mut k2 = key("Q2", "Q1");
        k2.symmetric = false;
        assert_ne!(m.event(&k), m.event(&k2));
    }

    #[test]
    fn slugs_and_safe_segments() {
        assert_eq!(slug("Sergey Lavrov"), "sergey_lavrov");
        assert_eq!(
            slug("Kementerian Luar Negeri Korea Utara"),
            "kementerian_luar_negeri_korea_utara"
        );
        assert_eq!(slug("Workers’ Party"), "workers_party");
        assert_eq!(iri_safe("a b/c"), "a_b_c");
        assert_eq!(
            IriMinter::new("http://ex.org/kg").entity("Q1"),
            "http://ex.org/kg/entity/Q1"
        );
    }
}
