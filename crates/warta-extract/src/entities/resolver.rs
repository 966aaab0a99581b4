//! The resolver's state while it reads an article's mentions in text order:
//! the entities so far, the names (folded) that stand for them, and the
//! positions their titles gave them.

use super::{DocEntities, Resolved};
use crate::mentions::RawMention;
use crate::model::{Entity, EntityType, Language, Mention, MentionKind};
use crate::ontology::{Lexicon, Ontology};
use crate::text::{fold, fold_to, fold_words, folds_to};
use rustc_hash::FxHashMap as HashMap;

pub(super) struct Resolver<'a> {
    pub(super) text: &'a str,
    pub(super) ont: &'a Ontology,
    pub(super) lex: &'a Lexicon,
    pub(super) lang: Language,
    pub(super) out: DocEntities,
    pub(super) by_key: HashMap<String, usize>,
    pub(super) aliases: HashMap<String, usize>,
    /// The fold of the last surface looked up (a buffer reused per mention).
    pub(super) key: String,
    /// Positions each entity holds in this article (from titles).
    pub(super) roles: HashMap<usize, Vec<String>>,
    /// (Mention index, owner span) of roles whose owner comes later.
    pub(super) pending_owners: Vec<(usize, (usize, usize))>,
}

impl<'a> Resolver<'a> {
    /// A resolver for an article of `mentions` raw mentions.
    pub(super) fn new(text: &'a str, ont: &'a Ontology, lang: Language, mentions: usize) -> Self {
        Resolver {
            text,
            ont,
            lex: ont.lexicon(lang),
            lang,
            out: DocEntities {
                mentions: Vec::with_capacity(mentions),
                ..DocEntities::default()
            },
            by_key: HashMap::default(),
            aliases: HashMap::default(),
            key: String::new(),
            roles: HashMap::default(),
            pending_owners: Vec::new(),
        }
    }

    pub(super) fn entity_for(
        &mut self,
        key: String,
        qid: Option<String>,
        label: String,
        t: EntityType,
        labels: Vec<(String, String)>,
    ) -> usize {
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        let i = self.out.entities.len();
        self.out.entities.push(Entity {
            id: key.clone(),
            qid,
            label,
            entity_type: t,
            labels,
            mentions: Vec::new(),
            local_ids: Vec::new(),
        });
        self.out.named.push(false);
        self.by_key.insert(key, i);
        i
    }

    pub(super) fn gazetteer_entity(&mut self, entry: usize) -> usize {
        let e = self.ont.gazetteer.entry(entry);
        if let Some(&i) = self.by_key.get(&e.id) {
            return i;
        }
        let mut labels = vec![("en".to_string(), e.label_en.clone())];
        if let Some(l) = &e.label_id {
            labels.push(("id".to_string(), l.clone()));
        }
        let (id, qid) = (e.id.clone(), e.qid.clone());
        let (label, t) = (e.label(self.lang).to_string(), e.entity_type);
        self.entity_for(id, qid, label, t, labels)
    }

    /// The entity a name folded like `surface` already stands for; leaves
    /// the fold in `self.key`.
    pub(super) fn alias_of(&mut self, surface: &str) -> Option<usize> {
        fold_to(&mut self.key, surface);
        self.aliases.get(&self.key).copied()
    }

    /// Names folded like `surface` stand for `e` from here on.
    pub(super) fn set_alias(&mut self, surface: &str, e: usize) {
        fold_to(&mut self.key, surface);
        if let Some(slot) = self.aliases.get_mut(&self.key) {
            *slot = e;
        } else {
            self.aliases.insert(self.key.clone(), e);
        }
    }

    /// Most recent entity (by mention order) satisfying `pred`.
    pub(super) fn recent(
        &self,
        before: usize,
        pred: impl Fn(usize, &Resolved) -> bool,
    ) -> Option<usize> {
        self.out
            .mentions
            .iter()
            .rev()
            .filter(|m| m.start < before)
            .flat_map(|m| m.entities.iter().map(move |&e| (e, m)))
            .find(|(e, m)| pred(*e, m))
            .map(|(e, _)| e)
    }

    pub(super) fn push(&mut self, raw: &RawMention, entities: Vec<usize>, kind: MentionKind) {
        if entities.is_empty() {
            return;
        }
        let surface = self.text.get(raw.start..raw.end).unwrap_or("");
        for &e in &entities {
            if let Some(ent) = self.out.entities.get_mut(e) {
                ent.mentions.push(Mention {
                    text: surface.to_string(),
                    start: raw.start,
                    end: raw.end,
                    kind,
                });
            }
            if kind == MentionKind::Name {
                if let Some(n) = self.out.named.get_mut(e) {
                    *n = true;
                }
            }
        }
        self.out.mentions.push(Resolved {
            start: raw.start,
            end: raw.end,
            sentence: raw.sentence,
            entities,
            kind,
            role: None,
        });
    }

    pub(super) fn person_with_token(&self, before: usize, token: &str) -> Option<usize> {
        let folded = fold(token);
        let has_token = |name: &str| multi_word_name_with(name, &folded);
        // Each entity is judged once, however many mentions it has.
        let judged: std::cell::RefCell<Vec<Option<bool>>> =
            std::cell::RefCell::new(vec![None; self.out.entities.len()]);
        self.recent(before, |e, _| {
            if let Some(known) = judged.borrow().get(e).copied().flatten() {
                return known;
            }
            let ent = &self.out.entities[e];
            let fits = ent.entity_type == EntityType::Person
                && (has_token(&ent.label)
                    || ent
                        .mentions
                        .iter()
                        .any(|m| m.kind == MentionKind::Name && has_token(&m.text)));
            if let Some(slot) = judged.borrow_mut().get_mut(e) {
                *slot = Some(fits);
            }
            fits
        })
    }
}

/// `name` has several words, one of them `folded_word` ("Vladimir Putin"
/// and "putin"): the test for a short form of a person's name.
pub(super) fn multi_word_name_with(name: &str, folded_word: &str) -> bool {
    let (mut words, mut found) = (0, false);
    for w in fold_words(name) {
        words += 1;
        found = found || folds_to(w, folded_word);
    }
    words >= 2 && found
}
