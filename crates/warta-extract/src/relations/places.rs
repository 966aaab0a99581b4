//! A visit to a city is a visit to its country: "arrived in Jakarta" says
//! the visitor came to Indonesia. The country comes from the gazetteer (the
//! city's `capital_of`, else its `country_iso2`) and must be named in the
//! article: a relation never points to an entity the text does not mention.

use crate::entities::DocEntities;
use crate::model::{EntityType, Relation};
use crate::ontology::Ontology;

/// For each visit to a city whose country the article names, the same
/// visit to the country (kept apart by `rule`: `<rule>.country-of-city`).
pub(super) fn country_visits(
    doc: &DocEntities,
    ont: &Ontology,
    relations: &[Relation],
) -> Vec<Relation> {
    relations
        .iter()
        .filter(|r| r.relation == "visits")
        .filter_map(|r| {
            let country = country_of_city(doc, ont, &r.object)?;
            (country != r.subject).then(|| Relation {
                object: country,
                rule: format!("{}.country-of-city", r.rule),
                ..r.clone()
            })
        })
        .collect()
}

/// The entity id of the country of the city `city` (an entity id), when the
/// article names that country.
pub(super) fn country_of_city(doc: &DocEntities, ont: &Ontology, city: &str) -> Option<String> {
    let entity = doc.entities.iter().find(|e| e.id == city)?;
    if entity.entity_type != EntityType::City {
        return None;
    }
    let extra = &ont.gazetteer.by_id(&entity.id)?.extra;
    let mut countries = doc
        .entities
        .iter()
        .filter(|e| e.entity_type == EntityType::Country);
    let found = match (extra.get("capital_of"), extra.get("country_iso2")) {
        (Some(qid), _) => countries.find(|e| e.qid.as_deref() == Some(qid.as_str())),
        (None, Some(iso2)) => countries.find(|e| {
            ont.gazetteer
                .by_id(&e.id)
                .and_then(|g| g.extra.get("iso2"))
                .is_some_and(|c| c == iso2)
        }),
        (None, None) => None,
    }?;
    Some(found.id.clone())
}
