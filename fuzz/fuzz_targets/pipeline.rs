//! The whole extraction pipeline on arbitrary bytes: the first byte picks
//! how they are read (plain text, Markdown or HTML), the rest is the file.
//! Checked: no panic, the invariants of `invariant_violations`, and the same
//! extraction twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use warta_extract::extract::{invariant_violations, Extractor};
use warta_extract::input::{read_bytes, InputOptions};
use warta_extract::ontology::Ontology;

fn ontology() -> &'static Ontology {
    static ONT: OnceLock<Ontology> = OnceLock::new();
    ONT.get_or_init(|| Ontology::embedded().expect("the built-in ontology loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let name = ["fuzz.txt", "fuzz.md", "fuzz.html"][usize::from(kind % 3)];
    let opts = InputOptions {
        lossy: kind & 4 != 0,
        ..InputOptions::default()
    };
    let Ok(article) = read_bytes(name, bytes, &opts) else {
        return;
    };
    let extractor = Extractor::new(ontology());
    let x = extractor.extract(&article, None);
    let problems = invariant_violations(&article, &x);
    assert!(problems.is_empty(), "{problems:?}");
    let again = extractor.extract(&article, None);
    assert_eq!(
        serde_json::to_string(&x).ok(),
        serde_json::to_string(&again).ok(),
        "extraction is not deterministic"
    );
});
