//! Maps an [`Extraction`] to RDF quads, all in the article's own named graph.
//!
//! Per article the graph holds: the `schema:NewsArticle` node; every entity
//! (type, language-tagged labels, `skos:altLabel` for each surface form seen,
//! `owl:sameAs wd:Q…` when linked); every mention (entity, offsets); every
//! event (an n-ary node typed by its catalogue class, with roles, time, place,
//! polarity, modality, confidence, CAMEO/PLOVER codes) and one attestation per
//! reading of it (sentence, offsets, rule) derived from the article; and, for
//! positive asserted events, the direct triple (`X warta:condemns Y`) so that
//! simple questions stay simple SPARQL. Symmetric relations get the direct
//! triple both ways, because SPARQL does no OWL reasoning.

use crate::model::{Extraction, Modality, Polarity};
use crate::ontology::Catalogue;
use crate::vocab::{self, EventKey, IriMinter, ONT};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::HashSet;

/// The named graph of a document (the document IRI itself).
pub fn document_graph(minter: &IriMinter, doc_id: &str) -> NamedNode {
    NamedNode::new_unchecked(minter.document(doc_id))
}

/// Builds the quads of one article.
pub struct RdfWriter<'a> {
    minter: &'a IriMinter,
    catalogue: &'a Catalogue,
}

struct Sink {
    graph: GraphName,
    quads: Vec<Quad>,
    seen: HashSet<Quad>,
}

impl Sink {
    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) {
        let q = Quad::new(s, p, o, self.graph.clone());
        if self.seen.insert(q.clone()) {
            self.quads.push(q);
        }
    }
}

fn ont(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ONT}{local}"))
}

fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

fn lang_literal(value: &str, lang: &str) -> Literal {
    Literal::new_language_tagged_literal(value, lang)
        .unwrap_or_else(|_| Literal::new_simple_literal(value))
}

fn date_literal(value: &str) -> Literal {
    // Only full dates are xsd:date; "2024-01" is a gYearMonth.
    let datatype = match value.len() {
        10 => xsd::DATE,
        7 => xsd::G_YEAR_MONTH,
        4 => xsd::G_YEAR,
        _ => xsd::STRING,
    };
    Literal::new_typed_literal(value, datatype)
}

fn int_literal(v: usize) -> Literal {
    Literal::new_typed_literal(v.to_string(), xsd::INTEGER)
}

impl<'a> RdfWriter<'a> {
    pub fn new(minter: &'a IriMinter, catalogue: &'a Catalogue) -> Self {
        RdfWriter { minter, catalogue }
    }

    pub fn quads(&self, x: &Extraction) -> Vec<Quad> {
        let doc = &x.document;
        let graph = document_graph(self.minter, &doc.id);
        let mut sink = Sink {
            graph: GraphName::NamedNode(graph.clone()),
            quads: Vec::new(),
            seen: HashSet::new(),
        };
        let lang = doc.language.tag();
        let doc_node = graph.clone();

        // The document.
        sink.add(
            doc_node.clone(),
            rdf::TYPE.into_owned(),
            iri(vocab::SCHEMA, "NewsArticle"),
        );
        if let Some(title) = &doc.title {
            sink.add(
                doc_node.clone(),
                iri(vocab::SCHEMA, "headline"),
                lang_literal(title, lang),
            );
        }
        if let Some(date) = &doc.published {
            sink.add(
                doc_node.clone(),
                iri(vocab::SCHEMA, "datePublished"),
                date_literal(date),
            );
        }
        if let Some(publisher) = &doc.publisher {
            sink.add(
                doc_node.clone(),
                iri(vocab::SCHEMA, "publisher"),
                Literal::new_simple_literal(publisher),
            );
        }
        if let Some(url) = &doc.url {
            if let Ok(u) = NamedNode::new(url) {
                sink.add(doc_node.clone(), iri(vocab::SCHEMA, "url"), u);
            }
        }
        sink.add(
            doc_node.clone(),
            iri(vocab::SCHEMA, "inLanguage"),
            Literal::new_simple_literal(lang),
        );
        sink.add(
            doc_node.clone(),
            ont("sha256"),
            Literal::new_simple_literal(&doc.id),
        );
        sink.add(
            doc_node.clone(),
            ont("sourceFile"),
            Literal::new_simple_literal(&doc.source),
        );

        // Entities and their mentions.
        for e in &x.entities {
            let node = NamedNode::new_unchecked(self.minter.entity(&e.id));
            sink.add(
                node.clone(),
                rdf::TYPE.into_owned(),
                ont(e.entity_type.name()),
            );
            if e.labels.is_empty() {
                sink.add(
                    node.clone(),
                    rdfs::LABEL.into_owned(),
                    lang_literal(&e.label, lang),
                );
            }
            for (l, label) in &e.labels {
                sink.add(
                    node.clone(),
                    rdfs::LABEL.into_owned(),
                    lang_literal(label, l),
                );
            }
            if let Some(qid) = &e.qid {
                sink.add(node.clone(), iri(vocab::OWL, "sameAs"), iri(vocab::WD, qid));
            }
            // Linked by local-links.tsv: the IRI it had before, as a trace.
            for local in &e.local_ids {
                let old = NamedNode::new_unchecked(self.minter.entity(local));
                sink.add(node.clone(), iri(vocab::OWL, "sameAs"), old);
            }
            for m in &e.mentions {
                if m.kind == crate::model::MentionKind::Name && m.text != e.label {
                    sink.add(
                        node.clone(),
                        iri(vocab::SKOS, "altLabel"),
                        lang_literal(&m.text, lang),
                    );
                }
                let mn = NamedNode::new_unchecked(self.minter.mention(&doc.id, m.start, m.end));
                sink.add(mn.clone(), rdf::TYPE.into_owned(), ont("Mention"));
                sink.add(mn.clone(), ont("mentionOf"), node.clone());
                sink.add(mn.clone(), ont("inDocument"), doc_node.clone());
                sink.add(
                    mn.clone(),
                    ont("mentionText"),
                    Literal::new_simple_literal(&m.text),
                );
                sink.add(mn.clone(), ont("startOffset"), int_literal(m.start));
                sink.add(mn, ont("endOffset"), int_literal(m.end));
            }
        }

        // Events.
        for r in &x.relations {
            let Some(def) = self.catalogue.get(&r.relation) else {
                continue; // unreachable: lexicons are checked against the catalogue on load
            };
            let subject = NamedNode::new_unchecked(self.minter.entity(&r.subject));
            let object = if r.relation == "testsWeapon" {
                let w = NamedNode::new_unchecked(self.minter.weapon(&r.object));
                sink.add(w.clone(), rdf::TYPE.into_owned(), ont("Weapon"));
                sink.add(
                    w.clone(),
                    rdfs::LABEL.into_owned(),
                    lang_literal(&r.object, "en"),
                );
                w
            } else {
                NamedNode::new_unchecked(self.minter.entity(&r.object))
            };
            let time_key = r.time.as_deref().map(crate::text::fold);
            let event = NamedNode::new_unchecked(self.minter.event(&EventKey {
                relation: &r.relation,
                subject: &r.subject,
                object: &r.object,
                symmetric: def.symmetric,
                polarity: r.polarity.name(),
                modality: r.modality.name(),
                // The resolved date; failing that the time as written, so two
                // undated readings merge but "September" and "June 2024" do not.
                date: r.date.as_deref().or(time_key.as_deref()),
                position: r.position.as_deref(),
            }));
            sink.add(event.clone(), rdf::TYPE.into_owned(), def.class.clone());
            sink.add(
                event.clone(),
                rdfs::LABEL.into_owned(),
                Literal::new_simple_literal(format!(
                    "{} {} {}",
                    label_of(x, &r.subject),
                    r.relation,
                    label_of(x, &r.object)
                )),
            );
            sink.add(event.clone(), ont("agent"), subject.clone());
            if r.relation == "testsWeapon" {
                sink.add(event.clone(), ont("weapon"), object.clone());
            } else {
                sink.add(event.clone(), ont("target"), object.clone());
            }
            if def.symmetric {
                sink.add(event.clone(), ont("participant"), subject.clone());
                sink.add(event.clone(), ont("participant"), object.clone());
            }
            sink.add(
                event.clone(),
                ont("polarity"),
                Literal::new_simple_literal(r.polarity.name()),
            );
            sink.add(
                event.clone(),
                ont("modality"),
                Literal::new_simple_literal(r.modality.name()),
            );
            for code in &def.cameo {
                sink.add(
                    event.clone(),
                    ont("cameoCode"),
                    Literal::new_simple_literal(code),
                );
            }
            if let Some(p) = &def.plover {
                sink.add(
                    event.clone(),
                    ont("ploverCategory"),
                    Literal::new_simple_literal(p),
                );
            }
            if let Some(pos) = &r.position {
                sink.add(
                    event.clone(),
                    ont("position"),
                    Literal::new_simple_literal(pos),
                );
            }
            if let Some(t) = &r.time {
                sink.add(event.clone(), ont("timeText"), lang_literal(t, lang));
            }
            if let Some(d) = &r.date {
                sink.add(event.clone(), ont("date"), date_literal(d));
            }
            if let Some(loc) = &r.location {
                sink.add(
                    event.clone(),
                    ont("location"),
                    NamedNode::new_unchecked(self.minter.entity(loc)),
                );
            }
            if let Some(by) = &r.attributed_to {
                sink.add(
                    event.clone(),
                    ont("attributedTo"),
                    NamedNode::new_unchecked(self.minter.entity(by)),
                );
            }
            sink.add(
                event.clone(),
                iri(vocab::PROV, "wasDerivedFrom"),
                doc_node.clone(),
            );

            // This article's reading of the event.
            let att = NamedNode::new_unchecked(self.minter.attestation(
                &doc.id,
                r.start,
                r.end,
                &r.relation,
            ));
            sink.add(event.clone(), ont("attestedBy"), att.clone());
            sink.add(att.clone(), rdf::TYPE.into_owned(), ont("Attestation"));
            sink.add(
                att.clone(),
                iri(vocab::PROV, "wasDerivedFrom"),
                doc_node.clone(),
            );
            sink.add(att.clone(), ont("inDocument"), doc_node.clone());
            sink.add(
                att.clone(),
                ont("sentenceText"),
                lang_literal(&r.sentence, lang),
            );
            sink.add(
                att.clone(),
                ont("evidenceText"),
                lang_literal(&r.evidence, lang),
            );
            sink.add(att.clone(), ont("startOffset"), int_literal(r.start));
            sink.add(att.clone(), ont("endOffset"), int_literal(r.end));
            sink.add(
                att.clone(),
                ont("rule"),
                Literal::new_simple_literal(&r.rule),
            );
            sink.add(att.clone(), ont("trigger"), lang_literal(&r.trigger, lang));
            sink.add(
                att,
                ont("confidence"),
                Literal::new_typed_literal(format!("{:.2}", r.confidence), xsd::DECIMAL),
            );
            sink.add(
                event.clone(),
                ont("confidence"),
                Literal::new_typed_literal(format!("{:.2}", r.confidence), xsd::DECIMAL),
            );

            // The direct triple, for asserted positive events only.
            if r.polarity == Polarity::Positive && r.modality == Modality::Asserted {
                sink.add(subject.clone(), def.property.clone(), object.clone());
                if def.symmetric {
                    sink.add(object, def.property.clone(), subject);
                }
            }
        }
        sink.quads
    }
}

fn label_of(x: &Extraction, id: &str) -> String {
    x.entity(id)
        .map_or_else(|| id.to_string(), |e| e.label.clone())
}
