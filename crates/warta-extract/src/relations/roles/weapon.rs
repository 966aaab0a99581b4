//! `testsWeapon`: the object is a weapon class named near the trigger
//! ("uji rudal balistik"), the subject is the tester.

use super::{actors, demonym_before, possessive_before, Filled, TriggerAt};
use crate::ontology::Voice;
use crate::relations::context::Ctx;
use crate::relations::units::Group;

/// The roles of a weapons test: the class of the nearest weapon word within
/// 8 words, and the tester.
pub(super) fn fill(ctx: &Ctx<'_>, trig: &TriggerAt<'_>) -> Result<Vec<Filled>, &'static str> {
    let (t0, t1) = (trig.t0, trig.t1);
    let n = ctx.toks.len();
    let lo = t0.saturating_sub(8);
    let hi = (t1 + 8).min(n);
    let class = (lo..hi).find_map(|k| {
        trig.rule
            .weapons
            .iter()
            .find(|(cue, _)| **cue == ctx.folded[k])
            .map(|(_, c)| c.clone())
    });
    let Some(class) = class else {
        return Err("no weapon word near the trigger");
    };
    let Some(g) = tester(ctx, trig) else {
        return Err("no tester found");
    };
    let subs = actors(ctx, g);
    if subs.is_empty() {
        return Err("the tester is not an actor");
    }
    Ok(vec![Filled {
        subjects: subs,
        objects: vec![class],
        first: g.first.min(t0),
        last: g.last.max(t1 - 1),
        indirect: g.indirect,
        carried: false,
    }])
}

/// The tester: "launch by X", "X's test", the possessor after the noun
/// ("uji balistik terbaru negara tersebut"), or the subject.
fn tester<'a>(ctx: &'a Ctx<'_>, trig: &TriggerAt<'_>) -> Option<&'a Group> {
    let (t0, t1, voice) = (trig.t0, trig.t1, trig.voice);
    let n = ctx.toks.len();
    let lex = ctx.lex;
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
    after_by.or(before_poss).or(possessor).or_else(|| {
        if voice == Voice::Nominal && ctx.right_group(t1, 1, n).is_none() {
            demonym_before(ctx, t0)
                .or_else(|| ctx.left_subject(t0, 0).filter(|_| voice != Voice::Nominal))
        } else {
            ctx.left_subject(t0, 0)
        }
    })
}
