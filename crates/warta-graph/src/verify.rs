//! Checks a store against the invariants of its layout (see
//! [`crate::layout`]): each triple in one graph only, every event of the
//! knowledge graph supported by an attestation and every entity by a
//! reading, and every attestation and reading pointing at something the
//! knowledge graph describes. Tests run it after ingests, re-ingests and
//! removals; it reads the whole store.

use crate::layout as l;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, NamedOrBlankNode, Term, Triple};
use oxigraph::store::{StorageError, Store};
use std::collections::{HashMap, HashSet};
use warta_extract::vocab::{IriMinter, ONTOLOGY_IRI};

/// What is wrong with a store, one line per problem (empty when sound).
/// At most `limit` problems of each kind are listed.
pub fn problems(
    store: &Store,
    minter: &IriMinter,
    limit: usize,
) -> Result<Vec<String>, StorageError> {
    let kg = GraphName::DefaultGraph;
    let ontology = GraphName::NamedNode(oxigraph::model::NamedNode::new_unchecked(ONTOLOGY_IRI));
    let mut graphs_of: HashMap<Triple, GraphName> = HashMap::new();
    let mut twice = Vec::new();
    let mut described: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut events: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut entities: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut attested: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut read: HashSet<Term> = HashSet::new();
    let entity_prefix = minter.entity_prefix();
    let event_prefix = format!("{}event/", minter.base());
    let mut marker = false;
    for q in store.iter() {
        let q = q?;
        if q.predicate == l::LAYOUT_VERSION_P {
            marker = true;
        }
        if q.graph_name == kg {
            if q.predicate.as_ref() == rdf::TYPE {
                described.insert(q.subject.clone());
                let iri = q.subject.to_string();
                let iri = iri.trim_start_matches('<');
                if iri.starts_with(&event_prefix) {
                    events.insert(q.subject.clone());
                } else if iri.starts_with(&entity_prefix) {
                    entities.insert(q.subject.clone());
                }
            }
        } else if q.graph_name != ontology {
            if q.predicate == l::ATTESTED_BY {
                attested.insert(q.subject.clone());
            } else if q.predicate == l::READING_OF {
                read.insert(q.object.clone());
            }
        }
        let g = q.graph_name.clone();
        let t = Triple::from(q);
        if let Some(first) = graphs_of.get(&t) {
            if *first != g && twice.len() < limit {
                twice.push(format!("{t} is in {first} and in {g}"));
            }
        } else {
            graphs_of.insert(t, g);
        }
    }
    let mut out = twice;
    if !marker && !graphs_of.is_empty() {
        out.push("no warta:layoutVersion marker".to_string());
    }
    out.extend(
        events
            .iter()
            .filter(|e| !attested.contains(*e))
            .take(limit)
            .map(|e| format!("event {e} has no attestation")),
    );
    out.extend(
        attested
            .iter()
            .filter(|e| !described.contains(*e))
            .take(limit)
            .map(|e| format!("attested event {e} is not described in the knowledge graph")),
    );
    out.extend(
        entities
            .iter()
            .filter(|e| !read.contains(&Term::from((*e).clone())))
            .take(limit)
            .map(|e| format!("entity {e} has no reading")),
    );
    out.extend(
        read.iter()
            .filter(|e| match e {
                Term::NamedNode(n) => !described.contains(&NamedOrBlankNode::NamedNode(n.clone())),
                _ => true,
            })
            .take(limit)
            .map(|e| format!("read entity {e} is not described in the knowledge graph")),
    );
    Ok(out)
}
