//! Member lists: "BIMSTEC consists of seven member countries: A, B and C",
//! "the council's five permanent members (A, B, C, D and E)", "ASEAN
//! beranggotakan sepuluh negara anggota, yakni A, B ...".
//!
//! A member word of the lexicon (`words.member_words`) followed by a list
//! marker (`words.list_markers`: a colon, a parenthesis, "namely", "yakni")
//! and a coordinated group makes each entity of the group `memberOf` the
//! organisation named nearest before the member word in the sentence (or
//! between it and the marker: "anggota BRICS, yakni ...").

use super::context::Ctx;
use super::units::Group;
use crate::model::{EntityType, Language, Modality, Polarity, Relation};

/// How far before the member word the organisation may stand, in tokens.
const ORG_WINDOW: usize = 8;

/// The `memberOf` relations of the sentence's member lists.
pub(super) fn lists(ctx: &Ctx<'_>, lang: Language, sentence: &str, out: &mut Vec<Relation>) {
    let words = &ctx.lex.words;
    for k in 0..ctx.toks.len() {
        let Some(after_word) = ctx.phrase_at(k, &words.member_words) else {
            continue;
        };
        let org_between = organisation_in(ctx, after_word, after_word + 4);
        let marker_from = org_between.map_or(after_word, |(_, last)| last + 1);
        let marker_from = if ctx.is_punct(marker_from, ",") {
            marker_from + 1
        } else {
            marker_from
        };
        let Some(list_at) = ctx.phrase_at(marker_from, &words.list_markers) else {
            continue;
        };
        let Some(members) = listed(ctx, list_at) else {
            continue;
        };
        let last = members.last;
        let org = org_between.or_else(|| organisation_in(ctx, k.saturating_sub(ORG_WINDOW), k));
        let Some((org, org_first)) = org.map(|(e, _)| (e, first_token_of(ctx, e, k))) else {
            continue;
        };
        let first = org_first.min(k);
        let evidence = ctx
            .text
            .get(ctx.toks[first].start..ctx.toks[last].end)
            .unwrap_or("")
            .to_string();
        for &m in &members.entities {
            let t = ctx.doc.entities[m].entity_type;
            if m == org || !t.is_actor() {
                continue;
            }
            out.push(Relation {
                subject: ctx.doc.entities[m].id.clone(),
                relation: "memberOf".to_string(),
                object: ctx.doc.entities[org].id.clone(),
                polarity: Polarity::Positive,
                modality: Modality::Asserted,
                time: None,
                date: None,
                location: None,
                attributed_to: None,
                position: None,
                confidence: 0.7,
                rule: format!("{}.member-list", lang.tag()),
                trigger: ctx
                    .text
                    .get(ctx.toks[k].start..ctx.toks[after_word - 1].end)
                    .unwrap_or("")
                    .to_string(),
                evidence: evidence.clone(),
                start: ctx.toks[first].start,
                end: ctx.toks[last].end,
                sentence: sentence.to_string(),
            });
        }
    }
}

/// The entities listed from token `at`: groups joined by commas and
/// coordination words ("A, B, C dan D"), as one group.
fn listed(ctx: &Ctx<'_>, at: usize) -> Option<Group> {
    let mut list = ctx.group_starting(at)?.clone();
    loop {
        let mut i = list.last + 1;
        let mut joined = false;
        while ctx.is_punct(i, ",") || ctx.is(i, &ctx.lex.words.coordination) {
            i += 1;
            joined = true;
        }
        let Some(g) = ctx.group_starting(i).filter(|_| joined) else {
            return Some(list);
        };
        list.take_in(g.first, g.last, &g.entities);
    }
}

/// The last organisation unit within tokens `from..to`: (entity, its last
/// token).
fn organisation_in(ctx: &Ctx<'_>, from: usize, to: usize) -> Option<(usize, usize)> {
    ctx.units
        .iter()
        .rev()
        .filter(|u| u.first >= from && u.last < to.min(ctx.toks.len()))
        .filter_map(|u| {
            let e = *u.entities.first()?;
            (ctx.doc.entities[e].entity_type == EntityType::Organization).then_some((e, u.last))
        })
        .next()
}

/// The first token of the unit naming entity `e` before token `k`.
fn first_token_of(ctx: &Ctx<'_>, e: usize, k: usize) -> usize {
    ctx.units
        .iter()
        .filter(|u| u.entities.contains(&e))
        .map(|u| u.first)
        .min()
        .unwrap_or(k)
}
