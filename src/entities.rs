//! Entities stage: resolves mentions to entities within one article.
//!
//! Gazetteer mentions link to their Wikidata QID (a declared ambiguous alias
//! takes the reading already present in the article, else the declared
//! default). Unknown names become local entities keyed by a slug of the name,
//! so the same unlinked entity merges across articles. Coreference, in text
//! order: short forms ("Putin", "Kim", "Suga") join the person named in full
//! earlier; acronyms and nicknames defined in parentheses join their entity;
//! definite descriptions ("negara tersebut", "the ministry", "kedua negara")
//! take the nearest earlier entity of their type (two for plural ones);
//! pronouns take the nearest fitting entity.

use crate::mentions::{RawMention, Source};
use crate::model::{Entity, EntityType, Language, Mention, MentionKind};
use crate::ontology::{Lexicon, Ontology};
use crate::text::{fold, fold_to, fold_words, folds_to};
use crate::vocab::slug;
use rustc_hash::FxHashMap as HashMap;

/// A role resolved to entities.
#[derive(Debug, Clone)]
pub struct ResolvedRole {
    pub position: String,
    /// The person was found from the office and the article's date in the
    /// terms of office ("Presiden AS" in a 2022 article), not named.
    pub by_date: bool,
    pub owner: Option<usize>,
    /// QID of the country a country-specific title implies.
    pub implied: Option<String>,
    pub phrase_start: usize,
    pub phrase_end: usize,
}

/// A mention resolved to one entity (or two, for "kedua negara").
#[derive(Debug, Clone)]
pub struct Resolved {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub entities: Vec<usize>,
    pub kind: MentionKind,
    pub role: Option<ResolvedRole>,
}

/// The entities of a document and the resolved mentions, in text order.
#[derive(Debug, Clone, Default)]
pub struct DocEntities {
    pub entities: Vec<Entity>,
    pub mentions: Vec<Resolved>,
    /// Entities named at least once by a name (not only by a demonym,
    /// description or pronoun).
    pub named: Vec<bool>,
}

impl DocEntities {
    /// The resolved mention with exactly this span.
    pub fn at(&self, start: usize, end: usize) -> Option<&Resolved> {
        self.mentions
            .iter()
            .find(|m| m.start == start && m.end == end)
    }
}

struct Resolver<'a> {
    text: &'a str,
    ont: &'a Ontology,
    lex: &'a Lexicon,
    lang: Language,
    out: DocEntities,
    by_key: HashMap<String, usize>,
    aliases: HashMap<String, usize>,
    /// The fold of the last surface looked up (a buffer reused per mention).
    key: String,
    /// Positions each entity holds in this article (from titles).
    roles: HashMap<usize, Vec<String>>,
}

impl Resolver<'_> {
    fn entity_for(
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

    fn gazetteer_entity(&mut self, entry: usize) -> usize {
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
    fn alias_of(&mut self, surface: &str) -> Option<usize> {
        fold_to(&mut self.key, surface);
        self.aliases.get(&self.key).copied()
    }

    /// Names folded like `surface` stand for `e` from here on.
    fn set_alias(&mut self, surface: &str, e: usize) {
        fold_to(&mut self.key, surface);
        if let Some(slot) = self.aliases.get_mut(&self.key) {
            *slot = e;
        } else {
            self.aliases.insert(self.key.clone(), e);
        }
    }

    /// Most recent entity (by mention order) satisfying `pred`.
    fn recent(&self, before: usize, pred: impl Fn(usize, &Resolved) -> bool) -> Option<usize> {
        self.out
            .mentions
            .iter()
            .rev()
            .filter(|m| m.start < before)
            .flat_map(|m| m.entities.iter().map(move |&e| (e, m)))
            .find(|(e, m)| pred(*e, m))
            .map(|(e, _)| e)
    }

    fn push(&mut self, raw: &RawMention, entities: Vec<usize>, kind: MentionKind) {
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

    fn person_with_token(&self, before: usize, token: &str) -> Option<usize> {
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

/// Resolves the mentions of one article.
///
/// `on` is the article's date (`YYYY-MM-DD`), for offices named without
/// their holder ("the US president"); without it they stay unresolved.
pub fn resolve(
    text: &str,
    raw: &[RawMention],
    ont: &Ontology,
    lang: Language,
    on: Option<&str>,
) -> DocEntities {
    let mut r = Resolver {
        text,
        ont,
        lex: ont.lexicon(lang),
        lang,
        out: DocEntities {
            mentions: Vec::with_capacity(raw.len()),
            ..DocEntities::default()
        },
        by_key: HashMap::default(),
        aliases: HashMap::default(),
        key: String::new(),
        roles: HashMap::default(),
    };
    for m in raw {
        let surface = text.get(m.start..m.end).unwrap_or("");
        match &m.source {
            Source::Gazetteer { entries, demonym } => {
                // An ambiguous alias takes a reading already in the article.
                let chosen = entries
                    .iter()
                    .copied()
                    .find(|&e| r.by_key.contains_key(&ont.gazetteer.entry(e).id))
                    .or_else(|| entries.first().copied());
                let Some(entry) = chosen else { continue };
                let e = r.gazetteer_entity(entry);
                let kind = if *demonym {
                    MentionKind::Demonym
                } else {
                    MentionKind::Name
                };
                if !demonym {
                    r.set_alias(surface, e);
                }
                r.push(m, vec![e], kind);
            }
            Source::Name { guess } => {
                let e = if let Some(e) = r.alias_of(surface) {
                    e
                } else if let Some(e) = (*guess == EntityType::Person && !r.key.contains(' '))
                    .then(|| {
                        // "Presiden Putin" style: one word of a known person's name
                        let word = r.key.clone();
                        r.person_with_token(m.start, &word)
                    })
                    .flatten()
                {
                    e
                } else {
                    let e =
                        r.entity_for(slug(surface), None, surface.to_string(), *guess, Vec::new());
                    r.set_alias(surface, e);
                    e
                };
                r.push(m, vec![e], MentionKind::Name);
            }
            Source::Bare => {
                if let Some(e) = r.alias_of(surface) {
                    r.push(m, vec![e], MentionKind::Name);
                } else if let Some(e) = r.person_with_token(m.start, surface) {
                    r.push(m, vec![e], MentionKind::ShortForm);
                }
            }
            Source::Alias { of } => {
                let target = r
                    .out
                    .at(of.0, of.1)
                    .and_then(|x| x.entities.first().copied());
                if let Some(e) = target {
                    r.set_alias(surface, e);
                    r.push(m, vec![e], MentionKind::Name);
                }
            }
            Source::Description { rule } => {
                let Some(d) = r.lex.descriptions.get(*rule) else {
                    continue;
                };
                let Some(t) = EntityType::parse(&d.entity_type) else {
                    continue;
                };
                let heads: Vec<String> = d.head.iter().map(|h| fold(h)).collect();
                let fits = |e: usize, rr: &Resolver<'_>| {
                    let ent = &rr.out.entities[e];
                    if !d.positions.is_empty()
                        && !rr
                            .roles
                            .get(&e)
                            .is_some_and(|ps| ps.iter().any(|p| d.positions.contains(p)))
                    {
                        return false;
                    }
                    let type_ok = ent.entity_type == t
                        || (t == EntityType::Organization
                            && ent.entity_type == EntityType::GovernmentBody)
                        || (t == EntityType::GovernmentBody
                            && ent.entity_type == EntityType::Organization);
                    type_ok
                        && (heads.is_empty()
                            || ent
                                .mentions
                                .iter()
                                .map(|m| m.text.as_str())
                                .chain(std::iter::once(ent.label.as_str()))
                                .flat_map(fold_words)
                                .any(|w| heads.iter().any(|h| folds_to(w, h))))
                };
                // A title alone ("the Secretary", "the Foreign Minister")
                // names, first, the person whose own title had that word:
                // with both ministers in the text, "the Secretary" is the
                // Secretary of State however recently the other was named.
                let title_word = (!d.plural && !d.positions.is_empty())
                    .then(|| fold_words(surface).last().map(fold))
                    .flatten();
                let titled_with = |e: usize, rr: &Resolver<'_>, w: &str| {
                    rr.out.mentions.iter().any(|x| {
                        x.entities.first() == Some(&e)
                            && x.role.as_ref().is_some_and(|role| {
                                text.get(role.phrase_start..role.phrase_end)
                                    .is_some_and(|p| fold_words(p).any(|pw| folds_to(pw, w)))
                            })
                    })
                };
                let by_title = title_word.as_deref().and_then(|w| {
                    r.recent(m.start, |e, mm| {
                        mm.kind != MentionKind::Description && fits(e, &r) && titled_with(e, &r, w)
                    })
                });
                // A plural description ("kedua negara tersebut", "the two
                // countries") takes, first, the latest pair named together
                // ("Tiongkok dan Uni Soviet", "Tiongkok-Soviet") in this or
                // the two sentences before.
                let pair = d
                    .plural
                    .then(|| {
                        let named: Vec<&Resolved> = r
                            .out
                            .mentions
                            .iter()
                            .filter(|x| {
                                x.start < m.start
                                    && x.kind != MentionKind::Description
                                    && m.sentence.saturating_sub(x.sentence) <= 2
                            })
                            .collect();
                        named.windows(2).rev().find_map(|w| {
                            let (a, b) = (w[0], w[1]);
                            let (&ea, &eb) = (a.entities.first()?, b.entities.first()?);
                            let between = text.get(a.end..b.start)?.trim();
                            let joined = matches!(
                                between,
                                "dan" | "and" | "serta" | "&" | "-" | "\u{2013}" | ","
                            );
                            (joined && ea != eb && fits(ea, &r) && fits(eb, &r))
                                .then_some(vec![ea, eb])
                        })
                    })
                    .flatten();
                let mut found = Vec::new();
                if let Some(p) = pair {
                    found = p;
                } else if let Some(first) = by_title.or_else(|| {
                    r.recent(m.start, |e, mm| {
                        mm.kind != MentionKind::Description && fits(e, &r)
                    })
                }) {
                    found.push(first);
                    if d.plural {
                        if let Some(second) = r.recent(m.start, |e, mm| {
                            e != first && mm.kind != MentionKind::Description && fits(e, &r)
                        }) {
                            found.push(second);
                            found.reverse();
                        } else {
                            found.clear();
                        }
                    }
                }
                r.push(m, found, MentionKind::Description);
            }
            Source::Office => {
                // The holder of the office on the article's date, if the
                // terms of office name exactly one.
                let holder = m.role.as_ref().zip(on).and_then(|(role, date)| {
                    let country = role
                        .owner
                        .and_then(|(s, e)| raw.iter().find(|x| x.start == s && x.end == e))
                        .and_then(|x| match &x.source {
                            Source::Gazetteer { entries, .. } => entries.first(),
                            _ => None,
                        })
                        .map(|&g| ont.gazetteer.entry(g).id.as_str())
                        .or(role.implied.as_deref())?;
                    let holders = ont.positions.holders(&role.position, country, Some(date));
                    let [term] = holders[..] else { return None };
                    ont.gazetteer.index_of(&term.person)
                });
                if let Some(entry) = holder {
                    let e = r.gazetteer_entity(entry);
                    r.push(m, vec![e], MentionKind::Description);
                }
            }
            Source::Pronoun { plural } => {
                let actor = |e: usize, rr: &Resolver<'_>| rr.out.entities[e].entity_type.is_actor();
                let found = if *plural {
                    let same_sentence = |e: usize, mm: &Resolved, rr: &Resolver<'_>| {
                        mm.sentence == m.sentence && actor(e, rr)
                    };
                    let first = r.recent(m.start, |e, mm| same_sentence(e, mm, &r));
                    let second = first.and_then(|f| {
                        r.recent(m.start, |e, mm| e != f && same_sentence(e, mm, &r))
                    });
                    match (first, second) {
                        (Some(a), Some(b)) => vec![b, a],
                        _ => Vec::new(),
                    }
                } else {
                    let w = fold(surface);
                    let person_only = w != "pihaknya";
                    let near = |mm: &Resolved| m.sentence.saturating_sub(mm.sentence) <= 2;
                    r.recent(m.start, |e, mm| {
                        near(mm)
                            && (if person_only {
                                r.out.entities[e].entity_type == EntityType::Person
                            } else {
                                actor(e, &r) && mm.sentence == m.sentence
                            })
                    })
                    .or_else(|| {
                        (!person_only)
                            .then(|| r.recent(m.start, |e, mm| near(mm) && actor(e, &r)))
                            .flatten()
                    })
                    .into_iter()
                    .collect()
                };
                r.push(m, found, MentionKind::Pronoun);
            }
        }
        // Attach the role, resolving its owner.
        if let Some(role) = &m.role {
            let owner = role
                .owner
                .and_then(|(s, e)| r.out.at(s, e))
                .and_then(|x| x.entities.first().copied());
            if let Some(&e) = r
                .out
                .mentions
                .last()
                .filter(|l| l.start == m.start)
                .and_then(|l| l.entities.first())
            {
                r.roles.entry(e).or_default().push(role.position.clone());
            }
            if let Some(last) = r.out.mentions.last_mut() {
                if last.start == m.start {
                    last.role = Some(ResolvedRole {
                        position: role.position.clone(),
                        by_date: matches!(m.source, Source::Office),
                        owner,
                        implied: role.implied.clone(),
                        phrase_start: role.phrase_start,
                        phrase_end: role.phrase_end,
                    });
                }
            }
        }
    }
    merge_short_persons(&mut r.out);
    // Unlinked entities take their longest name as label (the gazetteer's
    // own entries known without a QID keep the label it gives them).
    for e in r
        .out
        .entities
        .iter_mut()
        .filter(|e| e.qid.is_none() && ont.gazetteer.by_id(&e.id).is_none())
    {
        if let Some(longest) = e
            .mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Name)
            .map(|m| m.text.as_str())
            .max_by_key(|t| t.len())
        {
            e.label = longest.to_string();
        }
    }
    r.out
}

/// `name` has several words, one of them `folded_word` ("Vladimir Putin"
/// and "putin"): the test for a short form of a person's name.
fn multi_word_name_with(name: &str, folded_word: &str) -> bool {
    let (mut words, mut found) = (0, false);
    for w in fold_words(name) {
        words += 1;
        found = found || folds_to(w, folded_word);
    }
    words >= 2 && found
}

/// "Secretary Blinken" before "Antony J. Blinken": a one-word unlinked person
/// whose word is part of exactly one longer person name joins that person.
fn merge_short_persons(out: &mut DocEntities) {
    let n = out.entities.len();
    for i in 0..n {
        let e = &out.entities[i];
        if e.entity_type != EntityType::Person
            || e.qid.is_some()
            || e.label.split_whitespace().count() != 1
        {
            continue;
        }
        let word = fold(&e.label);
        let targets: Vec<usize> = (0..n)
            .filter(|&j| {
                j != i
                    && out.entities[j].entity_type == EntityType::Person
                    && !out.entities[j].mentions.is_empty()
            })
            .filter(|&j| {
                let target = &out.entities[j];
                std::iter::once(target.label.as_str())
                    .chain(target.mentions.iter().map(|m| m.text.as_str()))
                    .any(|name| multi_word_name_with(name, &word))
            })
            .collect();
        let [target] = targets[..] else { continue };
        let moved: Vec<Mention> = std::mem::take(&mut out.entities[i].mentions)
            .into_iter()
            .map(|mut m| {
                m.kind = MentionKind::ShortForm;
                m
            })
            .collect();
        out.entities[target].mentions.extend(moved);
        out.entities[target].mentions.sort_by_key(|m| m.start);
        out.named[i] = false;
        for m in &mut out.mentions {
            for x in &mut m.entities {
                if *x == i {
                    *x = target;
                }
            }
            if let Some(r) = &mut m.role {
                if r.owner == Some(i) {
                    r.owner = Some(target);
                }
            }
        }
    }
}
