//! The arc-eager transition system (Nivre 2003, 2008) with an artificial root
//! node 0 at the bottom of the stack.
//!
//! Configuration: stack σ (top `s0`), buffer β (front `b0`, words in order),
//! partial arcs. Moves:
//! - `Shift`: push b0.
//! - `Reduce`: pop s0 (only if s0 already has a head).
//! - `Left(l)`: s0 ← b0 with label l, pop s0 (s0 ≠ root, s0 has no head).
//! - `Right(l)`: s0 → b0 with label l, push b0.
//!
//! Two extra constraints make every output a UD tree with one root: the root
//! node takes exactly one dependent and only with the `root` label, and no
//! other arc may carry `root`. Parsing ends when the buffer is empty; words
//! still without a head are then attached by [`State::finish`].

/// Marks "no node" in head and child arrays.
pub const NONE: u32 = u32::MAX;

/// A transition. Labels are indices into the model's relation table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Move {
    Shift,
    Reduce,
    Left(u16),
    Right(u16),
}

impl Move {
    /// Classifier class: 0 Shift, 1 Reduce, then Left/Right interleaved by label.
    pub fn class(self) -> usize {
        match self {
            Move::Shift => 0,
            Move::Reduce => 1,
            Move::Left(l) => 2 + 2 * l as usize,
            Move::Right(l) => 3 + 2 * l as usize,
        }
    }

    pub fn from_class(class: usize) -> Move {
        match class {
            0 => Move::Shift,
            1 => Move::Reduce,
            c if c % 2 == 0 => Move::Left(((c - 2) / 2) as u16),
            c => Move::Right(((c - 3) / 2) as u16),
        }
    }
}

/// Number of classifier classes for `labels` relation labels.
pub fn class_count(labels: usize) -> usize {
    2 + 2 * labels
}

/// A parser configuration for a sentence of `n` words (nodes 1..=n, 0 = root).
#[derive(Debug, Clone)]
pub struct State {
    n: usize,
    root_label: u16,
    pub stack: Vec<u32>,
    /// Index of b0; `n + 1` once the buffer is empty.
    pub next: usize,
    pub heads: Vec<u32>,
    pub labels: Vec<u16>,
    /// Leftmost and second-leftmost dependents (left of the head).
    pub left1: Vec<u32>,
    pub left2: Vec<u32>,
    /// Rightmost and second-rightmost dependents (right of the head).
    pub right1: Vec<u32>,
    pub right2: Vec<u32>,
    pub left_count: Vec<u8>,
    pub right_count: Vec<u8>,
    /// Bit sets of the labels (mod 64) of left and right dependents.
    pub left_labels: Vec<u64>,
    pub right_labels: Vec<u64>,
}

impl State {
    pub fn new(n: usize, root_label: u16) -> State {
        let nodes = n + 1;
        State {
            n,
            root_label,
            stack: vec![0],
            next: 1,
            heads: vec![NONE; nodes],
            labels: vec![0; nodes],
            left1: vec![NONE; nodes],
            left2: vec![NONE; nodes],
            right1: vec![NONE; nodes],
            right2: vec![NONE; nodes],
            left_count: vec![0; nodes],
            right_count: vec![0; nodes],
            left_labels: vec![0; nodes],
            right_labels: vec![0; nodes],
        }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn root_label(&self) -> u16 {
        self.root_label
    }

    /// Top of the stack (the root node 0 never leaves it).
    pub fn s0(&self) -> usize {
        self.stack[self.stack.len() - 1] as usize
    }

    /// The i-th stack item from the top (0 = s0), if any.
    pub fn stack_item(&self, i: usize) -> Option<usize> {
        self.stack.len().checked_sub(i + 1).map(|at| self.stack[at] as usize)
    }

    /// The i-th buffer word (0 = b0), if any.
    pub fn buffer_item(&self, i: usize) -> Option<usize> {
        let at = self.next + i;
        (at <= self.n).then_some(at)
    }

    pub fn is_terminal(&self) -> bool {
        self.next > self.n
    }

    pub fn has_head(&self, node: usize) -> bool {
        self.heads[node] != NONE
    }

    pub fn root_taken(&self) -> bool {
        self.right1[0] != NONE
    }

    pub fn is_valid(&self, m: Move) -> bool {
        let buffer = self.next <= self.n;
        let s0 = self.s0();
        match m {
            Move::Shift => buffer,
            Move::Reduce => s0 != 0 && self.has_head(s0),
            Move::Left(l) => buffer && s0 != 0 && !self.has_head(s0) && l != self.root_label,
            Move::Right(l) => {
                if !buffer {
                    false
                } else if s0 == 0 {
                    l == self.root_label && !self.root_taken()
                } else {
                    l != self.root_label
                }
            }
        }
    }

    /// Applies a move; the caller has checked [`State::is_valid`].
    pub fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.stack.push(self.next as u32);
                self.next += 1;
            }
            Move::Reduce => {
                self.stack.pop();
            }
            Move::Left(l) => {
                let s0 = self.s0();
                self.add_arc(self.next, s0, l);
                self.stack.pop();
            }
            Move::Right(l) => {
                let s0 = self.s0();
                self.add_arc(s0, self.next, l);
                self.stack.push(self.next as u32);
                self.next += 1;
            }
        }
    }

    fn add_arc(&mut self, head: usize, dependent: usize, label: u16) {
        self.heads[dependent] = head as u32;
        self.labels[dependent] = label;
        let d = dependent as u32;
        if dependent < head {
            self.left_count[head] = self.left_count[head].saturating_add(1);
            self.left_labels[head] |= 1 << (label % 64);
            if self.left1[head] == NONE || d < self.left1[head] {
                self.left2[head] = self.left1[head];
                self.left1[head] = d;
            } else if self.left2[head] == NONE || d < self.left2[head] {
                self.left2[head] = d;
            }
        } else {
            self.right_count[head] = self.right_count[head].saturating_add(1);
            self.right_labels[head] |= 1 << (label % 64);
            if self.right1[head] == NONE || d > self.right1[head] {
                self.right2[head] = self.right1[head];
                self.right1[head] = d;
            } else if self.right2[head] == NONE || d > self.right2[head] {
                self.right2[head] = d;
            }
        }
    }

    /// After the buffer is empty: the first headless stack word becomes the
    /// root if the root is still free; any other headless word is attached to
    /// the nearest stack word below it (or to the root word) with the label
    /// `fallback(word)`.
    pub fn finish(&mut self, fallback: impl Fn(usize) -> u16) {
        let mut below: Option<usize> = None;
        for at in 1..self.stack.len() {
            let word = self.stack[at] as usize;
            if !self.has_head(word) {
                if !self.root_taken() {
                    self.add_arc(0, word, self.root_label);
                } else {
                    let head = below.unwrap_or(self.right1[0] as usize);
                    self.add_arc(head, word, fallback(word));
                }
            }
            below = Some(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: u16 = 0;
    const DEP: u16 = 1;

    #[test]
    fn classes_round_trip() {
        for m in [Move::Shift, Move::Reduce, Move::Left(0), Move::Right(0), Move::Left(7), Move::Right(7)] {
            assert_eq!(Move::from_class(m.class()), m);
        }
        assert_eq!(class_count(3), 8);
        assert_eq!(Move::Right(2).class(), 7);
    }

    #[test]
    fn preconditions_at_start() {
        let s = State::new(3, ROOT);
        assert!(s.is_valid(Move::Shift));
        assert!(!s.is_valid(Move::Reduce), "root cannot be reduced");
        assert!(!s.is_valid(Move::Left(DEP)), "root takes no head");
        assert!(s.is_valid(Move::Right(ROOT)));
        assert!(!s.is_valid(Move::Right(DEP)), "root arcs carry the root label only");
    }

    #[test]
    fn each_transition() {
        // "a b c": a <- b, root -> b, b -> c
        let mut s = State::new(3, ROOT);
        s.apply(Move::Shift);
        assert_eq!((s.s0(), s.next), (1, 2));
        assert!(!s.is_valid(Move::Reduce), "a has no head yet");
        assert!(!s.is_valid(Move::Left(ROOT)), "only the root arc may carry root");
        s.apply(Move::Left(DEP));
        assert_eq!((s.s0(), s.heads[1], s.left1[2], s.left_count[2]), (0, 2, 1, 1));
        s.apply(Move::Right(ROOT));
        assert_eq!((s.s0(), s.heads[2], s.labels[2]), (2, 0, ROOT));
        assert!(s.root_taken());
        s.apply(Move::Right(DEP));
        assert_eq!((s.s0(), s.heads[3], s.right1[2]), (3, 2, 3));
        assert!(s.is_terminal());
        assert!(!s.is_valid(Move::Shift) && !s.is_valid(Move::Right(DEP)));
        assert!(s.is_valid(Move::Reduce));
        s.apply(Move::Reduce);
        assert_eq!(s.s0(), 2);
        assert_eq!(s.left_labels[2], 1 << DEP);
    }

    #[test]
    fn second_root_is_refused() {
        let mut s = State::new(2, ROOT);
        s.apply(Move::Right(ROOT));
        s.apply(Move::Reduce);
        assert_eq!(s.s0(), 0);
        assert!(!s.is_valid(Move::Right(ROOT)));
        assert!(s.is_valid(Move::Shift));
    }

    #[test]
    fn finish_attaches_headless_words() {
        // Shift everything: no arcs at all.
        let mut s = State::new(3, ROOT);
        for _ in 0..3 {
            s.apply(Move::Shift);
        }
        s.finish(|_| DEP);
        assert_eq!(&s.heads[1..], &[0, 1, 2]);
        assert_eq!(&s.labels[1..], &[ROOT, DEP, DEP]);
    }

    #[test]
    fn children_order() {
        let mut s = State::new(4, ROOT);
        // 1 2 3 <- 4 ... left children of 4 added nearest first.
        s.apply(Move::Shift);
        s.apply(Move::Shift);
        s.apply(Move::Shift);
        s.apply(Move::Left(DEP)); // 3 <- 4
        s.apply(Move::Left(DEP)); // 2 <- 4
        assert_eq!((s.left1[4], s.left2[4]), (2, 3));
        s.apply(Move::Left(DEP)); // 1 <- 4
        assert_eq!((s.left1[4], s.left2[4], s.left_count[4]), (1, 2, 3));
    }
}
