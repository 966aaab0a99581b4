//! Reads articles back out of the store: an article graph plus the knowledge
//! graph's description of its events give back the [`Extraction`] that was
//! written (see [`crate::layout`]).
//!
//! This is what makes the layout exact to maintain: removing an article
//! recomputes what the remaining articles contribute from their readings
//! ([`entity_reading`], [`event_reading_of`]), and `warta link` reads an
//! article back, applies the links with the same function extraction uses,
//! and writes it again.

use crate::layout as l;
use crate::rdf::{EntityReading, EventReading, TESTS_WEAPON};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term,
    TermRef,
};
use oxigraph::store::{StorageError, Store, Transaction};
use std::collections::HashMap;
use warta_extract::model::{
    DocumentMeta, Entity, EntityType, Extraction, Language, Mention, Modality, Polarity, Relation,
};
use warta_extract::ontology::Ontology;
use warta_extract::vocab::{self, IriMinter};

/// Something quads can be read from: the store, or a transaction (which sees
/// its own writes).
pub trait QuadSource {
    fn find(
        &self,
        s: Option<NamedOrBlankNodeRef<'_>>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
        g: Option<GraphNameRef<'_>>,
    ) -> Box<dyn Iterator<Item = Result<Quad, StorageError>> + '_>;
}

impl QuadSource for Store {
    fn find(
        &self,
        s: Option<NamedOrBlankNodeRef<'_>>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
        g: Option<GraphNameRef<'_>>,
    ) -> Box<dyn Iterator<Item = Result<Quad, StorageError>> + '_> {
        Box::new(self.quads_for_pattern(s, p, o, g))
    }
}

impl QuadSource for Transaction<'_> {
    fn find(
        &self,
        s: Option<NamedOrBlankNodeRef<'_>>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
        g: Option<GraphNameRef<'_>>,
    ) -> Box<dyn Iterator<Item = Result<Quad, StorageError>> + '_> {
        Box::new(self.quads_for_pattern(s, p, o, g))
    }
}

/// The objects of (s, p) in graph g.
pub fn objects(
    src: &dyn QuadSource,
    s: NamedOrBlankNodeRef<'_>,
    p: NamedNodeRef<'_>,
    g: GraphNameRef<'_>,
) -> Result<Vec<Term>, StorageError> {
    src.find(Some(s), Some(p), None, Some(g))
        .map(|q| q.map(|q| q.object))
        .collect()
}

/// The parts of a reading as stored (absent ones are the gazetteer's).
struct ReadingParts {
    entity_type: Option<EntityType>,
    label: Option<String>,
    labels: Vec<(String, String)>,
    local_ids: Vec<String>,
    alt_labels: Vec<String>,
}

/// An article read back from the store.
pub struct StoredArticle {
    pub extraction: Extraction,
    /// The normalised text (the mentions' offsets point into it).
    pub text: String,
}

/// Errors of reading an article back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadbackError {
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
    #[error("graph <{graph}> is not a warta article graph: {why}")]
    NotAnArticle { graph: String, why: String },
}

/// The quads of one graph, by subject.
struct GraphIndex {
    by_subject: HashMap<NamedOrBlankNode, Vec<(NamedNode, Term)>>,
}

impl GraphIndex {
    fn load(src: &dyn QuadSource, graph: &NamedNode) -> Result<GraphIndex, StorageError> {
        let mut by_subject: HashMap<NamedOrBlankNode, Vec<(NamedNode, Term)>> = HashMap::new();
        for q in src.find(None, None, None, Some(graph.as_ref().into())) {
            let q = q?;
            by_subject
                .entry(q.subject)
                .or_default()
                .push((q.predicate, q.object));
        }
        Ok(GraphIndex { by_subject })
    }

    fn values<'a>(&'a self, s: &NamedNode, p: NamedNodeRef<'a>) -> impl Iterator<Item = &'a Term> {
        self.by_subject
            .get(&NamedOrBlankNode::NamedNode(s.clone()))
            .into_iter()
            .flatten()
            .filter(move |(pp, _)| pp.as_ref() == p)
            .map(|(_, o)| o)
    }

    fn literal(&self, s: &NamedNode, p: NamedNodeRef<'_>) -> Option<String> {
        self.values(s, p).find_map(literal_value)
    }

    fn number(&self, s: &NamedNode, p: NamedNodeRef<'_>) -> Option<usize> {
        self.literal(s, p).and_then(|v| v.parse().ok())
    }

    /// Every (subject, object) of predicate p.
    fn pairs<'a>(&'a self, p: NamedNodeRef<'a>) -> impl Iterator<Item = (&'a NamedNode, &'a Term)> {
        self.by_subject.iter().flat_map(move |(s, po)| {
            po.iter()
                .filter(move |(pp, _)| pp.as_ref() == p)
                .filter_map(move |(_, o)| match s {
                    NamedOrBlankNode::NamedNode(s) => Some((s, o)),
                    NamedOrBlankNode::BlankNode(_) => None,
                })
        })
    }
}

fn literal_value(t: &Term) -> Option<String> {
    match t {
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    }
}

fn lang_of(t: &Term) -> Option<String> {
    match t {
        Term::Literal(l) => l.language().map(str::to_string),
        _ => None,
    }
}

fn named(t: &Term) -> Option<&NamedNode> {
    match t {
        Term::NamedNode(n) => Some(n),
        _ => None,
    }
}

/// The local name of a warta class IRI (`warta:Person` -> `Person`).
fn class_name(t: &Term) -> Option<&str> {
    named(t).and_then(|n| n.as_str().strip_prefix(vocab::ONT))
}

/// Reads entity readings, mentions and relations of article graphs.
pub struct Reader<'a> {
    pub minter: &'a IriMinter,
    pub ont: &'a Ontology,
    entity_prefix: String,
}

impl<'a> Reader<'a> {
    pub fn new(minter: &'a IriMinter, ont: &'a Ontology) -> Reader<'a> {
        Reader {
            minter,
            ont,
            entity_prefix: minter.entity_prefix(),
        }
    }

    /// The entity id of an entity IRI.
    pub fn entity_id<'i>(&self, iri: &'i NamedNode) -> Option<&'i str> {
        iri.as_str().strip_prefix(self.entity_prefix.as_str())
    }

    /// The reading node `node` of one article (language `lang`), as the
    /// writer wrote it. None when the node is no reading.
    pub fn entity_reading(
        &self,
        src: &dyn QuadSource,
        node: &NamedNode,
        graph: GraphNameRef<'_>,
        lang: &str,
    ) -> Result<Option<EntityReading>, StorageError> {
        let mut of = None;
        let mut t = None;
        let mut label: Option<String> = None;
        let mut labels = Vec::new();
        let mut local_ids = Vec::new();
        let mut alt_labels = Vec::new();
        for q in src.find(Some(node.as_ref().into()), None, None, Some(graph)) {
            let q = q?;
            let p = q.predicate.as_ref();
            if p == l::READING_OF {
                of = named(&q.object).cloned();
            } else if p == l::READING_TYPE {
                t = class_name(&q.object).and_then(EntityType::parse);
            } else if p == l::READING_LABEL {
                label = literal_value(&q.object);
            } else if p == l::READING_GAZETTEER_LABEL {
                if let (Some(v), Some(lg)) = (literal_value(&q.object), lang_of(&q.object)) {
                    labels.push((lg, v));
                }
            } else if p == l::READING_LOCAL_ID {
                local_ids.extend(literal_value(&q.object));
            } else if p == l::READING_ALT_LABEL {
                alt_labels.extend(literal_value(&q.object));
            }
        }
        let Some(of) = of else {
            return Ok(None);
        };
        let parts = ReadingParts {
            entity_type: t,
            label,
            labels,
            local_ids,
            alt_labels,
        };
        Ok(self.complete_reading(&of, parts, lang))
    }

    /// A reading from its stored parts: an absent type or label is the
    /// gazetteer's.
    fn complete_reading(
        &self,
        of: &NamedNode,
        parts: ReadingParts,
        lang: &str,
    ) -> Option<EntityReading> {
        let id = self.entity_id(of)?.to_string();
        let gazetteer = self.ont.gazetteer.by_id(&id);
        let ReadingParts {
            entity_type,
            label,
            mut labels,
            mut local_ids,
            mut alt_labels,
        } = parts;
        let entity_type = match entity_type {
            Some(t) => t,
            None => gazetteer?.entity_type,
        };
        let label = match label {
            Some(label) => label,
            None => {
                let g = gazetteer?;
                labels = crate::rdf::gazetteer_labels(g);
                g.label(Language::parse(lang)?).to_string()
            }
        };
        labels.sort();
        local_ids.sort();
        alt_labels.sort();
        let qid = warta_extract::ontology::gazetteer::is_qid(&id).then(|| id.clone());
        Some(EntityReading {
            id,
            qid,
            entity_type,
            label,
            labels,
            lang: lang.to_string(),
            local_ids,
            alt_labels,
        })
    }

    /// The language of an article graph (its document's `schema:inLanguage`).
    pub fn document_language(
        &self,
        src: &dyn QuadSource,
        graph: &NamedNode,
    ) -> Result<Option<String>, StorageError> {
        Ok(objects(
            src,
            graph.as_ref().into(),
            l::IN_LANGUAGE,
            graph.as_ref().into(),
        )?
        .first()
        .and_then(literal_value))
    }

    /// One attestation's reading of its event: the event's identity from the
    /// knowledge graph, the reading's attributes from the attestation.
    pub fn event_reading_of(
        &self,
        src: &dyn QuadSource,
        event: &NamedNode,
        att: &NamedNode,
        graph: GraphNameRef<'_>,
        lang: &str,
    ) -> Result<Option<EventReading>, StorageError> {
        let Some(key) = self.event_key(src, event)? else {
            return Ok(None);
        };
        let mut r = key;
        r.lang = lang.to_string();
        for q in src.find(Some(att.as_ref().into()), None, None, Some(graph)) {
            let q = q?;
            let p = q.predicate.as_ref();
            if p == l::TIME_TEXT {
                r.time = literal_value(&q.object);
            } else if p == l::LOCATION {
                r.location = named(&q.object)
                    .and_then(|n| self.entity_id(n))
                    .map(str::to_string);
            } else if p == l::ATTRIBUTED_TO {
                r.attributed_to = named(&q.object)
                    .and_then(|n| self.entity_id(n))
                    .map(str::to_string);
            } else if p == l::CONFIDENCE {
                r.confidence = literal_value(&q.object)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0.0);
            }
        }
        Ok(Some(r))
    }

    /// What identifies an event, from the knowledge graph (None when the
    /// event is not described there).
    pub fn event_key(
        &self,
        src: &dyn QuadSource,
        event: &NamedNode,
    ) -> Result<Option<EventReading>, StorageError> {
        let mut relation = None;
        let (mut agent, mut object) = (None, None);
        let (mut polarity, mut modality) = (None, None);
        let (mut date, mut position) = (None, None);
        let kg = crate::rdf::KNOWLEDGE;
        for q in src.find(Some(event.as_ref().into()), None, None, Some(kg)) {
            let q = q?;
            let p = q.predicate.as_ref();
            if p == rdf::TYPE {
                relation = named(&q.object)
                    .and_then(|c| self.ont.catalogue.iter().find(|d| d.class == *c))
                    .map(|d| d.name.clone());
            } else if p == l::AGENT {
                agent = named(&q.object)
                    .and_then(|n| self.entity_id(n))
                    .map(str::to_string);
            } else if p == l::TARGET {
                object = named(&q.object)
                    .and_then(|n| self.entity_id(n))
                    .map(str::to_string);
            } else if p == l::WEAPON {
                if let Some(w) = named(&q.object) {
                    object = self.weapon_class(src, w)?;
                }
            } else if p == l::POLARITY {
                polarity = literal_value(&q.object).and_then(|v| Polarity::parse(&v));
            } else if p == l::MODALITY {
                modality = literal_value(&q.object).and_then(|v| Modality::parse(&v));
            } else if p == l::DATE {
                date = literal_value(&q.object);
            } else if p == l::POSITION {
                position = literal_value(&q.object);
            }
        }
        let (Some(relation), Some(subject), Some(object), Some(polarity), Some(modality)) =
            (relation, agent, object, polarity, modality)
        else {
            return Ok(None);
        };
        Ok(Some(EventReading {
            relation,
            subject,
            object,
            polarity,
            modality,
            date,
            position,
            time: None,
            location: None,
            attributed_to: None,
            confidence: 0.0,
            lang: String::new(),
        }))
    }

    fn weapon_class(
        &self,
        src: &dyn QuadSource,
        weapon: &NamedNode,
    ) -> Result<Option<String>, StorageError> {
        let kg = crate::rdf::KNOWLEDGE;
        Ok(objects(src, weapon.as_ref().into(), rdfs::LABEL, kg)?
            .first()
            .and_then(literal_value))
    }

    /// The whole article of document `doc_id`, or None when the store does
    /// not hold it.
    pub fn article(
        &self,
        src: &dyn QuadSource,
        doc_id: &str,
    ) -> Result<Option<StoredArticle>, ReadbackError> {
        let graph = crate::rdf::document_graph(self.minter, doc_id);
        let ix = GraphIndex::load(src, &graph)?;
        if ix.by_subject.is_empty() {
            return Ok(None);
        }
        let not_article = |why: &str| ReadbackError::NotAnArticle {
            graph: graph.as_str().to_string(),
            why: why.to_string(),
        };
        let lang_tag = ix
            .literal(&graph, l::IN_LANGUAGE)
            .ok_or_else(|| not_article("no schema:inLanguage"))?;
        let language = Language::parse(&lang_tag).ok_or_else(|| not_article("unknown language"))?;
        let document = DocumentMeta {
            id: ix
                .literal(&graph, l::SHA256)
                .unwrap_or_else(|| doc_id.to_string()),
            source: ix.literal(&graph, l::SOURCE_FILE).unwrap_or_default(),
            title: ix.literal(&graph, l::HEADLINE),
            url: ix
                .values(&graph, l::URL)
                .find_map(named)
                .map(|n| n.as_str().to_string()),
            published: ix.literal(&graph, l::DATE_PUBLISHED),
            language,
            publisher: ix.literal(&graph, l::PUBLISHER),
        };
        let text = ix
            .literal(&graph, l::TEXT)
            .ok_or_else(|| not_article("no schema:text"))?;
        let entities = self.entities(src, &ix, &graph, &lang_tag, &text)?;
        let relations = self.relations(src, &ix, &graph, &lang_tag)?;
        Ok(Some(StoredArticle {
            text,
            extraction: Extraction {
                document,
                entities,
                relations,
            },
        }))
    }

    fn entities(
        &self,
        src: &dyn QuadSource,
        ix: &GraphIndex,
        graph: &NamedNode,
        lang: &str,
        text: &str,
    ) -> Result<Vec<Entity>, StorageError> {
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let mut out = Vec::new();
        for (node, _) in ix.pairs(l::READING_OF) {
            let Some(r) = self.entity_reading(src, node, g, lang)? else {
                continue;
            };
            let mut ms = spans(ix, node, text);
            ms.sort_by_key(|m| (m.start, m.end));
            out.push(Entity {
                id: r.id,
                qid: r.qid,
                label: r.label,
                entity_type: r.entity_type,
                labels: r.labels,
                mentions: ms,
                local_ids: r.local_ids,
            });
        }
        // First mention order, as extraction gives them.
        out.sort_by(|a, b| {
            let first = |e: &Entity| e.mentions.first().map(|m| (m.start, m.end));
            first(a).cmp(&first(b)).then_with(|| a.id.cmp(&b.id))
        });
        Ok(out)
    }

    fn relations(
        &self,
        src: &dyn QuadSource,
        ix: &GraphIndex,
        graph: &NamedNode,
        lang: &str,
    ) -> Result<Vec<Relation>, StorageError> {
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let mut out = Vec::new();
        for (event, att) in ix.pairs(l::ATTESTED_BY) {
            let Some(att) = named(att) else { continue };
            let Some(r) = self.event_reading_of(src, event, att, g, lang)? else {
                continue;
            };
            out.push(Relation {
                subject: r.subject,
                relation: r.relation,
                object: r.object,
                polarity: r.polarity,
                modality: r.modality,
                time: r.time,
                date: r.date,
                location: r.location,
                attributed_to: r.attributed_to,
                position: r.position,
                confidence: r.confidence,
                rule: ix.literal(att, l::RULE).unwrap_or_default(),
                trigger: ix.literal(att, l::TRIGGER).unwrap_or_default(),
                evidence: ix.literal(att, l::EVIDENCE_TEXT).unwrap_or_default(),
                start: ix.number(att, l::START_OFFSET).unwrap_or(0),
                end: ix.number(att, l::END_OFFSET).unwrap_or(0),
                sentence: ix.literal(att, l::SENTENCE_TEXT).unwrap_or_default(),
            });
        }
        out.sort_by(|a, b| {
            (a.start, a.end, &a.relation, &a.subject, &a.object).cmp(&(
                b.start,
                b.end,
                &b.relation,
                &b.subject,
                &b.object,
            ))
        });
        Ok(out)
    }
}

/// The mentions a reading lists (its span literals), with their words.
fn spans(ix: &GraphIndex, reading: &NamedNode, text: &str) -> Vec<Mention> {
    let Some(po) = ix
        .by_subject
        .get(&NamedOrBlankNode::NamedNode(reading.clone()))
    else {
        return Vec::new();
    };
    po.iter()
        .filter_map(|(p, o)| {
            let kind = l::span_kind(p.as_ref())?;
            let (start, end) = l::parse_span(&literal_value(o)?)?;
            Some(Mention {
                text: text.get(start..end).unwrap_or_default().to_string(),
                start,
                end,
                kind,
            })
        })
        .collect()
}

/// Is this relation one whose object is a weapon class?
pub fn is_weapon_relation(relation: &str) -> bool {
    relation == TESTS_WEAPON
}
