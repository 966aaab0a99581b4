//! The JSONL reader on arbitrary bytes, then extraction of each article it
//! accepts. Checked: no panic, and the extraction invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use warta_extract::extract::{invariant_violations, Extractor};
use warta_extract::input::{read_jsonl_from, InputOptions};
use warta_extract::ontology::Ontology;

fn ontology() -> &'static Ontology {
    static ONT: OnceLock<Ontology> = OnceLock::new();
    ONT.get_or_init(|| Ontology::embedded().expect("the built-in ontology loads"))
}

fuzz_target!(|data: &[u8]| {
    let mut articles = Vec::new();
    let _ = read_jsonl_from(data, "fuzz.jsonl", &InputOptions::default(), &mut |r| {
        if let Ok(a) = r {
            articles.push(a);
        }
    });
    let extractor = Extractor::new(ontology());
    for article in articles.iter().take(4) {
        let x = extractor.extract(article, None);
        let problems = invariant_violations(article, &x);
        assert!(problems.is_empty(), "{problems:?}");
    }
});
