//! The ontology folder as data: the OWL ontology with the relation catalogue,
//! the lexicons per language, the gazetteer and the terms of office of its
//! people. A copy is compiled into the
//! binary, so warta runs anywhere; `--ontology DIR` (or `WARTA_ONTOLOGY`)
//! loads an edited folder instead, without rebuilding. Every file is validated
//! on load, and errors name the file and line. The syntax models
//! ([`models`]) come from the same place but are decoded only when a
//! command parses.

pub mod apply_links;
pub mod catalogue;
pub mod gazetteer;
pub mod lexicon;
pub mod local_links;
pub mod models;
pub mod positions;

pub use apply_links::apply_local_links;
pub use catalogue::{Catalogue, RelationDef};
pub use gazetteer::{GazEntry, GazMatch, Gazetteer, GazetteerFiles};
pub use lexicon::{Lexicon, TriggerRule, Voice};
pub use local_links::{LocalLink, LocalLinks};
pub use models::{ModelLoadError, SyntaxModels};
pub use positions::{PartialDate, Position, Positions, Term};

use crate::model::{EntityType, Language};
use std::path::Path;

pub const EMBEDDED_ONTOLOGY: &str = include_str!("../../../../ontology/warta.ttl");
const EMBEDDED_LEXICON_ID: &str = include_str!("../../../../ontology/lexicon/id.toml");
const EMBEDDED_LEXICON_EN: &str = include_str!("../../../../ontology/lexicon/en.toml");
const EMBEDDED_GAZETTEER: &str = include_str!("../../../../ontology/gazetteer.tsv");
const EMBEDDED_GAZETTEER_UNLINKED: &str =
    include_str!("../../../../ontology/gazetteer-unlinked.tsv");
const EMBEDDED_DEMONYMS: &str = include_str!("../../../../ontology/demonyms.tsv");
const EMBEDDED_DEMONYMS_ODBL: &str =
    include_str!("../../../../ontology/gazetteer-demonyms-odbl.tsv");
const EMBEDDED_AMBIGUOUS: &str = include_str!("../../../../ontology/sources/ambiguous.tsv");
const EMBEDDED_POSITIONS: &str = include_str!("../../../../ontology/positions.tsv");
const EMBEDDED_LOCAL_LINKS: &str = include_str!("../../../../ontology/local-links.tsv");
/// The optional file of entities known without a verified QID (see
/// [`gazetteer`]).
pub const GAZETTEER_UNLINKED_FILE: &str = "gazetteer-unlinked.tsv";
/// The optional links file of an ontology folder (see [`local_links`]).
pub const LOCAL_LINKS_FILE: &str = "local-links.tsv";

/// A problem in an ontology file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct OntologyError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl OntologyError {
    pub fn new(file: &str, line: usize, message: String) -> OntologyError {
        OntologyError {
            file: file.to_string(),
            line,
            message,
        }
    }
}

/// Everything the extractor and the RDF writer need from `ontology/`.
pub struct Ontology {
    pub turtle: String,
    pub catalogue: Catalogue,
    pub lexicon_id: Lexicon,
    pub lexicon_en: Lexicon,
    pub gazetteer: Gazetteer,
    /// Terms of office of the gazetteer's people (`positions.tsv`).
    pub positions: Positions,
    /// The user's links from local entity ids to QIDs (`local-links.tsv`).
    pub local_links: LocalLinks,
    /// The tagger + parser models, decoded on first use (see [`models`]).
    pub syntax: SyntaxModels,
}

struct Sources {
    turtle: (String, String),
    lexicon_id: (String, String),
    lexicon_en: (String, String),
    gazetteer: (String, String),
    /// Optional: entities known without a verified QID.
    gazetteer_unlinked: Option<(String, String)>,
    demonyms: (String, String),
    demonyms_odbl: (String, String),
    ambiguous: (String, String),
    positions: (String, String),
    /// Optional: a folder without `local-links.tsv` has no links.
    local_links: Option<(String, String)>,
}

/// The built-in ontology's files, as `Sources`.
fn embedded_sources() -> Sources {
    let s = |name: &str, text: &str| (format!("ontology/{name}"), text.to_string());
    Sources {
        turtle: s("warta.ttl", EMBEDDED_ONTOLOGY),
        lexicon_id: s("lexicon/id.toml", EMBEDDED_LEXICON_ID),
        lexicon_en: s("lexicon/en.toml", EMBEDDED_LEXICON_EN),
        gazetteer: s("gazetteer.tsv", EMBEDDED_GAZETTEER),
        gazetteer_unlinked: Some(s(GAZETTEER_UNLINKED_FILE, EMBEDDED_GAZETTEER_UNLINKED)),
        demonyms: s("demonyms.tsv", EMBEDDED_DEMONYMS),
        demonyms_odbl: s("gazetteer-demonyms-odbl.tsv", EMBEDDED_DEMONYMS_ODBL),
        ambiguous: s("sources/ambiguous.tsv", EMBEDDED_AMBIGUOUS),
        positions: s("positions.tsv", EMBEDDED_POSITIONS),
        local_links: Some(s(LOCAL_LINKS_FILE, EMBEDDED_LOCAL_LINKS)),
    }
}

impl Sources {
    /// The (shown name, text) pair of one file, by its path under `ontology/`.
    fn slot(&mut self, name: &str) -> Option<&mut (String, String)> {
        Some(match name {
            "warta.ttl" => &mut self.turtle,
            "lexicon/id.toml" => &mut self.lexicon_id,
            "lexicon/en.toml" => &mut self.lexicon_en,
            "gazetteer.tsv" => &mut self.gazetteer,
            GAZETTEER_UNLINKED_FILE => self.gazetteer_unlinked.as_mut()?,
            "demonyms.tsv" => &mut self.demonyms,
            "gazetteer-demonyms-odbl.tsv" => &mut self.demonyms_odbl,
            "sources/ambiguous.tsv" => &mut self.ambiguous,
            "positions.tsv" => &mut self.positions,
            LOCAL_LINKS_FILE => self.local_links.as_mut()?,
            _ => return None,
        })
    }
}

impl Ontology {
    /// The copy compiled into the binary.
    pub fn embedded() -> Result<Ontology, OntologyError> {
        Ontology::from_sources(embedded_sources(), SyntaxModels::embedded())
    }

    /// The files of the built-in ontology, by their path under `ontology/`
    /// (`lexicon/en.toml`, `gazetteer.tsv`, ...), in load order.
    pub const FILES: [&'static str; 10] = [
        "warta.ttl",
        "lexicon/id.toml",
        "lexicon/en.toml",
        "gazetteer.tsv",
        GAZETTEER_UNLINKED_FILE,
        "demonyms.tsv",
        "gazetteer-demonyms-odbl.tsv",
        "sources/ambiguous.tsv",
        "positions.tsv",
        LOCAL_LINKS_FILE,
    ];

    /// The built-in ontology with one file's text replaced (`name` is one
    /// of [`Ontology::FILES`]): what loading an edited copy of that file
    /// gives, without a folder on disk. The fuzz targets and the loaders'
    /// tests use it; errors name `ontology/<name>`.
    pub fn embedded_with(name: &str, text: &str) -> Result<Ontology, OntologyError> {
        let mut sources = embedded_sources();
        let slot = match sources.slot(name) {
            Some(slot) => slot,
            None => {
                return Err(OntologyError::new(
                    name,
                    0,
                    format!(
                        "not an ontology file (one of {})",
                        Ontology::FILES.join(", ")
                    ),
                ))
            }
        };
        slot.1 = text.to_string();
        Ontology::from_sources(sources, SyntaxModels::embedded())
    }

    /// An ontology folder on disk (same layout as the repository's `ontology/`).
    pub fn from_dir(dir: &Path) -> Result<Ontology, OntologyError> {
        let read = |name: &str| -> Result<(String, String), OntologyError> {
            let path = dir.join(name);
            let shown = path.display().to_string();
            std::fs::read_to_string(&path)
                .map(|t| (shown.clone(), t))
                .map_err(|e| OntologyError::new(&shown, 0, format!("cannot read: {e}")))
        };
        let sources = Sources {
            turtle: read("warta.ttl")?,
            lexicon_id: read("lexicon/id.toml")?,
            lexicon_en: read("lexicon/en.toml")?,
            gazetteer: read("gazetteer.tsv")?,
            gazetteer_unlinked: if dir.join(GAZETTEER_UNLINKED_FILE).exists() {
                Some(read(GAZETTEER_UNLINKED_FILE)?)
            } else {
                None
            },
            demonyms: read("demonyms.tsv")?,
            demonyms_odbl: read("gazetteer-demonyms-odbl.tsv")?,
            ambiguous: read("sources/ambiguous.tsv")?,
            positions: read("positions.tsv")?,
            local_links: if dir.join(LOCAL_LINKS_FILE).exists() {
                Some(read(LOCAL_LINKS_FILE)?)
            } else {
                None
            },
        };
        // The models are not read here: only a command that parses needs them.
        Ontology::from_sources(sources, SyntaxModels::from_dir(dir))
    }

    fn from_sources(s: Sources, syntax: SyntaxModels) -> Result<Ontology, OntologyError> {
        let catalogue = Catalogue::from_turtle(&s.turtle.1, &s.turtle.0)?;
        let known = |r: &str| catalogue.contains(r);
        let lexicon_id = Lexicon::parse(&s.lexicon_id.1, &s.lexicon_id.0, &known)?;
        let lexicon_en = Lexicon::parse(&s.lexicon_en.1, &s.lexicon_en.0, &known)?;
        let gazetteer = Gazetteer::load(&GazetteerFiles {
            entities: (&s.gazetteer.0, &s.gazetteer.1),
            unlinked: s
                .gazetteer_unlinked
                .as_ref()
                .map(|(f, t)| (f.as_str(), t.as_str())),
            demonyms: vec![
                (&s.demonyms.0, &s.demonyms.1),
                (&s.demonyms_odbl.0, &s.demonyms_odbl.1),
            ],
            ambiguous: (&s.ambiguous.0, &s.ambiguous.1),
        })?;
        let is_person = |q: &str| {
            gazetteer
                .by_id(q)
                .is_some_and(|e| e.entity_type == EntityType::Person)
        };
        let positions = Positions::parse(&s.positions.1, &s.positions.0, &is_person)?;
        let mut local_links = match &s.local_links {
            Some((file, text)) => LocalLinks::parse(text, file)?,
            None => LocalLinks::default(),
        };
        local_links.resolve(&gazetteer);
        Ok(Ontology {
            turtle: s.turtle.1,
            catalogue,
            lexicon_id,
            lexicon_en,
            gazetteer,
            positions,
            local_links,
            syntax,
        })
    }

    /// Uses these links instead of the folder's `local-links.tsv` (looking
    /// their QIDs up in the gazetteer).
    pub fn set_local_links(&mut self, mut links: LocalLinks) {
        links.resolve(&self.gazetteer);
        self.local_links = links;
    }

    pub fn lexicon(&self, lang: Language) -> &Lexicon {
        match lang {
            Language::Id => &self.lexicon_id,
            Language::En => &self.lexicon_en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_file_that_does_not_load_is_named_with_its_line() {
        let broken = format!("{EMBEDDED_LEXICON_EN}\n[[trigger]\n");
        let err = Ontology::embedded_with("lexicon/en.toml", &broken)
            .err()
            .expect("a broken table header is refused");
        assert_eq!(err.file, "ontology/lexicon/en.toml");
        // The broken header is the file's last line.
        assert_eq!(err.line, broken.lines().count(), "{err}");
        let err = Ontology::embedded_with("nope.tsv", "")
            .err()
            .expect("unknown");
        assert!(err.message.contains("gazetteer.tsv"), "{err}");
    }

    #[test]
    fn each_listed_file_can_be_replaced_by_its_own_text() {
        for name in Ontology::FILES {
            let text = embedded_sources()
                .slot(name)
                .map(|(_, t)| t.clone())
                .expect("a listed file");
            assert!(Ontology::embedded_with(name, &text).is_ok(), "{name}");
        }
    }
}
