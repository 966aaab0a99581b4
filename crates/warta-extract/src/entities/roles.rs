//! The role a title gave a mention ("Menteri Luar Negeri Rusia Sergey
//! Lavrov"), attached to the mention just resolved, with its owner resolved
//! to an entity; the positions an entity holds serve descriptions ("the
//! foreign minister").

use super::resolver::Resolver;
use super::ResolvedRole;
use crate::mentions::RawMention;

/// Attaches `m`'s role (if any) to its resolved mention (if it resolved);
/// `by_date` when the text does not name its person (an office the date or
/// an earlier mention resolved).
pub(super) fn attach(r: &mut Resolver<'_>, m: &RawMention, by_date: bool) {
    let Some(role) = &m.role else {
        return;
    };
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
    let at = r.out.mentions.len().wrapping_sub(1);
    if let Some(last) = r.out.mentions.last_mut() {
        if last.start == m.start {
            // An owner after the office ("adviser to Bangladesh") resolves
            // after it: fill it in at the end.
            if let (None, Some(span)) = (owner, role.owner) {
                r.pending_owners.push((at, span));
            }
            last.role = Some(ResolvedRole {
                position: role.position.clone(),
                by_date,
                owner,
                implied: role.implied.clone(),
                phrase_start: role.phrase_start,
                phrase_end: role.phrase_end,
            });
        }
    }
}

/// Fills in the owners that were named after their titled mention, once
/// every mention is resolved.
pub(super) fn attach_pending_owners(r: &mut Resolver<'_>) {
    if r.pending_owners.is_empty() {
        return;
    }
    let spans: rustc_hash::FxHashMap<(usize, usize), usize> = r
        .out
        .mentions
        .iter()
        .filter_map(|x| Some(((x.start, x.end), *x.entities.first()?)))
        .collect();
    for (at, span) in std::mem::take(&mut r.pending_owners) {
        let owner = spans.get(&span).copied();
        if let Some(role) = r.out.mentions.get_mut(at).and_then(|x| x.role.as_mut()) {
            role.owner = role.owner.or(owner);
        }
    }
}
