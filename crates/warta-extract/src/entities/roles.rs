//! The role a title gave a mention ("Menteri Luar Negeri Rusia Sergey
//! Lavrov"), attached to the mention just resolved, with its owner resolved
//! to an entity; the positions an entity holds serve descriptions ("the
//! foreign minister").

use super::resolver::Resolver;
use super::ResolvedRole;
use crate::mentions::{RawMention, Source};

/// Attaches `m`'s role (if any) to its resolved mention (if it resolved).
pub(super) fn attach(r: &mut Resolver<'_>, m: &RawMention) {
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
    if let Some(last) = r.out.mentions.last_mut() {
        if last.start == m.start {
            last.role = Some(ResolvedRole {
                position: role.position.clone(),
                by_date: matches!(m.source, Source::Office),
                owner,
                implied: role.implied.clone(),
                phrase_start: role.phrase_start,
                phrase_end: role.phrase_end,
            });
        }
    }
}
