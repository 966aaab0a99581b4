//! Recognizer: acronyms and short names defined in parentheses right after
//! a mention: "Majelis Rakyat Tertinggi (SPA)", "Joko Widodo (Jokowi)". The
//! alias points at the mention it follows; the next stage makes them one
//! entity.

use super::taken::Taken;
use super::{token_ending, RawMention, Scan, Source};

/// Adds an alias mention for every "(Word)" right after a mention in `out`.
pub(super) fn recognize(scan: &Scan<'_>, taken: &mut Taken, out: &mut Vec<RawMention>) {
    let toks = scan.toks;
    let mut aliases = Vec::new();
    for m in out.iter() {
        let Some(k) = token_ending(toks, m.end) else {
            continue;
        };
        if scan.w(k + 1) != "(" {
            continue;
        }
        let Some(inner) = toks.get(k + 2) else {
            continue;
        };
        if scan.w(k + 3) == ")" && inner.is_capitalised(scan.text) && !taken.mention_at(k + 2) {
            aliases.push(scan.mention(
                inner.start,
                inner.end,
                Source::Alias {
                    of: (m.start, m.end),
                },
            ));
        }
    }
    for a in &aliases {
        taken.mark(toks, a.start, a.end, Taken::MENTION);
    }
    out.extend(aliases);
}
