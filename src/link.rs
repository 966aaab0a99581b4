//! Linking local entities to Wikidata after the fact.
//!
//! An entity the gazetteer does not know gets a local id (a slug of its name)
//! and the IRI `<base>entity/<local id>`. The user links local ids to QIDs in
//! `ontology/local-links.tsv` (see [`crate::ontology::local_links`]). Links act
//! in two places, and both give the same graph:
//!
//! - **at extraction** ([`apply_local_links`], called at the end of
//!   [`crate::extract::Extractor::analyse`]): the entity takes the QID as id,
//!   merging with the QID's entity when the article already has it, and every
//!   relation follows;
//! - **in a store** ([`relink`], `warta link`): every article graph that holds
//!   a linked local IRI is rewritten in one transaction, to exactly the quads a
//!   fresh ingest with the links would write. Event IRIs are minted from the
//!   participants' ids (see [`IriMinter::event`]), so events are re-minted
//!   too: the same event read before and after the link is one node.
//!
//! What a linked entity becomes, in both places:
//! - id and IRI: the QID; `owl:sameAs wd:Q…`;
//! - **trace**: `owl:sameAs <base>entity/<local id>` for each local id merged
//!   into it, so the old IRI still leads to the entity (the only place the old
//!   IRI remains);
//! - type: the links file's `type` column, else the gazetteer's type for the
//!   QID, else warta's guess (of the local entity with the chosen label);
//! - labels: the gazetteer's when it knows the QID; otherwise the longest name
//!   of the merged local entities (ties: byte order, then type order) in the
//!   article's language. Every other name seen stays a `skos:altLabel`;
//! - relations whose subject and object become the same entity are dropped (the
//!   extractor never relates an entity to itself).

use crate::model::{EntityType, Language};
pub use crate::ontology::apply_links::apply_local_links;
use crate::ontology::apply_links::{final_entity, Final, TESTS_WEAPON};
use crate::ontology::{Catalogue, LocalLink, LocalLinks, RelationDef};
use crate::store::{KgStore, StoreError};
use crate::vocab::{self, EventKey, IriMinter, ONT};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use oxigraph::store::StorageError;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Errors of `warta link`. Every one of them leaves the store unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
    #[error("graph <{graph}> holds a linked local entity but is not a warta article graph (no schema:inLanguage); nothing was changed")]
    NotAnArticle { graph: String },
    #[error("cannot re-mint the event <{event}> in graph <{graph}>: {why} (was the store written with another --base-iri or warta version?); nothing was changed")]
    EventKey {
        event: String,
        graph: String,
        why: String,
    },
}

// ------------------------------------------------------------------ relink

/// What [`relink`] did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RelinkSummary {
    /// (local id, QID) of the links applied by this run.
    pub relinked: Vec<(String, String)>,
    /// Links already applied to the store earlier (only the trace is left).
    pub already: Vec<(String, String)>,
    /// Local ids of the links that the store does not hold at all.
    pub unused: Vec<String>,
    /// Local ids the store has already linked to another QID than the links
    /// say: (local id, QID in the store, QID in the links). `warta link` does
    /// not undo links; re-ingest the articles to change one.
    pub conflicts: Vec<(String, String, String)>,
    /// Article graphs rewritten.
    pub articles: usize,
    /// Events whose IRI changed (their participants were linked).
    pub events_reminted: usize,
    /// Events dropped because both participants became one entity.
    pub events_dropped: usize,
    pub quads_removed: usize,
    pub quads_added: usize,
}

struct Ctx<'a> {
    minter: &'a IriMinter,
    links: &'a LocalLinks,
    classes: HashMap<NamedNode, &'a RelationDef>,
    prefix: String,
}

fn ont(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ONT}{local}"))
}

fn owl_same_as() -> NamedNode {
    NamedNode::new_unchecked(format!("{}sameAs", vocab::OWL))
}

fn skos_alt_label() -> NamedNode {
    NamedNode::new_unchecked(format!("{}altLabel", vocab::SKOS))
}

/// `<base>entity/`, the namespace of entity IRIs.
pub fn entity_prefix(minter: &IriMinter) -> String {
    format!("{}entity/", minter.base())
}

/// The local id of an entity IRI (`<base>entity/retno_marsudi`), or None for
/// linked entities (QIDs) and other IRIs.
pub fn local_id_of<'a>(iri: &'a str, prefix: &str) -> Option<&'a str> {
    iri.strip_prefix(prefix)
        .filter(|id| !crate::ontology::gazetteer::is_qid(id))
}

/// Rewrites the store as if its articles had been ingested with `links`: see
/// the module docs. One transaction: on any error nothing is changed. Running
/// it again with the same links changes nothing. With `dry_run` the summary
/// says what would change and the store is left as it is.
pub fn relink(
    store: &KgStore,
    minter: &IriMinter,
    catalogue: &Catalogue,
    links: &LocalLinks,
    dry_run: bool,
) -> Result<RelinkSummary, LinkError> {
    let ctx = Ctx {
        minter,
        links,
        classes: catalogue.iter().map(|d| (d.class.clone(), d)).collect(),
        prefix: entity_prefix(minter),
    };
    let same_as = owl_same_as();
    let ontology_graph = NamedNode::new_unchecked(vocab::ONTOLOGY_IRI);
    let mut summary = RelinkSummary::default();
    let mut tx = store.inner().start_transaction()?;
    let mut graphs: BTreeSet<NamedNode> = BTreeSet::new();
    let mut present: HashMap<NamedNode, &LocalLink> = HashMap::new();
    for link in links.iter() {
        let local = NamedNode::new_unchecked(minter.entity(&link.local_id));
        let mut found = false;
        let mut traced: BTreeSet<String> = BTreeSet::new();
        for q in tx.quads_for_pattern(Some(local.as_ref().into()), None, None, None) {
            if let GraphName::NamedNode(g) = q?.graph_name {
                found = true;
                graphs.insert(g);
            }
        }
        for q in tx.quads_for_pattern(None, None, Some(local.as_ref().into()), None) {
            let q = q?;
            if q.predicate == same_as {
                if let NamedOrBlankNode::NamedNode(s) = &q.subject {
                    if let Some(qid) = s.as_str().strip_prefix(&ctx.prefix) {
                        traced.insert(qid.to_string());
                    }
                }
            } else if let GraphName::NamedNode(g) = q.graph_name {
                found = true;
                graphs.insert(g);
            }
        }
        for other in traced.iter().filter(|q| **q != link.qid) {
            summary
                .conflicts
                .push((link.local_id.clone(), other.clone(), link.qid.clone()));
        }
        if found {
            summary
                .relinked
                .push((link.local_id.clone(), link.qid.clone()));
            present.insert(local, link);
        } else if traced.contains(&link.qid) {
            summary
                .already
                .push((link.local_id.clone(), link.qid.clone()));
        } else if traced.is_empty() {
            summary.unused.push(link.local_id.clone());
        }
    }
    graphs.remove(&ontology_graph);
    for g in &graphs {
        let quads = tx
            .quads_for_pattern(None, None, None, Some(g.as_ref().into()))
            .collect::<Result<Vec<Quad>, _>>()?;
        let Some(change) = relink_graph(g, &quads, &present, &ctx)? else {
            continue;
        };
        summary.articles += 1;
        summary.events_reminted += change.reminted;
        summary.events_dropped += change.dropped;
        summary.quads_removed += change.removed.len();
        summary.quads_added += change.added.len();
        for q in &change.removed {
            tx.remove(q);
        }
        for q in &change.added {
            tx.insert(q);
        }
    }
    if !dry_run {
        tx.commit()?;
    }
    Ok(summary)
}

/// The quads one article graph loses and gains.
#[derive(Debug, Default)]
struct GraphChange {
    pub removed: Vec<Quad>,
    pub added: Vec<Quad>,
    pub reminted: usize,
    pub dropped: usize,
}

/// Quads of one graph, indexed by subject.
struct Index<'a> {
    by_subject: HashMap<&'a NamedOrBlankNode, Vec<&'a Quad>>,
}

impl<'a> Index<'a> {
    fn new(quads: &'a [Quad]) -> Index<'a> {
        let mut by_subject: HashMap<&NamedOrBlankNode, Vec<&Quad>> = HashMap::new();
        for q in quads {
            by_subject.entry(&q.subject).or_default().push(q);
        }
        Index { by_subject }
    }

    fn objects(&self, s: &NamedNode, p: NamedNodeRef<'_>) -> Vec<&'a Term> {
        let key = NamedOrBlankNode::NamedNode(s.clone());
        self.by_subject
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|q| q.predicate.as_ref() == p)
            .map(|q| &q.object)
            .collect()
    }

    fn literals(&self, s: &NamedNode, p: NamedNodeRef<'_>) -> Vec<&'a Literal> {
        self.objects(s, p)
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l),
                _ => None,
            })
            .collect()
    }

    fn node(&self, s: &NamedNode, p: NamedNodeRef<'_>) -> Option<&'a NamedNode> {
        self.objects(s, p).into_iter().find_map(|t| match t {
            Term::NamedNode(n) => Some(n),
            _ => None,
        })
    }

    fn entity_type(&self, s: &NamedNode) -> Option<EntityType> {
        self.objects(s, rdf::TYPE)
            .into_iter()
            .find_map(|t| match t {
                Term::NamedNode(n) => n.as_str().strip_prefix(ONT).and_then(EntityType::parse),
                _ => None,
            })
    }

    /// The label RDF gives an entity in an article in `lang` (the extraction's
    /// `Entity::label`): the one in the article's language, else English.
    fn entity_label(&self, s: &NamedNode, lang: &str) -> Option<String> {
        let labels = self.literals(s, rdfs::LABEL);
        labels
            .iter()
            .find(|l| l.language() == Some(lang))
            .or_else(|| labels.iter().find(|l| l.language() == Some("en")))
            .map(|l| l.value().to_string())
    }
}

fn lang_literal(value: &str, lang: &str) -> Literal {
    Literal::new_language_tagged_literal(value, lang)
        .unwrap_or_else(|_| Literal::new_simple_literal(value))
}

/// Rewrites one article graph (see [`relink`]); None when no linked local
/// entity is in it.
fn relink_graph(
    graph: &NamedNode,
    quads: &[Quad],
    present: &HashMap<NamedNode, &LocalLink>,
    ctx: &Ctx<'_>,
) -> Result<Option<GraphChange>, LinkError> {
    let same_as = owl_same_as();
    let alt_label = skos_alt_label();
    let ix = Index::new(quads);
    // Which linked local entities this graph holds (a trace is not holding).
    let mut renames: HashMap<NamedNode, NamedNode> = HashMap::new();
    let mut targets: BTreeMap<NamedNode, (String, Vec<NamedNode>)> = BTreeMap::new();
    for q in quads {
        let mut consider = |n: &NamedNode| {
            if let Some(link) = present.get(n) {
                if !renames.contains_key(n) {
                    let target = NamedNode::new_unchecked(ctx.minter.entity(&link.qid));
                    renames.insert(n.clone(), target.clone());
                    targets
                        .entry(target)
                        .or_insert_with(|| (link.qid.clone(), Vec::new()))
                        .1
                        .push(n.clone());
                }
            }
        };
        if let NamedOrBlankNode::NamedNode(s) = &q.subject {
            consider(s);
        }
        if let Term::NamedNode(o) = &q.object {
            if q.predicate != same_as {
                consider(o);
            }
        }
    }
    if renames.is_empty() {
        return Ok(None);
    }
    let lang_tag = ix
        .literals(
            graph,
            NamedNodeRef::new_unchecked("https://schema.org/inLanguage"),
        )
        .first()
        .map(|l| l.value().to_string());
    let Some(lang) = lang_tag.as_deref().and_then(Language::parse) else {
        return Err(LinkError::NotAnArticle {
            graph: graph.as_str().to_string(),
        });
    };
    let tag = lang.tag();
    let gname = GraphName::NamedNode(graph.clone());
    let ren = |n: &NamedNode| renames.get(n).cloned().unwrap_or_else(|| n.clone());

    // Entities: the linked ones' type, labels and links, recomputed.
    let mut finals: HashMap<NamedNode, Final> = HashMap::new();
    let mut entity_quads: Vec<Quad> = Vec::new();
    let mut rewritten: HashSet<NamedNode> = HashSet::new();
    for (target, (qid, locals)) in &targets {
        let known = ctx.links.known(qid).is_some();
        let existing = ix.entity_type(target).is_some();
        let mut names: BTreeSet<String> = BTreeSet::new();
        let mut candidates: Vec<(String, EntityType)> = Vec::new();
        let mut nodes: Vec<&NamedNode> = locals.iter().collect();
        if existing {
            nodes.push(target);
        }
        for n in &nodes {
            for l in ix.literals(n, alt_label.as_ref()) {
                names.insert(l.value().to_string());
            }
            let is_local = *n != target;
            if is_local || !known {
                // A local entity's label is one of its names (the longest).
                if let (Some(label), Some(t)) = (ix.entity_label(n, tag), ix.entity_type(n)) {
                    names.insert(label.clone());
                    candidates.push((label, t));
                }
            }
            rewritten.insert((*n).clone());
        }
        let f = final_entity(qid, ctx.links, lang, &candidates);
        let mut add = |p: NamedNodeRef<'_>, o: Term| {
            entity_quads.push(Quad::new(target.clone(), p.into_owned(), o, gname.clone()));
        };
        add(rdf::TYPE, ont(f.entity_type.name()).into());
        if f.labels.is_empty() {
            add(rdfs::LABEL, lang_literal(&f.label, tag).into());
        }
        for (l, label) in &f.labels {
            add(rdfs::LABEL, lang_literal(label, l).into());
        }
        for name in names.iter().filter(|n| **n != f.label) {
            add(alt_label.as_ref(), lang_literal(name, tag).into());
        }
        add(
            same_as.as_ref(),
            NamedNode::new_unchecked(format!("{}{qid}", vocab::WD)).into(),
        );
        for local in locals {
            add(same_as.as_ref(), local.clone().into());
        }
        finals.insert(target.clone(), f);
    }
    let replaced_predicates = [rdf::TYPE, rdfs::LABEL, alt_label.as_ref()];

    // Everything else, with the entity IRIs renamed (traces stay as they are).
    let mut new: Vec<Quad> = Vec::with_capacity(quads.len() + entity_quads.len());
    for q in quads {
        let subject_node = match &q.subject {
            NamedOrBlankNode::NamedNode(n) => Some(n),
            _ => None,
        };
        if subject_node.is_some_and(|s| rewritten.contains(s))
            && replaced_predicates.contains(&q.predicate.as_ref())
        {
            continue;
        }
        let subject: NamedOrBlankNode = match subject_node {
            Some(n) => ren(n).into(),
            None => q.subject.clone(),
        };
        let object: Term = match &q.object {
            Term::NamedNode(n) if q.predicate != same_as => ren(n).into(),
            other => other.clone(),
        };
        new.push(Quad::new(
            subject,
            q.predicate.clone(),
            object,
            gname.clone(),
        ));
    }
    new.extend(entity_quads);

    // Events: re-minted from their (new) participants' ids.
    let agent = ont("agent");
    let target_p = ont("target");
    let weapon_p = ont("weapon");
    let mut affected: BTreeSet<&NamedNode> = BTreeSet::new();
    for q in quads {
        if (q.predicate == agent || q.predicate == target_p)
            && matches!(&q.object, Term::NamedNode(o) if renames.contains_key(o))
        {
            if let NamedOrBlankNode::NamedNode(e) = &q.subject {
                affected.insert(e);
            }
        }
    }
    let mut emap: HashMap<NamedNode, NamedNode> = HashMap::new();
    let mut dropped: HashSet<NamedNode> = HashSet::new();
    let mut dropped_direct: Vec<(NamedNode, NamedNode)> = Vec::new();
    let key_error = |e: &NamedNode, why: &str| LinkError::EventKey {
        event: e.as_str().to_string(),
        graph: graph.as_str().to_string(),
        why: why.to_string(),
    };
    for e in affected {
        let def = ix
            .objects(e, rdf::TYPE)
            .into_iter()
            .find_map(|t| match t {
                Term::NamedNode(n) => ctx.classes.get(n).copied(),
                _ => None,
            })
            .ok_or_else(|| key_error(e, "no relation class"))?;
        let id_of = |n: &NamedNode| -> Result<String, LinkError> {
            n.as_str()
                .strip_prefix(&ctx.prefix)
                .map(str::to_string)
                .ok_or_else(|| key_error(e, "a participant is not an entity IRI"))
        };
        let subj = ix
            .node(e, agent.as_ref())
            .ok_or_else(|| key_error(e, "no agent"))?;
        let (old_subject, new_subject) = (id_of(subj)?, id_of(&ren(subj))?);
        let (old_object, new_object) = if def.name == TESTS_WEAPON {
            let w = ix
                .node(e, weapon_p.as_ref())
                .ok_or_else(|| key_error(e, "no weapon"))?;
            let class = ix
                .literals(w, rdfs::LABEL)
                .first()
                .map(|l| l.value().to_string())
                .ok_or_else(|| key_error(e, "no weapon label"))?;
            (class.clone(), class)
        } else {
            let o = ix
                .node(e, target_p.as_ref())
                .ok_or_else(|| key_error(e, "no target"))?;
            (id_of(o)?, id_of(&ren(o))?)
        };
        let first = |p: &str| {
            ix.literals(e, ont(p).as_ref())
                .first()
                .map(|l| l.value().to_string())
        };
        let polarity = first("polarity").ok_or_else(|| key_error(e, "no polarity"))?;
        let modality = first("modality").ok_or_else(|| key_error(e, "no modality"))?;
        let mut dates: Vec<Option<String>> = ix
            .literals(e, ont("date").as_ref())
            .iter()
            .map(|l| Some(l.value().to_string()))
            .chain(
                ix.literals(e, ont("timeText").as_ref())
                    .iter()
                    .map(|l| Some(crate::text::fold(l.value()))),
            )
            .collect();
        dates.push(None);
        let mut positions: Vec<Option<String>> = ix
            .literals(e, ont("position").as_ref())
            .iter()
            .map(|l| Some(l.value().to_string()))
            .collect();
        positions.push(None);
        let key = |s: &str, o: &str, date: &Option<String>, position: &Option<String>| {
            ctx.minter.event(&EventKey {
                relation: &def.name,
                subject: s,
                object: o,
                symmetric: def.symmetric,
                polarity: &polarity,
                modality: &modality,
                date: date.as_deref(),
                position: position.as_deref(),
            })
        };
        let (date, position) = dates
            .iter()
            .flat_map(|d| positions.iter().map(move |p| (d, p)))
            .find(|(d, p)| key(&old_subject, &old_object, d, p) == e.as_str())
            .ok_or_else(|| key_error(e, "its key does not give back its IRI"))?;
        let minted = NamedNode::new_unchecked(key(&new_subject, &new_object, date, position));
        if def.name != TESTS_WEAPON && new_subject == new_object {
            dropped.insert(minted.clone());
            let q = NamedNode::new_unchecked(ctx.minter.entity(&new_subject));
            dropped_direct.push((q, def.property.clone()));
        }
        if minted != *e {
            emap.insert(e.clone(), minted);
        }
    }
    let reminted = emap.len();
    if !emap.is_empty() {
        for q in &mut new {
            if let NamedOrBlankNode::NamedNode(s) = &q.subject {
                if let Some(m) = emap.get(s) {
                    q.subject = m.clone().into();
                }
            }
            if let Term::NamedNode(o) = &q.object {
                if let Some(m) = emap.get(o) {
                    q.object = m.clone().into();
                }
            }
        }
    }
    if !dropped.is_empty() {
        let attested_by = ont("attestedBy");
        let is_dropped = |s: &NamedOrBlankNode| matches!(s, NamedOrBlankNode::NamedNode(n) if dropped.contains(n));
        let orphans: HashSet<Term> = new
            .iter()
            .filter(|q| q.predicate == attested_by && is_dropped(&q.subject))
            .map(|q| q.object.clone())
            .collect();
        new.retain(|q| {
            !is_dropped(&q.subject)
                && !dropped_direct.iter().any(|(x, p)| {
                    q.predicate == *p
                        && matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s == x)
                        && matches!(&q.object, Term::NamedNode(o) if o == x)
                })
        });
        let still: HashSet<&Term> = new
            .iter()
            .filter(|q| q.predicate == attested_by)
            .map(|q| &q.object)
            .collect();
        let gone: HashSet<Term> = orphans.into_iter().filter(|a| !still.contains(a)).collect();
        new.retain(|q| {
            !gone.iter().any(|a| match (a, &q.subject) {
                (Term::NamedNode(a), NamedOrBlankNode::NamedNode(s)) => a == s,
                _ => false,
            })
        });
    }

    // Event labels name the participants: recomputed where a linked entity takes part.
    let nix = Index::new(&new);
    let label_of = |id: &str| -> String {
        let node = NamedNode::new_unchecked(ctx.minter.entity(id));
        if let Some(f) = finals.get(&node) {
            return f.label.clone();
        }
        if nix.entity_type(&node).is_some() {
            if let Some(l) = nix.entity_label(&node, tag) {
                return l;
            }
        }
        id.to_string()
    };
    let mut relabel: HashMap<NamedNode, String> = HashMap::new();
    for (s, qs) in &nix.by_subject {
        let NamedOrBlankNode::NamedNode(e) = s else {
            continue;
        };
        let Some(a) = qs.iter().find(|q| q.predicate == agent) else {
            continue;
        };
        let Term::NamedNode(a) = &a.object else {
            continue;
        };
        let o = qs
            .iter()
            .find(|q| q.predicate == target_p)
            .and_then(|q| match &q.object {
                Term::NamedNode(n) => Some(n),
                _ => None,
            });
        if !finals.contains_key(a) && !o.is_some_and(|o| finals.contains_key(o)) {
            continue;
        }
        let Some(def) = qs.iter().find_map(|q| match &q.object {
            Term::NamedNode(n) if q.predicate.as_ref() == rdf::TYPE => ctx.classes.get(n).copied(),
            _ => None,
        }) else {
            continue;
        };
        let object_id = match o {
            Some(o) => o
                .as_str()
                .strip_prefix(&ctx.prefix)
                .unwrap_or(o.as_str())
                .to_string(),
            None => qs
                .iter()
                .find(|q| q.predicate == weapon_p)
                .and_then(|q| match &q.object {
                    Term::NamedNode(w) => nix
                        .literals(w, rdfs::LABEL)
                        .first()
                        .map(|l| l.value().to_string()),
                    _ => None,
                })
                .unwrap_or_default(),
        };
        let subject_id = a.as_str().strip_prefix(&ctx.prefix).unwrap_or(a.as_str());
        relabel.insert(
            e.clone(),
            format!(
                "{} {} {}",
                label_of(subject_id),
                def.name,
                label_of(&object_id)
            ),
        );
    }
    drop(nix);
    if !relabel.is_empty() {
        new.retain(|q| {
            !(q.predicate.as_ref() == rdfs::LABEL
                && matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if relabel.contains_key(s)))
        });
        for (e, label) in relabel {
            new.push(Quad::new(
                e,
                rdfs::LABEL.into_owned(),
                Literal::new_simple_literal(label),
                gname.clone(),
            ));
        }
    }

    let old: HashSet<&Quad> = quads.iter().collect();
    let new_set: HashSet<Quad> = new.into_iter().collect();
    let removed: Vec<Quad> = quads
        .iter()
        .filter(|q| !new_set.contains(*q))
        .cloned()
        .collect();
    let mut added: Vec<Quad> = new_set.into_iter().filter(|q| !old.contains(q)).collect();
    added.sort_by_cached_key(ToString::to_string);
    Ok(Some(GraphChange {
        removed,
        added,
        reminted,
        dropped: dropped.len(),
    }))
}

/// The links a store holds already (from their traces): (local id, QID),
/// sorted and distinct.
pub fn applied_links(
    store: &KgStore,
    minter: &IriMinter,
) -> Result<Vec<(String, String)>, LinkError> {
    let prefix = entity_prefix(minter);
    let same_as = owl_same_as();
    let mut out: BTreeSet<(String, String)> = BTreeSet::new();
    for q in store
        .inner()
        .quads_for_pattern(None, Some(same_as.as_ref()), None, None)
    {
        let q = q?;
        let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) = (&q.subject, &q.object) else {
            continue;
        };
        let Some(qid) = s.as_str().strip_prefix(&prefix) else {
            continue;
        };
        if let Some(local) = local_id_of(o.as_str(), &prefix) {
            out.insert((local.to_string(), qid.to_string()));
        }
    }
    Ok(out.into_iter().collect())
}

/// Links the store holds that `links` lacks or contradicts: (local id, QID in
/// the store, QID in `links`). Articles ingested with `links` would give such
/// entities their local IRI (or another QID) again.
pub fn missing_links(
    store: &KgStore,
    minter: &IriMinter,
    links: &LocalLinks,
) -> Result<Vec<(String, String, Option<String>)>, LinkError> {
    Ok(applied_links(store, minter)?
        .into_iter()
        .filter_map(|(local, qid)| {
            let now = links.get(&local).map(|l| l.qid.clone());
            (now.as_deref() != Some(qid.as_str())).then_some((local, qid, now))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        DocumentMeta, Entity, Extraction, Mention, MentionKind, Modality, Polarity, Relation,
    };
    use crate::ontology::Ontology;
    use crate::rdf::RdfWriter;

    fn mention(text: &str, start: usize, kind: MentionKind) -> Mention {
        Mention {
            text: text.to_string(),
            start,
            end: start + text.len(),
            kind,
        }
    }

    fn local(id: &str, label: &str, t: EntityType, mentions: Vec<Mention>) -> Entity {
        Entity {
            id: id.to_string(),
            qid: None,
            label: label.to_string(),
            entity_type: t,
            labels: Vec::new(),
            mentions,
            local_ids: Vec::new(),
        }
    }

    fn relation(s: &str, rel: &str, o: &str, start: usize) -> Relation {
        Relation {
            subject: s.to_string(),
            relation: rel.to_string(),
            object: o.to_string(),
            polarity: Polarity::Positive,
            modality: Modality::Asserted,
            time: Some("Senin".to_string()),
            date: None,
            location: None,
            attributed_to: None,
            position: None,
            confidence: 0.8,
            rule: "test".to_string(),
            trigger: "bertemu".to_string(),
            evidence: "evidence".to_string(),
            start,
            end: start + 8,
            sentence: "A sentence.".to_string(),
        }
    }

    /// An Indonesian article: North Korea (gazetteer), Rodong Sinmun, two
    /// names of one airport, two names of the Soviet Union, Sergey Lavrov.
    fn article() -> Extraction {
        let nk = Entity {
            id: "Q423".to_string(),
            qid: Some("Q423".to_string()),
            label: "Korea Utara".to_string(),
            entity_type: EntityType::Country,
            labels: vec![
                ("en".to_string(), "North Korea".to_string()),
                ("id".to_string(), "Korea Utara".to_string()),
            ],
            mentions: vec![
                mention("Korea Utara", 0, MentionKind::Name),
                mention("Korut", 50, MentionKind::Name),
            ],
            local_ids: Vec::new(),
        };
        let mut x = Extraction {
            document: DocumentMeta {
                id: "ab".repeat(32),
                source: "test.txt".to_string(),
                title: Some("Judul".to_string()),
                url: None,
                published: None,
                language: Language::Id,
                publisher: None,
            },
            entities: vec![
                nk,
                local(
                    "rodong_sinmun",
                    "Rodong Sinmun",
                    EntityType::Media,
                    vec![mention("Rodong Sinmun", 100, MentionKind::Name)],
                ),
                local(
                    "bandara_pyongyang",
                    "Bandara Pyongyang",
                    EntityType::Place,
                    vec![mention("Bandara Pyongyang", 200, MentionKind::Name)],
                ),
                local(
                    "bandara_internasional_pyongyang",
                    "Bandara Internasional Pyongyang",
                    EntityType::Place,
                    vec![
                        mention("Bandara Internasional Pyongyang", 300, MentionKind::Name),
                        mention("bandara itu", 400, MentionKind::Description),
                    ],
                ),
                local(
                    "uni_soviet",
                    "Uni Soviet",
                    EntityType::Organization,
                    vec![
                        mention("Uni Soviet", 500, MentionKind::Name),
                        mention("Soviet", 550, MentionKind::Name),
                    ],
                ),
                local(
                    "uni_republik_sosialis_soviet",
                    "Uni Republik Sosialis Soviet",
                    EntityType::Organization,
                    vec![mention(
                        "Uni Republik Sosialis Soviet",
                        600,
                        MentionKind::Name,
                    )],
                ),
                local(
                    "sergey_lavrov",
                    "Sergey Lavrov",
                    EntityType::Person,
                    vec![
                        mention("Sergey Lavrov", 700, MentionKind::Name),
                        mention("Lavrov", 750, MentionKind::ShortForm),
                    ],
                ),
            ],
            relations: Vec::new(),
        };
        let mut meets = relation("sergey_lavrov", "meets", "Q423", 700);
        meets.location = Some("bandara_pyongyang".to_string());
        meets.attributed_to = Some("rodong_sinmun".to_string());
        x.relations.push(meets);
        // Becomes Q423 condemns Q423 when Rodong Sinmun is linked to Q423.
        x.relations
            .push(relation("rodong_sinmun", "condemns", "Q423", 100));
        x.relations.push(relation(
            "sergey_lavrov",
            "visits",
            "bandara_internasional_pyongyang",
            720,
        ));
        x.relations.push(relation(
            "sergey_lavrov",
            "visits",
            "bandara_pyongyang",
            730,
        ));
        x.relations.push(relation(
            "uni_soviet",
            "meets",
            "uni_republik_sosialis_soviet",
            600,
        ));
        let mut missile = relation("rodong_sinmun", "testsWeapon", "missile", 800);
        missile.date = Some("2024-01-14".to_string());
        x.relations.push(missile);
        x
    }

    fn links(ont: &Ontology) -> LocalLinks {
        let mut l = LocalLinks::parse(
            "local_id\tqid\tlabel\ttype\tnote\n\
             rodong_sinmun\tQ423\n\
             bandara_pyongyang\tQ900001\n\
             bandara_internasional_pyongyang\tQ900001\n\
             uni_soviet\tQ15180\t\tCountry\n\
             uni_republik_sosialis_soviet\tQ15180\n\
             not_in_the_article\tQ900002\n",
            "links.tsv",
        )
        .unwrap();
        l.resolve(&ont.gazetteer);
        l
    }

    #[test]
    fn linked_entities_take_the_qid_and_merge() {
        let ont = Ontology::embedded().unwrap();
        let mut x = article();
        apply_local_links(&mut x, &links(&ont));
        let ids: Vec<&str> = x.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["Q423", "Q900001", "Q15180", "sergey_lavrov"]);
        let nk = x.entity("Q423").unwrap();
        assert_eq!(nk.entity_type, EntityType::Country, "the gazetteer's type");
        assert_eq!(nk.label, "Korea Utara");
        assert_eq!(nk.local_ids, ["rodong_sinmun"]);
        assert_eq!(nk.mentions.len(), 3);
        let airport = x.entity("Q900001").unwrap();
        assert_eq!(
            airport.label, "Bandara Internasional Pyongyang",
            "the longest name"
        );
        assert_eq!(airport.qid.as_deref(), Some("Q900001"));
        assert_eq!(
            airport.local_ids,
            ["bandara_internasional_pyongyang", "bandara_pyongyang"]
        );
        assert!(airport
            .mentions
            .windows(2)
            .all(|w| w[0].start <= w[1].start));
        let ussr = x.entity("Q15180").unwrap();
        assert_eq!(
            ussr.entity_type,
            EntityType::Country,
            "the links file's type"
        );
        let rel: Vec<(&str, &str, &str)> = x
            .relations
            .iter()
            .map(|r| (r.subject.as_str(), r.relation.as_str(), r.object.as_str()))
            .collect();
        assert_eq!(
            rel,
            [
                ("sergey_lavrov", "meets", "Q423"),
                ("sergey_lavrov", "visits", "Q900001"),
                ("sergey_lavrov", "visits", "Q900001"),
                ("Q423", "testsWeapon", "missile"),
            ],
            "self-relations dropped"
        );
        assert_eq!(x.relations[0].location.as_deref(), Some("Q900001"));
        assert_eq!(x.relations[0].attributed_to.as_deref(), Some("Q423"));
        // Nothing to do: nothing changes.
        let mut y = article();
        apply_local_links(&mut y, &LocalLinks::default());
        assert_eq!(y.entities.len(), 7);
    }

    fn store_with(quads: &[Quad]) -> KgStore {
        let store = KgStore::memory().unwrap();
        for q in quads {
            store.inner().insert(q).unwrap();
        }
        store
    }

    fn sorted(store: &KgStore) -> Vec<String> {
        let mut v: Vec<String> = store
            .inner()
            .iter()
            .map(|q| q.unwrap().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn relinking_a_store_gives_what_ingesting_with_the_links_gives() {
        let ont = Ontology::embedded().unwrap();
        let minter = IriMinter::default();
        let writer = RdfWriter::new(&minter, &ont.catalogue);
        let links = links(&ont);
        let before = article();
        let mut after = article();
        apply_local_links(&mut after, &links);
        let store = store_with(&writer.quads(&before));
        let fresh = store_with(&writer.quads(&after));
        let s = relink(&store, &minter, &ont.catalogue, &links, false).unwrap();
        assert_eq!(sorted(&store), sorted(&fresh));
        assert_eq!(s.relinked.len(), 5);
        assert_eq!(s.unused, ["not_in_the_article"]);
        assert_eq!(s.articles, 1);
        assert_eq!(
            s.events_dropped, 2,
            "Rodong Sinmun condemns North Korea; the two Soviet names meet"
        );
        assert!(s.events_reminted >= 4, "{s:?}");
        // Again: nothing to do.
        let again = relink(&store, &minter, &ont.catalogue, &links, false).unwrap();
        assert_eq!(
            (again.quads_added, again.quads_removed, again.articles),
            (0, 0, 0)
        );
        assert_eq!(again.already.len(), 5);
        assert_eq!(sorted(&store), sorted(&fresh));
    }

    #[test]
    fn links_added_later_merge_with_those_applied_before() {
        let ont = Ontology::embedded().unwrap();
        let minter = IriMinter::default();
        let writer = RdfWriter::new(&minter, &ont.catalogue);
        let all = links(&ont);
        let mut first = LocalLinks::parse(
            "local_id\tqid\nbandara_pyongyang\tQ900001\nuni_republik_sosialis_soviet\tQ15180\n",
            "first.tsv",
        )
        .unwrap();
        first.resolve(&ont.gazetteer);
        let store = store_with(&writer.quads(&article()));
        relink(&store, &minter, &ont.catalogue, &first, false).unwrap();
        relink(&store, &minter, &ont.catalogue, &all, false).unwrap();
        let mut after = article();
        apply_local_links(&mut after, &all);
        assert_eq!(sorted(&store), sorted(&store_with(&writer.quads(&after))));
    }

    #[test]
    fn a_dry_run_changes_nothing_and_a_foreign_event_iri_stops_everything() {
        let ont = Ontology::embedded().unwrap();
        let minter = IriMinter::default();
        let writer = RdfWriter::new(&minter, &ont.catalogue);
        let links = links(&ont);
        let quads = writer.quads(&article());
        let store = store_with(&quads);
        let before = sorted(&store);
        let s = relink(&store, &minter, &ont.catalogue, &links, true).unwrap();
        assert!(s.quads_added > 0);
        assert_eq!(sorted(&store), before);
        // An event whose IRI its key does not give back.
        let foreign: Vec<Quad> = quads
            .iter()
            .map(|q| {
                let mut q = q.clone();
                if let NamedOrBlankNode::NamedNode(n) = &q.subject {
                    if let Some(rest) = n.as_str().strip_prefix(&format!("{}event/", minter.base()))
                    {
                        q.subject =
                            NamedNode::new_unchecked(format!("{}event/{rest}x", minter.base()))
                                .into();
                    }
                }
                q
            })
            .collect();
        let store = store_with(&foreign);
        let before = sorted(&store);
        let err = relink(&store, &minter, &ont.catalogue, &links, false).unwrap_err();
        assert!(matches!(err, LinkError::EventKey { .. }), "{err}");
        assert!(err.to_string().contains("nothing was changed"));
        assert_eq!(sorted(&store), before);
    }
}
