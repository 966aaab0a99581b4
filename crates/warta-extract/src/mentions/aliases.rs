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

#[cfg(test)]
mod tests {
    use super::super::test_support::mention;
    use super::*;
    use crate::model::Language;

    #[test]
    fn a_short_form_in_parentheses_points_at_the_mention_before() {
        // (A longer capitalised word in parentheses is already a bare name,
        // found by the names recognizer, which runs first.)
        let t = "Majelis Rakyat Tertinggi (MR) bersidang hari ini.";
        let alias = mention(t, Language::Id, "MR").expect("the alias");
        let Source::Alias { of: (a, b) } = alias.source else {
            panic!("an alias: {alias:?}");
        };
        assert_eq!(&t[a..b], "Majelis Rakyat Tertinggi");
    }
}
