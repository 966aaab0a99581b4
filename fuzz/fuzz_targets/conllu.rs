//! The CoNLL-U reader on arbitrary bytes, and the tagger and parser on the
//! words of each sentence it accepts. The first byte picks the check
//! (gold trees or parser input) and the model (English or Indonesian).
//! Checked (`warta_syntax::invariants::conllu_problems`): no panic, a sentence
//! written back reads back the same, and every parse is a tree over its words.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use warta_syntax::conllu::Check;
use warta_syntax::invariants::conllu_problems;
use warta_syntax::Model;

fn model(english: bool) -> &'static Model {
    static EN: OnceLock<Model> = OnceLock::new();
    static ID: OnceLock<Model> = OnceLock::new();
    let (cell, bytes): (&OnceLock<Model>, &[u8]) = if english {
        (&EN, include_bytes!("../../ontology/models/en.syntax"))
    } else {
        (&ID, include_bytes!("../../ontology/models/id.syntax"))
    };
    cell.get_or_init(|| Model::from_bytes(bytes).expect("the shipped model decodes"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let check = if pick & 1 == 0 {
        Check::Tree
    } else {
        Check::Words
    };
    let text = String::from_utf8_lossy(rest);
    let problems = conllu_problems(&text, check, model(pick & 2 == 0));
    assert!(problems.is_empty(), "{problems:?}");
});
