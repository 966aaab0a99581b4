//! Online training of the parser with the dynamic oracle and error
//! exploration (Goldberg & Nivre 2012, 2013): at each step the perceptron is
//! updated toward the best-scoring zero-cost move whenever its own choice has
//! a cost, and after the first epochs the parser follows its own (possibly
//! wrong) prediction, so that it learns to recover from its mistakes.

use super::oracle::{cost, Gold};
use super::transition::{class_count, Move, State};
use crate::features::{parser_features, ParseInput};
use crate::perceptron::Trainer;
use crate::train::Rng;

/// One training sentence: parser input built from predicted tags, and the
/// projectivised gold tree.
pub struct ParseExample {
    pub input: ParseInput,
    pub gold: Gold,
}

/// How errors are explored: from epoch `explore_from` (0-based) on, the
/// parser follows its own prediction with probability `explore_probability`.
#[derive(Debug, Clone, Copy)]
pub struct Exploration {
    pub explore_from: usize,
    pub explore_probability: f64,
}

pub struct ParserTrainer {
    pub trainer: Trainer,
    pub root_label: u16,
    n_labels: usize,
}

/// Label value that matches no gold label: its cost carries the wrong-label unit.
const ANY_LABEL: u16 = u16::MAX;

/// Costs of every class in `state` (u32::MAX for invalid moves).
fn class_costs(state: &State, gold: &Gold, n_labels: usize, costs: &mut Vec<u32>) {
    costs.clear();
    costs.resize(class_count(n_labels), u32::MAX);
    for m in [Move::Shift, Move::Reduce] {
        if state.is_valid(m) {
            costs[m.class()] = cost(state, gold, m);
        }
    }
    let Some(b0) = state.buffer_item(0) else { return };
    let s0 = state.s0();
    // Costs of Left/Right with a wrong label; the gold label (if that arc is
    // the gold arc) costs one less.
    let left_wrong = cost(state, gold, Move::Left(ANY_LABEL));
    let right_wrong = cost(state, gold, Move::Right(ANY_LABEL));
    let left_gold = (gold.heads[s0] as usize == b0).then(|| gold.labels[s0]);
    let right_gold = (gold.heads[b0] as usize == s0).then(|| gold.labels[b0]);
    for label in 0..n_labels as u16 {
        let left = Move::Left(label);
        if state.is_valid(left) {
            costs[left.class()] = if left_gold == Some(label) { left_wrong - 1 } else { left_wrong };
        }
        let right = Move::Right(label);
        if state.is_valid(right) {
            costs[right.class()] = if right_gold == Some(label) { right_wrong - 1 } else { right_wrong };
        }
    }
}

/// Best-scoring class among those with the lowest cost.
fn best_optimal(scores: &[i64], costs: &[u32]) -> Option<usize> {
    let min = *costs.iter().min()?;
    if min == u32::MAX {
        return None;
    }
    let mut best: Option<usize> = None;
    for (class, &c) in costs.iter().enumerate() {
        if c == min && best.is_none_or(|b| scores[class] > scores[b]) {
            best = Some(class);
        }
    }
    best
}

/// Best-scoring valid class (the parser's own choice).
fn best_predicted(scores: &[i64], costs: &[u32]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (class, &c) in costs.iter().enumerate() {
        if c != u32::MAX && best.is_none_or(|b| scores[class] > scores[b]) {
            best = Some(class);
        }
    }
    best
}

impl ParserTrainer {
    pub fn new(n_labels: usize, root_label: u16) -> ParserTrainer {
        ParserTrainer { trainer: Trainer::new(class_count(n_labels)), root_label, n_labels }
    }

    /// One pass over `order`; returns the fraction of steps whose predicted
    /// move was optimal.
    pub fn epoch(&mut self, examples: &[ParseExample], order: &[usize], epoch: usize, exploration: Exploration, rng: &mut Rng) -> f64 {
        let mut features = Vec::with_capacity(96);
        let mut scores = vec![0i64; self.trainer.n_classes()];
        let mut costs = Vec::new();
        let (mut right, mut steps) = (0usize, 0usize);
        let explore = epoch >= exploration.explore_from;
        for &index in order {
            let example = &examples[index];
            let mut state = State::new(example.input.nodes.len() - 1, self.root_label);
            while !state.is_terminal() {
                parser_features(&state, &example.input, &mut features);
                self.trainer.tick();
                self.trainer.scores(&features, &mut scores);
                class_costs(&state, &example.gold, self.n_labels, &mut costs);
                let (Some(optimal), Some(predicted)) = (best_optimal(&scores, &costs), best_predicted(&scores, &costs)) else {
                    break;
                };
                steps += 1;
                if costs[predicted] > costs[optimal] {
                    self.trainer.update(&features, optimal, predicted);
                } else {
                    right += 1;
                }
                let follow = if explore && rng.next_f64() < exploration.explore_probability { predicted } else { optimal };
                state.apply(Move::from_class(follow));
            }
        }
        right as f64 / steps.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::transition::NONE;

    #[test]
    fn class_costs_mark_gold_labels_and_invalid_moves() {
        // 1 <- 2 (root) -> 3, labels: 1 = a, 3 = b; label 0 is root.
        let gold = Gold { heads: vec![NONE, 2, 0, 2], labels: vec![0, 1, 0, 2] };
        let mut state = State::new(3, 0);
        state.apply(Move::Shift);
        let mut costs = Vec::new();
        class_costs(&state, &gold, 3, &mut costs);
        assert_eq!(costs[Move::Left(1).class()], 0);
        assert_eq!(costs[Move::Left(2).class()], 1);
        assert_eq!(costs[Move::Left(0).class()], u32::MAX, "root label is invalid off the root");
        assert_eq!(costs[Move::Reduce.class()], u32::MAX, "1 has no head");
        assert_eq!(costs[Move::Shift.class()], 2);
        let scores = vec![0i64; costs.len()];
        assert_eq!(best_optimal(&scores, &costs), Some(Move::Left(1).class()));
    }
}
