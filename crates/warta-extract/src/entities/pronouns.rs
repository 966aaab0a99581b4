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
    // A speaker calls themself "I": "he" in quoted speech is someone else
    // (the principal of the spokesman who reads a statement out).
    let speakers = if in_quote(r.text, m.start) {
        speakers_near(r, m)
    } else {
        Vec::new()
    };
    r.recent(m.start, |e, mm| {
        near(mm)
            && (if person_only {
                r.out.entities[e].entity_type == EntityType::Person && !speakers.contains(&e)
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

/// How far back a quote mark is looked for: a quotation is a few
/// sentences, and a bound keeps a huge unbroken text linear.
const QUOTE_WINDOW: usize = 4096;

/// Does `at` stand inside a quotation? Read backwards from `at` to the start
/// of its paragraph (at most [`QUOTE_WINDOW`] bytes): the nearest curly
/// quote says open or closed, and each straight quote after it (or in the
/// whole paragraph, when it has no curly one) toggles that.
fn in_quote(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let from = at.saturating_sub(QUOTE_WINDOW);
    let mut straight = 0usize;
    let mut i = at.min(bytes.len());
    while i > from {
        i -= 1;
        match bytes[i] {
            b'"' => straight += 1,
            b'\n' if i > 0 && bytes[i - 1] == b'\n' => break,
            // The last byte of U+201C or U+201D (E2 80 9C / E2 80 9D).
            mark @ (0x9C | 0x9D) if i >= 2 && bytes[i - 2] == 0xE2 && bytes[i - 1] == 0x80 => {
                return (mark == 0x9C) != (straight % 2 == 1);
            }
            _ => {}
        }
    }
    straight % 2 == 1
}

/// The people who speak near mention `m` (its sentence and the two
/// before): named, outside quotes, next to a reporting verb ("his
/// spokesman X said", "said X", "kata X").
fn speakers_near(r: &Resolver<'_>, m: &RawMention) -> Vec<usize> {
    let reporting = &r.lex.words.reporting;
    let is_reporting = |w: &str| {
        let w = fold(w);
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        reporting.iter().any(|v| v == w)
    };
    // The word right after the name, or right before it.
    let next_to_reporting = |start: usize, end: usize| {
        let after = r.text.get(end..).unwrap_or("");
        let before = r.text.get(..start).unwrap_or("");
        after.split_whitespace().next().is_some_and(is_reporting)
            || before
                .split_whitespace()
                .next_back()
                .is_some_and(is_reporting)
    };
    // Mentions are in text order: only the last few sentences' are read.
    r.out
        .mentions
        .iter()
        .rev()
        .skip_while(|x| x.sentence > m.sentence)
        .take_while(|x| m.sentence - x.sentence <= 2)
        .filter(|x| x.kind == MentionKind::Name && !in_quote(r.text, x.start))
        .filter(|x| next_to_reporting(x.start, x.end))
        .flat_map(|x| x.entities.iter().copied())
        .filter(|&e| r.out.entities[e].entity_type == EntityType::Person)
        .collect()
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
    fn he_in_a_quote_is_not_the_spokesman_who_reads_it() {
        let t = "Angela Merkel \u{201c}condemns the attack,\u{201d} government spokesman Tom Reed said on Friday. \u{201c}She urges Russia to withdraw.\u{201d}";
        assert_eq!(labels_of(t, Language::En, None, "She"), ["Angela Merkel"]);
        // Outside the quote, the speaker is the nearest person as before.
        let u = "Angela Merkel met the press, government spokesman Tom Reed said on Friday. He added that talks would follow.";
        assert_eq!(labels_of(u, Language::En, None, "He"), ["Tom Reed"]);
    }

    #[test]
    fn quotes_open_and_close_by_paragraph() {
        use super::in_quote;
        let t = "A said \u{201c}B went\u{201d} and C. \"D left\" and E \"F\n\nG";
        let at = |w: &str| t.find(w).expect("the word is in the text");
        assert!(in_quote(t, at("B")));
        assert!(!in_quote(t, at("C")));
        assert!(in_quote(t, at("D")));
        assert!(!in_quote(t, at("E")));
        assert!(in_quote(t, at("F")));
        assert!(!in_quote(t, at("G")), "a new paragraph closes every quote");
    }

    #[test]
    fn a_pronoun_takes_the_nearest_person() {
        let t = "Retno Marsudi tiba di Tokyo. Ia bertemu pejabat Jepang.";
        assert_eq!(labels_of(t, Language::Id, None, "Ia"), ["Retno Marsudi"]);
    }
}
