//! The static oracle must rebuild every projective gold tree of the training
//! data exactly, with every step of cost 0 for the dynamic oracle; lifted
//! (projectivised) non-projective trees must round-trip too. Skipped when
//! the UD data directory is absent.

use std::collections::BTreeMap;
use std::path::Path;

use warta_syntax::conllu::{read_file, Check, Sentence};
use warta_syntax::parser::oracle::{cost, projectivise, shortest_non_projective_arc, static_move, Gold};
use warta_syntax::parser::transition::{State, NONE};

const FILES: &[&str] = &["en/en_ewt-ud-train.conllu", "id/id_gsd-ud-dev.conllu", "id/id_csui-ud-train.conllu", "id/id_pud-ud-test.conllu"];

fn gold_of(sentence: &Sentence, labels: &mut BTreeMap<String, u16>) -> Gold {
    let mut heads = vec![NONE];
    let mut ids = vec![0u16];
    for w in &sentence.words {
        heads.push(w.head as u32);
        let next = labels.len() as u16;
        ids.push(*labels.entry(w.deprel.clone()).or_insert(next));
    }
    Gold { heads, labels: ids }
}

#[test]
fn static_oracle_round_trips_every_training_tree() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ud");
    if !data.is_dir() {
        println!("skipped: {} absent", data.display());
        return;
    }
    let mut labels = BTreeMap::from([("root".to_string(), 0u16)]);
    let (mut projective, mut lifted) = (0, 0);
    for file in FILES {
        let sentences = read_file(&data.join(file), Check::Tree).expect("valid treebank");
        for sentence in &sentences {
            let mut gold = gold_of(sentence, &mut labels);
            if shortest_non_projective_arc(&gold.heads).is_some() {
                projectivise(&mut gold.heads);
                lifted += 1;
            } else {
                projective += 1;
            }
            let mut state = State::new(sentence.words.len(), 0);
            while !state.is_terminal() {
                let m = static_move(&state, &gold);
                assert!(state.is_valid(m), "{file}:{}: invalid {m:?}", sentence.line);
                assert_eq!(cost(&state, &gold, m), 0, "{file}:{}: static {m:?} has a cost", sentence.line);
                state.apply(m);
            }
            assert_eq!(state.heads, gold.heads, "{file}:{}", sentence.line);
            assert_eq!(&state.labels[1..], &gold.labels[1..], "{file}:{}", sentence.line);
        }
    }
    println!("{projective} projective and {lifted} lifted trees round-tripped");
    assert!(projective > 14_000 && lifted > 300);
}
