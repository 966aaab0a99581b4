//! Maps an [`Extraction`] to RDF in the store's layout (see [`crate::layout`]):
//! the quads of the article's own graph, and the article's contribution to
//! the merged knowledge graph.
//!
//! The contribution is computed from *readings*: what one article says about
//! one entity ([`EntityReading`]) or one event ([`EventReading`]). The same
//! functions turn a reading read back from the store into quads when an
//! article is removed ([`crate::store`]), so what is written and what is
//! checked for support are one piece of code.
//!
//! Symmetric relations get the direct triple both ways, because SPARQL does no
//! OWL reasoning, and their roles in a fixed order (agent = the smaller id), so
//! two articles that name the sides in another order describe one event once.

use crate::layout as l;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use std::collections::HashSet;
use warta_extract::model::{EntityType, Extraction, MentionKind, Modality, Polarity};
use warta_extract::ontology::{Ontology, RelationDef};
use warta_extract::vocab::{self, EventKey, IriMinter};

/// The relation whose object is a weapon class, not an entity.
pub const TESTS_WEAPON: &str = "testsWeapon";

/// The named graph of a document (the document IRI itself).
pub fn document_graph(minter: &IriMinter, doc_id: &str) -> NamedNode {
    NamedNode::new_unchecked(minter.document(doc_id))
}

/// The merged knowledge graph is the store's default graph: queries see it
/// together with the article graphs (the union default graph), and each of
/// its triples costs half what it would in a named graph.
pub const KNOWLEDGE: GraphNameRef<'static> = GraphNameRef::DefaultGraph;

/// The quad that records the layout of a store (in the knowledge graph).
pub fn layout_quad(minter: &IriMinter) -> Quad {
    Quad::new(
        NamedNode::new_unchecked(minter.store_node()),
        l::LAYOUT_VERSION_P,
        Literal::new_typed_literal(l::LAYOUT_VERSION.to_string(), xsd::INTEGER),
        GraphName::DefaultGraph,
    )
}

/// One article in RDF.
pub struct ArticleQuads {
    /// The article's graph name (its document IRI).
    pub graph: NamedNode,
    /// What only this article says, in its own graph.
    pub article: Vec<Quad>,
    /// Its contribution to the knowledge graph.
    pub knowledge: Vec<Quad>,
}

/// What one article says about one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityReading {
    pub id: String,
    pub qid: Option<String>,
    pub entity_type: EntityType,
    /// The label in the article's language.
    pub label: String,
    /// Labels by language (the gazetteer's), empty for a local entity.
    pub labels: Vec<(String, String)>,
    /// The article's language tag.
    pub lang: String,
    /// Local ids a links file merged into this entity.
    pub local_ids: Vec<String>,
    /// The other names the article writes it with (its alternative labels,
    /// in the article's language).
    pub alt_labels: Vec<String>,
}

impl EntityReading {
    /// The one label queries show: English when there is one, else the label.
    pub fn display_label(&self) -> &str {
        self.labels
            .iter()
            .find(|(lang, _)| lang == "en")
            .map_or(self.label.as_str(), |(_, v)| v.as_str())
    }
}

/// What one article says about one event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventReading {
    /// What identifies the event (and mints its IRI).
    pub relation: String,
    pub subject: String,
    pub object: String,
    pub polarity: Polarity,
    pub modality: Modality,
    pub date: Option<String>,
    pub position: Option<String>,
    /// The time as written: it identifies an undated event too.
    pub time: Option<String>,
    /// This reading's own attributes.
    pub location: Option<String>,
    pub attributed_to: Option<String>,
    pub confidence: f64,
    pub lang: String,
}

/// Collects quads of one graph without duplicates, in insertion order.
struct Sink {
    graph: GraphName,
    quads: Vec<Quad>,
    seen: HashSet<Quad>,
}

impl Sink {
    fn new(graph: GraphName) -> Sink {
        Sink {
            graph,
            quads: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        let q = Quad::new(s, p.into_owned(), o, self.graph.clone());
        if self.seen.insert(q.clone()) {
            self.quads.push(q);
        }
    }
}

pub fn lang_literal(value: &str, lang: &str) -> Literal {
    Literal::new_language_tagged_literal(value, lang)
        .unwrap_or_else(|_| Literal::new_simple_literal(value))
}

pub fn date_literal(value: &str) -> Literal {
    // Only full dates are xsd:date; "2024-01" is a gYearMonth.
    let datatype = match value.len() {
        10 => xsd::DATE,
        7 => xsd::G_YEAR_MONTH,
        4 => xsd::G_YEAR,
        _ => xsd::STRING,
    };
    Literal::new_typed_literal(value, datatype)
}

pub fn int_literal(v: usize) -> Literal {
    Literal::new_typed_literal(v.to_string(), xsd::INTEGER)
}

pub fn confidence_literal(v: f64) -> Literal {
    Literal::new_typed_literal(format!("{v:.2}"), xsd::DECIMAL)
}

fn ont(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{local}", vocab::ONT))
}

/// Builds the quads of one article.
pub struct RdfWriter<'a> {
    minter: &'a IriMinter,
    ont: &'a Ontology,
}

impl<'a> RdfWriter<'a> {
    pub fn new(minter: &'a IriMinter, ont: &'a Ontology) -> Self {
        RdfWriter { minter, ont }
    }

    pub fn minter(&self) -> &IriMinter {
        self.minter
    }

    fn entity_node(&self, id: &str) -> NamedNode {
        NamedNode::new_unchecked(self.minter.entity(id))
    }

    /// The article's graph and its knowledge contribution. `text` is the
    /// article's normalised text, which the mentions' offsets point into: it
    /// is stored once, and a mention's words are read from it.
    pub fn quads(&self, x: &Extraction, text: &str) -> ArticleQuads {
        let graph = document_graph(self.minter, &x.document.id);
        let mut article = Sink::new(GraphName::NamedNode(graph.clone()));
        let mut knowledge = Sink::new(GraphName::DefaultGraph);
        self.document(x, text, &graph, &mut article);
        for e in &x.entities {
            let reading = self.entity_reading(x, e);
            self.write_reading(x, &reading, &mut article);
            self.entity_knowledge(&reading, &mut knowledge);
            self.mentions(x, e, &mut article);
        }
        for r in &x.relations {
            let Some(def) = self.ont.catalogue.get(&r.relation) else {
                continue; // unreachable: lexicons are checked against the catalogue on load
            };
            let reading = event_reading(x, r);
            let event = self.event_node(def, &reading);
            self.event_knowledge(def, &event, &reading, &mut knowledge);
            self.attestation(x, r, &event, &graph, &mut article);
        }
        ArticleQuads {
            graph,
            article: article.quads,
            knowledge: knowledge.quads,
        }
    }

    fn document(&self, x: &Extraction, text: &str, doc: &NamedNode, sink: &mut Sink) {
        let d = &x.document;
        let lang = d.language.tag();
        sink.add(doc.clone(), rdf::TYPE, l::NEWS_ARTICLE);
        if let Some(title) = &d.title {
            sink.add(doc.clone(), l::HEADLINE, lang_literal(title, lang));
        }
        if let Some(date) = &d.published {
            sink.add(doc.clone(), l::DATE_PUBLISHED, date_literal(date));
        }
        if let Some(publisher) = &d.publisher {
            sink.add(
                doc.clone(),
                l::PUBLISHER,
                Literal::new_simple_literal(publisher),
            );
        }
        if let Some(url) = &d.url {
            if let Ok(u) = NamedNode::new(url) {
                sink.add(doc.clone(), l::URL, u);
            }
        }
        sink.add(
            doc.clone(),
            l::IN_LANGUAGE,
            Literal::new_simple_literal(lang),
        );
        sink.add(doc.clone(), l::SHA256, Literal::new_simple_literal(&d.id));
        sink.add(
            doc.clone(),
            l::SOURCE_FILE,
            Literal::new_simple_literal(&d.source),
        );
        sink.add(doc.clone(), l::TEXT, lang_literal(text, lang));
    }

    fn entity_reading(&self, x: &Extraction, e: &warta_extract::model::Entity) -> EntityReading {
        EntityReading {
            id: e.id.clone(),
            qid: e.qid.clone(),
            entity_type: e.entity_type,
            label: e.label.clone(),
            labels: e.labels.clone(),
            lang: x.document.language.tag().to_string(),
            local_ids: e.local_ids.clone(),
            alt_labels: alt_labels(e),
        }
    }

    /// Is this reading's label the one the gazetteer gives its id? Then the
    /// article graph need not repeat it.
    pub fn is_gazetteer_label(&self, r: &EntityReading) -> bool {
        self.ont.gazetteer.by_id(&r.id).is_some_and(|g| {
            warta_extract::model::Language::parse(&r.lang)
                .is_some_and(|lang| g.label(lang) == r.label && gazetteer_labels(g) == r.labels)
        })
    }

    /// Is this reading's type the gazetteer's for its id?
    pub fn is_gazetteer_type(&self, r: &EntityReading) -> bool {
        self.ont
            .gazetteer
            .by_id(&r.id)
            .is_some_and(|g| g.entity_type == r.entity_type)
    }

    fn write_reading(&self, x: &Extraction, r: &EntityReading, sink: &mut Sink) {
        let node = NamedNode::new_unchecked(self.minter.reading(&x.document.id, &r.id));
        sink.add(node.clone(), l::READING_OF, self.entity_node(&r.id));
        if !self.is_gazetteer_type(r) {
            sink.add(node.clone(), l::READING_TYPE, ont(r.entity_type.name()));
        }
        if !self.is_gazetteer_label(r) {
            sink.add(
                node.clone(),
                l::READING_LABEL,
                lang_literal(&r.label, &r.lang),
            );
            for (lang, label) in &r.labels {
                sink.add(
                    node.clone(),
                    l::READING_GAZETTEER_LABEL,
                    lang_literal(label, lang),
                );
            }
        }
        for local in &r.local_ids {
            sink.add(
                node.clone(),
                l::READING_LOCAL_ID,
                Literal::new_simple_literal(local),
            );
        }
        for name in &r.alt_labels {
            sink.add(
                node.clone(),
                l::READING_ALT_LABEL,
                lang_literal(name, &r.lang),
            );
        }
    }

    /// What a reading of an entity adds to the knowledge graph.
    pub fn entity_knowledge_quads(&self, r: &EntityReading) -> Vec<Quad> {
        let mut sink = Sink::new(GraphName::DefaultGraph);
        self.entity_knowledge(r, &mut sink);
        sink.quads
    }

    fn entity_knowledge(&self, r: &EntityReading, sink: &mut Sink) {
        let node = self.entity_node(&r.id);
        sink.add(node.clone(), rdf::TYPE, ont(r.entity_type.name()));
        if r.labels.is_empty() {
            sink.add(node.clone(), rdfs::LABEL, lang_literal(&r.label, &r.lang));
        }
        for (lang, label) in &r.labels {
            sink.add(node.clone(), rdfs::LABEL, lang_literal(label, lang));
        }
        sink.add(
            node.clone(),
            l::DISPLAY_LABEL,
            Literal::new_simple_literal(r.display_label()),
        );
        if let Some(qid) = &r.qid {
            sink.add(
                node.clone(),
                l::SAME_AS,
                NamedNode::new_unchecked(format!("{}{qid}", vocab::WD)),
            );
        }
        // Linked by a links file: the IRI it had before, as a trace.
        for local in &r.local_ids {
            sink.add(node.clone(), l::SAME_AS, self.entity_node(local));
        }
        for name in &r.alt_labels {
            sink.add(node.clone(), l::ALT_LABEL, lang_literal(name, &r.lang));
        }
    }

    /// Mentions: a span literal per mention on the entity's reading, its
    /// property saying the kind (the words are the text's between the
    /// offsets). One triple a mention, not a node of five.
    fn mentions(&self, x: &Extraction, e: &warta_extract::model::Entity, sink: &mut Sink) {
        let node = NamedNode::new_unchecked(self.minter.reading(&x.document.id, &e.id));
        for m in &e.mentions {
            sink.add(
                node.clone(),
                l::span_property(m.kind),
                l::span_literal(m.start, m.end),
            );
        }
    }

    /// The IRI of the event a reading is of.
    pub fn event_node(&self, def: &RelationDef, r: &EventReading) -> NamedNode {
        let time_key = r.time.as_deref().map(warta_extract::text::fold);
        NamedNode::new_unchecked(self.minter.event(&EventKey {
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
        }))
    }

    /// The weapon node of a `testsWeapon` event's object.
    pub fn weapon_node(&self, class: &str) -> NamedNode {
        NamedNode::new_unchecked(self.minter.weapon(class))
    }

    /// What a reading of an event adds to the knowledge graph: the event's
    /// identity (the same from every reading), this reading's attributes,
    /// the weapon it names and the direct triple.
    pub fn event_knowledge_quads(
        &self,
        def: &RelationDef,
        event: &NamedNode,
        r: &EventReading,
    ) -> Vec<Quad> {
        let mut sink = Sink::new(GraphName::DefaultGraph);
        self.event_knowledge(def, event, r, &mut sink);
        sink.quads
    }

    fn event_knowledge(
        &self,
        def: &RelationDef,
        event: &NamedNode,
        r: &EventReading,
        sink: &mut Sink,
    ) {
        let (agent, object) = self.roles(def, r);
        sink.add(event.clone(), rdf::TYPE, def.class.as_ref());
        sink.add(event.clone(), l::AGENT, agent.clone());
        if r.relation == TESTS_WEAPON {
            sink.add(object.clone(), rdf::TYPE, l::WEAPON_CLASS);
            sink.add(object.clone(), rdfs::LABEL, lang_literal(&r.object, "en"));
            sink.add(
                object.clone(),
                l::DISPLAY_LABEL,
                Literal::new_simple_literal(&r.object),
            );
            sink.add(event.clone(), l::WEAPON, object.clone());
        } else {
            sink.add(event.clone(), l::TARGET, object.clone());
        }
        if def.symmetric {
            sink.add(event.clone(), l::PARTICIPANT, agent.clone());
            sink.add(event.clone(), l::PARTICIPANT, object.clone());
        }
        sink.add(
            event.clone(),
            l::POLARITY,
            Literal::new_simple_literal(r.polarity.name()),
        );
        sink.add(
            event.clone(),
            l::MODALITY,
            Literal::new_simple_literal(r.modality.name()),
        );
        for code in &def.cameo {
            sink.add(
                event.clone(),
                l::CAMEO_CODE,
                Literal::new_simple_literal(code),
            );
        }
        if let Some(p) = &def.plover {
            sink.add(
                event.clone(),
                l::PLOVER_CATEGORY,
                Literal::new_simple_literal(p),
            );
        }
        if let Some(pos) = &r.position {
            sink.add(event.clone(), l::POSITION, Literal::new_simple_literal(pos));
        }
        if let Some(d) = &r.date {
            sink.add(event.clone(), l::DATE, date_literal(d));
        }
        for (p, o) in self.reading_attributes(r) {
            sink.add(event.clone(), p, o);
        }
        // The direct triple, for asserted positive events only.
        if r.polarity == Polarity::Positive && r.modality == Modality::Asserted {
            sink.add(agent.clone(), def.property.as_ref(), object.clone());
            if def.symmetric {
                sink.add(object, def.property.as_ref(), agent);
            }
        }
    }

    /// The agent and target (or weapon) nodes; symmetric relations in id order.
    fn roles(&self, def: &RelationDef, r: &EventReading) -> (NamedNode, NamedNode) {
        if r.relation == TESTS_WEAPON {
            return (self.entity_node(&r.subject), self.weapon_node(&r.object));
        }
        let (a, b) = if def.symmetric && r.object < r.subject {
            (&r.object, &r.subject)
        } else {
            (&r.subject, &r.object)
        };
        (self.entity_node(a), self.entity_node(b))
    }

    /// The attributes that belong to one reading of an event (on its
    /// attestation, and as a union on the event).
    pub fn reading_attributes(&self, r: &EventReading) -> Vec<(NamedNodeRef<'static>, Term)> {
        let mut out: Vec<(NamedNodeRef<'static>, Term)> = Vec::new();
        if let Some(t) = &r.time {
            out.push((l::TIME_TEXT, lang_literal(t, &r.lang).into()));
        }
        if let Some(loc) = &r.location {
            out.push((l::LOCATION, self.entity_node(loc).into()));
        }
        if let Some(by) = &r.attributed_to {
            out.push((l::ATTRIBUTED_TO, self.entity_node(by).into()));
        }
        out.push((l::CONFIDENCE, confidence_literal(r.confidence).into()));
        out
    }

    fn attestation(
        &self,
        x: &Extraction,
        r: &warta_extract::model::Relation,
        event: &NamedNode,
        doc: &NamedNode,
        sink: &mut Sink,
    ) {
        let lang = x.document.language.tag();
        let att = NamedNode::new_unchecked(self.minter.attestation(
            &x.document.id,
            r.start,
            r.end,
            event.as_str(),
        ));
        sink.add(event.clone(), l::ATTESTED_BY, att.clone());
        sink.add(att.clone(), l::WAS_DERIVED_FROM, doc.clone());
        sink.add(
            att.clone(),
            l::SENTENCE_TEXT,
            lang_literal(&r.sentence, lang),
        );
        sink.add(
            att.clone(),
            l::EVIDENCE_TEXT,
            lang_literal(&r.evidence, lang),
        );
        sink.add(att.clone(), l::START_OFFSET, int_literal(r.start));
        sink.add(att.clone(), l::END_OFFSET, int_literal(r.end));
        sink.add(att.clone(), l::RULE, Literal::new_simple_literal(&r.rule));
        sink.add(att.clone(), l::TRIGGER, lang_literal(&r.trigger, lang));
        for (p, o) in self.reading_attributes(&event_reading(x, r)) {
            sink.add(att.clone(), p, o);
        }
    }
}

/// The event reading of one extracted relation.
pub fn event_reading(x: &Extraction, r: &warta_extract::model::Relation) -> EventReading {
    EventReading {
        relation: r.relation.clone(),
        subject: r.subject.clone(),
        object: r.object.clone(),
        polarity: r.polarity,
        modality: r.modality,
        date: r.date.clone(),
        position: r.position.clone(),
        time: r.time.clone(),
        location: r.location.clone(),
        attributed_to: r.attributed_to.clone(),
        confidence: r.confidence,
        lang: x.document.language.tag().to_string(),
    }
}

/// The alternative labels an article's mentions give an entity: the names
/// it is written with, other than its label there, distinct and sorted.
pub fn alt_labels(e: &warta_extract::model::Entity) -> Vec<String> {
    let names: std::collections::BTreeSet<&str> = e
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name && m.text != e.label)
        .map(|m| m.text.as_str())
        .collect();
    names.into_iter().map(str::to_string).collect()
}

/// The labels of a gazetteer entry by language, as the entities stage gives
/// them to a linked entity (English first).
pub fn gazetteer_labels(g: &warta_extract::ontology::gazetteer::GazEntry) -> Vec<(String, String)> {
    let mut out = vec![("en".to_string(), g.label_en.clone())];
    if let Some(l) = &g.label_id {
        out.push(("id".to_string(), l.clone()));
    }
    out
}
