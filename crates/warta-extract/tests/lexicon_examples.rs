//! Every trigger rule of every lexicon carries example sentences with the
//! triples it must yield; this runs them all through the full pipeline.

use warta_extract::extract::Extractor;
use warta_extract::input::Article;
use warta_extract::model::{Extraction, Language};
use warta_extract::ontology::Ontology;
use warta_extract::text::fold;

fn names_of(x: &Extraction, id: &str) -> Vec<String> {
    match x.entity(id) {
        Some(e) => std::iter::once(e.label.clone())
            .chain(e.labels.iter().map(|(_, l)| l.clone()))
            .chain(e.mentions.iter().map(|m| m.text.clone()))
            .map(|n| fold(&n))
            .collect(),
        None => vec![fold(id)],
    }
}

#[test]
fn every_rule_example_yields_its_triples() {
    let ont = Ontology::embedded().expect("the bundled ontology loads");
    let extractor = Extractor::new(&ont);
    let mut failures = Vec::new();
    let mut checked = 0;
    for lang in [Language::Id, Language::En] {
        let lex = ont.lexicon(lang);
        for rule in &lex.rules {
            assert!(!rule.examples.is_empty(), "rule {} has no example", rule.id);
            for ex in &rule.examples {
                let article = Article {
                    source: rule.id.clone(),
                    title: None,
                    url: None,
                    published: None,
                    language: Some(lang.tag().into()),
                    text: ex.text.clone(),
                };
                let x = extractor.extract(&article, Some(lang));
                let found = |s: &str, rel: &str, o: &str| {
                    x.relations.iter().find(|r| {
                        r.relation == rel
                            && names_of(&x, &r.subject).contains(&fold(s))
                            && names_of(&x, &r.object).contains(&fold(o))
                    })
                };
                for [s, rel, o] in &ex.absent {
                    checked += 1;
                    if found(s, rel, o).is_some() {
                        failures.push(format!(
                            "{}: {s} {rel} {o} found in \"{}\" but must not be",
                            rule.id, ex.text
                        ));
                    }
                }
                if ex.expect.is_empty() && ex.absent.is_empty() {
                    checked += 1;
                    if let Some(r) = x.relations.iter().find(|r| r.relation == rule.relation) {
                        failures.push(format!(
                            "{}: \"{}\" must yield no {}, got {} {} {}",
                            rule.id, ex.text, rule.relation, r.subject, r.relation, r.object
                        ));
                    }
                }
                for (i, [s, rel, o]) in ex.expect.iter().enumerate() {
                    checked += 1;
                    let hit = found(s, rel, o);
                    match hit {
                        None => failures.push(format!(
                            "{}: {s} {rel} {o} not found in \"{}\"; got {:?}",
                            rule.id,
                            ex.text,
                            x.relations
                                .iter()
                                .map(|r| format!("{} {} {}", r.subject, r.relation, r.object))
                                .collect::<Vec<_>>()
                        )),
                        Some(r) if i == 0 => {
                            let wanted = [
                                ("polarity", &ex.polarity, r.polarity.name()),
                                ("modality", &ex.modality, r.modality.name()),
                            ];
                            for (what, want, got) in wanted {
                                if want.as_deref().is_some_and(|w| w != got) {
                                    failures.push(format!(
                                        "{}: {what} {got} != {want:?} in \"{}\"",
                                        rule.id, ex.text
                                    ));
                                }
                            }
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
    assert!(checked > 30, "only {checked} expectations");
    assert!(
        failures.is_empty(),
        "{} rule examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn lexicons_and_ontology_agree() {
    // The catalogue is read from the ontology; every rule's relation must be in it
    // (checked on load), and every catalogue relation except the structural ones
    // must have triggers in both languages.
    let ont = Ontology::embedded().expect("loads");
    for def in ont.catalogue.iter() {
        if def.name == "holdsPosition" {
            continue; // from titles, not triggers
        }
        for lang in [Language::Id, Language::En] {
            assert!(
                ont.lexicon(lang)
                    .rules
                    .iter()
                    .any(|r| r.relation == def.name),
                "{} has no {} trigger",
                def.name,
                lang.tag()
            );
        }
    }
}
