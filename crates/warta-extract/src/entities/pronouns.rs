//! Pronouns: a plural one ("keduanya", "they") takes the two latest actors
//! of its sentence, else the people last named together in a list in one
//! of the twelve sentences before ("A, B and C arrived. ... they will
//! meet"); "pihaknya"
//! the nearest actor of its sentence (else of the two before); any other
//! the nearest person within two sentences.

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
        _ => listed_people_before(r, m),
    }
}

/// The people of the last list of two or more people ("A, B and C", titles
/// and all) in the [`LIST_WINDOW`] sentences before `m`'s, when nothing but
/// commas and coordination stands between them. News keeps a group it has
/// introduced as "they" for paragraphs, so the window is wide; a later list
/// takes over.
/// How many sentences back a list may stand from its plural pronoun.
const LIST_WINDOW: usize = 12;

fn listed_people_before(r: &Resolver<'_>, m: &RawMention) -> Vec<usize> {
    let earlier = |s: usize| s < m.sentence && m.sentence - s <= LIST_WINDOW;
    let people: Vec<(usize, usize, usize)> = r
        .out
        .mentions
        .iter()
        .filter(|x| earlier(x.sentence) && x.kind == MentionKind::Name)
        .filter_map(|x| {
            let &e = x.entities.first()?;
            let person = r.out.entities[e].entity_type == EntityType::Person;
            let start = x
                .role
                .as_ref()
                .map_or(x.start, |t| t.phrase_start.min(x.start));
            person.then_some((start, x.end, e))
        })
        .collect();
    let joined = |end: usize, start: usize| {
        r.text.get(end..start).is_some_and(|gap| {
            gap.split(|c: char| c == ',' || c.is_whitespace())
                .all(|w| w.is_empty() || matches!(fold(w).as_str(), "and" | "dan" | "serta"))
        })
    };
    let mut lists: Vec<Vec<usize>> = Vec::new();
    for (i, &(start, _, e)) in people.iter().enumerate() {
        match lists.last_mut() {
            Some(list) if i > 0 && joined(people[i - 1].1, start) => {
                if !list.contains(&e) {
                    list.push(e);
                }
            }
            _ => lists.push(vec![e]),
        }
    }
    lists
        .into_iter()
        .rev()
        .find(|l| l.len() >= 2)
        .unwrap_or_default()
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
    fn they_are_the_people_listed_together_in_the_sentence_before() {
        let t = "President Lula, Prime Minister Anwar Ibrahim and Prabowo Subianto arrived. Lula said they will sign a pact.";
        let they = labels_of(t, Language::En, None, "they");
        assert_eq!(they.len(), 3, "{they:?}");
        // People named apart are no list.
        let u = "Lula arrived on Monday while Prabowo Subianto stayed in Jakarta. Officials said they will wait.";
        let doc = super::super::test_support::resolved(u, Language::En, None);
        assert!(doc.mentions.iter().all(|m| &u[m.start..m.end] != "they"));
    }

    #[test]
    fn a_pronoun_takes_the_nearest_person() {
        let t = "Retno Marsudi tiba di Tokyo. Ia bertemu pejabat Jepang.";
        assert_eq!(labels_of(t, Language::Id, None, "Ia"), ["Retno Marsudi"]);
    }
}
