//! Each ontology loader on a mutated copy of its shipped file: the first
//! byte picks the file (`Ontology::FILES`), the rest replaces its text.
//! Checked (`edited_ontology_problems`): no panic, an error names an
//! ontology file, and an ontology that loads extracts the probe articles
//! within the extraction invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta_extract::extract::edited_ontology_problems;
use warta_extract::ontology::Ontology;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = Ontology::FILES[usize::from(pick) % Ontology::FILES.len()];
    let text = String::from_utf8_lossy(rest);
    let problems = edited_ontology_problems(name, &text);
    assert!(problems.is_empty(), "{problems:?}");
});
