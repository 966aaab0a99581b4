//! Oracles for arc-eager: the classic static oracle and the dynamic oracle of
//! Goldberg & Nivre (2012, "A Dynamic Oracle for Arc-Eager Dependency
//! Parsing"), which gives the cost of any move in any configuration: the
//! number of gold arcs that the move makes unreachable (plus one for a wrong
//! label on the arc it builds). Arc-eager is arc-decomposable, so for a
//! projective gold tree a move is optimal iff its cost is 0.

use super::transition::{Move, State, NONE};

/// A projective gold tree over nodes 0..=n (node 0 = root, `heads[0] = NONE`).
#[derive(Debug, Clone)]
pub struct Gold {
    pub heads: Vec<u32>,
    pub labels: Vec<u16>,
}

impl Gold {
    fn head(&self, node: usize) -> usize {
        self.heads[node] as usize
    }

    /// Is gold arc head -> dependent still buildable as far as the root
    /// constraint goes (the root takes one dependent only)?
    fn root_arc_open(&self, state: &State, dependent: usize) -> bool {
        self.heads[dependent] != 0 || !state.root_taken()
    }
}

/// Cost of `m` in `state` against `gold`. `m` must be valid in `state`.
pub fn cost(state: &State, gold: &Gold, m: Move) -> u32 {
    let s0 = state.s0();
    let b0 = state.next;
    let buffer = || state.next..=state.len();
    // Words on the stack that still lack a head (they can still get one by Left).
    let headless_stack = || state.stack.iter().map(|&k| k as usize).filter(move |&k| k != 0 && !state.has_head(k));
    match m {
        Move::Shift => {
            // b0 leaves the buffer: its head on the stack, and its dependents
            // on the stack still waiting for a head, are lost.
            let head_lost = state.stack.iter().any(|&k| gold.head(b0) == k as usize) && gold.root_arc_open(state, b0);
            let deps_lost = headless_stack().filter(|&k| gold.head(k) == b0).count();
            u32::from(head_lost) + deps_lost as u32
        }
        Move::Reduce => {
            // s0 leaves for good: its dependents in the buffer are lost.
            buffer().filter(|&k| gold.head(k) == s0).count() as u32
        }
        Move::Left(label) => {
            // s0 gets head b0: a head deeper in the buffer is lost, and so are
            // s0's dependents in the buffer.
            let gold_head = gold.heads[s0];
            let head_lost = gold_head != NONE && gold_head as usize > b0;
            let deps_lost = buffer().filter(|&k| gold.head(k) == s0).count();
            let wrong_label = gold_head as usize == b0 && gold.labels[s0] != label;
            u32::from(head_lost) + deps_lost as u32 + u32::from(wrong_label)
        }
        Move::Right(label) => {
            // b0 gets head s0: any other gold head (on the stack or later in
            // the buffer) is lost, and so are b0's headless dependents on the stack.
            let gold_head = gold.head(b0);
            let other_head = gold_head != s0 && (gold_head > b0 || state.stack.iter().any(|&k| k as usize == gold_head)) && gold.root_arc_open(state, b0);
            let deps_lost = headless_stack().filter(|&k| gold.head(k) == b0).count();
            let wrong_label = gold_head == s0 && gold.labels[b0] != label;
            u32::from(other_head) + deps_lost as u32 + u32::from(wrong_label)
        }
    }
}

/// The static oracle: Left, Right, Reduce or Shift in that order of preference,
/// exactly reconstructing a projective gold tree.
pub fn static_move(state: &State, gold: &Gold) -> Move {
    let s0 = state.s0();
    if let Some(b0) = state.buffer_item(0) {
        if s0 != 0 && gold.head(s0) == b0 {
            return Move::Left(gold.labels[s0]);
        }
        if gold.head(b0) == s0 {
            return Move::Right(gold.labels[b0]);
        }
        // Reduce if b0 still has business (head or dependent) deeper in the stack.
        let depth = state.stack.len();
        let below = &state.stack[..depth - 1];
        let pending = below.iter().any(|&k| gold.head(b0) == k as usize || (k != 0 && gold.head(k as usize) == b0));
        if state.has_head(s0) && pending {
            return Move::Reduce;
        }
        return Move::Shift;
    }
    Move::Reduce
}

/// Lifts non-projective arcs until the tree is projective (each lifted word
/// takes its head's head, keeping its label). Returns the number of lifts.
/// Arcs from the root word never need lifting, so no second root appears.
pub fn projectivise(heads: &mut [u32]) -> usize {
    let mut lifts = 0;
    while let Some(word) = shortest_non_projective_arc(heads) {
        heads[word] = heads[heads[word] as usize];
        lifts += 1;
    }
    lifts
}

/// The dependent of the shortest non-projective arc, if any (heads over 0..=n).
pub fn shortest_non_projective_arc(heads: &[u32]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for dep in 1..heads.len() {
        let head = heads[dep] as usize;
        let (lo, hi) = if head < dep { (head, dep) } else { (dep, head) };
        let crossed = (lo + 1..hi).any(|k| !dominates(heads, head, k));
        if crossed && best.is_none_or(|(len, _)| hi - lo < len) {
            best = Some((hi - lo, dep));
        }
    }
    best.map(|(_, dep)| dep)
}

/// Does `ancestor` dominate `node` (reflexively) in the tree `heads`?
fn dominates(heads: &[u32], ancestor: usize, mut node: usize) -> bool {
    for _ in 0..heads.len() {
        if node == ancestor {
            return true;
        }
        if node == 0 || heads[node] == NONE {
            return false;
        }
        node = heads[node] as usize;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: u16 = 0;
    const A: u16 = 1;
    const B: u16 = 2;

    /// heads/labels for words 1..=n (node 0 added here).
    fn gold(heads: &[u32], labels: &[u16]) -> Gold {
        let mut h = vec![NONE];
        h.extend_from_slice(heads);
        let mut l = vec![0];
        l.extend_from_slice(labels);
        Gold { heads: h, labels: l }
    }

    fn all_moves() -> Vec<Move> {
        let mut moves = vec![Move::Shift, Move::Reduce];
        for l in [ROOT, A, B] {
            moves.push(Move::Left(l));
            moves.push(Move::Right(l));
        }
        moves
    }

    /// Runs the static oracle; every step must also cost 0 dynamically.
    fn static_parse(g: &Gold) -> State {
        let mut state = State::new(g.heads.len() - 1, ROOT);
        while !state.is_terminal() {
            let m = static_move(&state, g);
            assert!(state.is_valid(m), "{m:?} invalid");
            assert_eq!(cost(&state, g, m), 0, "static move {m:?} costs");
            state.apply(m);
        }
        state
    }

    #[test]
    fn static_oracle_rebuilds_small_trees() {
        // "she saw him": she <-A saw, root -> saw, saw ->B him
        let g = gold(&[2, 0, 2], &[A, ROOT, B]);
        let s = static_parse(&g);
        assert_eq!(s.heads, g.heads);
        assert_eq!(&s.labels[1..], &g.labels[1..]);
        // Chain to the right and a left-branching one.
        for heads in [vec![0, 1, 2, 3], vec![4, 4, 4, 0], vec![2, 0, 4, 2, 2]] {
            let labels: Vec<u16> = heads.iter().map(|&h| if h == 0 { ROOT } else { A }).collect();
            let g = gold(&heads, &labels);
            assert_eq!(static_parse(&g).heads, g.heads);
        }
    }

    #[test]
    fn dynamic_costs_at_start() {
        // 1 <- 2 (root) -> 3
        let g = gold(&[2, 0, 2], &[A, ROOT, B]);
        let s = State::new(3, ROOT);
        assert_eq!(cost(&s, &g, Move::Shift), 0);
        // Root -> 1 makes 1's head (2) unreachable, and 1 was not the root.
        assert_eq!(cost(&s, &g, Move::Right(ROOT)), 1);
    }

    #[test]
    fn dynamic_costs_mid_sentence() {
        // 1 <- 2 (root) -> 3; after Shift: stack [0 1], buffer [2 3]
        let g = gold(&[2, 0, 2], &[A, ROOT, B]);
        let mut s = State::new(3, ROOT);
        s.apply(Move::Shift);
        assert_eq!(cost(&s, &g, Move::Left(A)), 0);
        assert_eq!(cost(&s, &g, Move::Left(B)), 1, "wrong label");
        // Right 1 -> 2: 2's head (root) is lost, and 1's head (2) too.
        assert_eq!(cost(&s, &g, Move::Right(A)), 2);
        // Shift 2: 2's head (root, on the stack) is lost and so is 1 <- 2.
        assert_eq!(cost(&s, &g, Move::Shift), 2);
        s.apply(Move::Left(A));
        s.apply(Move::Right(ROOT));
        // stack [0 2], buffer [3]: Reduce would lose 2 -> 3.
        assert!(s.is_valid(Move::Reduce));
        assert_eq!(cost(&s, &g, Move::Reduce), 1);
        assert_eq!(cost(&s, &g, Move::Right(B)), 0);
        assert_eq!(cost(&s, &g, Move::Shift), 1);
    }

    #[test]
    fn dynamic_costs_after_a_mistake() {
        // Gold: 1 -> 2, 1 -> 3, root -> 1. Mistake: Shift 1, Shift 2 (loses 1 -> 2).
        let g = gold(&[0, 1, 1], &[ROOT, A, A]);
        let mut s = State::new(3, ROOT);
        s.apply(Move::Shift);
        assert_eq!(cost(&s, &g, Move::Shift), 1);
        s.apply(Move::Shift);
        // stack [0 1 2], buffer [3]. 1 -> 3 is still reachable only if 2 is
        // removed without taking 3: Left(2 <- 3) loses nothing new (2's head 1 is
        // already lost), but 3 must then get head 1... Left costs 0 more.
        assert_eq!(cost(&s, &g, Move::Left(A)), 0);
        assert_eq!(cost(&s, &g, Move::Right(A)), 1, "3 would get head 2, not 1");
        for m in all_moves() {
            if s.is_valid(m) {
                assert!(cost(&s, &g, m) <= 1, "{m:?}");
            }
        }
    }

    #[test]
    fn lifting_makes_trees_projective() {
        // 1 2 3 4: root -> 2, 2 -> 4, 4 -> 1, 2 -> 3 ... arc 4 -> 1 crosses nothing
        // non-dominated? 2 and 3 lie between 1 and 4; 2 is not under 4: lift.
        let mut heads = vec![NONE, 4, 0, 2, 2];
        assert_eq!(shortest_non_projective_arc(&heads), Some(1));
        assert_eq!(projectivise(&mut heads), 1);
        assert_eq!(heads, vec![NONE, 2, 0, 2, 2]);
        assert_eq!(shortest_non_projective_arc(&heads), None);
    }
}
