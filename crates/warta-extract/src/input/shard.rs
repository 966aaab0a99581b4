//! Sharding without coordination: `--shard i/n` keeps the articles whose
//! document id falls in shard `i` of `n`, so `n` machines can split one
//! corpus without talking to each other. The id is the SHA-256 of the
//! normalised text, so an article lands in the same shard on every machine
//! and in every run, and entity and event IRIs are minted the same way
//! everywhere: the union of the shards' stores is the store of one run.

use std::fmt;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Parses `i/n` with 1 <= i <= n.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard {s:?}: expected i/n with 1 <= i <= n, such as 2/3");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse::<u64>().map_err(|_| bad())?,
            n.trim().parse::<u64>().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the article with this document id (lowercase hex SHA-256)
    /// belongs to the shard: the id's first 64 bits modulo `n`.
    pub fn holds(&self, doc_id: &str) -> bool {
        let head = doc_id.get(..16).unwrap_or(doc_id);
        let value = u64::from_str_radix(head, 16).unwrap_or(0);
        value % self.count == self.index - 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_falls_in_exactly_one_shard() {
        let shards: Vec<Shard> = (1..=3)
            .map(|i| Shard::parse(&format!("{i}/3")).expect("valid"))
            .collect();
        let mut sizes = [0; 3];
        for k in 0..300u32 {
            let id = format!(
                "{:016x}{}",
                u64::from(k).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                "0".repeat(48)
            );
            let held: Vec<usize> = (0..3).filter(|&s| shards[s].holds(&id)).collect();
            assert_eq!(held.len(), 1, "{id}");
            sizes[held[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 60), "{sizes:?}");
        assert!(Shard::parse("1/1").expect("one shard").holds("ab"));
    }

    #[test]
    fn bad_shards_are_refused() {
        for s in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3"] {
            assert!(Shard::parse(s).is_err(), "{s}");
        }
        assert_eq!(
            Shard::parse(" 2 / 3 ").map(|s| s.to_string()),
            Ok("2/3".into())
        );
    }
}
