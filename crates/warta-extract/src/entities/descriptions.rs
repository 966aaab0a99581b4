//! Definite descriptions ("negara tersebut", "the ministry", "kedua negara",
//! "the Secretary"): the nearest earlier entity that fits the description's
//! type, head words and positions; a title alone first takes the person
//! whose own title had that word; a plural one takes two (first the latest
//! pair named together).

use super::resolver::Resolver;
use super::Resolved;
use crate::mentions::RawMention;
use crate::model::{EntityType, MentionKind};
use crate::ontology::lexicon::DescriptionRule;
use crate::text::{fold, fold_words, folds_to};

/// What a description asks of its entity, with its head words folded.
struct Wanted<'d> {
    d: &'d DescriptionRule,
    /// The positions asked for (the rule's, or its fallback's).
    positions: &'d [String],
    entity_type: EntityType,
    heads: &'d [String],
}

impl Wanted<'_> {
    /// Does entity `e` fit: a position it holds (if the description names
    /// positions), its type (organisations and government bodies
    /// interchangeably), and a head word among its names?
    fn fits(&self, e: usize, r: &Resolver<'_>) -> bool {
        let t = self.entity_type;
        let ent = &r.out.entities[e];
        if !self.positions.is_empty()
            && !r
                .roles
                .get(&e)
                .is_some_and(|ps| ps.iter().any(|p| self.positions.contains(p)))
        {
            return false;
        }
        let type_ok = ent.entity_type == t
            || (t == EntityType::Organization && ent.entity_type == EntityType::GovernmentBody)
            || (t == EntityType::GovernmentBody && ent.entity_type == EntityType::Organization);
        type_ok
            && (self.heads.is_empty()
                || ent
                    .mentions
                    .iter()
                    .map(|m| m.text.as_str())
                    .chain(std::iter::once(ent.label.as_str()))
                    .flat_map(fold_words)
                    .any(|w| self.heads.iter().any(|h| folds_to(w, h))))
    }
}

/// Resolves a description mention (rule `rule` of the lexicon).
pub(super) fn resolve(r: &mut Resolver<'_>, m: &RawMention, rule: usize) {
    let Some(d) = r.lex.descriptions.get(rule) else {
        return;
    };
    let Some(entity_type) = EntityType::parse(&d.entity_type) else {
        return;
    };
    let heads: Vec<String> = d.head.iter().map(|h| fold(h)).collect();
    let find = |positions: &[String]| {
        let wanted = Wanted {
            d,
            positions,
            entity_type,
            heads: &heads,
        };
        named_pair(r, m, &wanted).unwrap_or_else(|| nearest(r, m, &wanted))
    };
    let mut found = find(&d.positions);
    if found.is_empty() && !d.positions_else.is_empty() {
        found = find(&d.positions_else);
    }
    r.push(m, found, MentionKind::Description);
}

/// A plural description ("kedua negara tersebut", "the two countries")
/// takes, first, the latest pair named together ("Tiongkok dan Uni
/// Soviet", "Tiongkok-Soviet") in this or the two sentences before.
fn named_pair(r: &Resolver<'_>, m: &RawMention, wanted: &Wanted<'_>) -> Option<Vec<usize>> {
    if !wanted.d.plural {
        return None;
    }
    let named: Vec<&Resolved> = r
        .out
        .mentions
        .iter()
        .filter(|x| {
            x.start < m.start
                && x.kind != MentionKind::Description
                && m.sentence.saturating_sub(x.sentence) <= 2
        })
        .collect();
    named.windows(2).rev().find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let (&ea, &eb) = (a.entities.first()?, b.entities.first()?);
        let between = r.text.get(a.end..b.start)?.trim();
        let joined = matches!(
            between,
            "dan" | "and" | "serta" | "&" | "-" | "\u{2013}" | ","
        );
        (joined && ea != eb && wanted.fits(ea, r) && wanted.fits(eb, r)).then_some(vec![ea, eb])
    })
}

/// The nearest fitting entity (by title word first), and for a plural
/// description the one before it too (both or none).
fn nearest(r: &Resolver<'_>, m: &RawMention, wanted: &Wanted<'_>) -> Vec<usize> {
    let mut found = Vec::new();
    let first = by_title_word(r, m, wanted).or_else(|| {
        r.recent(m.start, |e, mm| {
            mm.kind != MentionKind::Description && wanted.fits(e, r)
        })
    });
    if let Some(first) = first {
        found.push(first);
        if wanted.d.plural {
            if let Some(second) = r.recent(m.start, |e, mm| {
                e != first && mm.kind != MentionKind::Description && wanted.fits(e, r)
            }) {
                found.push(second);
                found.reverse();
            } else {
                found.clear();
            }
        }
    }
    found
}

/// A title alone ("the Secretary", "the Foreign Minister") names, first,
/// the person whose own title had that word: with both ministers in the
/// text, "the Secretary" is the Secretary of State however recently the
/// other was named.
fn by_title_word(r: &Resolver<'_>, m: &RawMention, wanted: &Wanted<'_>) -> Option<usize> {
    let d = wanted.d;
    let surface = r.text.get(m.start..m.end).unwrap_or("");
    let title_word = (!d.plural && !wanted.positions.is_empty())
        .then(|| fold_words(surface).last().map(fold))
        .flatten()?;
    let w = title_word.as_str();
    let titled_with = |e: usize| {
        r.out.mentions.iter().any(|x| {
            x.entities.first() == Some(&e)
                && x.role.as_ref().is_some_and(|role| {
                    r.text
                        .get(role.phrase_start..role.phrase_end)
                        .is_some_and(|p| fold_words(p).any(|pw| folds_to(pw, w)))
                })
        })
    };
    r.recent(m.start, |e, mm| {
        mm.kind != MentionKind::Description && wanted.fits(e, r) && titled_with(e)
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::labels_of;
    use crate::model::Language;

    #[test]
    fn a_description_takes_the_nearest_entity_of_its_type() {
        let t = "Presiden Joko Widodo mengunjungi Jepang. Negara tersebut menyambutnya.";
        let found = labels_of(t, Language::Id, None, "Negara tersebut");
        assert_eq!(found.len(), 1);
        assert!(
            ["Japan", "Jepang"].contains(&found[0].as_str()),
            "{found:?}"
        );
    }

    #[test]
    fn a_plural_description_takes_the_pair_named_together() {
        let t = "Rusia dan China bertemu. Kedua negara sepakat.";
        assert_eq!(labels_of(t, Language::Id, None, "Kedua negara").len(), 2);
    }
}
