//! Relations stage: events from trigger words and clause structure.
//!
//! For every sentence of the article (never boilerplate), warta groups the
//! resolved mentions into *units* (a titled phrase "Presiden Rusia Vladimir
//! Putin" is one unit: the person) and coordinated *groups* ("Rusia dan
//! China"), finds trigger forms from the lexicon, and fills the roles by
//! clause structure:
//!
//! - active ("X mengecam Y"): the subject is the nearest group to the left
//!   in the clause that is not the object of a preposition, stepping over
//!   appositions between commas ("Rusia dan China, keduanya ..., telah
//!   menghalangi"); the object is the group right after the verb or after one
//!   of the rule's prepositions ("bertemu dengan Y");
//! - passive ("Y dikecam oleh X", "Y was vetoed by X"): roles swap, the agent
//!   follows "oleh"/"by";
//! - nominalisations ("pertemuan X dengan Y", "kunjungan X ke Y", "X's
//!   meeting with Y", "talks between X and Y", "Russian invasion of Y");
//! - rules with `object_after` look for their object after a keyword
//!   ("menghalangi upaya ... untuk meningkatkan sanksi terhadap X"), in the
//!   sentence or, failing that, the two before it ("The draft ... was vetoed",
//!   after "a resolution that would have strengthened sanctions on X");
//! - coordination gives one event per member; a symmetric relation whose
//!   subject group has two members and no object relates the members.
//!
//! Each event gets polarity and modality from the words between its subject
//! and trigger, time and place from the sentence, the speaker when it is
//! reported speech, a confidence from its rule, and its evidence offsets.

use crate::entities::DocEntities;
use crate::mentions::Sentence;
use crate::model::{EntityType, Language, Modality, Polarity, Relation};
use crate::ontology::lexicon::{TriggerForm, TriggerRule};
use crate::ontology::{Lexicon, Ontology, Voice};
use crate::text::{fold_cow, SegmentKind, Token, TokenKind};
use crate::time::find_times;
use std::collections::HashMap;

/// A mention or titled phrase standing for entities, over a token range.
#[derive(Debug, Clone)]
struct Unit {
    first: usize,
    last: usize,
    entities: Vec<usize>,
    /// Came from a pronoun, description or short form (lower confidence).
    indirect: bool,
    demonym: bool,
}

/// Coordinated units ("Rusia dan China").
#[derive(Debug, Clone)]
struct Group {
    first: usize,
    last: usize,
    entities: Vec<usize>,
    indirect: bool,
    demonym: bool,
}

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    folded: Vec<std::borrow::Cow<'a, str>>,
    /// Token `i` starts some entry of a folded word list (see
    /// `Lexicon::listed_prefixes`).
    listed: Vec<bool>,
    lex: &'a Lexicon,
    groups: Vec<Group>,
    /// token index -> unit index
    unit_of: Vec<Option<usize>>,
    /// Token indices of trigger verbs (active forms): the left walk for a
    /// subject stops at one, since a group before it belongs to that verb.
    verbs: Vec<usize>,
    doc: &'a DocEntities,
}

impl Ctx<'_> {
    /// Is token `i` one of `list` (folded at load)?
    fn is(&self, i: usize, list: &[String]) -> bool {
        self.listed.get(i).copied().unwrap_or(false)
            && self
                .folded
                .get(i)
                .is_some_and(|w| list.iter().any(|l| l == w))
    }

    /// The longest phrase of `list` (folded at load) starting at token `i`:
    /// the index after it.
    fn phrase_at(&self, i: usize, list: &[String]) -> Option<usize> {
        if !self.listed.get(i).copied().unwrap_or(false) {
            return None;
        }
        let first = self.folded.get(i)?;
        list.iter()
            .filter(|p| {
                p.starts_with(&**first)
                    && (p.len() == first.len() || p.as_bytes().get(first.len()) == Some(&b' '))
            })
            .filter_map(|p| {
                let mut k = i;
                for w in p.split(' ') {
                    if self.folded.get(k).is_none_or(|t| t != w) {
                        return None;
                    }
                    k += 1;
                }
                Some(k)
            })
            .max()
    }

    fn group_at(&self, tok: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.first <= tok && tok <= g.last)
    }

    fn group_starting(&self, tok: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.first == tok)
    }

    fn is_prep(&self, i: usize) -> bool {
        self.is(i, &self.lex.words.prepositions)
    }

    fn is_break(&self, i: usize) -> bool {
        self.is(i, &self.lex.words.clause_breaks) || self.is(i, &self.lex.words.reporting)
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && t.text(self.text) == p)
    }

    /// The subject by the left walk from token `from` (exclusive) down to `limit`.
    fn left_subject(&self, from: usize, limit: usize) -> Option<&Group> {
        let mut i = from;
        while i > limit {
            i -= 1;
            // A relative clause's subject is the noun it hangs on: "Rusia
            // yang menjatuhkan sanksi", "Russia, which vetoed ...".
            if matches!(&*self.folded[i], "yang" | "which" | "who") {
                let head = i.checked_sub(1).map(|p| {
                    if self.is_punct(p, ",") {
                        p.saturating_sub(1)
                    } else {
                        p
                    }
                });
                if let Some(g) = head.filter(|&h| h >= limit).and_then(|h| {
                    self.group_at(h)
                        .filter(|g| g.last == h && !self.is_prep_object(g))
                }) {
                    return Some(g);
                }
            }
            if self.is_break(i)
                || self.is_punct(i, ";")
                || self.is_punct(i, ":")
                || (self.verbs.contains(&i)
                    && (i + 1..from)
                        .any(|k| self.is_punct(k, ",") || self.is(k, &self.lex.words.coordination)))
            {
                return None;
            }
            if self.is_punct(i, ",") || self.is_punct(i, "\u{2014}") || self.is_punct(i, "\u{2013}")
            {
                // Step over an apposition: ", keduanya ..., " or "— tabled by X —".
                let p = self.toks[i].text(self.text).to_string();
                let prev = (limit..i).rev().find(|&k| self.is_punct(k, &p));
                if let Some(k) = prev {
                    // Unless the apposition is itself a coordinated group member.
                    if self.unit_of.get(i - 1).copied().flatten().is_none()
                        || self.group_at(i - 1).is_some_and(|g| g.first > k)
                    {
                        i = k;
                        continue;
                    }
                }
                continue;
            }
            if let Some(g) = self.group_at(i) {
                if !self.is_prep_object(g) {
                    return Some(g);
                }
                i = g.first;
            }
        }
        None
    }

    /// Is the group the object of a preposition, directly or past a
    /// determiner or a number ("of two North Korean missiles", "dari
    /// kedua negara")? Such a group is not a subject.
    fn is_prep_object(&self, g: &Group) -> bool {
        let mut b = g.first;
        while let Some(p) = b.checked_sub(1) {
            let quantifier = self.toks[p].kind == TokenKind::Number
                || matches!(
                    &*self.folded[p],
                    "the"
                        | "a"
                        | "an"
                        | "two"
                        | "three"
                        | "both"
                        | "several"
                        | "dua"
                        | "tiga"
                        | "beberapa"
                        | "para"
                );
            if !quantifier || b + 2 < g.first {
                return self.is_prep(p);
            }
            b = p;
        }
        false
    }

    /// The first group starting within `window` tokens after `from`,
    /// skipping determiners and adverbs, not crossing a comma or break.
    fn right_group(&self, from: usize, window: usize, end: usize) -> Option<&Group> {
        let mut i = from;
        let mut skipped = 0;
        while i < end && skipped <= window {
            if let Some(g) = self.group_starting(i) {
                return Some(g);
            }
            if self.is_punct(i, ",") || self.is_break(i) || self.is_punct(i, ".") || self.is_prep(i)
            {
                return None;
            }
            i += 1;
            skipped += 1;
        }
        None
    }

    /// The group after one of `preps` within `window` tokens after `from`.
    fn prep_group(
        &self,
        from: usize,
        preps: &[String],
        window: usize,
        end: usize,
    ) -> Option<(&Group, usize)> {
        let mut i = from;
        while i < end && i < from + window {
            if self.is(i, preps) {
                // The group right after the preposition, past a determiner and
                // at most two head nouns ("atas upaya Indonesia", "for the
                // efforts of X", "oleh pasukan militer Soviet").
                let mut j = i + 1;
                let mut nouns = 0;
                while j < end && j <= i + 4 {
                    if let Some(g) = self.group_starting(j) {
                        return Some((g, i));
                    }
                    let w = &*self.folded[j];
                    let determiner =
                        matches!(w, "the" | "a" | "an" | "para" | "pihak" | "its" | "their");
                    let noun = !determiner
                        && nouns < 2
                        && self.toks[j].kind == TokenKind::Word
                        && !self.toks[j].is_capitalised(self.text)
                        && !self.is_prep(j)
                        && !self.is_break(j)
                        && !self.lex.forms.contains_key(w);
                    if noun {
                        nouns += 1;
                    } else if !(determiner || w == "of" && nouns >= 1) {
                        break;
                    }
                    j += 1;
                }
            }
            if self.is_punct(i, ";") || (self.is_punct(i, ".") && i + 1 < end) {
                return None;
            }
            i += 1;
        }
        None
    }
}

/// A trigger found in a sentence and what came of it (for `warta explain`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TriggerHit {
    pub sentence: usize,
    pub rule: String,
    pub relation: String,
    pub trigger: String,
    pub start: usize,
    pub end: usize,
    pub voice: &'static str,
    /// Number of events made, or why none was.
    pub outcome: Result<usize, String>,
}

/// Extracts the relations of a document, with a trace of every trigger.
pub fn extract(
    text: &str,
    sentences: &[Sentence],
    doc: &DocEntities,
    ont: &Ontology,
    lang: Language,
    published: Option<&str>,
) -> (Vec<Relation>, Vec<TriggerHit>) {
    let lex = ont.lexicon(lang);
    let mut out: Vec<Relation> = Vec::new();
    let mut trace: Vec<TriggerHit> = Vec::new();
    // "sanksi terhadap X" seen in recent sentences, for object_after carry-over.
    let mut recent_targets: Vec<(usize, Vec<usize>, &[String])> = Vec::new();
    // Resolved mentions by sentence (a document's mentions are scanned once).
    let mut mentions_of: Vec<Vec<&crate::entities::Resolved>> = vec![Vec::new(); sentences.len()];
    for m in &doc.mentions {
        if let Some(v) = mentions_of.get_mut(m.sentence) {
            v.push(m);
        }
    }
    for (si, s) in sentences.iter().enumerate() {
        if s.segment.kind == SegmentKind::Boilerplate {
            continue;
        }
        let sentence_mentions = mentions_of.get(si).map_or(&[][..], Vec::as_slice);
        let sentence_text: &str = s.segment.text(text);
        let folded: Vec<std::borrow::Cow<'_, str>> =
            s.tokens.iter().map(|t| fold_cow(t.text(text))).collect();
        // Most of the work below is for triggers: a sentence with no word
        // that starts a trigger form or an object keyword skips it.
        let may_fire = folded.iter().any(|w| {
            lex.forms.contains_key(&**w)
                || lex.multi_word_starts.contains(&**w)
                || lex.object_after_starts.contains(&**w)
        });
        if may_fire {
            let mut ctx = build_ctx(text, s, folded, sentence_mentions, doc, lex);
            let triggers = find_triggers(&ctx);
            // Trigger verbs (active forms) bound the subject search of later triggers.
            ctx.verbs = triggers
                .iter()
                .filter(|&&(i, _, forms)| {
                    choose_voices(&ctx, i, forms)
                        .iter()
                        .any(|f| f.voice == Voice::Active)
                })
                .map(|&(i, _, _)| i)
                .collect();
            // Only events carry a time: a sentence without triggers needs none.
            let times = if triggers.is_empty() {
                Vec::new()
            } else {
                find_times(text, s.segment.start, s.segment.end, lang, published)
            };
            let n = ctx.toks.len();

            // Reporting verbs and their subjects (attribution).
            let mut reporters: Vec<(usize, Vec<usize>)> = Vec::new();
            for i in 0..n {
                if ctx.unit_of[i].is_none() && ctx.phrase_at(i, &lex.words.reporting).is_some() {
                    // "according to X", "menurut X": the source follows.
                    let source = if matches!(&*ctx.folded[i], "according" | "menurut") {
                        ctx.right_group(
                            ctx.phrase_at(i, &lex.words.reporting).unwrap_or(i + 1),
                            2,
                            n,
                        )
                    } else {
                        ctx.left_subject(i, 0)
                            .or_else(|| ctx.right_group(i + 1, 2, n))
                    };
                    if let Some(g) = source {
                        reporters.push((i, g.entities.clone()));
                    }
                }
            }

            // Object targets of object_after keywords in this sentence.
            for rule in lex.rules.iter().filter(|r| !r.object_after.is_empty()) {
                for (k, _) in ctx.folded.iter().enumerate() {
                    if ctx.is(k, &rule.object_after) {
                        if let Some((g, _)) = ctx.prep_group(k + 1, &rule.object_preps, 4, n) {
                            recent_targets.push((si, g.entities.clone(), &rule.object_after));
                        }
                    }
                }
            }

            // Triggers.
            let mut last_subject: Option<(usize, Group)> = None;
            for &(i, len, forms) in &triggers {
                for form in choose_voices(&ctx, i, forms) {
                    let Some(rule) = lex.rules.get(form.rule) else {
                        continue;
                    };
                    let trigger_text = text
                        .get(ctx.toks[i].start..ctx.toks[i + len - 1].end)
                        .unwrap_or("")
                        .to_string();
                    let outcome = match fill_roles(
                        &ctx,
                        rule,
                        form.voice,
                        i,
                        i + len,
                        lang,
                        &recent_targets,
                        si,
                        &mut last_subject,
                    ) {
                        Ok(found) => {
                            let before = out.len();
                            for f in found {
                                out.extend(expand(
                                    &ctx,
                                    rule,
                                    &f,
                                    i,
                                    i + len,
                                    &trigger_text,
                                    &times,
                                    &reporters,
                                    sentence_text,
                                ));
                            }
                            if out.len() > before {
                                Ok(out.len() - before)
                            } else {
                                Err("the subject and object are the same entity")
                            }
                        }
                        Err(why) => Err(why),
                    };
                    trace.push(TriggerHit {
                        sentence: si,
                        rule: rule.id.clone(),
                        relation: rule.relation.clone(),
                        trigger: trigger_text.clone(),
                        start: ctx.toks[i].start,
                        end: ctx.toks[i + len - 1].end,
                        voice: form.voice.name(),
                        outcome: outcome.map_err(str::to_string),
                    });
                }
            }
        }
        recent_targets.retain(|(tsi, _, _)| si.saturating_sub(*tsi) < 2);

        // Roles from titles: holdsPosition.
        for &m in sentence_mentions {
            // A role looked up by date is not in the text: no holdsPosition.
            let Some(role) = m.role.as_ref().filter(|r| !r.by_date) else {
                continue;
            };
            let Some(&person) = m.entities.first() else {
                continue;
            };
            let implied = || {
                role.implied.as_ref().and_then(|q| {
                    doc.entities
                        .iter()
                        .position(|e| e.qid.as_deref() == Some(q.as_str()))
                })
            };
            let owned_elsewhere = || {
                doc.mentions
                    .iter()
                    .filter(|o| o.entities.first() == Some(&person))
                    .find_map(|o| o.role.as_ref().and_then(|r| r.owner))
            };
            let ministerial = matches!(
                role.position.as_str(),
                "head_of_state" | "head_of_government" | "foreign_minister" | "minister"
            );
            let home = || home_owner(doc, person, ont, lang, ministerial);
            let owner = role
                .owner
                .or_else(implied)
                .or_else(|| coordinated_owner(doc, m, text))
                .or_else(owned_elsewhere)
                .or_else(home);
            let Some(owner) = owner else { continue };
            if owner == person {
                continue;
            }
            let evidence = text
                .get(role.phrase_start..role.phrase_end)
                .unwrap_or("")
                .to_string();
            out.push(Relation {
                subject: doc.entities[person].id.clone(),
                relation: "holdsPosition".to_string(),
                object: doc.entities[owner].id.clone(),
                polarity: Polarity::Positive,
                modality: Modality::Asserted,
                time: None,
                date: None,
                location: None,
                attributed_to: None,
                position: Some(role.position.clone()),
                confidence: if role.owner.is_some() { 0.9 } else { 0.7 },
                rule: format!("{}.title", lang.tag()),
                trigger: evidence.clone(),
                evidence,
                start: role.phrase_start,
                end: role.phrase_end,
                sentence: sentence_text.to_string(),
            });
        }
    }
    (dedupe(out), trace)
}

/// A titled person coordinated with an earlier titled person takes the
/// earlier one's owner: "Presiden Rusia Vladimir Putin dan Menteri Luar
/// Negeri Sergey Lavrov".
fn coordinated_owner(
    doc: &DocEntities,
    m: &crate::entities::Resolved,
    text: &str,
) -> Option<usize> {
    let prev = doc
        .mentions
        .iter()
        .rev()
        .find(|p| p.sentence == m.sentence && p.end <= m.start && p.role.is_some())?;
    let role = prev.role.as_ref()?;
    let between = text.get(prev.end..m.role.as_ref()?.phrase_start)?.trim();
    matches!(between, "dan" | "and" | "," | "serta")
        .then_some(role.owner)
        .flatten()
}

/// A person the gazetteer knows carries their country; else, in Indonesian
/// news, a title without a country ("Menteri Luar Negeri Retno Marsudi") is
/// Indonesia's, when the article names Indonesia.
fn home_owner(
    doc: &DocEntities,
    person: usize,
    ont: &Ontology,
    lang: Language,
    ministerial: bool,
) -> Option<usize> {
    let by_qid = |q: &str| {
        doc.entities
            .iter()
            .position(|e| e.qid.as_deref() == Some(q))
    };
    let known = doc
        .entities
        .get(person)
        .and_then(|e| ont.gazetteer.by_id(&e.id))
        .and_then(|g| g.extra.get("country"))
        .map(String::as_str);
    match known {
        Some(country) => by_qid(country),
        None if lang == Language::Id && ministerial => by_qid(INDONESIA),
        None => None,
    }
}

const INDONESIA: &str = "Q252";

/// An Indonesian reduplicated plural, folded ("negara negara", "pemimpin
/// pemimpin"): the same word twice.
fn is_reduplicated(folded: &str) -> bool {
    folded
        .split_once(' ')
        .is_some_and(|(a, b)| a == b && a.chars().count() > 1)
}

fn build_ctx<'a>(
    text: &'a str,
    s: &'a Sentence,
    folded: Vec<std::borrow::Cow<'a, str>>,
    mentions: &[&crate::entities::Resolved],
    doc: &'a DocEntities,
    lex: &'a Lexicon,
) -> Ctx<'a> {
    let toks = &s.tokens;
    let listed: Vec<bool> = folded
        .iter()
        .map(|w| lex.listed_prefixes.contains(w.as_ref()))
        .collect();
    let tok_index = |pos: usize, end: bool| {
        toks.iter()
            .position(|t| if end { t.end == pos } else { t.start == pos })
    };
    let mut units: Vec<Unit> = Vec::new();
    // Titled phrases first: they absorb the owner mention inside them.
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for m in mentions {
        let (start, end) = m.role.as_ref().map_or((m.start, m.end), |r| {
            // An office named without its holder spans its owner too
            // ("Presiden AS" is one participant, not the country).
            let end = if r.by_date {
                r.phrase_end.max(m.end)
            } else {
                m.end
            };
            (r.phrase_start.min(m.start), end)
        });
        if covered
            .iter()
            .any(|&(a, b)| a <= m.start && m.end <= b && (a, b) != (start, end))
        {
            continue;
        }
        let (Some(first), Some(last)) = (tok_index(start, false), tok_index(end, true)) else {
            continue;
        };
        if m.role.is_some() {
            covered.push((start, end));
            units.retain(|u| !(u.first >= first && u.last <= last));
        }
        if units.iter().any(|u| u.first <= first && last <= u.last) {
            continue;
        }
        units.push(Unit {
            first,
            last,
            entities: m.entities.clone(),
            indirect: !matches!(
                m.kind,
                crate::model::MentionKind::Name | crate::model::MentionKind::Demonym
            ),
            demonym: m.kind == crate::model::MentionKind::Demonym,
        });
    }
    units.sort_by_key(|u| u.first);
    let mut unit_of = vec![None; toks.len()];
    for (ui, u) in units.iter().enumerate() {
        for slot in unit_of.iter_mut().take(u.last + 1).skip(u.first) {
            *slot = Some(ui);
        }
    }
    // Coordinated groups: units joined only by coordination words. A
    // parenthesis right after a unit is an aside ("Korea Utara (Republik
    // Rakyat Demokratik Korea) dan Uni Soviet"): the group spans it, and the
    // mentions inside it join no group.
    let aside_end = |u: &Unit| {
        (folded.get(u.last + 1).is_some_and(|w| w == "("))
            .then(|| {
                (u.last + 2..(u.last + 16).min(folded.len()))
                    .take_while(|&k| folded[k] != "(")
                    .find(|&k| folded[k] == ")")
            })
            .flatten()
    };
    let mut groups: Vec<Group> = Vec::new();
    for u in &units {
        if groups.last().is_some_and(|g| u.first <= g.last) {
            continue;
        }
        let u_last = aside_end(u).unwrap_or(u.last);
        let joined = groups.last().is_some_and(|g| {
            let between: Vec<&str> = folded
                .get(g.last + 1..u.first)
                .map(|s| s.iter().map(|w| w.as_ref()).collect())
                .unwrap_or_default();
            let joiners: Vec<&str> = between
                .iter()
                .copied()
                .filter(|w| !matches!(*w, "the" | "a" | "an" | "para"))
                .collect();
            // "Bogor, Jawa Barat", "Washington, D.C.": a comma between places is an apposition.
            let is_place =
                |ents: &[usize]| ents.iter().all(|&e| doc.entities[e].entity_type.is_place());
            let comma_only = joiners.iter().all(|w| *w == ",");
            !joiners.is_empty()
                && between.len() <= 3
                && joiners
                    .iter()
                    .all(|w| lex.words.coordination.iter().any(|c| c == w))
                && !(comma_only && is_place(&g.entities) && is_place(&u.entities))
                && !(u.demonym)
        });
        if joined {
            if let Some(g) = groups.last_mut() {
                g.last = u_last;
                for e in &u.entities {
                    if !g.entities.contains(e) {
                        g.entities.push(*e);
                    }
                }
                g.indirect |= u.indirect;
            }
        } else {
            groups.push(Group {
                first: u.first,
                last: u_last,
                entities: u.entities.clone(),
                indirect: u.indirect,
                demonym: u.demonym,
            });
        }
    }
    Ctx {
        text,
        toks,
        folded,
        listed,
        lex,
        groups,
        unit_of,
        verbs: Vec::new(),
        doc,
    }
}

/// Roles found for one trigger.
struct Filled {
    subjects: Vec<usize>,
    objects: Vec<String>,
    /// Token span of the evidence.
    first: usize,
    last: usize,
    indirect: bool,
    /// Object found in an earlier sentence.
    carried: bool,
}

#[allow(clippy::too_many_arguments)]
fn fill_roles(
    ctx: &Ctx<'_>,
    rule: &TriggerRule,
    voice: Voice,
    t0: usize,
    t1: usize,
    lang: Language,
    recent_targets: &[(usize, Vec<usize>, &[String])],
    si: usize,
    last_subject: &mut Option<(usize, Group)>,
) -> Result<Vec<Filled>, &'static str> {
    let n = ctx.toks.len();
    let lex = ctx.lex;
    // English passive: "was vetoed by", "were condemned".
    let mut voice = voice;
    if lang == Language::En && voice == Voice::Active {
        let w: &str = &ctx.folded[t0];
        let participle = w.ends_with("ed")
            || matches!(w, "met" | "held" | "struck" | "hit" | "fought" | "signed");
        let mut k = t0;
        while k > 0
            && (ctx.folded[k - 1].ends_with("ly")
                || matches!(&*ctx.folded[k - 1], "not" | "also" | "then" | "later"))
        {
            k -= 1;
        }
        if participle && k > 0 && ctx.is(k - 1, &lex.words.passive_aux) {
            voice = Voice::Passive;
        }
    }
    // Required nearby words.
    if !rule.requires_near.is_empty() {
        let lo = t0.saturating_sub(8);
        let hi = (t1 + 8).min(n);
        if !(lo..hi).any(|k| ctx.is(k, &rule.requires_near)) {
            return Err("a required word (requires_near) is not within 8 words");
        }
    }
    let allowed = |e: usize| -> bool {
        let t = ctx.doc.entities[e].entity_type;
        if rule.object_types.is_empty() {
            t.is_actor()
        } else {
            rule.object_types
                .iter()
                .any(|o| EntityType::parse(o) == Some(t))
        }
    };
    let mut objects: Vec<usize> = Vec::new();
    let mut object_group: Option<(usize, usize)> = None;
    let mut carried = false;

    // testsWeapon: object is a weapon class.
    if !rule.weapons.is_empty() {
        let lo = t0.saturating_sub(8);
        let hi = (t1 + 8).min(n);
        let class = (lo..hi).find_map(|k| {
            rule.weapons
                .iter()
                .find(|(cue, _)| **cue == ctx.folded[k])
                .map(|(_, c)| c.clone())
        });
        let Some(class) = class else {
            return Err("no weapon word near the trigger");
        };
        // The tester: "uji balistik terbaru negara tersebut", "launch by X", or the subject.
        let after_by = ctx
            .prep_group(t1, &lex.words.passive_agent, 10, n)
            .map(|(g, _)| g);
        // The possessor follows the noun and its weapon words ("peluncuran
        // rudal Korea Utara", "uji balistik terbaru negara tersebut"), before
        // any comma, coordination or clause break ("peluncuran ICBM dan
        // menyebutnya ... Dewan Keamanan PBB" names no tester).
        let possessor = if voice == Voice::Nominal {
            (t1..(t1 + 8).min(n))
                .take_while(|&k| {
                    !ctx.is_punct(k, ",") && !ctx.is_break(k) && !ctx.is(k, &lex.words.coordination)
                })
                .find_map(|k| {
                    ctx.group_starting(k)
                        .filter(|g| !g.first.checked_sub(1).is_some_and(|b| ctx.is_prep(b)))
                })
        } else {
            None
        };
        let before_poss = possessive_before(ctx, t0);
        let subj = after_by.or(before_poss).or(possessor).or_else(|| {
            if voice == Voice::Nominal && ctx.right_group(t1, 1, n).is_none() {
                demonym_before(ctx, t0)
                    .or_else(|| ctx.left_subject(t0, 0).filter(|_| voice != Voice::Nominal))
            } else {
                ctx.left_subject(t0, 0)
            }
        });
        let Some(g) = subj else {
            return Err("no tester found");
        };
        let subs: Vec<usize> = g
            .entities
            .iter()
            .copied()
            .filter(|&e| ctx.doc.entities[e].entity_type.is_actor())
            .collect();
        if subs.is_empty() {
            return Err("the tester is not an actor");
        }
        return Ok(vec![Filled {
            subjects: subs,
            objects: vec![class],
            first: g.first.min(t0),
            last: g.last.max(t1 - 1),
            indirect: g.indirect,
            carried: false,
        }]);
    }

    let subjects: Option<&Group> = match voice {
        Voice::Active => {
            // Coordinated verbs share the first one's subject: "he praised X,
            // thanked Y and accused Z".
            let found = ctx.left_subject(t0, 0);
            let mut k = t0;
            while k > 0
                && matches!(
                    &*ctx.folded[k - 1],
                    "also" | "then" | "later" | "juga" | "lalu" | "kemudian" | "further"
                )
            {
                k -= 1;
            }
            let coordinated =
                k > 0 && (ctx.is_punct(k - 1, ",") || ctx.is(k - 1, &lex.words.coordination));
            let shared = last_subject
                .as_ref()
                .filter(|(p, g)| g.last < *p && (coordinated || found.is_none_or(|f| f.last < *p)));
            match shared {
                Some((_, g)) => Some(g),
                None => found,
            }
        }
        Voice::Passive => {
            let agent = ctx
                .prep_group(t1, &lex.words.passive_agent, 6, n)
                .map(|(g, _)| g);
            if rule.object_after.is_empty() {
                if let Some(g) = ctx.left_subject(t0, 0) {
                    objects = g.entities.clone();
                    object_group = Some((g.first, g.last));
                }
            }
            agent
        }
        Voice::Nominal => {
            // "X's meeting", "Russian invasion", "pertemuan X dengan Y", "talks between X and Y".
            if let Some((g, _)) = ctx.prep_group(t1, &lex.words.between, 3, n) {
                if g.entities.len() >= 2 {
                    let first = g.entities[0];
                    return Ok(pairs(
                        ctx,
                        &[first],
                        &g.entities[1..],
                        g.first.min(t0),
                        g.last,
                        g.indirect,
                    ));
                }
            }
            // A plural noun right before the noun heads the phrase
            // ("negara-negara anggota G20": the members are those
            // countries), so an entity further left is not its subject.
            let plural_head = t0
                .checked_sub(1)
                .is_some_and(|k| is_reduplicated(&ctx.folded[k]));
            possessive_before(ctx, t0)
                .or_else(|| demonym_before(ctx, t0))
                .or_else(|| {
                    if rule.subject_left {
                        None
                    } else {
                        ctx.right_group(t1, 2, n).filter(|g| !g.demonym)
                    }
                })
                .or_else(|| (!plural_head).then(|| ctx.left_subject(t0, 0)).flatten())
        }
    };
    let Some(subj) = subjects else {
        return Err("no subject: no entity group before the trigger in its clause (or after 'oleh'/'by' for a passive)");
    };
    let subj_owned: Group = subj.clone();
    if voice == Voice::Active {
        *last_subject = Some((t0, subj_owned.clone()));
    }
    let subj = &subj_owned;
    let search_from = if subj.first >= t1 { subj.last + 1 } else { t1 };
    if objects.is_empty() {
        if !rule.object_after.is_empty() {
            // The object follows a keyword: "... sanksi terhadap X".
            let kw = (t1..n).find(|&k| ctx.is(k, &rule.object_after));
            if let Some(k) = kw {
                if let Some((g, _)) = ctx.prep_group(k + 1, &rule.object_preps, 4, n) {
                    objects = g.entities.clone();
                    object_group = Some((g.first, g.last));
                }
            } else if let Some((_, ents, _)) = recent_targets
                .iter()
                .rev()
                .find(|(tsi, _, kws)| *tsi < si && *kws == rule.object_after.as_slice())
            {
                // Carried over from "a resolution that would have strengthened sanctions on X".
                objects = ents.clone();
                carried = true;
            }
        } else {
            let direct = || ctx.right_group(t1, 2, n);
            let by_prep = || {
                ctx.prep_group(search_from, &rule.object_preps, 8, n)
                    .map(|(g, _)| g)
            };
            let g = match voice {
                Voice::Nominal => by_prep().or_else(|| {
                    if rule.direct_object && subj.first < t0 {
                        direct()
                    } else {
                        None
                    }
                }),
                _ => (if rule.direct_object { direct() } else { None }).or_else(by_prep),
            };
            // "condemned the missile launch by X": the agent of the action
            // condemned is the target.
            let g = g.or_else(|| {
                if voice == Voice::Active {
                    agent_of_object(ctx, t1, n)
                } else {
                    None
                }
            });
            if let Some(g) = g {
                objects = g.entities.clone();
                object_group = Some((g.first, g.last));
            }
        }
    }
    let symmetric_pair = objects.is_empty()
        && subj.entities.len() >= 2
        && matches!(
            rule.relation.as_str(),
            "meets" | "cooperatesWith" | "signsAgreementWith"
        );
    if symmetric_pair {
        let first = subj.entities[0];
        return Ok(pairs(
            ctx,
            &[first],
            &subj.entities[1..],
            subj.first.min(t0),
            subj.last.max(t1 - 1),
            subj.indirect,
        ));
    }
    if objects.is_empty() {
        return Err(if rule.object_after.is_empty() {
            "no object: no entity right after the trigger or after its prepositions"
        } else {
            "no object after the rule's keyword (object_after) in this or the two previous sentences"
        });
    }
    let objects: Vec<usize> = objects.into_iter().filter(|&e| allowed(e)).collect();
    if objects.is_empty() {
        return Err("the object's type is not allowed by the rule (object_types)");
    }
    let subjects: Vec<usize> = subj
        .entities
        .iter()
        .copied()
        .filter(|&e| ctx.doc.entities[e].entity_type.is_actor())
        .collect();
    if subjects.is_empty() {
        return Err("the subject is not an actor");
    }
    let (of, ol) = object_group.unwrap_or((t0, t1 - 1));
    Ok(vec![Filled {
        subjects,
        objects: objects
            .iter()
            .map(|&e| ctx.doc.entities[e].id.clone())
            .collect(),
        first: subj.first.min(t0).min(of),
        last: subj.last.max(t1 - 1).max(ol),
        indirect: subj.indirect,
        carried,
    }])
}

/// Joins folded words with spaces into a reused buffer (a lexicon key).
fn join_key<'b>(words: &[std::borrow::Cow<'_, str>], buf: &'b mut String) -> &'b str {
    buf.clear();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            buf.push(' ');
        }
        buf.push_str(w);
    }
    buf.as_str()
}

/// The sentence's trigger forms, left to right: (first token, length in
/// tokens, forms). The longest form wins; forms never overlap a mention.
fn find_triggers<'l>(ctx: &Ctx<'l>) -> Vec<(usize, usize, &'l Vec<TriggerForm>)> {
    let lex: &'l Lexicon = ctx.lex;
    let n = ctx.toks.len();
    let mut out = Vec::new();
    let mut key_buf = String::new();
    let mut i = 0;
    while i < n {
        let mut found = None;
        // Only a word that starts a multi-word form needs the longer lookups.
        let longest = if lex.multi_word_starts.contains(&*ctx.folded[i]) {
            lex.max_form_words.min(n - i)
        } else {
            1
        };
        for len in (1..=longest).rev() {
            if (i..i + len).any(|k| ctx.unit_of[k].is_some()) {
                continue;
            }
            let key = if len == 1 {
                &*ctx.folded[i]
            } else {
                join_key(&ctx.folded[i..i + len], &mut key_buf)
            };
            if let Some(forms) = lex.forms.get(key) {
                found = Some((len, forms));
                break;
            }
        }
        match found {
            Some((len, forms)) => {
                out.push((i, len, forms));
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// A form that is both a verb and a noun ("visit", "support", "attack")
/// is a noun after a determiner or possessive, a verb otherwise; a form
/// that is only a verb is none after an article.
fn choose_voices<'f>(ctx: &Ctx<'_>, i: usize, forms: &'f [TriggerForm]) -> Vec<&'f TriggerForm> {
    let determiner = |p: usize| {
        matches!(
            &*ctx.folded[p],
            "the"
                | "a"
                | "an"
                | "its"
                | "his"
                | "her"
                | "their"
                | "our"
                | "this"
                | "that"
                | "'s"
                | "first"
                | "official"
                | "state"
        ) || ctx.group_at(p).is_some_and(|g| g.demonym)
    };
    // "the visit", "its unwavering support": a determiner right before, or
    // before one lowercase modifier.
    let nominal_context = i.checked_sub(1).is_some_and(|p| {
        determiner(p)
            || (p > 0
                && ctx.toks[p].kind == TokenKind::Word
                && !ctx.toks[p].is_capitalised(ctx.text)
                && !ctx.is_prep(p)
                && !ctx.is_break(p)
                && !ctx.lex.function_words.contains(&*ctx.folded[p])
                && !matches!(
                    &*ctx.folded[p],
                    "to" | "will"
                        | "would"
                        | "can"
                        | "could"
                        | "may"
                        | "not"
                        | "also"
                        | "did"
                        | "does"
                        | "do"
                )
                && (determiner(p - 1)
                    || (p > 1 && ctx.toks[p - 1].kind == TokenKind::Punct && determiner(p - 2))))
    });
    let article_before = i
        .checked_sub(1)
        .is_some_and(|p| matches!(&*ctx.folded[p], "the" | "a" | "an"));
    forms
        .iter()
        .filter(|f| {
            let both = forms.iter().any(|o| {
                o.rule == f.rule
                    && o.voice != f.voice
                    && matches!(o.voice, Voice::Active | Voice::Nominal)
            });
            if both {
                (f.voice == Voice::Nominal) == nominal_context
            } else {
                // No verb follows an article: "a press release" presses no one.
                !(article_before && f.voice == Voice::Active)
            }
        })
        .collect()
}

/// Members of a group related to each other ("kerja sama Indonesia dan Jepang").
fn pairs(
    ctx: &Ctx<'_>,
    a: &[usize],
    b: &[usize],
    first: usize,
    last: usize,
    indirect: bool,
) -> Vec<Filled> {
    let objects = b.iter().map(|&e| ctx.doc.entities[e].id.clone()).collect();
    vec![Filled {
        subjects: a.to_vec(),
        objects,
        first,
        last,
        indirect,
        carried: false,
    }]
}

/// The group after "by"/"oleh" within 12 tokens of the trigger, when no other
/// group, comma or clause break comes first.
fn agent_of_object<'a>(ctx: &'a Ctx<'_>, from: usize, n: usize) -> Option<&'a Group> {
    let mut i = from;
    while i < n && i < from + 12 {
        if ctx.group_starting(i).is_some() || ctx.is_punct(i, ",") || ctx.is_break(i) {
            return None;
        }
        if ctx.is(i, &ctx.lex.words.passive_agent) {
            let mut j = i + 1;
            while ctx
                .folded
                .get(j)
                .is_some_and(|w| matches!(&**w, "the" | "a" | "an"))
            {
                j += 1;
            }
            return ctx.group_starting(j);
        }
        i += 1;
    }
    None
}

/// "China's foreign ministry condemned", "Russia's invasion of Ukraine".
fn possessive_before<'a>(ctx: &'a Ctx<'_>, t0: usize) -> Option<&'a Group> {
    let is_poss = |p: usize| {
        ctx.toks
            .get(p)
            .is_some_and(|t| matches!(t.text(ctx.text), "'s" | "\u{2019}s"))
    };
    let mut p = t0.checked_sub(1)?;
    // One modifier between: "North Korea's missile test", "China's military support".
    if !is_poss(p) {
        let modifier = ctx.toks[p].kind == TokenKind::Word
            && !ctx.toks[p].is_capitalised(ctx.text)
            && !ctx.is_prep(p)
            && !ctx.is_break(p)
            && !ctx.lex.function_words.contains(&*ctx.folded[p]);
        p = p.checked_sub(1).filter(|_| modifier)?;
        if !is_poss(p) {
            return None;
        }
    }
    ctx.group_at(p.checked_sub(1)?)
}

/// "Russian invasion", "North Korean missile launch".
fn demonym_before<'a>(ctx: &'a Ctx<'_>, t0: usize) -> Option<&'a Group> {
    (t0.saturating_sub(3)..t0)
        .rev()
        .find_map(|k| ctx.group_at(k).filter(|g| g.demonym && g.last + 3 >= t0))
}

#[allow(clippy::too_many_arguments)]
fn expand(
    ctx: &Ctx<'_>,
    rule: &TriggerRule,
    f: &Filled,
    t0: usize,
    t1: usize,
    trigger: &str,
    times: &[crate::time::TimeExpr],
    reporters: &[(usize, Vec<usize>)],
    sentence_text: &str,
) -> Vec<Relation> {
    let lex = ctx.lex;
    let text = ctx.text;
    // Polarity and modality: words between the subject (or clause start) and the trigger.
    let window_start = t0.saturating_sub(6).max(if f.first < t0 {
        f.first
    } else {
        t0.saturating_sub(6)
    });
    let mut polarity = Polarity::Positive;
    let mut modality = Modality::Asserted;
    for k in window_start..t0 {
        if ctx.unit_of[k].is_some() {
            continue;
        }
        if ctx.phrase_at(k, &lex.words.negation).is_some()
            && ctx.phrase_at(k, &lex.words.not_negation).is_none()
        {
            polarity = Polarity::Negative;
        }
        if ctx.phrase_at(k, &lex.words.possible).is_some() {
            modality = Modality::Possible;
        } else if ctx.phrase_at(k, &lex.words.planned).is_some() && modality != Modality::Possible {
            modality = Modality::Planned;
        }
    }
    // Time: the nearest expression in the sentence.
    let trig_pos = ctx.toks[t0].start;
    let time = times.iter().min_by_key(|t| {
        if t.start >= trig_pos {
            t.start - trig_pos
        } else {
            (trig_pos - t.end) * 2
        }
    });
    // Place: a place after a location preposition, not one of the arguments.
    let mut location = None;
    for k in 0..ctx.toks.len() {
        if ctx.is(k, &lex.words.location_preps) {
            if let Some(g) = ctx.group_starting(k + 1) {
                if let Some(&e) = g.entities.first() {
                    let ent = &ctx.doc.entities[e];
                    if ent.entity_type.is_place() && !f.objects.contains(&ent.id) {
                        let dist = k.abs_diff(t1);
                        if location.as_ref().is_none_or(|(d, _)| dist < *d) {
                            location = Some((dist, ent.id.clone()));
                        }
                    }
                }
            }
        }
    }
    // Attribution: a reporting verb in the sentence.
    let attributed = reporters
        .first()
        .and_then(|(_, ents)| ents.first())
        .map(|&e| ctx.doc.entities[e].id.clone());
    let mut confidence = rule.confidence;
    if f.indirect {
        confidence *= 0.9;
    }
    if f.carried {
        confidence *= 0.8;
    }
    let start = ctx.toks[f.first.min(t0)].start;
    let end = ctx.toks[f.last.max(t1 - 1).min(ctx.toks.len() - 1)].end;
    let evidence = text.get(start..end).unwrap_or("").to_string();
    let mut out = Vec::new();
    for &subj in &f.subjects {
        for obj in &f.objects {
            let (subject, object) = (ctx.doc.entities[subj].id.clone(), obj.clone());
            if subject == object {
                continue;
            }
            out.push(Relation {
                subject,
                relation: rule.relation.clone(),
                object,
                polarity,
                modality,
                time: time.map(|t| t.text.clone()),
                date: time.and_then(|t| t.date.clone()),
                location: location.as_ref().map(|(_, l)| l.clone()),
                attributed_to: attributed.clone(),
                position: None,
                confidence: (confidence * 100.0).round() / 100.0,
                rule: rule.id.clone(),
                trigger: trigger.to_string(),
                evidence: evidence.clone(),
                start,
                end,
                sentence: sentence_text.to_string(),
            });
        }
    }
    out
}

/// (subject, relation, object, polarity, modality, position)
type RelationKey = (String, String, String, Polarity, Modality, Option<String>);

/// One relation per (subject, relation, object, polarity, modality, position):
/// the most confident reading, with time and place filled from any reading.
fn dedupe(mut rels: Vec<Relation>) -> Vec<Relation> {
    let mut out: Vec<Relation> = Vec::new();
    let mut index: HashMap<RelationKey, usize> = HashMap::new();
    rels.sort_by_key(|r| r.start);
    for r in rels {
        let symmetric = matches!(
            r.relation.as_str(),
            "meets" | "cooperatesWith" | "signsAgreementWith"
        );
        let (a, b) = if symmetric && r.object < r.subject {
            (r.object.clone(), r.subject.clone())
        } else {
            (r.subject.clone(), r.object.clone())
        };
        let key = (
            a,
            r.relation.clone(),
            b,
            r.polarity,
            r.modality,
            r.position.clone(),
        );
        if let Some(&i) = index.get(&key) {
            let kept = &mut out[i];
            if kept.time.is_none() {
                kept.time = r.time.clone();
                kept.date = r.date.clone();
            }
            if kept.location.is_none() {
                kept.location = r.location.clone();
            }
            if r.confidence > kept.confidence {
                kept.confidence = r.confidence;
            }
            continue;
        }
        index.insert(key, out.len());
        out.push(r);
    }
    out
}
