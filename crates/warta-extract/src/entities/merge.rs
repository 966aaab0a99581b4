//! After the last mention: one-word persons join the person whose full name
//! has that word, and unlinked entities take their longest name as label.

use super::resolver::multi_word_name_with;
use super::DocEntities;
use crate::model::{EntityType, Mention, MentionKind};
use crate::ontology::Ontology;
use crate::text::fold;

/// Unlinked entities take their longest name as label (the gazetteer's
/// own entries known without a QID keep the label it gives them).
pub(super) fn label_unlinked(out: &mut DocEntities, ont: &Ontology) {
    for e in out
        .entities
        .iter_mut()
        .filter(|e| e.qid.is_none() && ont.gazetteer.by_id(&e.id).is_none())
    {
        if let Some(longest) = e
            .mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Name)
            .map(|m| m.text.as_str())
            .max_by_key(|t| t.len())
        {
            e.label = longest.to_string();
        }
    }
}

/// "Secretary Blinken" before "Antony J. Blinken": a one-word unlinked person
/// whose word is part of exactly one longer person name joins that person.
pub(super) fn merge_short_persons(out: &mut DocEntities) {
    let n = out.entities.len();
    for i in 0..n {
        let e = &out.entities[i];
        if e.entity_type != EntityType::Person
            || e.qid.is_some()
            || e.label.split_whitespace().count() != 1
        {
            continue;
        }
        let word = fold(&e.label);
        let targets: Vec<usize> = (0..n)
            .filter(|&j| {
                j != i
                    && out.entities[j].entity_type == EntityType::Person
                    && !out.entities[j].mentions.is_empty()
            })
            .filter(|&j| {
                let target = &out.entities[j];
                std::iter::once(target.label.as_str())
                    .chain(target.mentions.iter().map(|m| m.text.as_str()))
                    .any(|name| multi_word_name_with(name, &word))
            })
            .collect();
        let [target] = targets[..] else { continue };
        let moved: Vec<Mention> = std::mem::take(&mut out.entities[i].mentions)
            .into_iter()
            .map(|mut m| {
                m.kind = MentionKind::ShortForm;
                m
            })
            .collect();
        out.entities[target].mentions.extend(moved);
        out.entities[target].mentions.sort_by_key(|m| m.start);
        out.named[i] = false;
        for m in &mut out.mentions {
            for x in &mut m.entities {
                if *x == i {
                    *x = target;
                }
            }
            if let Some(r) = &mut m.role {
                if r.owner == Some(i) {
                    r.owner = Some(target);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::resolved;
    use crate::model::{EntityType, Language, MentionKind};

    #[test]
    fn a_one_word_person_before_the_full_name_joins_it() {
        let t = "Secretary Zorbakov arrived. Later Secretary of State Ivan Zorbakov met the press.";
        let doc = resolved(t, Language::En, None);
        let persons: Vec<_> = doc
            .entities
            .iter()
            .filter(|e| e.entity_type == EntityType::Person && !e.mentions.is_empty())
            .collect();
        assert_eq!(persons.len(), 1, "{persons:?}");
        assert!(persons[0]
            .mentions
            .iter()
            .any(|m| m.text == "Zorbakov" && m.kind == MentionKind::ShortForm));
    }
}
