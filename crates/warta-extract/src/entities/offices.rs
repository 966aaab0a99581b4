//! Offices named without their holder ("Presiden AS", "the US president"):
//! the holder on the article's date, when the terms of office name exactly
//! one; else the person the article last gave that office with the same
//! owner ("French President Emmanuel Macron ... the French leader"); else
//! the mention stays unresolved.

use super::resolver::Resolver;
use crate::mentions::{RawMention, Source};
use crate::model::{EntityType, MentionKind};

/// Resolves an office mention among the article's raw mentions `raw`;
/// `on` is the article's date. Returns whether the text names the holder
/// right there, in apposition ("John Kirby, National Security Council
/// Coordinator"), rather than the date or an earlier mention giving them.
pub(super) fn resolve(
    r: &mut Resolver<'_>,
    m: &RawMention,
    raw: &[RawMention],
    on: Option<&str>,
) -> bool {
    let apposed = apposed_person(r, m);
    let holder = holder_on(r, m, raw, on).map(|entry| r.gazetteer_entity(entry));
    // A holder by date who is not the person before the comma: a list
    // ("Putin, the Iranian president and ..."), not an apposition.
    let (holder, named) = match (holder, apposed) {
        (Some(h), Some(a)) => (Some(h), h == a),
        (Some(h), None) => (Some(h), false),
        (None, Some(a)) => (Some(a), true),
        (None, None) => (titled_antecedent(r, m), false),
    };
    if let Some(e) = holder {
        r.push(m, vec![e], MentionKind::Description);
    }
    named
}

/// The gazetteer entry of the office's one holder on date `on`, by the
/// terms of office.
fn holder_on(
    r: &Resolver<'_>,
    m: &RawMention,
    raw: &[RawMention],
    on: Option<&str>,
) -> Option<usize> {
    let ont = r.ont;
    let (role, date) = m.role.as_ref().zip(on)?;
    let country = role
        .owner
        .and_then(|(s, e)| raw.iter().find(|x| x.start == s && x.end == e))
        .and_then(|x| match &x.source {
            Source::Gazetteer { entries, .. } => entries.first(),
            _ => None,
        })
        .map(|&g| ont.gazetteer.entry(g).id.as_str())
        .or(role.implied.as_deref())?;
    let holders = ont.positions.holders(&role.position, country, Some(date));
    let [term] = holders[..] else { return None };
    ont.gazetteer.index_of(&term.person)
}

/// The person named just before the office's phrase, a comma (and an
/// article) between: "Muhammad Yunus, the chief adviser to ...".
fn apposed_person(r: &Resolver<'_>, m: &RawMention) -> Option<usize> {
    let role = m.role.as_ref()?;
    let x = r
        .out
        .mentions
        .iter()
        .rev()
        .find(|x| x.end <= role.phrase_start)?;
    let between = r.text.get(x.end..role.phrase_start)?.trim_start();
    let after_comma = between.strip_prefix(',')?.trim();
    if !matches!(after_comma, "" | "the" | "a" | "an") {
        return None;
    }
    let e = *x.entities.first()?;
    (r.out.entities.get(e)?.entity_type == EntityType::Person).then_some(e)
}

/// The person of the latest earlier mention titled with `m`'s office and
/// owner; a "leader" is any head of state or government.
fn titled_antecedent(r: &Resolver<'_>, m: &RawMention) -> Option<usize> {
    let role = m.role.as_ref()?;
    let owner = role
        .owner
        .and_then(|(s, e)| r.out.at(s, e))
        .and_then(|x| x.entities.first().copied())?;
    let fits = |p: &str| {
        p == role.position
            || (role.position == "leader" && matches!(p, "head_of_state" | "head_of_government"))
    };
    r.out
        .mentions
        .iter()
        .rev()
        .filter(|x| x.end <= m.start)
        .find_map(|x| {
            let titled = x.role.as_ref()?;
            (titled.owner == Some(owner) && !titled.by_date && fits(&titled.position))
                .then(|| x.entities.first().copied())
                .flatten()
        })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{labels_of, resolved};
    use crate::model::Language;

    #[test]
    fn an_office_is_its_holder_on_the_article_date() {
        let t = "Presiden AS mengecam peluncuran itu.";
        assert_eq!(
            labels_of(t, Language::Id, Some("2022-03-01"), "Presiden"),
            ["Joe Biden"]
        );
        // Without a date the office stays unresolved.
        let doc = resolved(t, Language::Id, None);
        assert!(doc
            .mentions
            .iter()
            .all(|m| &t[m.start..m.end] != "Presiden"));
    }

    #[test]
    fn without_a_date_an_office_is_the_person_the_article_gave_it() {
        let t = "Chilean President Gabriel Boric landed in Lima. The Chilean leader met Peru's foreign minister.";
        assert_eq!(
            labels_of(t, Language::En, None, "leader"),
            ["Gabriel Boric"]
        );
        // Another country's office is not his.
        let u = "Chilean President Gabriel Boric landed in Lima. The Peruvian president met him.";
        let doc = resolved(u, Language::En, None);
        assert!(doc
            .mentions
            .iter()
            .all(|m| &u[m.start..m.end] != "president"));
    }
}
