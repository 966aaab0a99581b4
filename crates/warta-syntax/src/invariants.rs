//! What must hold of reading and parsing any input, whatever the bytes: the
//! CoNLL-U fuzz target (`fuzz/fuzz_targets/conllu.rs`) and its replay test
//! check it on every input they meet.

use crate::conllu::{self, Check, Sentence};
use crate::Model;

/// Sentences longer than this are not parsed here (the parser is linear,
/// but a fuzzer's time is better spent on many inputs than on one long one).
const MAX_PARSED_WORDS: usize = 300;

/// Reads `text` as CoNLL-U with `check`. For each sentence it accepts:
/// written back with [`conllu::write_sentence`], it reads back the same;
/// and `model`'s analysis of its words is a tree over them (one head per
/// word, in range, every word reaching the root). Returns the problems.
pub fn conllu_problems(text: &str, check: Check, model: &Model) -> Vec<String> {
    let Ok(sentences) = conllu::read_str(text, "fuzz.conllu", check) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for sentence in sentences.iter().take(16) {
        problems.extend(round_trip_problems(sentence, check));
        if sentence.words.len() <= MAX_PARSED_WORDS {
            problems.extend(tree_problems(sentence, model));
        }
    }
    problems
}

/// A sentence written and read again must give the same words and ranges.
fn round_trip_problems(sentence: &Sentence, check: Check) -> Vec<String> {
    let mut written = String::new();
    conllu::write_sentence(sentence, &mut written);
    let line = sentence.line;
    match conllu::read_str(&written, "written.conllu", check) {
        Ok(again) if again.len() == 1 => {
            let back = &again[0];
            let same_words = back.words.len() == sentence.words.len()
                && back.words.iter().zip(&sentence.words).all(|(a, b)| {
                    (&a.form, &a.lemma, &a.upos, &a.xpos, &a.feats, a.head, &a.deprel, &a.deps, &a.misc)
                        == (&b.form, &b.lemma, &b.upos, &b.xpos, &b.feats, b.head, &b.deprel, &b.deps, &b.misc)
                });
            let same_ranges = back.multiword.len() == sentence.multiword.len()
                && back.multiword.iter().zip(&sentence.multiword).all(|(a, b)| (a.first, a.last, &a.form, &a.misc) == (b.first, b.last, &b.form, &b.misc));
            let mut out = Vec::new();
            if !same_words {
                out.push(format!("sentence at line {line}: its words change when written and read back"));
            }
            if !same_ranges {
                out.push(format!("sentence at line {line}: its multiword ranges change when written and read back"));
            }
            out
        }
        Ok(again) => vec![format!("sentence at line {line}: written, it reads back as {} sentences", again.len())],
        Err(e) => vec![format!("sentence at line {line}: written, it does not read back: {e}")],
    }
}

/// The model's analysis of the sentence's words must be one rooted tree
/// over them, as [`conllu::check_tree`] asks of gold data.
fn tree_problems(sentence: &Sentence, model: &Model) -> Vec<String> {
    let forms = sentence.forms();
    let words = model.analyse(&forms);
    let line = sentence.line;
    if words.len() != forms.len() {
        return vec![format!("sentence at line {line}: {} words analysed as {}", forms.len(), words.len())];
    }
    let mut parsed = Sentence { line, ..Sentence::default() };
    parsed.words = forms
        .iter()
        .zip(&words)
        .map(|(form, w)| conllu::Token { upos: w.upos.as_str().to_string(), head: w.head, deprel: w.deprel.to_string(), ..conllu::Token::from_form(form) })
        .collect();
    match conllu::check_tree(&parsed, "parse") {
        Ok(()) => Vec::new(),
        Err(e) => vec![format!("sentence at line {line}: the parse is not a tree: {e}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_must_form_one_rooted_tree() {
        let row = |id: usize, head: usize| format!("{id}\tw\t_\tX\t_\t_\t{head}\tdep\t_\t_\n");
        let read = |heads: &[usize]| {
            let text: String = heads.iter().enumerate().map(|(i, &h)| row(i + 1, h)).collect();
            conllu::read_str(&format!("{text}\n"), "t", Check::Tree)
        };
        assert!(read(&[2, 0, 2]).is_ok());
        assert!(matches!(read(&[2, 1, 0]), Err(conllu::ConlluError::Cycle { word: 1, .. })));
        assert!(matches!(read(&[1, 0]), Err(conllu::ConlluError::Cycle { word: 1, .. })));
        assert!(matches!(read(&[0, 7]), Err(conllu::ConlluError::HeadOutOfRange { head: 7, .. })));
    }

    #[test]
    fn a_sentence_reads_back_as_written() {
        let text = "# text = A B\n1-2\tAB\t_\t_\t_\t_\t_\t_\t_\t_\n\
1\tA\ta\tX\t_\t_\t2\tdep\t_\t_\n2\tB\tb\tX\t_\t_\t0\troot\t_\tSpaceAfter=No\n\n";
        let sentences = conllu::read_str(text, "t", Check::Tree).expect("reads");
        assert_eq!(sentences[0].multiword.len(), 1);
        assert!(round_trip_problems(&sentences[0], Check::Tree).is_empty());
    }

    /// Fuzz artifact crash-b60a7445: a line ending in two CRs kept one in
    /// its last field, which was lost once written and read again.
    #[test]
    fn crash_b60a7445_a_field_ending_in_cr_reads_back_the_same() {
        let text = "1\tua\t_\tX\t_\t_\t0\troot\t_\t_\r\r\n\n";
        let sentences = conllu::read_str(text, "t", Check::Tree).expect("reads");
        assert_eq!(sentences[0].words[0].misc, "_");
        assert!(round_trip_problems(&sentences[0], Check::Tree).is_empty());
    }
}
