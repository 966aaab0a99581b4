//! Entities stage: resolves mentions to entities within one article.
//!
//! Gazetteer mentions link to their Wikidata QID (a declared ambiguous alias
//! takes the reading already present in the article, else the declared
//! default). Unknown names become local entities keyed by a slug of the name,
//! so the same unlinked entity merges across articles. Coreference, in text
//! order: short forms ("Putin", "Kim", "Suga") join the person named in full
//! earlier; acronyms and nicknames defined in parentheses join their entity;
//! definite descriptions ("negara tersebut", "the ministry", "kedua negara")
//! take the nearest earlier entity of their type (two for plural ones);
//! pronouns take the nearest fitting entity.
//!
//! The resolver ([`resolver`]) reads the raw mentions once, in text order,
//! so a mention can only refer back. Each kind of mention has its own file:
//!
//! ```text
//! names         gazetteer names, unknown names, bare short forms, aliases
//! descriptions  definite descriptions
//! offices       offices named without their holder, by the article's date
//! pronouns      pronouns
//! roles         the role a title gave a mention, with its owner resolved
//! merge         after the last mention: one-word persons join their full
//!               name, unlinked entities take their longest name as label
//! ```

mod descriptions;
mod merge;
mod names;
mod offices;
mod pronouns;
mod resolver;
mod roles;

use self::resolver::Resolver;
use crate::mentions::{RawMention, Source};
use crate::model::{Entity, Language, MentionKind};
use crate::ontology::Ontology;

/// A role resolved to entities.
#[derive(Debug, Clone)]
pub struct ResolvedRole {
    pub position: String,
    /// The person was found from the office and the article's date in the
    /// terms of office ("Presiden AS" in a 2022 article), not named.
    pub by_date: bool,
    pub owner: Option<usize>,
    /// QID of the country a country-specific title implies.
    pub implied: Option<String>,
    pub phrase_start: usize,
    pub phrase_end: usize,
}

/// A mention resolved to one entity (or two, for "kedua negara").
#[derive(Debug, Clone)]
pub struct Resolved {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub entities: Vec<usize>,
    pub kind: MentionKind,
    pub role: Option<ResolvedRole>,
}

/// The entities of a document and the resolved mentions, in text order.
#[derive(Debug, Clone, Default)]
pub struct DocEntities {
    pub entities: Vec<Entity>,
    pub mentions: Vec<Resolved>,
    /// Entities named at least once by a name (not only by a demonym,
    /// description or pronoun).
    pub named: Vec<bool>,
}

impl DocEntities {
    /// The resolved mention with exactly this span.
    pub fn at(&self, start: usize, end: usize) -> Option<&Resolved> {
        self.mentions
            .iter()
            .find(|m| m.start == start && m.end == end)
    }
}

/// Resolves the mentions of one article.
///
/// `on` is the article's date (`YYYY-MM-DD`), for offices named without
/// their holder ("the US president"); without it they stay unresolved.
pub fn resolve(
    text: &str,
    raw: &[RawMention],
    ont: &Ontology,
    lang: Language,
    on: Option<&str>,
) -> DocEntities {
    let mut r = Resolver::new(text, ont, lang, raw.len());
    for m in raw {
        let mut named_here = true;
        match &m.source {
            Source::Gazetteer { entries, demonym } => {
                names::gazetteer(&mut r, m, entries, *demonym)
            }
            Source::Name { guess } => names::unknown_name(&mut r, m, *guess),
            Source::Bare => names::bare(&mut r, m),
            Source::Alias { of } => names::alias(&mut r, m, *of),
            Source::Description { rule } => descriptions::resolve(&mut r, m, *rule),
            Source::Office => named_here = offices::resolve(&mut r, m, raw, on),
            Source::Pronoun { plural } => pronouns::resolve(&mut r, m, *plural),
        }
        roles::attach(&mut r, m, !named_here);
    }
    roles::attach_pending_owners(&mut r);
    merge::merge_short_persons(&mut r.out);
    merge::label_unlinked(&mut r.out, ont);
    r.out
}

/// What the unit tests of the resolution steps share: the bundled ontology,
/// loaded once, and the entity each mention of a text resolved to.
#[cfg(test)]
mod test_support {
    use super::*;
    use std::sync::OnceLock;

    fn ontology() -> &'static Ontology {
        static ONT: OnceLock<Ontology> = OnceLock::new();
        ONT.get_or_init(|| Ontology::embedded().expect("the bundled ontology loads"))
    }

    /// The entities of `text` (dated `on`).
    pub(super) fn resolved(text: &str, lang: Language, on: Option<&str>) -> DocEntities {
        let sentences = crate::text::sentences(text);
        let raw = crate::mentions::find_mentions(text, &sentences, ontology(), lang);
        resolve(text, &raw, ontology(), lang, on)
    }

    /// The labels of the entities the mention spanning `words` resolved to.
    pub(super) fn labels_of(
        text: &str,
        lang: Language,
        on: Option<&str>,
        words: &str,
    ) -> Vec<String> {
        let doc = resolved(text, lang, on);
        let m = doc
            .mentions
            .iter()
            .find(|m| &text[m.start..m.end] == words)
            .unwrap_or_else(|| panic!("no mention {words:?} in {text:?}"));
        m.entities
            .iter()
            .map(|&e| doc.entities[e].label.clone())
            .collect()
    }
}
