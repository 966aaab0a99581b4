//! Compact JSON-LD: what schema.org and PROV users expect to read.
//!
//! One `@context` declares the prefixes (warta's, schema, prov, owl, rdfs,
//! skos, wd ...); every IRI that starts with a declared namespace is written
//! as a compact IRI (`warta:agent`, `wd:Q7747`), `rdf:type` becomes `@type`,
//! a property with one value has it bare instead of in an array, and plain
//! strings are bare JSON strings. Each node is one object of `@graph`, in
//! subject order, its properties in IRI order.
//!
//! Nothing is lost: language tags and datatypes stay (`{"@value": "5",
//! "@type": "xsd:integer"}`; numbers are not turned into JSON numbers, whose
//! reading back would change `5.0` to `5`). A JSON-LD processor expanding the
//! document gets the same triples back (`tests` check it with oxigraph's
//! parser). The streaming, fully expanded form is `ExportFormat::JsonLdExpanded`.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value};
use std::io::{self, Write};

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Writes `triples`, sorted by subject, as one compact JSON-LD document.
pub fn write_compact(
    triples: &[Triple],
    prefixes: &[(&str, String)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let compactor = Compactor::new(prefixes);
    let mut graph: Vec<Value> = Vec::new();
    let mut start = 0;
    while start < triples.len() {
        let subject = &triples[start].subject;
        let end = start
            + triples[start..]
                .iter()
                .take_while(|t| &t.subject == subject)
                .count();
        graph.push(compactor.node(subject, &triples[start..end]));
        start = end;
    }
    let document = serde_json::json!({
        "@context": compactor.context(),
        "@graph": graph,
    });
    // From keeps the I/O error kind (a closed pipe stays BrokenPipe).
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

struct Compactor {
    /// (name, namespace), longest namespace first so the most specific wins.
    prefixes: Vec<(String, String)>,
}

impl Compactor {
    fn new(prefixes: &[(&str, String)]) -> Self {
        let mut list: Vec<(String, String)> = prefixes
            .iter()
            // The empty prefix and `_` cannot prefix a compact IRI in JSON-LD.
            .filter(|(name, _)| !name.is_empty() && *name != "_")
            .map(|(name, iri)| ((*name).to_owned(), iri.clone()))
            .collect();
        if !list.iter().any(|(_, iri)| iri == XSD) {
            list.push(("xsd".into(), XSD.into()));
        }
        list.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        Compactor { prefixes: list }
    }

    fn context(&self) -> Value {
        let mut context = Map::new();
        let mut sorted = self.prefixes.clone();
        sorted.sort();
        for (name, iri) in sorted {
            context.insert(name, Value::String(iri));
        }
        Value::Object(context)
    }

    /// The compact form of an IRI, or the IRI itself. A local part that
    /// starts with `//` would read as an absolute IRI, so it stays full.
    fn iri(&self, iri: &str) -> String {
        for (name, namespace) in &self.prefixes {
            if let Some(local) = iri.strip_prefix(namespace.as_str()) {
                if !local.starts_with("//") {
                    return format!("{name}:{local}");
                }
            }
        }
        iri.to_owned()
    }

    fn id(&self, node: &NamedOrBlankNode) -> String {
        match node {
            NamedOrBlankNode::NamedNode(n) => self.iri(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
            #[allow(unreachable_patterns)]
            _ => node.to_string(),
        }
    }

    fn value(&self, term: &Term) -> Value {
        match term {
            Term::NamedNode(n) => serde_json::json!({ "@id": self.iri(n.as_str()) }),
            Term::BlankNode(b) => serde_json::json!({ "@id": format!("_:{}", b.as_str()) }),
            Term::Literal(l) => {
                if let Some(lang) = l.language() {
                    serde_json::json!({ "@value": l.value(), "@language": lang })
                } else if l.datatype() == xsd::STRING {
                    Value::String(l.value().to_owned())
                } else {
                    serde_json::json!({ "@value": l.value(), "@type": self.iri(l.datatype().as_str()) })
                }
            }
            #[allow(unreachable_patterns)]
            other => Value::String(other.to_string()),
        }
    }

    /// One node object: `@id`, `@type`, then each property's values.
    fn node(&self, subject: &NamedOrBlankNode, triples: &[Triple]) -> Value {
        let mut node = Map::new();
        node.insert("@id".into(), Value::String(self.id(subject)));
        let mut types: Vec<Value> = Vec::new();
        let mut properties: Vec<(String, Vec<Value>)> = Vec::new();
        for t in triples {
            if t.predicate == rdf::TYPE {
                if let Term::NamedNode(class) = &t.object {
                    types.push(Value::String(self.iri(class.as_str())));
                    continue;
                }
            }
            let key = self.iri(t.predicate.as_str());
            match properties.last_mut() {
                Some((last, values)) if *last == key => values.push(self.value(&t.object)),
                _ => properties.push((key, vec![self.value(&t.object)])),
            }
        }
        if !types.is_empty() {
            node.insert("@type".into(), one_or_many(types));
        }
        for (key, values) in properties {
            node.insert(key, one_or_many(values));
        }
        Value::Object(node)
    }
}

fn one_or_many(mut values: Vec<Value>) -> Value {
    if values.len() == 1 {
        values.pop().unwrap_or(Value::Null)
    } else {
        Value::Array(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
    use oxigraph::model::{BlankNode, Literal, NamedNode};
    use std::collections::BTreeSet;

    fn node(iri: &str) -> NamedNode {
        NamedNode::new_unchecked(iri)
    }

    fn sample() -> Vec<Triple> {
        let putin = node("https://w3id.org/warta/entity/Q7747");
        let warta = |l: &str| node(&format!("https://w3id.org/warta/ontology#{l}"));
        let mut triples = vec![
            Triple::new(putin.clone(), rdf::TYPE, warta("Person")),
            Triple::new(
                putin.clone(),
                node("http://www.w3.org/2000/01/rdf-schema#label"),
                Literal::new_language_tagged_literal_unchecked("Vladimir Putin", "en"),
            ),
            Triple::new(
                putin.clone(),
                node("http://www.w3.org/2000/01/rdf-schema#label"),
                Literal::new_language_tagged_literal_unchecked("Vladimir Putin", "id"),
            ),
            Triple::new(
                putin.clone(),
                warta("displayLabel"),
                Literal::new_simple_literal("Vladimir Putin"),
            ),
            Triple::new(
                putin.clone(),
                node("http://www.w3.org/2002/07/owl#sameAs"),
                node("http://www.wikidata.org/entity/Q7747"),
            ),
            Triple::new(
                putin.clone(),
                warta("startOffset"),
                Literal::new_typed_literal("5.0", xsd::DECIMAL),
            ),
            Triple::new(BlankNode::new_unchecked("b0"), warta("agent"), putin),
            Triple::new(
                node("http://example.org//odd"),
                warta("rule"),
                Literal::new_simple_literal("x"),
            ),
        ];
        triples.sort_by(|a, b| {
            a.subject
                .to_string()
                .cmp(&b.subject.to_string())
                .then(a.predicate.cmp(&b.predicate))
                .then(a.object.to_string().cmp(&b.object.to_string()))
        });
        triples
    }

    fn prefixes() -> Vec<(&'static str, String)> {
        vec![
            ("warta", "https://w3id.org/warta/ontology#".into()),
            ("ent", "https://w3id.org/warta/entity/".into()),
            ("rdfs", "http://www.w3.org/2000/01/rdf-schema#".into()),
            ("owl", "http://www.w3.org/2002/07/owl#".into()),
            ("wd", "http://www.wikidata.org/entity/".into()),
            ("ex", "http://example.org/".into()),
        ]
    }

    #[test]
    fn keys_and_ids_are_compact_and_types_are_at_type() {
        let mut out = Vec::new();
        write_compact(&sample(), &prefixes(), &mut out).expect("written");
        let doc: Value = serde_json::from_slice(&out).expect("JSON");
        let putin = doc["@graph"]
            .as_array()
            .and_then(|g| g.iter().find(|n| n["@id"] == "ent:Q7747"))
            .expect("Putin's node");
        assert_eq!(putin["@type"], "warta:Person");
        assert_eq!(putin["owl:sameAs"], serde_json::json!({"@id": "wd:Q7747"}));
        assert_eq!(putin["warta:displayLabel"], "Vladimir Putin");
        assert_eq!(putin["rdfs:label"].as_array().map(Vec::len), Some(2));
        assert_eq!(doc["@context"]["wd"], "http://www.wikidata.org/entity/");
    }

    #[test]
    fn a_json_ld_parser_reads_back_the_same_triples() {
        let triples = sample();
        let mut out = Vec::new();
        write_compact(&triples, &prefixes(), &mut out).expect("written");
        let format = RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        };
        let read: BTreeSet<String> = RdfParser::from_format(format)
            .for_slice(&out)
            .map(|q| Triple::from(q.expect("valid JSON-LD")).to_string())
            .collect();
        let want: BTreeSet<String> = triples.iter().map(ToString::to_string).collect();
        // Blank node labels may change: compare the rest exactly.
        let named = |s: &BTreeSet<String>| {
            s.iter()
                .filter(|t| !t.starts_with("_:"))
                .cloned()
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(named(&read), named(&want));
        assert_eq!(read.len(), want.len());
    }
}
