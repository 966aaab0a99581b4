//! Offices named without their holder ("Presiden AS", "the US president"):
//! the holder on the article's date, when the terms of office name exactly
//! one; without a date the mention stays unresolved.

use super::resolver::Resolver;
use crate::mentions::{RawMention, Source};
use crate::model::MentionKind;

/// Resolves an office mention among the article's raw mentions `raw`;
/// `on` is the article's date.
pub(super) fn resolve(r: &mut Resolver<'_>, m: &RawMention, raw: &[RawMention], on: Option<&str>) {
    let ont = r.ont;
    let holder = m.role.as_ref().zip(on).and_then(|(role, date)| {
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
    });
    if let Some(entry) = holder {
        let e = r.gazetteer_entity(entry);
        r.push(m, vec![e], MentionKind::Description);
    }
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
}
