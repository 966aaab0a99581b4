//! Averaged perceptron weights: a sparse training table with exact integer
//! averaging, and the frozen, quantised table used at run time.
//!
//! Feature keys are 64-bit hashes (see [`crate::features`]); a feature keeps
//! weights only for the classes it was ever updated on, so rows stay short
//! (a parser feature typically touches a handful of its ~100 classes).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::{ByteReader, ByteWriter, ModelError};

/// Keys are already well-mixed hashes: hashing them again is wasted time.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

#[derive(Debug, Clone, Copy)]
struct Entry {
    class: u16,
    weight: i32,
    /// Sum of `weight` over all ticks up to `stamp` (lazy averaging).
    total: i64,
    stamp: u64,
}

/// Weights being trained. Updates are +1/-1, so all sums are exact integers
/// and training is bit-for-bit reproducible.
pub struct Trainer {
    n_classes: usize,
    table: KeyMap<Vec<Entry>>,
    clock: u64,
}

impl Trainer {
    pub fn new(n_classes: usize) -> Self {
        Trainer { n_classes, table: KeyMap::default(), clock: 0 }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Adds the current (not averaged) weights of `features` into `scores`.
    pub fn scores(&self, features: &[u64], scores: &mut [i64]) {
        scores.iter_mut().for_each(|s| *s = 0);
        for key in features {
            if let Some(row) = self.table.get(key) {
                for entry in row {
                    scores[entry.class as usize] += i64::from(entry.weight);
                }
            }
        }
    }

    /// One training instance has been seen (averaging counts instances).
    pub fn tick(&mut self) {
        self.clock += 1;
    }

    /// Perceptron update: reward `good`, penalise `bad`.
    pub fn update(&mut self, features: &[u64], good: usize, bad: usize) {
        if good == bad {
            return;
        }
        let clock = self.clock;
        for &key in features {
            let row = self.table.entry(key).or_default();
            for (class, delta) in [(good, 1i32), (bad, -1i32)] {
                let class = class as u16;
                let index = match row.iter().position(|e| e.class == class) {
                    Some(i) => i,
                    None => {
                        row.push(Entry { class, weight: 0, total: 0, stamp: clock });
                        row.len() - 1
                    }
                };
                let entry = &mut row[index];
                entry.total += i64::from(entry.weight) * (clock - entry.stamp) as i64;
                entry.stamp = clock;
                entry.weight += delta;
            }
        }
    }

    pub fn feature_count(&self) -> usize {
        self.table.len()
    }

    /// Averaged weights, quantised to i16 and pruned of entries that round to
    /// less than `min_level` quantisation steps.
    pub fn freeze(&self, min_level: i32) -> Weights {
        let clock = self.clock.max(1);
        let mut keys: Vec<u64> = self.table.keys().copied().collect();
        keys.sort_unstable();
        let average = |e: &Entry| (e.total + i64::from(e.weight) * (clock - e.stamp) as i64) as f64 / clock as f64;
        let mut magnitudes: Vec<f64> = self.table.values().flatten().map(|e| average(e).abs()).filter(|m| *m > 0.0).collect();
        let scale = quantisation_scale(&mut magnitudes);
        let mut rows: Vec<(u64, Vec<(u8, i16)>)> = Vec::new();
        for key in keys {
            let mut row: Vec<(u8, i16)> = Vec::new();
            for entry in &self.table[&key] {
                let level = (average(entry) * scale).round().clamp(-32767.0, 32767.0) as i32;
                if level.abs() >= min_level.max(1) {
                    row.push((entry.class as u8, level as i16));
                }
            }
            if !row.is_empty() {
                row.sort_unstable();
                rows.push((key, row));
            }
        }
        Weights::from_rows(self.n_classes, rows)
    }
}

/// Maps the 99.9th percentile of |weight| to 8192 levels, leaving headroom
/// (clipped at 32767) for the few larger weights.
fn quantisation_scale(magnitudes: &mut [f64]) -> f64 {
    if magnitudes.is_empty() {
        return 1.0;
    }
    magnitudes.sort_unstable_by(|a, b| a.total_cmp(b));
    let index = ((magnitudes.len() - 1) as f64 * 0.999) as usize;
    8192.0 / magnitudes[index].max(1e-9)
}

/// One table slot: a feature key (0 = empty) and its run of entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Slot {
    key: u64,
    start: u32,
    len: u32,
}

/// Frozen weights: an open-addressing table from feature key to a run of
/// entries, each a class (high 16 bits) and an i16 weight (low 16 bits)
/// packed in a u32, so that a lookup costs about two cache misses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    n_classes: usize,
    /// Slot count - 1 (slot count is a power of two).
    mask: usize,
    slots: Vec<Slot>,
    entries: Vec<u32>,
    features: usize,
}

fn pack(class: u8, value: i16) -> u32 {
    (u32::from(class) << 16) | u32::from(value as u16)
}

fn unpack(entry: u32) -> (u8, i16) {
    ((entry >> 16) as u8, entry as u16 as i16)
}

impl Weights {
    /// Builds the table from rows sorted by key (the only constructor, so a
    /// model read back is identical to the one written).
    fn from_rows(n_classes: usize, rows: Vec<(u64, Vec<(u8, i16)>)>) -> Weights {
        let slot_count = (rows.len() * 4 / 3 + 1).next_power_of_two().max(16);
        let mask = slot_count - 1;
        let mut slots = vec![Slot::default(); slot_count];
        let mut entries = Vec::with_capacity(rows.iter().map(|r| r.1.len()).sum());
        for (key, row) in &rows {
            let mut slot = (*key as usize) & mask;
            while slots[slot].key != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = Slot { key: *key, start: entries.len() as u32, len: row.len() as u32 };
            entries.extend(row.iter().map(|&(c, v)| pack(c, v)));
        }
        Weights { n_classes, mask, slots, entries, features: rows.len() }
    }

    /// Rows sorted by key.
    fn rows(&self) -> Vec<(u64, Vec<(u8, i16)>)> {
        let mut rows: Vec<(u64, Vec<(u8, i16)>)> = self
            .slots
            .iter()
            .filter(|s| s.key != 0)
            .map(|s| (s.key, self.entries[s.start as usize..(s.start + s.len) as usize].iter().map(|&e| unpack(e)).collect()))
            .collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows
    }

    /// A copy without the weights smaller than `min_level` steps.
    pub fn pruned(&self, min_level: i32) -> Weights {
        let rows = self
            .rows()
            .into_iter()
            .map(|(k, row)| (k, row.into_iter().filter(|(_, v)| i32::from(*v).abs() >= min_level).collect::<Vec<_>>()))
            .filter(|(_, row)| !row.is_empty())
            .collect();
        Weights::from_rows(self.n_classes, rows)
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    pub fn feature_count(&self) -> usize {
        self.features
    }

    /// Sums the weights of `features` into `scores` (one per class).
    pub fn scores(&self, features: &[u64], scores: &mut [i32]) {
        scores.iter_mut().for_each(|s| *s = 0);
        for &key in features {
            let mut slot = (key as usize) & self.mask;
            loop {
                let found = self.slots[slot];
                if found.key == key {
                    for &entry in &self.entries[found.start as usize..(found.start + found.len) as usize] {
                        let (class, value) = unpack(entry);
                        scores[class as usize] += i32::from(value);
                    }
                    break;
                }
                if found.key == 0 {
                    break;
                }
                slot = (slot + 1) & self.mask;
            }
        }
    }

    pub fn bytes_in_memory(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>() + self.entries.len() * 4
    }

    /// File form: counts, then keys (sorted), row lengths, classes, values.
    pub fn write(&self, out: &mut ByteWriter) {
        let rows = self.rows();
        out.u32(self.n_classes as u32);
        out.u32(rows.len() as u32);
        out.u32(self.entries.len() as u32);
        for (key, _) in &rows {
            out.u64(*key);
        }
        for (_, row) in &rows {
            out.u16(row.len() as u16);
        }
        for (_, row) in &rows {
            row.iter().for_each(|(c, _)| out.bytes(&[*c]));
        }
        for (_, row) in &rows {
            out.i16s(&row.iter().map(|(_, v)| *v).collect::<Vec<_>>());
        }
    }

    pub fn read(input: &mut ByteReader, what: &'static str) -> Result<Weights, ModelError> {
        let n_classes = input.u32(what)? as usize;
        let features = input.u32(what)? as usize;
        let entries = input.u32(what)? as usize;
        if n_classes == 0 || n_classes > 256 {
            return Err(ModelError::Corrupt(format!("{what}: {n_classes} classes (1..=256 supported)")));
        }
        let keys = input.u64s(features, what)?;
        let lens = input.u16s(features, what)?;
        let classes = input.bytes(entries, what)?;
        let values = input.i16s(entries, what)?;
        if keys.first() == Some(&0) || keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err(ModelError::Corrupt(format!("{what}: feature keys not strictly increasing")));
        }
        if lens.iter().map(|&l| l as usize).sum::<usize>() != entries || lens.contains(&0) {
            return Err(ModelError::Corrupt(format!("{what}: row lengths do not add up to {entries} entries")));
        }
        if classes.iter().any(|c| *c as usize >= n_classes) {
            return Err(ModelError::Corrupt(format!("{what}: class index out of range")));
        }
        let mut at = 0;
        let mut rows = Vec::with_capacity(features);
        for (key, len) in keys.into_iter().zip(lens) {
            let end = at + len as usize;
            rows.push((key, classes[at..end].iter().copied().zip(values[at..end].iter().copied()).collect()));
            at = end;
        }
        Ok(Weights::from_rows(n_classes, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averaging_is_exact() {
        let mut t = Trainer::new(3);
        // Feature 7 votes for class 1 over class 0 after the first of 4 ticks.
        t.tick();
        t.update(&[7], 1, 0);
        for _ in 0..3 {
            t.tick();
        }
        let mut scores = [0i64; 3];
        t.scores(&[7], &mut scores);
        assert_eq!(scores, [-1, 1, 0]);
        // Averaged weight is 3/4 (the update was live for 3 of 4 ticks).
        let w = t.freeze(1);
        let mut s = [0i32; 3];
        w.scores(&[7, 99], &mut s);
        assert!(s[1] > 0 && s[0] == -s[1] && s[2] == 0);
    }

    #[test]
    fn frozen_table_serialises() {
        let mut t = Trainer::new(4);
        for k in 1..200u64 {
            t.tick();
            t.update(&[k.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1], (k % 4) as usize, ((k + 1) % 4) as usize);
        }
        let w = t.freeze(1);
        let mut out = ByteWriter::default();
        w.write(&mut out);
        let bytes = out.into_bytes();
        let mut input = ByteReader::new(&bytes);
        let back = Weights::read(&mut input, "test").expect("reads back");
        assert_eq!(back, w);
        // The last update was live for no tick: its average is 0 and it is pruned.
        assert_eq!(back.feature_count(), 198);
        let pruned = back.pruned(i32::from(i16::MAX));
        assert!(pruned.feature_count() < back.feature_count());
        let mut s = [0i32; 4];
        pruned.scores(&[12345], &mut s);
        assert_eq!(s, [0; 4]);
    }
}
