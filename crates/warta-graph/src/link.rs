//! Linking local entities to Wikidata after the fact.
//!
//! An entity the gazetteer does not know gets a local id (a slug of its name)
//! and the IRI `<base>entity/<local id>`. The user links local ids to QIDs in
//! `ontology/local-links.tsv` (see [`warta_extract::ontology::local_links`]). Links act
//! in two places, and both give the same graph:
//!
//! - **at extraction** ([`apply_local_links`], called at the end of
//!   [`warta_extract::extract::Extractor::analyse`]): the entity takes the QID as id,
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

use crate::layout;
use crate::rdf::{ArticleQuads, RdfWriter};
use crate::readback::{ReadbackError, Reader};
use crate::retract::replace_article;
use crate::store::{KgStore, StoreError};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::StorageError;
use std::collections::{BTreeSet, HashSet};
pub use warta_extract::ontology::apply_links::apply_local_links;
use warta_extract::ontology::{LocalLinks, Ontology};
use warta_extract::vocab::IriMinter;

/// Errors of `warta link`. Every one of them leaves the store unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
    #[error("graph <{graph}> holds a linked local entity but is not a warta article graph; nothing was changed")]
    NotAnArticle { graph: String },
    #[error("{0}; nothing was changed")]
    Readback(#[from] ReadbackError),
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

pub fn entity_prefix(minter: &IriMinter) -> String {
    minter.entity_prefix()
}

/// The local id of an entity IRI (`<base>entity/retno_marsudi`), or None for
/// linked entities (QIDs) and other IRIs.
pub fn local_id_of<'a>(iri: &'a str, prefix: &str) -> Option<&'a str> {
    iri.strip_prefix(prefix)
        .filter(|id| !warta_extract::ontology::gazetteer::is_qid(id))
}

/// Rewrites the store as if its articles had been ingested with `links`: each
/// article that reads a linked local entity is read back from the store,
/// given the links with [`apply_local_links`] (the function extraction uses),
/// and written again, its old facts retracted as on re-ingest. One
/// transaction: on any error nothing is changed. Running it again with the
/// same links changes nothing. With `dry_run` the summary says what would
/// change and the store is left as it is.
pub fn relink(
    store: &KgStore,
    minter: &IriMinter,
    ont: &Ontology,
    links: &LocalLinks,
    dry_run: bool,
) -> Result<RelinkSummary, LinkError> {
    let prefix = entity_prefix(minter);
    let writer = RdfWriter::new(minter, ont);
    let reader = Reader::new(minter, ont);
    let mut summary = RelinkSummary::default();
    let mut tx = store.inner().start_transaction()?;
    let mut graphs: BTreeSet<NamedNode> = BTreeSet::new();
    for link in links.iter() {
        let local = NamedNode::new_unchecked(minter.entity(&link.local_id));
        let mut found = false;
        for q in tx.quads_for_pattern(
            None,
            Some(layout::READING_OF),
            Some(local.as_ref().into()),
            None,
        ) {
            if let GraphName::NamedNode(g) = q?.graph_name {
                found = true;
                graphs.insert(g);
            }
        }
        let mut traced: BTreeSet<String> = BTreeSet::new();
        for q in tx.quads_for_pattern(
            None,
            Some(layout::SAME_AS),
            Some(local.as_ref().into()),
            None,
        ) {
            if let NamedOrBlankNode::NamedNode(s) = q?.subject {
                if let Some(qid) = s.as_str().strip_prefix(&prefix) {
                    traced.insert(qid.to_string());
                }
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
        } else if traced.contains(&link.qid) {
            summary
                .already
                .push((link.local_id.clone(), link.qid.clone()));
        } else if traced.is_empty() {
            summary.unused.push(link.local_id.clone());
        }
    }
    let doc_prefix = minter.document_prefix();
    for g in &graphs {
        let Some(doc_id) = g.as_str().strip_prefix(&doc_prefix) else {
            return Err(LinkError::NotAnArticle {
                graph: g.as_str().to_string(),
            });
        };
        let Some(stored) = reader.article(&tx, doc_id)? else {
            continue;
        };
        let before = writer.quads(&stored.extraction, &stored.text);
        let mut x = stored.extraction;
        apply_local_links(&mut x, links);
        let after = writer.quads(&x, &stored.text);
        count_change(&mut summary, &before, &after);
        replace_article(&mut tx, &reader, &writer, &after)?;
    }
    if !dry_run {
        tx.commit()?;
    }
    Ok(summary)
}

/// Adds what rewriting one article changes to the summary.
fn count_change(summary: &mut RelinkSummary, before: &ArticleQuads, after: &ArticleQuads) {
    let set = |a: &ArticleQuads| -> HashSet<Quad> {
        a.article.iter().chain(&a.knowledge).cloned().collect()
    };
    let (old, new) = (set(before), set(after));
    let events = |a: &ArticleQuads| -> HashSet<NamedOrBlankNode> {
        a.article
            .iter()
            .filter(|q| q.predicate == layout::ATTESTED_BY)
            .map(|q| q.subject.clone())
            .collect()
    };
    let (old_events, new_events) = (events(before), events(after));
    summary.articles += 1;
    let gone = old_events.difference(&new_events).count();
    let attestations = |a: &ArticleQuads| {
        a.article
            .iter()
            .filter(|q| q.predicate == layout::ATTESTED_BY)
            .count()
    };
    let dropped = attestations(before).saturating_sub(attestations(after));
    summary.events_dropped += dropped;
    summary.events_reminted += gone.saturating_sub(dropped);
    summary.quads_removed += old.difference(&new).count();
    summary.quads_added += new.difference(&old).count();
}

/// The links a store holds already (from their traces): (local id, QID),
/// sorted and distinct.
pub fn applied_links(
    store: &KgStore,
    minter: &IriMinter,
) -> Result<Vec<(String, String)>, LinkError> {
    let prefix = entity_prefix(minter);
    let same_as = layout::SAME_AS;
    let mut out: BTreeSet<(String, String)> = BTreeSet::new();
    for q in store
        .inner()
        .quads_for_pattern(None, Some(same_as), None, None)
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
    use crate::retract::write_article;
    use warta_extract::model::{
        DocumentMeta, Entity, EntityType, Extraction, Language, Mention, MentionKind, Modality,
        Polarity, Relation,
    };

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

    /// A text with each mention's words at its offsets, for hand-made
    /// extractions.
    fn text_of(x: &Extraction) -> String {
        let end = x
            .entities
            .iter()
            .flat_map(|e| &e.mentions)
            .map(|m| m.end)
            .max()
            .unwrap_or(0);
        let mut bytes = vec![b' '; end];
        for m in x.entities.iter().flat_map(|e| &e.mentions) {
            bytes[m.start..m.end].copy_from_slice(m.text.as_bytes());
        }
        String::from_utf8(bytes).unwrap()
    }

    fn store_with(a: &ArticleQuads) -> KgStore {
        let store = KgStore::memory().unwrap();
        let mut tx = store.inner().start_transaction().unwrap();
        write_article(&mut tx, a);
        tx.commit().unwrap();
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
        let writer = RdfWriter::new(&minter, &ont);
        let links = links(&ont);
        let before = article();
        let mut after = article();
        apply_local_links(&mut after, &links);
        let store = store_with(&writer.quads(&before, &text_of(&before)));
        let fresh = store_with(&writer.quads(&after, &text_of(&after)));
        let s = relink(&store, &minter, &ont, &links, false).unwrap();
        assert_eq!(sorted(&store), sorted(&fresh));
        assert_eq!(s.relinked.len(), 5);
        assert_eq!(s.unused, ["not_in_the_article"]);
        assert_eq!(s.articles, 1);
        assert_eq!(
            s.events_dropped, 2,
            "Rodong Sinmun condemns North Korea; the two Soviet names meet"
        );
        assert_eq!(
            s.events_reminted, 3,
            "the visits to the two airport names and the missile test: {s:?}"
        );
        // Again: nothing to do.
        let again = relink(&store, &minter, &ont, &links, false).unwrap();
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
        let writer = RdfWriter::new(&minter, &ont);
        let all = links(&ont);
        let mut first = LocalLinks::parse(
            "local_id\tqid\nbandara_pyongyang\tQ900001\nuni_republik_sosialis_soviet\tQ15180\n",
            "first.tsv",
        )
        .unwrap();
        first.resolve(&ont.gazetteer);
        let store = store_with(&writer.quads(&article(), &text_of(&article())));
        relink(&store, &minter, &ont, &first, false).unwrap();
        relink(&store, &minter, &ont, &all, false).unwrap();
        let mut after = article();
        apply_local_links(&mut after, &all);
        assert_eq!(
            sorted(&store),
            sorted(&store_with(&writer.quads(&after, &text_of(&after))))
        );
    }

    #[test]
    fn a_dry_run_changes_nothing_and_a_broken_article_stops_everything() {
        let ont = Ontology::embedded().unwrap();
        let minter = IriMinter::default();
        let writer = RdfWriter::new(&minter, &ont);
        let links = links(&ont);
        let mut quads = writer.quads(&article(), &text_of(&article()));
        let store = store_with(&quads);
        let before = sorted(&store);
        let s = relink(&store, &minter, &ont, &links, true).unwrap();
        assert!(s.quads_added > 0);
        assert_eq!(sorted(&store), before);
        // An article graph whose document lost its language.
        quads
            .article
            .retain(|q| q.predicate != crate::layout::IN_LANGUAGE);
        let store = store_with(&quads);
        let before = sorted(&store);
        let err = relink(&store, &minter, &ont, &links, false).unwrap_err();
        assert!(matches!(err, LinkError::Readback(_)), "{err}");
        assert!(err.to_string().contains("nothing was changed"));
        assert_eq!(sorted(&store), before);
    }
}
