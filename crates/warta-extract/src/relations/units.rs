//! Units and groups: the participants a sentence offers.
//!
//! A *unit* is one mention over a token range, or a titled phrase standing
//! for its holder ("Presiden Rusia Vladimir Putin" is one unit: the person;
//! the owner mention inside it is absorbed). A *group* is units joined only
//! by coordination words ("Rusia dan China"); roles are filled with groups,
//! and coordination gives one event per member.

use crate::entities::{DocEntities, Resolved};
use crate::model::MentionKind;
use crate::ontology::Lexicon;
use crate::text::Token;

/// A mention or titled phrase standing for entities, over a token range.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) entities: Vec<usize>,
    /// Came from a pronoun, description or short form (lower confidence).
    pub(super) indirect: bool,
    pub(super) demonym: bool,
}

/// Coordinated units ("Rusia dan China").
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) entities: Vec<usize>,
    pub(super) indirect: bool,
    pub(super) demonym: bool,
}

impl Group {
    /// Grows the group by a coordinated member over tokens `first..=last`.
    pub(super) fn take_in(&mut self, first: usize, last: usize, entities: &[usize]) {
        for &e in entities {
            if !self.entities.contains(&e) {
                self.entities.push(e);
            }
        }
        self.first = self.first.min(first);
        self.last = self.last.max(last);
    }
}

/// The units of a sentence, by first token. Titled phrases come first in
/// the mention order and absorb the mentions inside them.
pub(super) fn units_of(toks: &[Token], mentions: &[&Resolved]) -> Vec<Unit> {
    // Tokens are in text order and do not overlap: both their starts and
    // their ends are sorted, so a lookup is a binary search.
    let tok_index = |pos: usize, end: bool| {
        if end {
            toks.binary_search_by_key(&pos, |t| t.end).ok()
        } else {
            toks.binary_search_by_key(&pos, |t| t.start).ok()
        }
    };
    let mut units: Vec<Unit> = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    // The furthest end among the units and the covered spans (never
    // lowered): a mention past it is inside none of them, so the scans below
    // are skipped. Mentions mostly come in reading order, and a sentence may
    // list 50,000 names.
    let (mut units_reach, mut covered_reach) = (0, 0);
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
        if m.end <= covered_reach
            && covered
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
            covered_reach = covered_reach.max(end);
            if first <= units_reach {
                units.retain(|u| !(u.first >= first && u.last <= last));
            }
        }
        if last <= units_reach && units.iter().any(|u| u.first <= first && last <= u.last) {
            continue;
        }
        units_reach = units_reach.max(last);
        units.push(Unit {
            first,
            last,
            entities: m.entities.clone(),
            indirect: !matches!(m.kind, MentionKind::Name | MentionKind::Demonym),
            demonym: m.kind == MentionKind::Demonym,
        });
    }
    units.sort_by_key(|u| u.first);
    units
}

/// Coordinated groups: units joined only by coordination words. A
/// parenthesis right after a unit is an aside ("Korea Utara (Republik
/// Rakyat Demokratik Korea) dan Uni Soviet"): the group spans it, and the
/// mentions inside it join no group.
pub(super) fn coordinated_groups(
    units: &[Unit],
    folded: &[std::borrow::Cow<'_, str>],
    doc: &DocEntities,
    lex: &Lexicon,
) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for u in units {
        if groups.last().is_some_and(|g| u.first <= g.last) {
            continue;
        }
        let u_last = aside_end(folded, u.last).unwrap_or(u.last);
        let joined = groups
            .last()
            .is_some_and(|g| joins_group(g, u, folded, doc, lex));
        if joined {
            if let Some(g) = groups.last_mut() {
                g.take_in(u.first, u_last, &u.entities);
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
    groups
}

/// The closing parenthesis of an aside right after token `last`
/// ("Korea Utara (Republik Rakyat Demokratik Korea)"), if there is one.
fn aside_end(folded: &[std::borrow::Cow<'_, str>], last: usize) -> Option<usize> {
    (folded.get(last + 1).is_some_and(|w| w == "("))
        .then(|| {
            (last + 2..(last + 16).min(folded.len()))
                .take_while(|&k| folded[k] != "(")
                .find(|&k| folded[k] == ")")
        })
        .flatten()
}

/// Does a reporting verb follow the unit ending at token `last`, past its
/// aside ("..., the National News Agency (NNA) reported")? Then the unit
/// speaks: it is no member of the list before it.
pub(super) fn reports_after(
    folded: &[std::borrow::Cow<'_, str>],
    lex: &Lexicon,
    last: usize,
) -> bool {
    let end = aside_end(folded, last).unwrap_or(last);
    folded
        .get(end + 1)
        .is_some_and(|w| lex.words.reporting.iter().any(|r| r == w))
}

/// Does unit `u` join group `g` before it: at most three words between,
/// all coordination (articles aside)?
fn joins_group(
    g: &Group,
    u: &Unit,
    folded: &[std::borrow::Cow<'_, str>],
    doc: &DocEntities,
    lex: &Lexicon,
) -> bool {
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
    let is_place = |ents: &[usize]| ents.iter().all(|&e| doc.entities[e].entity_type.is_place());
    let comma_only = joiners.iter().all(|w| *w == ",");
    // "Setelah Indonesia, Wang Yi akan ...", "After Jakarta, Wang will ...":
    // a sentence-initial phrase ends at its comma; it lists nothing.
    let fronted = comma_only
        && g.first == 1
        && folded.first().is_some_and(|w| {
            lex.words.clause_breaks.iter().any(|c| c == w)
                || lex.words.prepositions.iter().any(|p| p == w)
        });
    // "met X, Y and Z, the state news agency reported": after a comma, the
    // speaker of a reporting verb starts a clause of its own.
    let speaker = comma_only && reports_after(folded, lex, u.last);
    // "..., kedua menteri menegaskan", "..., both leaders said": a plural
    // description after a comma opens a clause; lists name their members.
    let plural_description = comma_only && u.indirect && u.entities.len() >= 2;
    !joiners.is_empty()
        && !fronted
        && !speaker
        && !plural_description
        && between.len() <= 3
        && joiners
            .iter()
            .all(|w| lex.words.coordination.iter().any(|c| c == w))
        && !(comma_only && is_place(&g.entities) && is_place(&u.entities))
        && !(u.demonym)
}
