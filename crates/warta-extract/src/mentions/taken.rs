//! Which tokens of a sentence the recognizers have already taken.

use crate::text::Token;

/// Every mention spans whole tokens, so "does this span overlap a mention"
/// is a lookup by token rather than a scan of the mentions.
pub(super) struct Taken(Vec<u8>);

impl Taken {
    /// A token of a mention.
    pub(super) const MENTION: u8 = 1;
    /// A token of a titled phrase ("Presiden Rusia Vladimir Putin").
    pub(super) const PHRASE: u8 = 2;

    pub(super) fn new(tokens: &[Token]) -> Taken {
        Taken(vec![0; tokens.len()])
    }

    /// The tokens that overlap the byte span `start..end`.
    pub(super) fn tokens(tokens: &[Token], start: usize, end: usize) -> std::ops::Range<usize> {
        let first = tokens.partition_point(|t| t.end <= start);
        let after = tokens.partition_point(|t| t.start < end);
        first..after.max(first)
    }

    /// Does a mention take any token of `start..end`?
    pub(super) fn any(&self, tokens: &[Token], start: usize, end: usize) -> bool {
        self.0
            .get(Taken::tokens(tokens, start, end))
            .is_some_and(|r| r.iter().any(|&t| t & Taken::MENTION != 0))
    }

    pub(super) fn mark(&mut self, tokens: &[Token], start: usize, end: usize, what: u8) {
        if let Some(r) = self.0.get_mut(Taken::tokens(tokens, start, end)) {
            r.iter_mut().for_each(|t| *t |= what);
        }
    }

    /// Is token `i` taken by a mention or a titled phrase?
    pub(super) fn at(&self, i: usize) -> bool {
        self.0.get(i).is_some_and(|&t| t != 0)
    }

    pub(super) fn mention_at(&self, i: usize) -> bool {
        self.0.get(i).is_some_and(|&t| t & Taken::MENTION != 0)
    }
}
