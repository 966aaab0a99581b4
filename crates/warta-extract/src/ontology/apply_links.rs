//! Applying the user's links (`ontology/local-links.tsv`, see
//! [`super::local_links`]) to one article's extraction.
//!
//! Links are data, as the gazetteer is: extraction applies them as its last
//! step ([`crate::extract::Extractor::analyse`]), and `warta link` rewrites
//! a store to the same result (`warta_graph::link::relink`, which uses
//! [`final_entity`] so both places choose the same label and type). What a
//! linked entity becomes is described in the docs of `warta_graph::link`.

use super::{LocalLink, LocalLinks};
use crate::model::{Entity, EntityType, Extraction, Language};
use std::cmp::Reverse;
use std::collections::HashMap;

/// The relation whose object is a weapon class, not an entity.
pub const TESTS_WEAPON: &str = "testsWeapon";

/// The rank of a candidate label: longest first, then byte order, then type.
fn rank(label: &str, t: EntityType) -> (Reverse<usize>, &str, EntityType) {
    (Reverse(label.len()), label, t)
}

/// What an entity linked to `qid` looks like in an article in `lang`, given
/// the (label, type) of the local entities merged into it.
pub struct Final {
    pub entity_type: EntityType,
    pub label: String,
    /// Labels by language; empty means the one `label` in the article's language.
    pub labels: Vec<(String, String)>,
}

pub fn final_entity(
    qid: &str,
    links: &LocalLinks,
    lang: Language,
    candidates: &[(String, EntityType)],
) -> Final {
    let over = links.type_for(qid);
    if let Some(k) = links.known(qid) {
        return Final {
            entity_type: over.unwrap_or(k.entity_type),
            label: k.label(lang).to_string(),
            labels: k.labels(),
        };
    }
    let (label, t) = candidates
        .iter()
        .min_by(|a, b| rank(&a.0, a.1).cmp(&rank(&b.0, b.1)))
        .cloned()
        .unwrap_or_else(|| (qid.to_string(), EntityType::Organization));
    Final {
        entity_type: over.unwrap_or(t),
        label,
        labels: Vec::new(),
    }
}

/// Applies the links to one article's extraction: every local entity whose id
/// is linked takes the QID (merging with an entity of that QID already in the
/// article, or with other local entities linked to it), and relations follow
/// (subject, object, location, attributed_to). See the module docs for labels
/// and types. Does nothing when no entity of the article is linked.
pub fn apply_local_links(x: &mut Extraction, links: &LocalLinks) {
    if links.is_empty() {
        return;
    }
    let renamed: HashMap<String, &LocalLink> = x
        .entities
        .iter()
        .filter(|e| e.qid.is_none())
        .filter_map(|e| links.get(&e.id).map(|l| (e.id.clone(), l)))
        .collect();
    if renamed.is_empty() {
        return;
    }
    let lang = x.document.language;
    let mut out: Vec<Entity> = Vec::with_capacity(x.entities.len());
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut candidates: HashMap<String, Vec<(String, EntityType)>> = HashMap::new();
    for mut e in std::mem::take(&mut x.entities) {
        if let Some(link) = renamed.get(&e.id).filter(|_| e.qid.is_none()) {
            candidates
                .entry(link.qid.clone())
                .or_default()
                .push((e.label.clone(), e.entity_type));
            let local = std::mem::replace(&mut e.id, link.qid.clone());
            e.local_ids.push(local);
            e.qid = Some(link.qid.clone());
        }
        match at.get(&e.id) {
            Some(&i) => {
                let into = &mut out[i];
                into.mentions.append(&mut e.mentions);
                into.local_ids.append(&mut e.local_ids);
            }
            None => {
                at.insert(e.id.clone(), out.len());
                out.push(e);
            }
        }
    }
    for e in out.iter_mut().filter(|e| !e.local_ids.is_empty()) {
        let qid = e.id.clone();
        let f = final_entity(
            &qid,
            links,
            lang,
            candidates.get(&qid).map_or(&[][..], Vec::as_slice),
        );
        e.entity_type = f.entity_type;
        e.label = f.label;
        e.labels = f.labels;
        e.mentions.sort_by_key(|m| (m.start, m.end));
        e.mentions.dedup();
        e.local_ids.sort();
        e.local_ids.dedup();
    }
    x.entities = out;
    let rename = |id: &mut String| {
        if let Some(l) = renamed.get(id.as_str()) {
            id.clone_from(&l.qid);
        }
    };
    for r in &mut x.relations {
        rename(&mut r.subject);
        if r.relation != TESTS_WEAPON {
            rename(&mut r.object);
        }
        if let Some(l) = &mut r.location {
            rename(l);
        }
        if let Some(a) = &mut r.attributed_to {
            rename(a);
        }
    }
    x.relations
        .retain(|r| r.relation == TESTS_WEAPON || r.subject != r.object);
}
