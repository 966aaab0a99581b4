//! Recognizer: definite descriptions ("negara tersebut", "the ministry",
//! the lexicon's `descriptions`, longest first) and pronouns, on tokens no
//! name took. What they refer to is resolved by the next stage.

use super::taken::Taken;
use super::{word, RawMention, Scan, Source};

/// Adds the sentence's descriptions and pronouns to `out`.
pub(super) fn recognize(scan: &Scan<'_>, taken: &mut Taken, out: &mut Vec<RawMention>) {
    let (text, toks, lex) = (scan.text, scan.toks, scan.lex);
    for (ti, t) in toks.iter().enumerate() {
        if taken.at(ti) {
            continue;
        }
        if let Some((e, ri)) = longest_description(scan, ti) {
            let end = toks[e - 1].end;
            if !taken.any(toks, t.start, end) {
                taken.mark(toks, t.start, end, Taken::MENTION);
                out.push(scan.mention(t.start, end, Source::Description { rule: ri }));
            }
            continue;
        }
        // The pronoun lists are a handful of words: comparing beats hashing.
        let tw = word(text, t);
        let is_one_of = |list: &[String]| list.iter().any(|p| p.eq_ignore_ascii_case(tw));
        if is_one_of(&lex.words.pronouns) {
            out.push(scan.mention(t.start, t.end, Source::Pronoun { plural: false }));
        } else if is_one_of(&lex.words.plural_pronouns) {
            out.push(scan.mention(t.start, t.end, Source::Pronoun { plural: true }));
        }
    }
}

/// The longest description starting at token `ti`: (index after it, rule).
fn longest_description(scan: &Scan<'_>, ti: usize) -> Option<(usize, usize)> {
    let (text, toks) = (scan.text, scan.toks);
    let mut best: Option<(usize, usize)> = None;
    for (words, ri) in scan.lex.description_index.get(word(text, &toks[ti])) {
        let matched = words
            .iter()
            .enumerate()
            .all(|(k, w)| toks.get(ti + k).is_some_and(|x| word(text, x) == w));
        if matched && best.is_none_or(|(be, _)| ti + words.len() > be) {
            best = Some((ti + words.len(), *ri));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::test_support::mention;
    use super::*;
    use crate::model::Language;

    #[test]
    fn a_definite_description_and_a_pronoun_are_mentions() {
        let t = "Rusia mengecam Jepang. Negara tersebut menolak. Mereka pergi.";
        let d = mention(t, Language::Id, "Negara tersebut").expect("the description");
        assert!(matches!(d.source, Source::Description { .. }));
        let p = mention(t, Language::Id, "Mereka").expect("the pronoun");
        assert_eq!(p.source, Source::Pronoun { plural: true });
    }
}
