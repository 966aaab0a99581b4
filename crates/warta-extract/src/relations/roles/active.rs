//! The subject of an active trigger ("X mengecam Y"): the nearest group to
//! the left in its clause, or the subject of the verb it is coordinated with.

use super::TriggerAt;
use crate::relations::context::Ctx;
use crate::relations::units::Group;
use crate::text::TokenKind;

/// Coordinated verbs share the first one's subject: "he praised X, thanked
/// Y and accused Z". `last` is the sentence's last active trigger and its
/// subject.
pub(super) fn subject<'a>(
    ctx: &'a Ctx<'_>,
    trig: &TriggerAt<'_>,
    last: &'a Option<(usize, Group)>,
) -> Option<&'a Group> {
    let t0 = trig.t0;
    let found = controlled_subject(ctx, t0).or_else(|| {
        ctx.left_subject(t0, 0)
            .map(|g| purpose_subject(ctx, t0, g).unwrap_or(g))
    });
    // Up to two adverbs between: "and strongly condemned", "dan secara
    // tegas mengecam".
    let mut k = t0;
    while k > 0 && t0 - k < 2 && ctx.is_adverb(k - 1) {
        k -= 1;
    }
    // A hyphen written onto the verb joins a name to it ("Iran-backed"),
    // not two verbs.
    let attached_hyphen =
        k > 0 && ctx.is_punct(k - 1, "-") && ctx.toks[k - 1].end == ctx.toks[k].start;
    let coordinated = k > 0
        && !attached_hyphen
        && (ctx.is_punct(k - 1, ",") || ctx.is(k - 1, &ctx.lex.words.coordination));
    // A clause break between the two verbs ("a resolution backed by X that
    // would have imposed"): the later verb has a subject of its own. A
    // subordinator right before the verb opens a clause without one ("after
    // visiting Vanuatu", "setelah mengunjungi").
    let relative =
        |k: usize| matches!(&*ctx.folded[k], "that" | "which" | "who" | "yang" | "bahwa");
    let subjectless = |k: usize| k + 1 == t0 && !relative(k);
    let broken = |p: usize| (p + 1..t0).any(|k| ctx.is_break(k) && !subjectless(k));
    let shared = last.as_ref().filter(|(p, g)| {
        g.last < *p && (coordinated || (found.is_none_or(|f| f.last < *p) && !broken(*p)))
    });
    match shared {
        Some((_, g)) => Some(g),
        None => found,
    }
}

/// An object-control verb's object is the subject of the verb it governs,
/// also behind a particle ("called on Rwanda to support X", "calls upon the
/// council to impose ..."), and with one lower-case word between the marker
/// and the trigger ("to cease support", "untuk menghentikan dukungan"), and
/// in a second verb of the governed clause ("to withdraw from X and halt
/// support for Y"). The left walk would pass that object by as a
/// preposition's.
fn controlled_subject<'a>(ctx: &'a Ctx<'_>, t0: usize) -> Option<&'a Group> {
    let purpose = &ctx.lex.words.purpose;
    let plain = |k: usize| {
        ctx.toks.get(k).is_some_and(|tok| {
            tok.kind == TokenKind::Word
                && !tok.is_capitalised(ctx.text)
                && ctx.unit_of.get(k).copied().flatten().is_none()
                && !ctx.is_break(k)
        })
    };
    let mut start = t0;
    if start > 0 && plain(start - 1) && !ctx.is(start - 1, purpose) {
        start -= 1;
    }
    let marker = match start.checked_sub(1) {
        Some(m) if ctx.is(m, purpose) => m,
        // The second verb of the governed clause: "to withdraw from X and
        // halt support for Y".
        Some(c) if ctx.is(c, &ctx.lex.words.coordination) => coordinated_marker(ctx, c)?,
        _ => return None,
    };
    // The object, or a demonym and its head noun ("Rwandan forces").
    let before = marker.checked_sub(1)?;
    let g = match ctx.group_at(before) {
        Some(g) if g.last == before => g,
        None if plain(before) => ctx
            .group_at(before.checked_sub(1)?)
            .filter(|g| g.demonym && g.last + 2 == marker)?,
        _ => return None,
    };
    let mut verb = g.first.checked_sub(1)?;
    if matches!(&*ctx.folded[verb], "the" | "a" | "an" | "para") {
        verb = verb.checked_sub(1)?;
    }
    let control = &ctx.lex.words.object_control;
    let governed = ctx.is(verb, control)
        || (ctx.is_prep(verb) && verb.checked_sub(1).is_some_and(|v| ctx.is(v, control)));
    governed.then_some(g)
}

/// How far back the marker of a governed clause may stand from the
/// coordination inside it.
const GOVERNED_CLAUSE: usize = 12;

/// The purpose marker opening the clause that coordination `c` continues,
/// with no punctuation (but an abbreviation's parentheses) or clause break
/// between them.
fn coordinated_marker(ctx: &Ctx<'_>, c: usize) -> Option<usize> {
    let bracket = |k: usize| ctx.is_punct(k, "(") || ctx.is_punct(k, ")");
    (c.saturating_sub(GOVERNED_CLAUSE)..c)
        .rev()
        .take_while(|&k| (ctx.toks[k].kind != TokenKind::Punct || bracket(k)) && !ctx.is_break(k))
        .find(|&k| ctx.is(k, &ctx.lex.words.purpose))
}

/// A purpose clause's subject is its main verb's ("Dia meninggalkan Kuala
/// Lumpur untuk bertemu X", "left Moscow to meet X"), not that verb's
/// object `g`. (A verb of the lexicon's `object_control` hands its object
/// on instead, "urged Iran to meet X": [`controlled_subject`] has taken that
/// case before this is asked.) The tagger says what is a verb.
fn purpose_subject<'a>(ctx: &'a Ctx<'_>, t0: usize, g: &Group) -> Option<&'a Group> {
    let marker = t0.checked_sub(1)?;
    if marker != g.last + 1 || !ctx.is(marker, &ctx.lex.words.purpose) {
        return None;
    }
    let verb = g.first.checked_sub(1)?;
    let parse = ctx.parse()?;
    let is_verb = parse
        .words_of(verb)
        .iter()
        .any(|w| w.upos == crate::syntax::Upos::Verb);
    if !is_verb {
        return None;
    }
    ctx.left_subject(verb, 0)
}
