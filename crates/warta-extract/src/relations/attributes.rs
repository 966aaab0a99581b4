//! What an event carries besides its roles: polarity and modality (from the
//! words between subject and trigger), time (the nearest expression in the
//! sentence), place (after a location preposition), attribution (the
//! speaker of a reporting verb), confidence and evidence.

use super::context::Ctx;
use super::roles::{Filled, TriggerAt};
use super::time::TimeExpr;
use crate::model::{Modality, Polarity, Relation};

/// What a sentence offers every event in it, found once per sentence.
pub(super) struct SentenceFacts<'a> {
    pub(super) text: &'a str,
    /// Time expressions of the sentence (only looked for when it has triggers).
    pub(super) times: Vec<TimeExpr>,
    /// Reporting verbs and the entities of their speaker.
    pub(super) reporters: Vec<(usize, Vec<usize>)>,
}

/// Reporting verbs and their speakers: "menurut X", "according to X" (the
/// source follows), else the subject of the verb ("X said").
pub(super) fn reporters(ctx: &Ctx<'_>) -> Vec<(usize, Vec<usize>)> {
    let lex = ctx.lex;
    let n = ctx.toks.len();
    let mut reporters = Vec::new();
    for i in 0..n {
        if ctx.unit_of[i].is_none() && ctx.phrase_at(i, &lex.words.reporting).is_some() {
            let source = if matches!(&*ctx.folded[i], "according" | "menurut") {
                ctx.right_group(
                    ctx.phrase_at(i, &lex.words.reporting).unwrap_or(i + 1),
                    2,
                    n,
                )
            } else {
                speaker_before(ctx, i).or_else(|| ctx.right_group(i + 1, 2, n))
            };
            if let Some(g) = source {
                reporters.push((i, g.entities.clone()));
            }
        }
    }
    reporters
}

/// The subject of reporting verb `i` by the left walk; past the object of
/// a trigger verb it is coordinated with: "X met Y and said" is X speaking.
fn speaker_before<'a>(ctx: &'a Ctx<'_>, i: usize) -> Option<&'a super::units::Group> {
    let found = ctx.left_subject(i, 0)?;
    let coordinated =
        i > 0 && !ctx.is_punct(i - 1, "-") && ctx.is(i - 1, &ctx.lex.words.coordination);
    let object_of = |v: usize| {
        v < found.first
            && (v + 1..found.first).all(|k| matches!(&*ctx.folded[k], "the" | "a" | "an"))
    };
    match ctx.verbs.iter().copied().find(|&v| object_of(v)) {
        Some(verb) if coordinated => ctx.left_subject(verb, 0).or(Some(found)),
        _ => Some(found),
    }
}

/// The events of one trigger's roles: one per (subject, object) pair that
/// are two entities, all with the same attributes.
pub(super) fn events(
    ctx: &Ctx<'_>,
    trig: &TriggerAt<'_>,
    f: &Filled,
    trigger: &str,
    facts: &SentenceFacts<'_>,
) -> Vec<Relation> {
    let rule = trig.rule;
    let (t0, t1) = (trig.t0, trig.t1);
    let (polarity, modality) = polarity_and_modality(ctx, f, t0);
    let time = nearest_time(ctx, &facts.times, t0);
    let location = place(ctx, f, t1);
    let attributed = facts
        .reporters
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
    let evidence = ctx.text.get(start..end).unwrap_or("").to_string();
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
                location: location.clone(),
                attributed_to: attributed.clone(),
                position: None,
                confidence: (confidence * 100.0).round() / 100.0,
                rule: rule.id.clone(),
                trigger: trigger.to_string(),
                evidence: evidence.clone(),
                start,
                end,
                sentence: facts.text.to_string(),
            });
        }
    }
    out
}

/// Polarity and modality: negation, possibility and plan words between the
/// subject (or at most 6 words before) and the trigger, outside mentions.
fn polarity_and_modality(ctx: &Ctx<'_>, f: &Filled, t0: usize) -> (Polarity, Modality) {
    let lex = ctx.lex;
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
    (polarity, modality)
}

/// The time expression nearest the trigger (one before it counts double).
fn nearest_time<'t>(ctx: &Ctx<'_>, times: &'t [TimeExpr], t0: usize) -> Option<&'t TimeExpr> {
    let trig_pos = ctx.toks[t0].start;
    times.iter().min_by_key(|t| {
        if t.start >= trig_pos {
            t.start - trig_pos
        } else {
            (trig_pos - t.end) * 2
        }
    })
}

/// Place: the place after a location preposition nearest the trigger, not
/// one of the objects.
fn place(ctx: &Ctx<'_>, f: &Filled, t1: usize) -> Option<String> {
    let mut location: Option<(usize, String)> = None;
    for k in 0..ctx.toks.len() {
        if !ctx.is(k, &ctx.lex.words.location_preps) {
            continue;
        }
        let Some(&e) = ctx.group_starting(k + 1).and_then(|g| g.entities.first()) else {
            continue;
        };
        let ent = &ctx.doc.entities[e];
        if ent.entity_type.is_place() && !f.objects.contains(&ent.id) {
            let dist = k.abs_diff(t1);
            if location.as_ref().is_none_or(|(d, _)| dist < *d) {
                location = Some((dist, ent.id.clone()));
            }
        }
    }
    location.map(|(_, l)| l)
}
