//! The store layout (layout 2): each fact once, exact removal, articles that
//! read back as written, and old stores refused. On the real examples, in
//! memory stores, through the library API.

mod common;

use oxigraph::model::{GraphName, NamedNode, Quad, Triple};
use oxigraph::sparql::QueryResults;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use warta::export::export_canonical;
use warta::extract::Extractor;
use warta::ingest::{ingest, remove, IngestOptions};
use warta::input::{self, InputSource};
use warta::ontology::Ontology;
use warta::rdf::RdfWriter;
use warta::readback::Reader;
use warta::store::{KgStore, StoreError};
use warta::vocab::IriMinter;

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(common::root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn ingest_files(store: &KgStore, ont: &Ontology, files: &[PathBuf]) {
    let sources: Vec<InputSource> = files.iter().cloned().map(InputSource::File).collect();
    let s = ingest(
        store,
        ont,
        &IriMinter::default(),
        &sources,
        &IngestOptions::default(),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(s.errors.is_empty(), "{:?}", s.errors);
}

fn canonical(store: &KgStore) -> String {
    let mut out = Vec::new();
    export_canonical(store.inner(), None, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn count(store: &KgStore, q: &str) -> usize {
    let QueryResults::Solutions(mut s) = store.query(q).unwrap() else {
        panic!("not a SELECT")
    };
    let row = s.next().unwrap().unwrap();
    match row.get("n") {
        Some(oxigraph::model::Term::Literal(l)) => l.value().parse().unwrap(),
        other => panic!("{other:?}"),
    }
}

fn doc_id(file: &Path) -> String {
    let mut id = None;
    input::read_source(
        &InputSource::File(file.to_path_buf()),
        &input::InputOptions::default(),
        &mut |a| id = Some(a.unwrap().id()),
    )
    .unwrap();
    id.unwrap()
}

fn assert_sound(store: &KgStore) {
    let problems = warta::verify::problems(store.inner(), &IriMinter::default(), 5).unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn each_fact_is_stored_once_and_counts_are_exact() {
    let ont = Ontology::embedded().unwrap();
    let store = KgStore::memory().unwrap();
    ingest_files(&store, &ont, &examples());
    let mut graphs: HashMap<Triple, Vec<GraphName>> = HashMap::new();
    for q in store.inner().iter() {
        let q = q.unwrap();
        graphs
            .entry(Triple::from(q.clone()))
            .or_default()
            .push(q.graph_name);
    }
    let repeated: Vec<_> = graphs.iter().filter(|(_, g)| g.len() > 1).take(3).collect();
    assert!(repeated.is_empty(), "{repeated:#?}");
    let all = count(&store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    let distinct = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    );
    assert_eq!(all, distinct);
    // Putin's labels come back once each, not once per article naming him.
    let labels = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/warta/entity/Q7747> <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    );
    assert_eq!(labels, 2);
    assert_sound(&store);
}

#[test]
fn removing_an_article_leaves_what_ingesting_the_others_gives() {
    let ont = Ontology::embedded().unwrap();
    let files = examples();
    for (i, gone) in files.iter().enumerate() {
        let store = KgStore::memory().unwrap();
        ingest_files(&store, &ont, &files);
        let s = remove(&store, &ont, &IriMinter::default(), &[doc_id(gone)]).unwrap();
        assert_eq!(s.removed.len(), 1);
        assert_sound(&store);
        let rest: Vec<PathBuf> = files
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, f)| f.clone())
            .collect();
        let fresh = KgStore::memory().unwrap();
        ingest_files(&fresh, &ont, &rest);
        assert_eq!(
            canonical(&store),
            canonical(&fresh),
            "after removing {gone:?}"
        );
    }
}

#[test]
fn removing_everything_leaves_only_the_ontology_and_the_marker() {
    let ont = Ontology::embedded().unwrap();
    let files = examples();
    let store = KgStore::memory().unwrap();
    ingest_files(&store, &ont, &files);
    let ids: Vec<String> = files.iter().map(|f| doc_id(f.as_path())).collect();
    remove(&store, &ont, &IriMinter::default(), &ids).unwrap();
    let empty = KgStore::memory().unwrap();
    ingest_files(&empty, &ont, &[]);
    assert_eq!(canonical(&store), canonical(&empty));
}

#[test]
fn ingest_order_and_reingest_do_not_change_the_store() {
    let ont = Ontology::embedded().unwrap();
    let files = examples();
    let a = KgStore::memory().unwrap();
    ingest_files(&a, &ont, &files);
    let once = canonical(&a);
    ingest_files(&a, &ont, &files);
    assert_eq!(canonical(&a), once, "re-ingesting duplicated or lost facts");
    let b = KgStore::memory().unwrap();
    let mut reversed = files.clone();
    reversed.reverse();
    for f in &reversed {
        ingest_files(&b, &ont, std::slice::from_ref(f));
    }
    assert_eq!(canonical(&b), once, "the order of ingest matters");
}

#[test]
fn articles_read_back_as_they_were_written() {
    let ont = Ontology::embedded().unwrap();
    let minter = IriMinter::default();
    let writer = RdfWriter::new(&minter, &ont);
    let reader = Reader::new(&minter, &ont);
    let store = KgStore::memory().unwrap();
    ingest_files(&store, &ont, &examples());
    let extractor = Extractor::new(&ont);
    for f in examples() {
        let mut article = None;
        input::read_source(
            &InputSource::File(f.clone()),
            &input::InputOptions::default(),
            &mut |a| article = Some(a.unwrap()),
        )
        .unwrap();
        let article = article.unwrap();
        let x = extractor.extract(&article, None);
        let stored = reader
            .article(store.inner(), &x.document.id)
            .unwrap()
            .unwrap();
        assert_eq!(stored.text, article.text);
        let set = |q: Vec<Quad>| q.into_iter().collect::<HashSet<Quad>>();
        let written = writer.quads(&x, &article.text);
        let again = writer.quads(&stored.extraction, &stored.text);
        assert_eq!(set(written.article), set(again.article), "{f:?}");
        assert_eq!(set(written.knowledge), set(again.knowledge), "{f:?}");
    }
}

#[test]
fn a_store_of_the_old_layout_is_refused_with_a_way_out() {
    let store = KgStore::memory().unwrap();
    let g = NamedNode::new_unchecked("https://w3id.org/warta/doc/abc");
    store
        .inner()
        .insert(&Quad::new(
            g.clone(),
            NamedNode::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            NamedNode::new_unchecked("https://schema.org/NewsArticle"),
            g,
        ))
        .unwrap();
    let err = store.check_layout().unwrap_err();
    assert!(matches!(err, StoreError::OldLayout { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("layout 1") && msg.contains("warta migrate"),
        "{msg}"
    );
    let ont = Ontology::embedded().unwrap();
    let sources = [InputSource::File(examples()[0].clone())];
    let refused = ingest(
        &store,
        &ont,
        &IriMinter::default(),
        &sources,
        &IngestOptions::default(),
        &mut |_, _| {},
    );
    assert!(refused.is_err(), "ingest wrote into an old store");
}
