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
//!
//! The steps live in one file each, in the order they run for a sentence:
//!
//! ```text
//! units      mentions -> units (a titled phrase is its holder) -> coordinated groups
//! context    the sentence as role filling sees it (folded words, groups, left/right walks)
//! triggers   the lexicon's trigger forms, and which voice a verb-or-noun form has
//! roles      subject and object per voice (active, passive, nominal, weapons test)
//! attributes polarity, modality, time, place, attribution, confidence, evidence
//! members    memberOf from member lists ("member countries: A, B and C")
//! titles     holdsPosition from titled mentions
//! places     a visit to a city is also one to its country
//! dedupe     one relation per reading
//! time       time expressions and dates (a helper: used for the time attribute,
//!            and by extraction for the article's publication date)
//! ```

mod attributes;
mod context;
mod dedupe;
mod members;
mod places;
mod roles;
pub mod time;
mod titles;
mod triggers;
mod units;

use self::attributes::SentenceFacts;
use self::context::{build_ctx, Ctx};
use self::roles::{fill_roles, RecentTarget, RoleMemory, TriggerAt};
use self::time::find_times;
use self::titles::TitleScope;
use self::triggers::{choose_voices, find_triggers};
use crate::entities::{DocEntities, Resolved};
use crate::mentions::Sentence;
use crate::model::{Language, Relation};
use crate::ontology::lexicon::TriggerForm;
use crate::ontology::{Lexicon, Ontology, Voice};
use crate::text::{fold_cow, SegmentKind};

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
    /// The dependency paths that gave the roles, when they came from the
    /// tree ("tree: subject nsubj, object obl(with)").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles_from: Option<String>,
}

/// The article and the language, as every sentence's steps need them.
struct Article<'a> {
    text: &'a str,
    doc: &'a DocEntities,
    lex: &'a Lexicon,
    models: &'a crate::ontology::SyntaxModels,
    lang: Language,
    published: Option<&'a str>,
}

/// What the document's sentences produce, in reading order.
#[derive(Default)]
struct Found {
    relations: Vec<Relation>,
    trace: Vec<TriggerHit>,
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
    let article = Article {
        text,
        doc,
        lex: ont.lexicon(lang),
        models: &ont.syntax,
        lang,
        published,
    };
    let titles = TitleScope::new(text, doc, ont, lang);
    let mut found = Found::default();
    // "sanksi terhadap X" seen in recent sentences, for object_after carry-over.
    let mut recent_targets: Vec<RecentTarget<'_>> = Vec::new();
    let mentions_of = mentions_by_sentence(doc, sentences.len());
    for (si, s) in sentences.iter().enumerate() {
        if s.segment.kind == SegmentKind::Boilerplate {
            continue;
        }
        let sentence_mentions = mentions_of.get(si).map_or(&[][..], Vec::as_slice);
        let sentence_text: &str = s.segment.text(text);
        let folded: Vec<std::borrow::Cow<'_, str>> =
            s.tokens.iter().map(|t| fold_cow(t.text(text))).collect();
        if may_fire(article.lex, &folded) {
            let ctx = build_ctx(
                text,
                s,
                folded,
                sentence_mentions,
                article.doc,
                article.lex,
                article.models,
            );
            trigger_events(&article, si, s, ctx, &mut recent_targets, &mut found);
        }
        recent_targets.retain(|(tsi, _, _)| si.saturating_sub(*tsi) < 2);
        titles::positions(
            &titles,
            sentence_mentions,
            sentence_text,
            &mut found.relations,
        );
    }
    let country_visits = places::country_visits(doc, ont, &found.relations);
    found.relations.extend(country_visits);
    (dedupe::dedupe(found.relations), found.trace)
}

/// Relations that hold both ways ("A meets B" is "B meets A"): found once
/// per pair, in either order.
fn is_symmetric(relation: &str) -> bool {
    matches!(relation, "meets" | "cooperatesWith" | "signsAgreementWith")
}

/// Resolved mentions by sentence (a document's mentions are scanned once).
fn mentions_by_sentence(doc: &DocEntities, sentences: usize) -> Vec<Vec<&Resolved>> {
    let mut mentions_of: Vec<Vec<&Resolved>> = vec![Vec::new(); sentences];
    for m in &doc.mentions {
        if let Some(v) = mentions_of.get_mut(m.sentence) {
            v.push(m);
        }
    }
    mentions_of
}

/// Most of the work is for triggers: a sentence with no word that starts a
/// trigger form, an object keyword or a member word skips it.
fn may_fire(lex: &Lexicon, folded: &[std::borrow::Cow<'_, str>]) -> bool {
    folded.iter().any(|w| {
        lex.forms.contains_key(&**w)
            || lex.multi_word_starts.contains(&**w)
            || lex.object_after_starts.contains(&**w)
            || lex.member_word_starts.contains(&**w)
    })
}

/// The events of one sentence's triggers, and a trace entry per trigger
/// form tried.
fn trigger_events<'l>(
    article: &Article<'l>,
    si: usize,
    s: &Sentence,
    mut ctx: Ctx<'_>,
    recent_targets: &mut Vec<RecentTarget<'l>>,
    found: &mut Found,
) {
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
        find_times(
            article.text,
            s.segment.start,
            s.segment.end,
            article.lang,
            article.published,
        )
    };
    let facts = SentenceFacts {
        text: s.segment.text(article.text),
        times,
        reporters: attributes::reporters(&ctx),
    };
    push_object_targets(&ctx, article.lex, si, recent_targets);
    members::lists(&ctx, article.lang, facts.text, &mut found.relations);
    let mut last_subject = None;
    for &(i, len, forms) in &triggers {
        for form in choose_voices(&ctx, i, forms) {
            let Some(rule) = article.lex.rules.get(form.rule) else {
                continue;
            };
            let trig = TriggerAt {
                rule,
                voice: form.voice,
                t0: i,
                t1: i + len,
            };
            let memory = RoleMemory {
                sentence: si,
                recent_targets,
                last_subject: &mut last_subject,
            };
            found.trace.push(one_trigger(
                &ctx,
                trig,
                form,
                article.lang,
                memory,
                &facts,
                &mut found.relations,
            ));
        }
    }
}

/// The targets of object_after keywords in this sentence ("sanksi terhadap
/// X"), for triggers here and in the next two sentences.
fn push_object_targets<'l>(
    ctx: &Ctx<'_>,
    lex: &'l Lexicon,
    si: usize,
    recent_targets: &mut Vec<RecentTarget<'l>>,
) {
    let n = ctx.toks.len();
    for rule in lex.rules.iter().filter(|r| !r.object_after.is_empty()) {
        for (k, _) in ctx.folded.iter().enumerate() {
            if ctx.is(k, &rule.object_after) {
                if let Some((g, _)) = ctx.prep_group(k + 1, &rule.object_preps, 4, n) {
                    recent_targets.push((si, g.entities.clone(), &rule.object_after));
                }
            }
        }
    }
}

/// Fills one trigger form's roles, adds its events to `out`, and says what
/// came of it.
fn one_trigger(
    ctx: &Ctx<'_>,
    trig: TriggerAt<'_>,
    form: &TriggerForm,
    lang: Language,
    memory: RoleMemory<'_, '_>,
    facts: &SentenceFacts<'_>,
    out: &mut Vec<Relation>,
) -> TriggerHit {
    let (i, len) = (trig.t0, trig.t1 - trig.t0);
    let rule = trig.rule;
    let sentence = memory.sentence;
    let trigger_text = ctx
        .text
        .get(ctx.toks[i].start..ctx.toks[i + len - 1].end)
        .unwrap_or("")
        .to_string();
    let mut roles_from = None;
    let outcome = fill_roles(ctx, trig, lang, memory).and_then(|(filled, via)| {
        roles_from = via;
        let before = out.len();
        for f in filled {
            out.extend(attributes::events(ctx, &trig, &f, &trigger_text, facts));
        }
        if out.len() > before {
            Ok(out.len() - before)
        } else {
            Err("the subject and object are the same entity")
        }
    });
    TriggerHit {
        sentence,
        rule: rule.id.clone(),
        relation: rule.relation.clone(),
        trigger: trigger_text,
        start: ctx.toks[i].start,
        end: ctx.toks[i + len - 1].end,
        voice: form.voice.name(),
        outcome: outcome.map_err(str::to_string),
        roles_from,
    }
}
