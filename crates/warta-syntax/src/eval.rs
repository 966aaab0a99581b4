//! Evaluation with gold tokenisation, CoNLL 2018 shared-task definitions:
//! every word counts, punctuation included; UAS = correct head; LAS = correct
//! head and universal relation (subtypes stripped: `nsubj:pass` = `nsubj`).
//! `las_full` also compares subtypes.

use crate::conllu::Sentence;
use crate::features::WordAtoms;
use crate::labels::{universal_relation, Upos};
use crate::model::Model;

/// Whether the parser reads the tagger's tags or the gold ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagSource {
    Predicted,
    Gold,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    pub words: usize,
    pub upos: usize,
    pub uas: usize,
    pub las: usize,
    pub las_full: usize,
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

impl Scores {
    pub fn upos(&self) -> f64 {
        percent(self.upos, self.words)
    }
    pub fn uas(&self) -> f64 {
        percent(self.uas, self.words)
    }
    pub fn las(&self) -> f64 {
        percent(self.las, self.words)
    }
    pub fn las_full(&self) -> f64 {
        percent(self.las_full, self.words)
    }

    pub fn add(&mut self, other: &Scores) {
        self.words += other.words;
        self.upos += other.upos;
        self.uas += other.uas;
        self.las += other.las;
        self.las_full += other.las_full;
    }
}

/// Scores one analysed sentence against its gold words.
pub fn score_sentence(model: &Model, gold: &Sentence, tags: TagSource) -> Scores {
    let atoms: Vec<WordAtoms> = gold.words.iter().map(|w| WordAtoms::new(&w.form)).collect();
    let (predicted, guide) = model.tag_atoms(&atoms);
    let upos = match tags {
        TagSource::Predicted => predicted,
        TagSource::Gold => gold.words.iter().map(|w| Upos::parse(&w.upos).unwrap_or(Upos::X)).collect(),
    };
    let analysed = model.parse_tagged(&atoms, &upos, &guide, gold.style);
    let mut scores = Scores { words: gold.words.len(), ..Scores::default() };
    for (word, gold) in analysed.iter().zip(&gold.words) {
        scores.upos += usize::from(word.upos.as_str() == gold.upos);
        if word.head == gold.head {
            scores.uas += 1;
            scores.las += usize::from(universal_relation(word.deprel) == universal_relation(&gold.deprel));
            scores.las_full += usize::from(word.deprel == gold.deprel);
        }
    }
    scores
}

pub fn evaluate(model: &Model, sentences: &[Sentence], tags: TagSource) -> Scores {
    let mut total = Scores::default();
    for sentence in sentences {
        total.add(&score_sentence(model, sentence, tags));
    }
    total
}

/// CPU time this thread has run, in seconds (Linux `schedstat`), if known.
/// On a shared machine it measures the work, where wall time also counts
/// the waits for a core.
pub fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos as f64 / 1e9)
}

/// Peak resident set size of this process in kB (Linux `VmHWM`), if known.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        let s = Scores { words: 8, upos: 8, uas: 6, las: 4, las_full: 2 };
        assert_eq!((s.upos(), s.uas(), s.las(), s.las_full()), (100.0, 75.0, 50.0, 25.0));
        assert_eq!(Scores::default().las(), 0.0);
    }
}
