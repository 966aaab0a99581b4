//! Recognizer: gazetteer names and demonyms, the longest match over folded
//! text, kept only where they align with tokens and are not someone else of
//! a known person's family.

use super::{token_at, token_ending, word, RawMention, Scan, Source};
use crate::model::EntityType;
use crate::ontology::gazetteer::FormKind;
use crate::text::Sentence;

/// The gazetteer's mentions of a sentence, in text order.
pub(super) struct GazMentions(Vec<RawMention>);

impl GazMentions {
    /// The mention starting at byte `pos` (found by bisection).
    pub(super) fn at(&self, pos: usize) -> Option<&RawMention> {
        self.0
            .binary_search_by_key(&pos, |m| m.start)
            .ok()
            .and_then(|k| self.0.get(k))
    }

    pub(super) fn iter(&self) -> std::slice::Iter<'_, RawMention> {
        self.0.iter()
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}

/// The gazetteer's matches in the sentence, filtered and extended.
pub(super) fn recognize(scan: &Scan<'_>, s: &Sentence) -> GazMentions {
    let toks = scan.toks;
    let mut found: Vec<RawMention> = scan
        .gaz
        .find(scan.text, s.segment.start, s.segment.end, scan.lang)
        .iter()
        .map(|m| {
            scan.mention(
                m.start,
                m.end,
                Source::Gazetteer {
                    entries: std::sync::Arc::clone(&m.entries),
                    demonym: m.kind == FormKind::Demonym,
                },
            )
        })
        .collect();
    // Matches must align with tokens (not cut a word in two).
    found.retain(|m| token_at(toks, m.start).is_some() && token_ending(toks, m.end).is_some());
    drop_other_family_members(scan, &mut found);
    extend_by_compass_word(scan, &mut found);
    GazMentions(found)
}

/// A person's surname alone after another capitalised name word is
/// someone else of that family ("Hunter Biden", "Akie Abe"), unless that
/// word opens the sentence ("Kata Putin, ...") or is a known name itself.
/// (Matches do not overlap, so their ends are in order too.)
fn drop_other_family_members(scan: &Scan<'_>, found: &mut Vec<RawMention>) {
    let (text, toks, lex) = (scan.text, scan.toks, scan.lex);
    let ends: Vec<usize> = found.iter().map(|m| m.end).collect();
    found.retain(|m| {
        let Source::Gazetteer {
            entries,
            demonym: false,
        } = &m.source
        else {
            return true;
        };
        let person = entries
            .first()
            .is_some_and(|&e| scan.gaz.entry(e).entity_type == EntityType::Person);
        let Some(k) = token_at(toks, m.start).filter(|&k| token_ending(toks, m.end) == Some(k))
        else {
            return true;
        };
        let other_name_before = k >= 2
            && toks.get(k - 1).is_some_and(|p| {
                scan.is_name_token(p)
                    && !lex.sets.not_names.contains(word(text, p))
                    && !lex.sets.honorifics.contains(word(text, p))
                    && ends.binary_search(&p.end).is_err()
            });
        !(person && other_name_before)
    });
}

/// "Jawa Barat", "Asia Timur": a compass word after a place names another
/// region (a name of unknown id).
fn extend_by_compass_word(scan: &Scan<'_>, found: &mut [RawMention]) {
    let toks = scan.toks;
    for m in found.iter_mut() {
        let Some(k) = token_ending(toks, m.end) else {
            continue;
        };
        let is_person = matches!(&m.source, Source::Gazetteer { entries, .. } if entries.first().is_some_and(|&e| scan.gaz.entry(e).entity_type == EntityType::Person));
        if !is_person
            && !matches!(m.source, Source::Gazetteer { demonym: true, .. })
            && scan.in_list(k + 1, &scan.lex.sets.compass)
        {
            if let Some(t) = toks.get(k + 1) {
                m.end = t.end;
                m.source = Source::Name {
                    guess: EntityType::Place,
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{mention, spans};
    use super::*;
    use crate::model::Language;

    #[test]
    fn names_and_demonyms_come_from_the_gazetteer() {
        let t = "Russian troops entered Ukraine.";
        let demonym = mention(t, Language::En, "Russian").expect("Russian");
        assert!(matches!(
            demonym.source,
            Source::Gazetteer { demonym: true, .. }
        ));
        let country = mention(t, Language::En, "Ukraine").expect("Ukraine");
        assert!(matches!(
            country.source,
            Source::Gazetteer { demonym: false, .. }
        ));
    }

    #[test]
    fn a_surname_after_another_name_word_is_someone_else() {
        let t = "Kemudian Hunter Biden datang ke Jakarta.";
        assert!(
            !spans(t, Language::Id).contains(&"Biden"),
            "{:?}",
            spans(t, Language::Id)
        );
    }

    #[test]
    fn a_compass_word_after_a_place_names_another_region() {
        let t = "Presiden meresmikan bendungan di Jawa Barat kemarin.";
        let m = mention(t, Language::Id, "Jawa Barat").expect("Jawa Barat");
        assert_eq!(
            m.source,
            Source::Name {
                guess: EntityType::Place
            }
        );
    }
}
