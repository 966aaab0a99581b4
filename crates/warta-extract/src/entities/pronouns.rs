//! Pronouns: a plural one ("keduanya", "they") takes the two latest actors
//! of its sentence; "pihaknya" the nearest actor of its sentence (else of
//! the two before); any other the nearest person within two sentences.

use super::resolver::Resolver;
use super::Resolved;
use crate::mentions::RawMention;
use crate::model::{EntityType, MentionKind};
use crate::text::fold;

/// Resolves a pronoun mention.
pub(super) fn resolve(r: &mut Resolver<'_>, m: &RawMention, plural: bool) {
    let found = if plural {
        plural_referents(r, m)
    } else {
        singular_referent(r, m).into_iter().collect()
    };
    r.push(m, found, MentionKind::Pronoun);
}

fn actor(e: usize, r: &Resolver<'_>) -> bool {
    r.out.entities[e].entity_type.is_actor()
}

/// The two latest actors of the pronoun's sentence, in text order.
fn plural_referents(r: &Resolver<'_>, m: &RawMention) -> Vec<usize> {
    let same_sentence = |e: usize, mm: &Resolved| mm.sentence == m.sentence && actor(e, r);
    let first = r.recent(m.start, same_sentence);
    let second = first.and_then(|f| r.recent(m.start, |e, mm| e != f && same_sentence(e, mm)));
    match (first, second) {
        (Some(a), Some(b)) => vec![b, a],
        _ => Vec::new(),
    }
}

fn singular_referent(r: &Resolver<'_>, m: &RawMention) -> Option<usize> {
    let surface = r.text.get(m.start..m.end).unwrap_or("");
    let w = fold(surface);
    let person_only = w != "pihaknya";
    let near = |mm: &Resolved| m.sentence.saturating_sub(mm.sentence) <= 2;
    r.recent(m.start, |e, mm| {
        near(mm)
            && (if person_only {
                r.out.entities[e].entity_type == EntityType::Person
            } else {
                actor(e, r) && mm.sentence == m.sentence
            })
    })
    .or_else(|| {
        (!person_only)
            .then(|| r.recent(m.start, |e, mm| near(mm) && actor(e, r)))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::labels_of;
    use crate::model::Language;

    #[test]
    fn a_pronoun_takes_the_nearest_person() {
        let t = "Retno Marsudi tiba di Tokyo. Ia bertemu pejabat Jepang.";
        assert_eq!(labels_of(t, Language::Id, None, "Ia"), ["Retno Marsudi"]);
    }
}
