//! The relation catalogue, read from the ontology itself.
//!
//! `ontology/warta.ttl` declares one `warta:Event` subclass per relation and
//! annotates it with `warta:relationName`, `warta:directProperty`,
//! `warta:symmetric`, `warta:cameoCode` and `warta:ploverCategory`. The
//! extractor and the RDF writer read the catalogue from there, so the data
//! model and the extractor cannot drift apart: a lexicon rule naming a relation
//! the ontology does not declare fails to load.

use super::OntologyError;
use crate::vocab::ONT;
use oxrdf::{Literal, NamedNode, Term};
use oxttl::TurtleParser;
use std::collections::BTreeMap;

/// One relation of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationDef {
    /// The catalogue name, e.g. "blocksSanctionsAgainst".
    pub name: String,
    /// The event class IRI, e.g. `warta:SanctionsBlock`.
    pub class: NamedNode,
    /// The direct property IRI, e.g. `warta:blocksSanctionsAgainst`.
    pub property: NamedNode,
    pub symmetric: bool,
    pub cameo: Vec<String>,
    pub plover: Option<String>,
}

/// All relations, by name.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    relations: BTreeMap<String, RelationDef>,
}

impl Catalogue {
    /// Reads the catalogue from the ontology's Turtle text.
    pub fn from_turtle(ttl: &str, file: &str) -> Result<Catalogue, OntologyError> {
        let mut by_class: BTreeMap<String, Partial> = BTreeMap::new();
        // oxttl, not the store's parser: the extraction crate has no database.
        for quad in TurtleParser::new().for_slice(ttl.as_bytes()) {
            let quad = quad.map_err(|e| {
                let line = e.location().start.line as usize + 1;
                OntologyError::new(file, line, e.to_string())
            })?;
            let subject = quad.subject.to_string();
            let predicate = quad.predicate.as_str();
            let Some(local) = predicate.strip_prefix(ONT) else {
                continue;
            };
            let entry = || -> Partial { Partial::default() };
            match local {
                "relationName" => {
                    by_class.entry(subject).or_insert_with(entry).name = literal(&quad.object)
                }
                "directProperty" => {
                    if let Term::NamedNode(n) = &quad.object {
                        by_class.entry(subject).or_insert_with(entry).property = Some(n.clone());
                    }
                }
                "symmetric" => {
                    by_class.entry(subject).or_insert_with(entry).symmetric =
                        literal(&quad.object).as_deref() == Some("true")
                }
                "cameoCode" => {
                    if let Some(c) = literal(&quad.object) {
                        by_class.entry(subject).or_insert_with(entry).cameo.push(c);
                    }
                }
                "ploverCategory" => {
                    by_class.entry(subject).or_insert_with(entry).plover = literal(&quad.object)
                }
                _ => {}
            }
        }
        let mut relations = BTreeMap::new();
        for (class, partial) in by_class {
            let Some(name) = partial.name else {
                continue; // e.g. a property annotated with warta:symmetric-like terms
            };
            let class_iri = class.trim_start_matches('<').trim_end_matches('>');
            let class = NamedNode::new(class_iri).map_err(|e| {
                OntologyError::new(file, 0, format!("relation {name}: bad class IRI: {e}"))
            })?;
            let property = partial.property.ok_or_else(|| {
                OntologyError::new(
                    file,
                    0,
                    format!("relation {name} has no warta:directProperty"),
                )
            })?;
            let mut cameo = partial.cameo;
            cameo.sort();
            relations.insert(
                name.clone(),
                RelationDef {
                    name,
                    class,
                    property,
                    symmetric: partial.symmetric,
                    cameo,
                    plover: partial.plover,
                },
            );
        }
        if relations.is_empty() {
            return Err(OntologyError::new(
                file,
                0,
                "no relation declares warta:relationName".to_string(),
            ));
        }
        Ok(Catalogue { relations })
    }

    pub fn get(&self, name: &str) -> Option<&RelationDef> {
        self.relations.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.relations.contains_key(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &RelationDef> {
        self.relations.values()
    }

    pub fn is_symmetric(&self, name: &str) -> bool {
        self.relations.get(name).is_some_and(|r| r.symmetric)
    }
}

#[derive(Default)]
struct Partial {
    name: Option<String>,
    property: Option<NamedNode>,
    symmetric: bool,
    cameo: Vec<String>,
    plover: Option<String>,
}

fn literal(term: &Term) -> Option<String> {
    match term {
        Term::Literal(l) => Some(Literal::value(l).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_bundled_catalogue() {
        let cat = Catalogue::from_turtle(super::super::EMBEDDED_ONTOLOGY, "warta.ttl").unwrap();
        for name in [
            "meets",
            "visits",
            "condemns",
            "accuses",
            "urges",
            "threatens",
            "blocksSanctionsAgainst",
            "imposesSanctionsOn",
            "cooperatesWith",
            "signsAgreementWith",
            "supports",
            "rejects",
            "attacks",
            "testsWeapon",
            "memberOf",
            "holdsPosition",
        ] {
            assert!(cat.contains(name), "catalogue lacks {name}");
        }
        assert!(cat.is_symmetric("meets"));
        assert!(!cat.is_symmetric("condemns"));
        let block = cat.get("blocksSanctionsAgainst").unwrap();
        assert!(block.cameo.contains(&"129".to_string()));
        assert_eq!(
            block.property.as_str(),
            format!("{ONT}blocksSanctionsAgainst")
        );
    }

    #[test]
    fn a_relation_without_property_is_an_error() {
        let ttl = "@prefix warta: <https://w3id.org/warta/ontology#> .\n warta:X warta:relationName \"x\" .";
        let err = Catalogue::from_turtle(ttl, "t.ttl").unwrap_err();
        assert!(err.to_string().contains("directProperty"), "{err}");
    }
}
