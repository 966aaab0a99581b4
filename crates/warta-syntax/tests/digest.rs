//! `Model::analyse` must give exactly the outputs of the reference
//! implementation on the UD test files: speed work on the tagger, the parser
//! or the weight table may not change a single tag, head or label. The
//! digests were recorded from the code before any optimisation; a change
//! that is *meant* to change outputs (a new model, new features) records new
//! ones. Skipped with a message when the data directory is absent.

use std::path::{Path, PathBuf};

use warta_syntax::conllu::{read_file, Check};
use warta_syntax::Model;

fn crate_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// (model, test file, FNV-1a digest of every word's UPOS, head and relation).
const CASES: &[(&str, &str, u64)] = &[
    ("en.syntax", "en/en_ewt-ud-test.conllu", 0x8b66_c8bc_8f53_16d8),
    ("id.syntax", "id/id_gsd-ud-test.conllu", 0xaf94_c469_98eb_8eeb),
    ("id.syntax", "id/id_csui-ud-test.conllu", 0x30f1_1774_2225_77e1),
];

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[test]
fn analyse_outputs_are_unchanged() {
    let data = crate_path("../../../shared/data/ud");
    if !data.is_dir() {
        println!("skipped: {} absent", data.display());
        return;
    }
    let mut mismatches = Vec::new();
    for (model_file, test_file, expected) in CASES {
        let model = Model::load(crate_path("../../ontology/models").join(model_file)).expect("shipped model loads");
        let sentences = read_file(&data.join(test_file), Check::Tree).expect("test file reads");
        let mut digest = 0xcbf2_9ce4_8422_2325u64;
        let mut words = 0usize;
        for sentence in &sentences {
            for word in model.analyse(&sentence.forms()) {
                digest = fnv(digest, &[word.upos as u8]);
                digest = fnv(digest, &(word.head as u32).to_le_bytes());
                digest = fnv(digest, word.deprel.as_bytes());
                digest = fnv(digest, &[0xff]);
                words += 1;
            }
            digest = fnv(digest, b"\n");
        }
        println!("{test_file}: {words} words, digest {digest:#018x}");
        if digest != *expected {
            mismatches.push(format!("{test_file}: {digest:#018x}, expected {expected:#018x}"));
        }
    }
    assert!(mismatches.is_empty(), "outputs changed: {mismatches:?}");
}
