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

/// Frozen weights: an open-addressing table from feature key to a run of
/// (class, weight) entries, laid out exactly as stored in the model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    n_classes: usize,
    /// Slot count - 1 (slot count is a power of two); key 0 marks an empty slot.
    mask: usize,
    keys: Vec<u64>,
    /// Entries of slot `i` are `offsets[i]..offsets[i + 1]`.
    offsets: Vec<u32>,
    classes: Vec<u8>,
    values: Vec<i16>,
}

impl Weights {
    fn from_rows(n_classes: usize, rows: Vec<(u64, Vec<(u8, i16)>)>) -> Weights {
        let slots = (rows.len() * 4 / 3 + 1).next_power_of_two().max(16);
        let mask = slots - 1;
        let mut slot_rows: Vec<Option<usize>> = vec![None; slots];
        let mut keys = vec![0u64; slots];
        for (index, (key, _)) in rows.iter().enumerate() {
            let mut slot = (*key as usize) & mask;
            while keys[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            keys[slot] = *key;
            slot_rows[slot] = Some(index);
        }
        let mut offsets = Vec::with_capacity(slots + 1);
        let mut classes = Vec::new();
        let mut values = Vec::new();
        for row in &slot_rows {
            offsets.push(classes.len() as u32);
            if let Some(index) = row {
                for &(class, value) in &rows[*index].1 {
                    classes.push(class);
                    values.push(value);
                }
            }
        }
        offsets.push(classes.len() as u32);
        Weights { n_classes, mask, keys, offsets, classes, values }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn entry_count(&self) -> usize {
        self.values.len()
    }

    pub fn feature_count(&self) -> usize {
        self.keys.iter().filter(|k| **k != 0).count()
    }

    fn find(&self, key: u64) -> Option<usize> {
        let mut slot = (key as usize) & self.mask;
        loop {
            let found = self.keys[slot];
            if found == key {
                return Some(slot);
            }
            if found == 0 {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Sums the weights of `features` into `scores` (one per class).
    pub fn scores(&self, features: &[u64], scores: &mut [i32]) {
        scores.iter_mut().for_each(|s| *s = 0);
        for &key in features {
            if let Some(slot) = self.find(key) {
                let (start, end) = (self.offsets[slot] as usize, self.offsets[slot + 1] as usize);
                for (class, value) in self.classes[start..end].iter().zip(&self.values[start..end]) {
                    scores[*class as usize] += i32::from(*value);
                }
            }
        }
    }

    pub fn bytes_in_memory(&self) -> usize {
        self.keys.len() * 8 + self.offsets.len() * 4 + self.classes.len() + self.values.len() * 2
    }

    pub fn write(&self, out: &mut ByteWriter) {
        out.u32(self.n_classes as u32);
        out.u32(self.keys.len() as u32);
        out.u32(self.values.len() as u32);
        out.u64s(&self.keys);
        out.u32s(&self.offsets);
        out.bytes(&self.classes);
        out.i16s(&self.values);
    }

    pub fn read(input: &mut ByteReader, what: &'static str) -> Result<Weights, ModelError> {
        let n_classes = input.u32(what)? as usize;
        let slots = input.u32(what)? as usize;
        let entries = input.u32(what)? as usize;
        if !slots.is_power_of_two() || n_classes == 0 || n_classes > 256 {
            return Err(ModelError::Corrupt(format!("{what}: bad table shape ({slots} slots, {n_classes} classes)")));
        }
        let keys = input.u64s(slots, what)?;
        let offsets = input.u32s(slots + 1, what)?;
        let classes = input.bytes(entries, what)?.to_vec();
        let values = input.i16s(entries, what)?;
        let monotonic = offsets.windows(2).all(|w| w[0] <= w[1]);
        if offsets[0] != 0 || offsets[slots] as usize != entries || !monotonic {
            return Err(ModelError::Corrupt(format!("{what}: entry offsets out of order")));
        }
        if classes.iter().any(|c| *c as usize >= n_classes) || keys.iter().all(|k| *k != 0) {
            return Err(ModelError::Corrupt(format!("{what}: class index out of range or table full")));
        }
        Ok(Weights { n_classes, mask: slots - 1, keys, offsets, classes, values })
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
    }
}
