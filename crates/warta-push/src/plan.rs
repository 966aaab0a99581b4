//! What a push sends: every graph of the store with a digest of its
//! triples, and the graphs whose digest the remote does not hold yet.

use crate::{ntriples_line, read_error, PushError, PushLog};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Triple};
use sha2::{Digest, Sha256};
use warta_graph::store::KgStore;

/// The knowledge layer is split into this many remote graphs, by a hash of
/// the subject. At 100,000 articles a bucket holds about 20,000 triples, so
/// an article's change re-sends a few MB, not the whole layer.
pub const KNOWLEDGE_BUCKETS: u16 = 256;

/// At most this many bytes of bodies are built before they are sent.
pub const MAX_GROUP_BYTES: usize = 64 << 20;

/// Where a remote graph's triples come from in the local store.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A named graph, sent under its own IRI.
    Named(NamedNode),
    /// One bucket of the default graph (the knowledge layer).
    Knowledge(u16),
}

/// One remote graph and what the store holds for it.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphDigest {
    /// The remote graph's IRI.
    pub iri: String,
    pub source: Source,
    /// An order-free digest of the triples: the sum of each N-Triples line's
    /// SHA-256 (its first 128 bits), so equal content gives equal digests
    /// whatever order the store returns it in.
    pub digest: u128,
    pub triples: usize,
    /// The size of the N-Triples body.
    pub bytes: usize,
}

impl GraphDigest {
    fn new(iri: String, source: Source) -> GraphDigest {
        GraphDigest {
            iri,
            source,
            digest: 0,
            triples: 0,
            bytes: 0,
        }
    }

    fn add(&mut self, line: &[u8]) {
        let hash = Sha256::digest(line);
        let mut prefix = [0u8; 16];
        prefix.copy_from_slice(&hash[..16]);
        self.digest = self.digest.wrapping_add(u128::from_be_bytes(prefix));
        self.triples += 1;
        self.bytes += line.len();
    }

    /// The digest as the log writes it: 32 hex digits, then the triple count.
    pub fn tag(&self) -> String {
        format!("{:032x}/{}", self.digest, self.triples)
    }
}

/// The bucket of a knowledge triple: by its subject, so all that is said of
/// one node lands in one remote graph.
pub fn bucket_of(subject: &NamedOrBlankNode) -> u16 {
    let hash = Sha256::digest(subject.to_string().as_bytes());
    u16::from_be_bytes([hash[0], hash[1]]) % KNOWLEDGE_BUCKETS
}

/// The IRI prefix of the knowledge buckets for a store of base IRI `base`
/// (`<base>graph/knowledge/`), for a push and a bulk export alike.
pub fn knowledge_prefix(base: &str) -> String {
    format!("{base}graph/knowledge/")
}

/// The remote IRI of a knowledge bucket.
pub fn bucket_iri(prefix: &str, bucket: u16) -> String {
    format!("{prefix}{bucket:03}")
}

/// Reads the whole store once: a digest per named graph and per knowledge
/// bucket (empty buckets are left out).
pub fn digest_store(
    store: &KgStore,
    knowledge_prefix: &str,
) -> Result<Vec<GraphDigest>, PushError> {
    let mut digests = Vec::new();
    let mut line = Vec::new();
    for graph in store.inner().named_graphs() {
        let graph = match graph.map_err(read_error)? {
            NamedOrBlankNode::NamedNode(node) => node,
            NamedOrBlankNode::BlankNode(node) => {
                return Err(PushError::Read(format!(
                    "the store has a graph named by a blank node ({node}): it has no IRI to send it under"
                )))
            }
        };
        let mut digest = GraphDigest::new(graph.as_str().to_string(), Source::Named(graph.clone()));
        for quad in store
            .inner()
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
        {
            line.clear();
            ntriples_line(&Triple::from(quad.map_err(read_error)?), &mut line);
            digest.add(&line);
        }
        digests.push(digest);
    }
    let mut buckets: Vec<GraphDigest> = (0..KNOWLEDGE_BUCKETS)
        .map(|b| GraphDigest::new(bucket_iri(knowledge_prefix, b), Source::Knowledge(b)))
        .collect();
    for quad in store
        .inner()
        .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
    {
        let triple = Triple::from(quad.map_err(read_error)?);
        check_no_blank_node(&triple)?;
        line.clear();
        ntriples_line(&triple, &mut line);
        buckets[usize::from(bucket_of(&triple.subject))].add(&line);
    }
    digests.extend(buckets.into_iter().filter(|b| b.triples > 0));
    Ok(digests)
}

/// A blank node split across buckets would become several nodes on the
/// remote (each PUT scopes its own); warta's knowledge layer has none.
fn check_no_blank_node(triple: &Triple) -> Result<(), PushError> {
    let blank_subject = matches!(triple.subject, NamedOrBlankNode::BlankNode(_));
    let blank_object = matches!(triple.object, oxigraph::model::Term::BlankNode(_));
    if blank_subject || blank_object {
        return Err(PushError::Read(format!(
            "the default graph holds a blank node ({triple}); warta's knowledge layer never does, \
             so it was written by hand (SPARQL Update or the Graph Store) and cannot be split into buckets"
        )));
    }
    Ok(())
}

/// The graphs to send and to delete.
#[derive(Debug)]
pub struct Plan<'a> {
    pub to_send: Vec<&'a GraphDigest>,
    /// Graphs the remote holds from an earlier push that the store no longer has.
    pub to_delete: Vec<String>,
    pub unchanged: usize,
}

impl<'a> Plan<'a> {
    /// Compares the store's digests with what the log says the remote holds
    /// (`None`: send everything, delete nothing).
    pub fn new(digests: &'a [GraphDigest], log: Option<&PushLog>) -> Plan<'a> {
        let Some(log) = log else {
            return Plan {
                to_send: digests.iter().collect(),
                to_delete: Vec::new(),
                unchanged: 0,
            };
        };
        let mut to_send = Vec::new();
        let mut unchanged = 0;
        for digest in digests {
            if log.holds(&digest.iri, &digest.tag()) {
                unchanged += 1;
            } else {
                to_send.push(digest);
            }
        }
        let local: std::collections::HashSet<&str> =
            digests.iter().map(|d| d.iri.as_str()).collect();
        let to_delete = log
            .remote_graphs()
            .filter(|iri| !local.contains(iri))
            .map(str::to_string)
            .collect();
        Plan {
            to_send,
            to_delete,
            unchanged,
        }
    }
}

/// Consecutive runs of graphs whose bodies together stay under `max` bytes
/// (a graph larger than `max` is a run of its own).
pub fn byte_bounded_groups<'p, 'a>(
    graphs: &'p [&'a GraphDigest],
    max: usize,
) -> Vec<&'p [&'a GraphDigest]> {
    let mut groups = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, graph) in graphs.iter().enumerate() {
        if i > start && bytes + graph.bytes > max {
            groups.push(&graphs[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += graph.bytes;
    }
    if start < graphs.len() {
        groups.push(&graphs[start..]);
    }
    groups
}

/// The N-Triples bodies of a group of graphs, in the group's order: one read
/// per named graph, and one pass over the default graph for all the group's
/// knowledge buckets.
pub fn bodies(store: &KgStore, group: &[&GraphDigest]) -> Result<Vec<Vec<u8>>, PushError> {
    let mut bodies: Vec<Vec<u8>> = group.iter().map(|g| Vec::with_capacity(g.bytes)).collect();
    let mut bucket_slot = vec![None; usize::from(KNOWLEDGE_BUCKETS)];
    for (slot, graph) in group.iter().enumerate() {
        match &graph.source {
            Source::Knowledge(bucket) => bucket_slot[usize::from(*bucket)] = Some(slot),
            Source::Named(node) => {
                for quad in
                    store
                        .inner()
                        .quads_for_pattern(None, None, None, Some(node.as_ref().into()))
                {
                    ntriples_line(&Triple::from(quad.map_err(read_error)?), &mut bodies[slot]);
                }
            }
        }
    }
    if bucket_slot.iter().any(Option::is_some) {
        for quad in
            store
                .inner()
                .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
        {
            let triple = Triple::from(quad.map_err(read_error)?);
            if let Some(slot) = bucket_slot[usize::from(bucket_of(&triple.subject))] {
                ntriples_line(&triple, &mut bodies[slot]);
            }
        }
    }
    Ok(bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(bytes: usize) -> GraphDigest {
        GraphDigest {
            bytes,
            ..GraphDigest::new(String::new(), Source::Knowledge(0))
        }
    }

    #[test]
    fn groups_stay_under_the_byte_bound_and_keep_order() {
        let graphs = [sized(40), sized(40), sized(30), sized(200), sized(10)];
        let refs: Vec<&GraphDigest> = graphs.iter().collect();
        let groups = byte_bounded_groups(&refs, 100);
        let sizes: Vec<Vec<usize>> = groups
            .iter()
            .map(|g| g.iter().map(|d| d.bytes).collect())
            .collect();
        assert_eq!(sizes, vec![vec![40, 40], vec![30], vec![200], vec![10]]);
    }

    #[test]
    fn the_digest_ignores_order_and_sees_every_triple() {
        let mut a = GraphDigest::new(String::new(), Source::Knowledge(0));
        let mut b = a.clone();
        a.add(b"<a> <p> <b> .\n");
        a.add(b"<a> <p> <c> .\n");
        b.add(b"<a> <p> <c> .\n");
        b.add(b"<a> <p> <b> .\n");
        assert_eq!(a.tag(), b.tag());
        b.add(b"<a> <p> <d> .\n");
        assert_ne!(a.tag(), b.tag());
    }
}
