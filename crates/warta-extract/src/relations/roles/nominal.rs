//! A nominal trigger ("pertemuan X dengan Y", "kunjungan X ke Y", "X's
//! meeting with Y", "talks between X and Y", "Russian invasion of Y").

use super::{demonym_before, pairs_among, possessive_before, Filled, TriggerAt};
use crate::relations::context::Ctx;
use crate::relations::units::Group;

/// What the noun's phrase gives as subject.
pub(super) enum Subject<'a> {
    /// "talks between X and Y": the members relate to each other, done.
    Pairs(Vec<Filled>),
    /// The subject group, if any.
    Group(Option<&'a Group>),
}

/// The subject of a nominal trigger: members after "between"; else a
/// possessor or demonym before the noun; else the group right after it
/// (unless the rule wants its subject on the left); else the left walk.
pub(super) fn subject<'a>(ctx: &'a Ctx<'_>, trig: &TriggerAt<'_>) -> Subject<'a> {
    let (t0, t1) = (trig.t0, trig.t1);
    let n = ctx.toks.len();
    if let Some((g, _)) = ctx.prep_group(t1, &ctx.lex.words.between, 3, n) {
        if g.entities.len() >= 2 {
            return Subject::Pairs(pairs_among(
                ctx,
                &g.entities,
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
    Subject::Group(
        possessive_before(ctx, t0)
            .or_else(|| demonym_before(ctx, t0))
            .or_else(|| {
                if trig.rule.subject_left {
                    None
                } else {
                    ctx.right_group(t1, 2, n).filter(|g| !g.demonym)
                }
            })
            .or_else(|| (!plural_head).then(|| ctx.left_subject(t0, 0)).flatten())
            .or_else(|| adjunct_subject(ctx, trig)),
    )
}

/// A meeting named in a time adjunct is one the clause's subject held:
/// "Borrell said after hours of talks with X". Only for relations between the two sides (an "attack"
/// in an adjunct is often someone else's).
fn adjunct_subject<'a>(ctx: &'a Ctx<'_>, trig: &TriggerAt<'_>) -> Option<&'a Group> {
    if !crate::relations::is_symmetric(&trig.rule.relation) {
        return None;
    }
    // The preposition, past "hours of", "a round of", "two days of".
    let lowercase = |k: usize| {
        ctx.toks[k].kind == crate::text::TokenKind::Word && !ctx.toks[k].is_capitalised(ctx.text)
            || ctx.toks[k].kind == crate::text::TokenKind::Number
    };
    let mut p = trig.t0.checked_sub(1)?;
    let mut steps = 0;
    while !ctx.is(p, &ctx.lex.words.adjunct_preps) {
        if steps == 3 || !lowercase(p) {
            return None;
        }
        p = p.checked_sub(1)?;
        steps += 1;
    }
    // "Borrell said after talks": the reporting verb's subject.
    let from = if p > 0 && ctx.is(p - 1, &ctx.lex.words.reporting) {
        p - 1
    } else {
        p
    };
    // (A fronted adjunct, "During talks with X, Y said", is left out: the
    // comma joins X and Y into one group there.)
    ctx.left_subject(from, 0)
}

/// An Indonesian reduplicated plural, folded ("negara negara", "pemimpin
/// pemimpin"): the same word twice.
fn is_reduplicated(folded: &str) -> bool {
    folded
        .split_once(' ')
        .is_some_and(|(a, b)| a == b && a.chars().count() > 1)
}
