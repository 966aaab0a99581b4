//! Writing and removing one article inside a transaction, keeping the
//! knowledge graph exactly the union of what the stored articles contribute.
//!
//! Writing is a plain insert: the article graph, and its contribution to the
//! knowledge graph (facts another article gave already are simply there).
//!
//! Removing deletes the article graph, then re-examines every knowledge fact
//! about the entities it read, the events it attested, their weapons and
//! their direct triples. A fact stays when a remaining article still gives
//! it; the check stops at the first such article, so an entity named in
//! thousands of articles costs one reading, not thousands:
//! - an entity with no remaining reading, or an event with no remaining
//!   attestation, loses its whole description;
//! - otherwise each of its facts is recomputed from the remaining readings
//!   (type, labels, links) or attestations (time, place, speaker,
//!   confidence) with the same functions that wrote it ([`crate::rdf`]);
//! - an alternative label stays while a remaining article writes that name;
//! - a direct triple stays while a remaining asserted positive event of its
//!   relation joins the two sides; a weapon while an event names it.

use crate::layout as l;
use crate::rdf::{ArticleQuads, RdfWriter};
use crate::readback::Reader;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef,
    Term, TermRef,
};
use oxigraph::store::{StorageError, Transaction};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Inserts one article (its graph and its knowledge contribution).
pub fn write_article(tx: &mut Transaction<'_>, quads: &ArticleQuads) {
    tx.insert_named_graph(quads.graph.as_ref());
    for q in quads.article.iter().chain(&quads.knowledge) {
        tx.insert(q);
    }
}

/// Removes the article graph `graph` and every knowledge fact only it gave.
/// Returns false when the store does not hold that graph.
pub fn remove_article(
    tx: &mut Transaction<'_>,
    reader: &Reader<'_>,
    writer: &RdfWriter<'_>,
    graph: &NamedNode,
) -> Result<bool, StorageError> {
    remove_article_keeping(tx, reader, writer, graph, &HashSet::new())
}

/// Replaces an article: its old graph and the facts only it gave go, its
/// new quads come in. A fact the new version writes again needs no support
/// check (it is there afterwards either way): re-ingesting an unchanged
/// article checks nothing, where the checks of a fact shared by thousands
/// of articles walk thousands of events.
pub fn replace_article(
    tx: &mut Transaction<'_>,
    reader: &Reader<'_>,
    writer: &RdfWriter<'_>,
    quads: &ArticleQuads,
) -> Result<(), StorageError> {
    let rewritten: HashSet<Quad> = quads.knowledge.iter().cloned().collect();
    remove_article_keeping(tx, reader, writer, &quads.graph, &rewritten)?;
    write_article(tx, quads);
    Ok(())
}

/// [`remove_article`], leaving out of the support checks the facts of
/// `rewritten`, which the caller writes again in the same transaction.
fn remove_article_keeping(
    tx: &mut Transaction<'_>,
    reader: &Reader<'_>,
    writer: &RdfWriter<'_>,
    graph: &NamedNode,
    rewritten: &HashSet<Quad>,
) -> Result<bool, StorageError> {
    let g = GraphNameRef::NamedNode(graph.as_ref());
    let quads: Vec<Quad> = tx
        .quads_for_pattern(None, None, None, Some(g))
        .collect::<Result<_, _>>()?;
    if quads.is_empty() && !tx.contains_named_graph(graph.as_ref())? {
        return Ok(false);
    }
    let mut entities: BTreeSet<NamedNode> = BTreeSet::new();
    let mut events: BTreeSet<NamedNode> = BTreeSet::new();
    for q in &quads {
        if q.predicate == l::READING_OF {
            if let Term::NamedNode(e) = &q.object {
                entities.insert(e.clone());
            }
        } else if q.predicate == l::ATTESTED_BY {
            if let NamedOrBlankNode::NamedNode(e) = &q.subject {
                events.insert(e.clone());
            }
        }
    }
    // Weapons and direct triples follow from the events' identities, which
    // are read before any event goes.
    let mut derived: Vec<Quad> = Vec::new();
    for event in &events {
        derived.extend(derived_facts(tx, reader, writer, event)?);
    }
    for q in &quads {
        tx.remove(q);
    }
    tx.remove_named_graph(graph.as_ref())?;
    let mut check = Checker {
        tx,
        reader,
        writer,
        rewritten,
        languages: HashMap::new(),
    };
    for event in &events {
        check.event(event)?;
    }
    for entity in &entities {
        check.entity(entity)?;
    }
    check.derived(derived)?;
    Ok(true)
}

/// The weapon and direct-triple facts an event's identity gives.
fn derived_facts(
    tx: &Transaction<'_>,
    reader: &Reader<'_>,
    writer: &RdfWriter<'_>,
    event: &NamedNode,
) -> Result<Vec<Quad>, StorageError> {
    let Some(key) = reader.event_key(tx, event)? else {
        return Ok(Vec::new());
    };
    let Some(def) = reader.ont.catalogue.get(&key.relation) else {
        return Ok(Vec::new());
    };
    Ok(writer
        .event_knowledge_quads(def, event, &key)
        .into_iter()
        .filter(|q| q.subject.as_ref() != NamedOrBlankNode::NamedNode(event.clone()).as_ref())
        .collect())
}

/// The support checks of one removal.
struct Checker<'t, 'a, 'r> {
    tx: &'t mut Transaction<'a>,
    reader: &'r Reader<'r>,
    writer: &'r RdfWriter<'r>,
    /// Facts written again in the same transaction: never checked.
    rewritten: &'r HashSet<Quad>,
    /// Article graph -> its language tag.
    languages: HashMap<NamedNode, Option<String>>,
}

impl Checker<'_, '_, '_> {
    fn kg(&self) -> GraphNameRef<'static> {
        crate::rdf::KNOWLEDGE
    }

    /// The knowledge-graph facts about `node`, but those written again.
    fn facts_about(&self, node: &NamedNode) -> Result<Vec<Quad>, StorageError> {
        let mut facts = Vec::new();
        for q in self
            .tx
            .quads_for_pattern(Some(node.as_ref().into()), None, None, Some(self.kg()))
        {
            let q = q?;
            if !self.rewritten.contains(&q) {
                facts.push(q);
            }
        }
        Ok(facts)
    }

    fn remove_all(&mut self, quads: &[Quad]) {
        for q in quads {
            self.tx.remove(q);
        }
    }

    fn language(&mut self, graph: &NamedNode) -> Result<Option<String>, StorageError> {
        if let Some(l) = self.languages.get(graph) {
            return Ok(l.clone());
        }
        let lang = self.reader.document_language(&*self.tx, graph)?;
        self.languages.insert(graph.clone(), lang.clone());
        Ok(lang)
    }

    /// An event keeps its identity while one attestation remains, and each
    /// reading attribute while one remaining attestation gives it.
    fn event(&mut self, event: &NamedNode) -> Result<(), StorageError> {
        let facts = self.facts_about(event)?;
        if facts.is_empty() {
            return Ok(());
        }
        let attestations: Vec<(NamedNode, NamedNode)> = self
            .tx
            .quads_for_pattern(
                Some(event.as_ref().into()),
                Some(l::ATTESTED_BY),
                None,
                None,
            )
            .filter_map(|q| match q {
                Ok(Quad {
                    object: Term::NamedNode(att),
                    graph_name: GraphName::NamedNode(g),
                    ..
                }) => Some(Ok((att, g))),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?;
        if attestations.is_empty() {
            self.remove_all(&facts);
            return Ok(());
        }
        let reading_predicates = [l::TIME_TEXT, l::LOCATION, l::ATTRIBUTED_TO, l::CONFIDENCE];
        let mut open: HashSet<(NamedNode, Term)> = facts
            .iter()
            .filter(|q| reading_predicates.contains(&q.predicate.as_ref()))
            .map(|q| (q.predicate.clone(), q.object.clone()))
            .collect();
        for (att, g) in &attestations {
            if open.is_empty() {
                break;
            }
            for q in self.tx.quads_for_pattern(
                Some(att.as_ref().into()),
                None,
                None,
                Some(g.as_ref().into()),
            ) {
                let q = q?;
                open.remove(&(q.predicate, q.object));
            }
        }
        for (p, o) in open {
            self.tx.remove(QuadRef::new(event, &p, &o, self.kg()));
        }
        Ok(())
    }

    /// An entity keeps each fact while one remaining reading gives it.
    fn entity(&mut self, entity: &NamedNode) -> Result<(), StorageError> {
        let facts = self.facts_about(entity)?;
        if facts.is_empty() {
            return Ok(());
        }
        let readings: Vec<(NamedNode, NamedNode)> = self
            .tx
            .quads_for_pattern(
                None,
                Some(l::READING_OF),
                Some(entity.as_ref().into()),
                None,
            )
            .filter_map(|q| match q {
                Ok(Quad {
                    subject: NamedOrBlankNode::NamedNode(r),
                    graph_name: GraphName::NamedNode(g),
                    ..
                }) => Some(Ok((r, g))),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?;
        if readings.is_empty() {
            self.remove_all(&facts);
            return Ok(());
        }
        // Direct triples with the entity as subject are its events' facts,
        // checked with them (`derived`).
        let described = [rdf::TYPE, rdfs::LABEL, l::DISPLAY_LABEL, l::SAME_AS];
        let (alt, mut open): (Vec<Quad>, Vec<Quad>) = facts
            .into_iter()
            .filter(|q| q.predicate == l::ALT_LABEL || described.contains(&q.predicate.as_ref()))
            .partition(|q| q.predicate == l::ALT_LABEL);
        for (node, g) in &readings {
            if open.is_empty() {
                break;
            }
            let Some(lang) = self.language(g)? else {
                continue;
            };
            let Some(reading) =
                self.reader
                    .entity_reading(&*self.tx, node, g.as_ref().into(), &lang)?
            else {
                continue;
            };
            let given: HashSet<Quad> = self
                .writer
                .entity_knowledge_quads(&reading)
                .into_iter()
                .collect();
            open.retain(|q| !given.contains(q));
        }
        self.remove_all(&open);
        for q in alt {
            if !self.alt_label_supported(entity, &q.object)? {
                self.tx.remove(&q);
            }
        }
        Ok(())
    }

    /// Does a remaining article write `label` as a name of `entity`? Its
    /// reading then lists it (looked up by the label, not by the entity,
    /// which thousands of articles may read).
    fn alt_label_supported(
        &mut self,
        entity: &NamedNode,
        label: &Term,
    ) -> Result<bool, StorageError> {
        let candidates: Vec<(NamedOrBlankNode, GraphName)> = self
            .tx
            .quads_for_pattern(None, Some(l::READING_ALT_LABEL), Some(label.as_ref()), None)
            .map(|q| q.map(|q| (q.subject, q.graph_name)))
            .collect::<Result<_, _>>()?;
        for (r, g) in candidates {
            if self
                .tx
                .contains(QuadRef::new(&r, l::READING_OF, entity, &g))?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Weapon descriptions and direct triples whose events may be gone.
    fn derived(&mut self, derived: Vec<Quad>) -> Result<(), StorageError> {
        for q in derived {
            if self.rewritten.contains(&q) || !self.tx.contains(&q)? {
                continue;
            }
            let keep = if q.predicate.as_ref() == rdf::TYPE
                || q.predicate.as_ref() == rdfs::LABEL
                || q.predicate == l::DISPLAY_LABEL
            {
                self.weapon_in_use(&q.subject)?
            } else {
                self.direct_supported(&q)?
            };
            if !keep {
                self.tx.remove(&q);
            }
        }
        Ok(())
    }

    fn weapon_in_use(&self, weapon: &NamedOrBlankNode) -> Result<bool, StorageError> {
        let NamedOrBlankNode::NamedNode(w) = weapon else {
            return Ok(false);
        };
        Ok(self
            .tx
            .quads_for_pattern(
                None,
                Some(l::WEAPON),
                Some(w.as_ref().into()),
                Some(self.kg()),
            )
            .next()
            .transpose()?
            .is_some())
    }

    /// Is a direct triple `s p o` still given by some asserted positive event?
    fn direct_supported(&self, q: &Quad) -> Result<bool, StorageError> {
        let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) = (&q.subject, &q.object) else {
            return Ok(false);
        };
        let Some(def) = self
            .reader
            .ont
            .catalogue
            .iter()
            .find(|d| d.property == q.predicate)
        else {
            return Ok(false);
        };
        let (role_s, role_o) = if def.symmetric {
            (l::PARTICIPANT, l::PARTICIPANT)
        } else if def.name == crate::rdf::TESTS_WEAPON {
            (l::AGENT, l::WEAPON)
        } else {
            (l::AGENT, l::TARGET)
        };
        let kg = self.kg();
        let from_s =
            self.tx
                .quads_for_pattern(None, Some(role_s), Some(s.as_ref().into()), Some(kg));
        let from_o =
            self.tx
                .quads_for_pattern(None, Some(role_o), Some(o.as_ref().into()), Some(kg));
        // Walk both sides in step: the cost is twice the smaller side.
        let mut sides = [from_s, from_o];
        let mut done = [false, false];
        let mut turn = 0;
        while !(done[0] && done[1]) {
            if !done[turn] {
                match sides[turn].next() {
                    None => done[turn] = true,
                    Some(ev) => {
                        let ev = ev?;
                        if let NamedOrBlankNode::NamedNode(ev) = &ev.subject {
                            let (other_role, other) = if turn == 0 {
                                (role_o, o.as_ref())
                            } else {
                                (role_s, s.as_ref())
                            };
                            if self.gives_direct(ev, def, other_role, other)? {
                                return Ok(true);
                            }
                        }
                    }
                }
                if done[turn] {
                    // One side is exhausted: every event joining both sides
                    // has been seen from it.
                    return Ok(false);
                }
            }
            turn = 1 - turn;
        }
        Ok(false)
    }

    fn gives_direct(
        &self,
        event: &NamedNode,
        def: &warta_extract::ontology::RelationDef,
        other_role: NamedNodeRef<'_>,
        other: NamedNodeRef<'_>,
    ) -> Result<bool, StorageError> {
        let kg = self.kg();
        let has = |p: NamedNodeRef<'_>, o: TermRef<'_>| -> Result<bool, StorageError> {
            self.tx.contains(QuadRef::new(event, p, o, kg))
        };
        Ok(has(other_role, other.into())?
            && has(rdf::TYPE, def.class.as_ref().into())?
            && has(
                l::POLARITY,
                Literal::new_simple_literal("positive").as_ref().into(),
            )?
            && has(
                l::MODALITY,
                Literal::new_simple_literal("asserted").as_ref().into(),
            )?)
    }
}
