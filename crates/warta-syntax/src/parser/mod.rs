//! Greedy arc-eager dependency parser scored by an averaged perceptron.

pub mod learn;
pub mod oracle;
pub mod transition;

use crate::features::{parser_features, ParseInput};
use crate::labels::Upos;
use crate::perceptron::{Scratch, Weights};
use transition::{Move, State};

/// The trained parser: weights over `2 + 2 * labels.len()` move classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parser {
    pub weights: Weights,
    /// Relation labels in class order; `labels[root_label] == "root"`.
    pub labels: Vec<String>,
    pub root_label: u16,
    /// Label for a word left headless at the end, by its UPOS (most frequent
    /// relation of that tag in training).
    pub fallback: [u16; Upos::COUNT],
}

/// The best-scoring move that is valid in `state` (ties: lowest class).
pub fn best_valid_move<T: PartialOrd + Copy>(state: &State, scores: &[T]) -> Option<Move> {
    let mut best: Option<(usize, T)> = None;
    for (class, &score) in scores.iter().enumerate() {
        if best.is_some_and(|(_, b)| score <= b) {
            continue;
        }
        if state.is_valid(Move::from_class(class)) {
            best = Some((class, score));
        }
    }
    best.map(|(class, _)| Move::from_class(class))
}

impl Parser {
    /// Parses one sentence; returns (heads, labels) for nodes 0..=n, where
    /// `heads[i]` is 0 for the root word and node 0 itself is unused.
    pub fn parse(&self, input: &ParseInput, tags: &[Upos]) -> State {
        let n = input.nodes.len() - 1;
        let mut state = State::new(n, self.root_label);
        let mut features = Vec::with_capacity(96);
        let mut scores = vec![0i32; self.weights.n_classes()];
        let mut scratch = Box::<Scratch>::default();
        while !state.is_terminal() {
            parser_features(&state, input, &mut features);
            self.weights.scores_with(&features, &mut scores, &mut scratch);
            match best_valid_move(&state, &scores) {
                Some(m) => state.apply(m),
                None => break,
            }
        }
        state.finish(|word| self.fallback[tags[word - 1] as usize]);
        state
    }
}
