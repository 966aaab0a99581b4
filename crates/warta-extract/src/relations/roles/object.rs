//! The object of a trigger: after the rule's keyword (`object_after`, maybe
//! in an earlier sentence), right after the trigger (`direct_object`), after
//! one of the rule's prepositions, or the agent of the action it names.

use super::{Objects, RecentTarget, TriggerAt};
use crate::ontology::Voice;
use crate::relations::context::Ctx;
use crate::relations::units::Group;

/// The object of the trigger whose subject is `subj`, or `None`.
pub(super) fn find(
    ctx: &Ctx<'_>,
    trig: &TriggerAt<'_>,
    subj: &Group,
    sentence: usize,
    recent_targets: &[RecentTarget<'_>],
) -> Option<Objects> {
    let found = if trig.rule.object_after.is_empty() {
        by_position(ctx, trig, subj).map(|g| Objects {
            entities: g.entities.clone(),
            span: Some((g.first, g.last)),
            carried: false,
        })
    } else {
        after_keyword(ctx, trig, sentence, recent_targets)
    };
    found.filter(|o| !o.entities.is_empty())
}

/// The object follows a keyword: "... sanksi terhadap X"; with no keyword
/// after the trigger, a target of the same keywords in the two sentences
/// before ("a resolution that would have strengthened sanctions on X").
fn after_keyword(
    ctx: &Ctx<'_>,
    trig: &TriggerAt<'_>,
    sentence: usize,
    recent_targets: &[RecentTarget<'_>],
) -> Option<Objects> {
    let rule = trig.rule;
    let n = ctx.toks.len();
    let kw = (trig.t1..n).find(|&k| ctx.is(k, &rule.object_after));
    if let Some(k) = kw {
        let (g, _) = ctx.prep_group(k + 1, &rule.object_preps, 4, n)?;
        return Some(Objects {
            entities: g.entities.clone(),
            span: Some((g.first, g.last)),
            carried: false,
        });
    }
    recent_targets
        .iter()
        .rev()
        .find(|(tsi, _, kws)| *tsi < sentence && *kws == rule.object_after.as_slice())
        .map(|(_, ents, _)| Objects {
            entities: ents.clone(),
            span: None,
            carried: true,
        })
}

/// The group right after the trigger or after one of the rule's
/// prepositions (past the subject when it follows the trigger); for an
/// active verb, failing those, the agent of the action it names.
fn by_position<'a>(ctx: &'a Ctx<'_>, trig: &TriggerAt<'_>, subj: &Group) -> Option<&'a Group> {
    let (rule, voice, t0, t1) = (trig.rule, trig.voice, trig.t0, trig.t1);
    let n = ctx.toks.len();
    let search_from = if subj.first >= t1 { subj.last + 1 } else { t1 };
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
    let g = g.filter(|g| !names_an_event(ctx, trig, g));
    g.map(|g| possessed(ctx, g)).or_else(|| {
        if voice == Voice::Active {
            agent_of_object(ctx, t1, n)
        } else {
            None
        }
    })
}

/// "host the COP31 United Nations climate summit": a group that modifies
/// an event noun ([`Words::event_nouns`], one word between at most) names
/// the event, not a party one meets or visits.
///
/// [`Words::event_nouns`]: crate::ontology::lexicon::Words::event_nouns
pub(super) fn names_an_event(ctx: &Ctx<'_>, trig: &TriggerAt<'_>, g: &Group) -> bool {
    let meeting = matches!(
        trig.rule.relation.as_str(),
        "meets" | "visits" | "cooperatesWith"
    );
    meeting
        && (g.last + 1..g.last + 3)
            .take_while(|&k| k < ctx.toks.len() && !ctx.toks[k].is_capitalised(ctx.text))
            .any(|k| ctx.is(k, &ctx.lex.words.event_nouns))
}

/// "accused Afghanistan's Taliban regime": the object is what the
/// possessive's group owns, when that is an entity itself.
fn possessed<'a>(ctx: &'a Ctx<'_>, g: &'a Group) -> &'a Group {
    if !ctx.is_possessive(g.last + 1) {
        return g;
    }
    ctx.group_starting(g.last + 2).unwrap_or(g)
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
