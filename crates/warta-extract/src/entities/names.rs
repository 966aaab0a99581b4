//! Names: gazetteer names link to their entry (an ambiguous alias takes the
//! reading already in the article); unknown names become local entities
//! keyed by a slug, unless a name folded the same, or a one-word short form
//! of a person named earlier, already stands for an entity; aliases in
//! parentheses join the mention they follow.

use super::resolver::Resolver;
use crate::mentions::RawMention;
use crate::model::{EntityType, MentionKind};
use crate::vocab::slug;

/// A gazetteer mention (`entries`: more than one for an ambiguous alias).
pub(super) fn gazetteer(r: &mut Resolver<'_>, m: &RawMention, entries: &[usize], demonym: bool) {
    let surface = r.text.get(m.start..m.end).unwrap_or("");
    // An ambiguous alias takes a reading already in the article.
    let chosen = entries
        .iter()
        .copied()
        .find(|&e| r.by_key.contains_key(&r.ont.gazetteer.entry(e).id))
        .or_else(|| entries.first().copied());
    let Some(entry) = chosen else { return };
    let e = r.gazetteer_entity(entry);
    let kind = if demonym {
        MentionKind::Demonym
    } else {
        MentionKind::Name
    };
    if !demonym {
        r.set_alias(surface, e);
    }
    r.push(m, vec![e], kind);
}

/// A capitalised name the gazetteer does not know.
pub(super) fn unknown_name(r: &mut Resolver<'_>, m: &RawMention, guess: EntityType) {
    let surface = r.text.get(m.start..m.end).unwrap_or("");
    let e = if let Some(e) = r.alias_of(surface) {
        e
    } else if let Some(e) = (guess == EntityType::Person && !r.key.contains(' '))
        .then(|| {
            // "Presiden Putin" style: one word of a known person's name
            let word = r.key.clone();
            r.person_with_token(m.start, &word)
        })
        .flatten()
    {
        e
    } else {
        let e = r.entity_for(slug(surface), None, surface.to_string(), guess, Vec::new());
        r.set_alias(surface, e);
        e
    };
    r.push(m, vec![e], MentionKind::Name);
}

/// A lone capitalised word: a name already seen, or a short form of a
/// person named in full ("Kim", "Suga"); else nothing.
pub(super) fn bare(r: &mut Resolver<'_>, m: &RawMention) {
    let surface = r.text.get(m.start..m.end).unwrap_or("");
    if let Some(e) = r.alias_of(surface) {
        r.push(m, vec![e], MentionKind::Name);
    } else if let Some(e) = r.person_with_token(m.start, surface) {
        r.push(m, vec![e], MentionKind::ShortForm);
    }
}

/// An alias defined in parentheses after the mention at `of`.
pub(super) fn alias(r: &mut Resolver<'_>, m: &RawMention, of: (usize, usize)) {
    let surface = r.text.get(m.start..m.end).unwrap_or("");
    let target = r
        .out
        .at(of.0, of.1)
        .and_then(|x| x.entities.first().copied());
    if let Some(e) = target {
        r.set_alias(surface, e);
        r.push(m, vec![e], MentionKind::Name);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{labels_of, resolved};
    use crate::model::Language;

    #[test]
    fn a_short_form_joins_the_person_named_in_full() {
        let t = "Vladimir Putin tiba di Beijing. Kemudian Putin bertemu Xi Jinping.";
        assert_eq!(
            labels_of(t, Language::Id, None, "Putin"),
            ["Vladimir Putin"]
        );
    }

    #[test]
    fn an_unknown_name_is_a_local_entity_keyed_by_its_slug() {
        let t = "Kami bertemu Kementerian Perdagangan Zambia kemarin.";
        let doc = resolved(t, Language::Id, None);
        let e = doc
            .entities
            .iter()
            .find(|e| e.label == "Kementerian Perdagangan Zambia")
            .expect("the body");
        assert_eq!(
            (e.id.as_str(), e.qid.as_deref()),
            ("kementerian_perdagangan_zambia", None)
        );
    }
}
