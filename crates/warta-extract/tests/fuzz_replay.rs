//! Replays the committed fuzz corpora (`fuzz/corpus/`) and any crash inputs
//! (`fuzz/artifacts/`) on stable, with the fuzz targets' checks: no panic,
//! the extraction invariants, and the same extraction twice. `cargo +nightly
//! fuzz run pipeline` (or `jsonl`, `ontology`, `conllu`) grows the corpora; this keeps every input
//! they found in the normal test suite.

use std::path::{Path, PathBuf};
use warta_extract::extract::{edited_ontology_problems, invariant_violations, Extractor};
use warta_extract::input::{read_bytes, read_jsonl_from, Article, InputOptions};
use warta_extract::model::Language;
use warta_extract::ontology::Ontology;
use warta_syntax::conllu::Check;
use warta_syntax::invariants::conllu_problems;

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in [
        fuzz.join("corpus").join(target),
        fuzz.join("artifacts").join(target),
    ] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    files
}

fn check(extractor: &Extractor<'_>, article: &Article, origin: &Path) {
    let x = extractor.extract(article, None);
    let problems = invariant_violations(article, &x);
    assert!(problems.is_empty(), "{}: {problems:?}", origin.display());
    let again = extractor.extract(article, None);
    assert_eq!(
        serde_json::to_string(&x).ok(),
        serde_json::to_string(&again).ok(),
        "{}: extraction is not deterministic",
        origin.display()
    );
}

#[test]
fn the_pipeline_corpus_replays_cleanly() {
    let ont = Ontology::embedded().expect("the built-in ontology");
    let extractor = Extractor::new(&ont);
    let files = inputs("pipeline");
    assert!(
        files.len() >= 12,
        "the seed corpus is committed: {}",
        files.len()
    );
    for path in files {
        let data = std::fs::read(&path).expect("a corpus file");
        let Some((&kind, bytes)) = data.split_first() else {
            continue;
        };
        let name = ["fuzz.txt", "fuzz.md", "fuzz.html"][usize::from(kind % 3)];
        let opts = InputOptions {
            lossy: kind & 4 != 0,
            ..InputOptions::default()
        };
        if let Ok(article) = read_bytes(name, bytes, &opts) {
            check(&extractor, &article, &path);
        }
    }
}

#[test]
fn the_jsonl_corpus_replays_cleanly() {
    let ont = Ontology::embedded().expect("the built-in ontology");
    let extractor = Extractor::new(&ont);
    let files = inputs("jsonl");
    assert!(files.len() >= 2, "the seed corpus is committed");
    for path in files {
        let data = std::fs::read(&path).expect("a corpus file");
        let mut articles = Vec::new();
        let _ = read_jsonl_from(
            data.as_slice(),
            "fuzz.jsonl",
            &InputOptions::default(),
            &mut |r| {
                if let Ok(a) = r {
                    articles.push(a);
                }
            },
        );
        for article in articles.iter().take(4) {
            check(&extractor, article, &path);
        }
    }
}

#[test]
fn the_ontology_corpus_replays_cleanly() {
    let files = inputs("ontology");
    assert!(
        files.len() >= Ontology::FILES.len(),
        "a seed per ontology file is committed: {}",
        files.len()
    );
    for path in files {
        let data = std::fs::read(&path).expect("a corpus file");
        let Some((&pick, rest)) = data.split_first() else {
            continue;
        };
        let name = Ontology::FILES[usize::from(pick) % Ontology::FILES.len()];
        let problems = edited_ontology_problems(name, &String::from_utf8_lossy(rest));
        assert!(problems.is_empty(), "{}: {problems:?}", path.display());
    }
}

#[test]
fn the_conllu_corpus_replays_cleanly() {
    let ont = Ontology::embedded().expect("the built-in ontology");
    let files = inputs("conllu");
    assert!(files.len() >= 4, "the seed corpus is committed");
    for path in files {
        let data = std::fs::read(&path).expect("a corpus file");
        let Some((&pick, rest)) = data.split_first() else {
            continue;
        };
        let check = if pick & 1 == 0 {
            Check::Tree
        } else {
            Check::Words
        };
        let lang = if pick & 2 == 0 {
            Language::En
        } else {
            Language::Id
        };
        let model = ont.syntax.get(lang).expect("the shipped model");
        let problems = conllu_problems(&String::from_utf8_lossy(rest), check, model);
        assert!(problems.is_empty(), "{}: {problems:?}", path.display());
    }
}
