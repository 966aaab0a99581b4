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
        let mut rows: Vec<Row> = Vec::new();
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

/// One table slot: a 32-bit fingerprint of the feature key (0 = empty; the
/// slot position gives the key's low bits) and where its weights are. The top
/// two bits of `meta` say how they are stored:
/// - `RUN`: `entries[start..start + len]`, len in the low bits of `meta`;
/// - `DENSE`: blocks `dense[start..]`, zero-padded to whole blocks (rows covering many classes,
///   whose sum vectorises);
/// - `INLINE1` / `INLINE2`: one or two packed entries held in `start` and the
///   low 24 bits of `meta`, so a rare feature costs no second cache miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Slot {
    fingerprint: u32,
    start: u32,
    meta: u32,
}

const KIND_MASK: u32 = 3 << 30;
const RUN: u32 = 0;
const DENSE: u32 = 1 << 30;
const INLINE1: u32 = 2 << 30;
const INLINE2: u32 = 3 << 30;

/// The high half of a key, never 0. Two different features share a
/// fingerprint *and* a probe chain with odds of about one in 10^9 per
/// lookup: then a feature borrows another's weights (a hash-kernel collision).
fn fingerprint(key: u64) -> u32 {
    ((key >> 32) as u32).max(1)
}

/// Frozen weights: an open-addressing table (linear probing), built only by
/// `from_parts`, so that a model read back equals the one written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    n_classes: usize,
    /// Slot count - 1 (slot count is a power of two).
    mask: usize,
    slots: Vec<Slot>,
    /// Probe distance of each occupied slot from its home slot.
    distances: Vec<u8>,
    /// Packed entries of `RUN` rows.
    entries: Vec<u32>,
    /// Rows of `DENSE` slots.
    dense: Vec<[i16; LANES]>,
    features: usize,
}

/// Rows with more than this many weights are expanded to dense rows when
/// loading: summing a dense row is a few vector adds, a run costs a
/// scattered add per weight. Runs are never longer, which lets `scores`
/// copy every run as a block of this size (`entries` is padded for that).
const RUN_MAX: usize = 8;

/// Lanes summed together in dense rows (one AVX2 register of i32).
const LANES: usize = 8;

/// How many keys ahead of its probe a home slot is prefetched: enough misses
/// in flight to overlap, few enough that issuing a prefetch does not stall
/// on a full miss queue (prefetching all ~110 at once did; 12-24 measured
/// 5-8% faster than that, 48 less).
const AHEAD: usize = 24;

/// Features looked up together (a parser state has ~110: one chunk).
const CHUNK: usize = 128;

/// Working memory of [`Weights::scores_with`]: kept by the caller across
/// calls, so that a call does not clear 7 kB of arrays (a tagger call sums
/// only ~40 rows of 17 weights).
pub struct Scratch {
    hits: [Slot; CHUNK],
    dense_rows: [u32; CHUNK],
    flat: [u32; CHUNK * RUN_MAX + RUN_MAX],
}

impl Default for Scratch {
    fn default() -> Scratch {
        Scratch { hits: [Slot::default(); CHUNK], dense_rows: [0; CHUNK], flat: [0; CHUNK * RUN_MAX + RUN_MAX] }
    }
}

/// One register's worth of running sums (aligned so that it is one).
#[derive(Clone, Copy, Default)]
#[repr(align(32))]
struct Lanes([i32; LANES]);

impl Lanes {
    #[inline(always)]
    // Indexed over the fixed lanes: this form reliably becomes one widening
    // load and one vector add.
    #[allow(clippy::needless_range_loop)]
    fn add(&mut self, values: &[i16; LANES]) {
        for lane in 0..LANES {
            self.0[lane] += i32::from(values[lane]);
        }
    }
}

/// Dense rows are padded with zeros to a whole number of lane blocks.
fn dense_blocks(n_classes: usize) -> usize {
    n_classes.div_ceil(LANES)
}

/// A class and a weight in 24 bits.
fn pack(class: u8, value: i16) -> u32 {
    (u32::from(class) << 16) | u32::from(value as u16)
}

fn unpack(entry: u32) -> (u8, i16) {
    ((entry >> 16) as u8, entry as u16 as i16)
}

#[inline(always)]
fn add_entry(acc: &mut [i32; 256], entry: u32) {
    let (class, value) = unpack(entry);
    acc[class as usize] += i32::from(value);
}

/// Asks the cache for `items[at]` ahead of its use; a hint only (out of
/// range or on other targets it does nothing).
#[inline(always)]
fn prefetch<T>(items: &[T], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if at < items.len() {
        // SAFETY: a prefetch never faults and reads nothing into the
        // program; the pointer is in bounds anyway. SSE is part of x86_64.
        unsafe { std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(items.as_ptr().add(at).cast()) }
    }
}

/// A frozen row: (fingerprint << 32 | low bits of the key), then its weights.
type Row = (u64, Vec<(u8, i16)>);

/// The table columns as stored in the file, rows in slot order.
struct Parts<'a> {
    slot_count: usize,
    positions: &'a [u32],
    fingerprints: &'a [u32],
    distances: &'a [u8],
    lens: &'a [u16],
    classes: &'a [u8],
    values: &'a [i16],
}

/// Places rows (sorted) by linear probing: (slot, row index, distance), or
/// None if a probe distance passes 255.
fn place(rows: &[Row], slot_count: usize) -> Option<Vec<(u32, usize, u8)>> {
    let mask = slot_count - 1;
    let mut taken = vec![false; slot_count];
    let mut placed = Vec::with_capacity(rows.len());
    for (index, (key, _)) in rows.iter().enumerate() {
        let mut slot = (*key as usize) & mask;
        let mut distance = 0usize;
        while taken[slot] {
            slot = (slot + 1) & mask;
            distance += 1;
        }
        if distance > 255 {
            return None;
        }
        taken[slot] = true;
        placed.push((slot as u32, index, distance as u8));
    }
    placed.sort_unstable();
    Some(placed)
}

impl Weights {
    /// Builds the table from rows sorted by key.
    fn from_rows(n_classes: usize, rows: Vec<Row>) -> Weights {
        let mut slot_count = (rows.len() * 4 / 3 + 1).next_power_of_two().max(16);
        let placed = loop {
            match place(&rows, slot_count) {
                Some(placed) => break placed,
                None => slot_count *= 2,
            }
        };
        let row = |p: &(u32, usize, u8)| &rows[p.1];
        let positions: Vec<u32> = placed.iter().map(|p| p.0).collect();
        let fingerprints: Vec<u32> = placed.iter().map(|p| fingerprint(row(p).0)).collect();
        let distances: Vec<u8> = placed.iter().map(|p| p.2).collect();
        let lens: Vec<u16> = placed.iter().map(|p| row(p).1.len() as u16).collect();
        let classes: Vec<u8> = placed.iter().flat_map(|p| row(p).1.iter().map(|e| e.0)).collect();
        let values: Vec<i16> = placed.iter().flat_map(|p| row(p).1.iter().map(|e| e.1)).collect();
        let parts =
            Parts { slot_count, positions: &positions, fingerprints: &fingerprints, distances: &distances, lens: &lens, classes: &classes, values: &values };
        Weights::from_parts(n_classes, &parts)
    }

    /// Builds the table from the file's columns: sequential writes only.
    /// Rows covering more than a third of the classes are stored dense.
    fn from_parts(n_classes: usize, parts: &Parts) -> Weights {
        let mut slots = vec![Slot::default(); parts.slot_count];
        let mut distances = vec![0u8; parts.slot_count];
        let mut entries = Vec::with_capacity(parts.classes.len() + RUN_MAX);
        let mut dense = Vec::new();
        let mut at = 0usize;
        for (i, &position) in parts.positions.iter().enumerate() {
            let run = at..at + parts.lens[i] as usize;
            at = run.end;
            let fingerprint = parts.fingerprints[i];
            distances[position as usize] = parts.distances[i];
            let entry = |j: usize| pack(parts.classes[j], parts.values[j]);
            slots[position as usize] = match run.len() {
                1 => Slot { fingerprint, start: entry(run.start), meta: INLINE1 },
                2 => Slot { fingerprint, start: entry(run.start), meta: INLINE2 | entry(run.start + 1) },
                n if n > RUN_MAX.min(n_classes / 3) => {
                    let start = dense.len();
                    dense.resize(start + dense_blocks(n_classes), [0; LANES]);
                    for j in run {
                        let class = parts.classes[j] as usize;
                        dense[start + class / LANES][class % LANES] = parts.values[j];
                    }
                    Slot { fingerprint, start: start as u32, meta: DENSE }
                }
                n => {
                    let start = entries.len() as u32;
                    entries.extend(run.map(entry));
                    Slot { fingerprint, start, meta: RUN | n as u32 }
                }
            };
        }
        entries.extend([0; RUN_MAX]);
        Weights { n_classes, mask: parts.slot_count - 1, slots, distances, entries, dense, features: parts.positions.len() }
    }

    /// The main table's lookup: the slot holding `key`'s row, if any.
    #[inline(always)]
    fn find(&self, key: u64) -> Option<&Slot> {
        let wanted = fingerprint(key);
        let mut at = (key as usize) & self.mask;
        loop {
            let slot = &self.slots[at];
            if slot.fingerprint == wanted {
                return Some(slot);
            }
            if slot.fingerprint == 0 {
                return None;
            }
            at = (at + 1) & self.mask;
        }
    }

    /// The (class, weight) pairs of a slot, dense rows without their zeros.
    fn row_of(&self, slot: &Slot) -> Vec<(u8, i16)> {
        let start = slot.start as usize;
        match slot.meta & KIND_MASK {
            DENSE => self.dense[start..start + dense_blocks(self.n_classes)].as_flattened()[..self.n_classes]
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .map(|(c, v)| (c as u8, *v))
                .collect(),
            INLINE1 => vec![unpack(slot.start)],
            INLINE2 => vec![unpack(slot.start), unpack(slot.meta & !KIND_MASK)],
            _ => self.entries[start..start + (slot.meta & !KIND_MASK) as usize].iter().map(|&e| unpack(e)).collect(),
        }
    }

    /// Rows sorted by (fingerprint, home slot): enough to rebuild the table
    /// at this size or any smaller one.
    fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = (0..self.slots.len())
            .filter(|&i| self.slots[i].fingerprint != 0)
            .map(|i| {
                let home = (i.wrapping_sub(self.distances[i] as usize)) & self.mask;
                ((u64::from(self.slots[i].fingerprint) << 32) | home as u64, self.row_of(&self.slots[i]))
            })
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

    /// Number of non-zero weights.
    pub fn entry_count(&self) -> usize {
        self.slots.iter().filter(|s| s.fingerprint != 0).map(|s| self.row_of(s).len()).sum()
    }

    pub fn feature_count(&self) -> usize {
        self.features
    }

    /// Sums the weights of `features` into `scores` (one per class).
    ///
    /// Lookups are cache misses, so they run in passes: probes, each home
    /// slot prefetched `AHEAD` keys early (independent misses the CPU
    /// overlaps), each found row's weights prefetched; then the weights are
    /// summed. Integer sums: the order of the additions does not matter.
    pub fn scores(&self, features: &[u64], scores: &mut [i32]) {
        self.scores_with(features, scores, &mut Scratch::default());
    }

    /// [`Weights::scores`] with working memory reused across calls.
    pub fn scores_with(&self, features: &[u64], scores: &mut [i32], scratch: &mut Scratch) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { self.scores_avx2(features, scores, scratch) };
        }
        self.scores_portable(features, scores, scratch);
    }

    /// [`Weights::scores`] compiled for AVX2: the dense rows' i16 -> i32 sums
    /// become 8-lane `vpmovsxwd` + `vpaddd` instead of SSE2 unpack-and-shift
    /// sequences (the sums, and so the results, are the same).
    ///
    /// # Safety
    /// Only on a CPU with AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn scores_avx2(&self, features: &[u64], scores: &mut [i32], scratch: &mut Scratch) {
        self.scores_portable(features, scores, scratch);
    }

    #[inline(always)]
    fn scores_portable(&self, features: &[u64], scores: &mut [i32], scratch: &mut Scratch) {
        let mut acc = [0i32; 256];
        let Scratch { hits, dense_rows, flat } = scratch;
        for chunk in features.chunks(CHUNK) {
            for &key in &chunk[..chunk.len().min(AHEAD)] {
                prefetch(&self.slots, (key as usize) & self.mask);
            }
            let mut found = 0;
            for (i, &key) in chunk.iter().enumerate() {
                if let Some(&ahead) = chunk.get(i + AHEAD) {
                    prefetch(&self.slots, (ahead as usize) & self.mask);
                }
                if let Some(slot) = self.find(key) {
                    self.prefetch_row(slot);
                    hits[found] = *slot;
                    found += 1;
                }
            }
            // Sparse rows are first gathered into one list of packed entries:
            // a single loop over it, instead of a loop per row whose exit
            // (after 1 to 8 entries) the branch predictor cannot guess.
            let (mut dense, mut gathered) = (0, 0);
            for slot in &hits[..found] {
                let start = slot.start as usize;
                match slot.meta & KIND_MASK {
                    DENSE => {
                        dense_rows[dense] = slot.start;
                        dense += 1;
                    }
                    RUN => {
                        // Copies a whole RUN_MAX; only `len` of them count.
                        flat[gathered..gathered + RUN_MAX].copy_from_slice(&self.entries[start..start + RUN_MAX]);
                        gathered += (slot.meta & !KIND_MASK) as usize;
                    }
                    kind => {
                        flat[gathered] = slot.start;
                        flat[gathered + 1] = slot.meta & !KIND_MASK;
                        gathered += 1 + usize::from(kind == INLINE2);
                    }
                }
            }
            flat[..gathered].iter().for_each(|&e| add_entry(&mut acc, e));
            self.add_dense_rows(&dense_rows[..dense], &mut acc);
        }
        scores.copy_from_slice(&acc[..scores.len()]);
    }

    /// Sums dense rows into `acc`. The shipped models' row widths (17 UPOS,
    /// 49 XPOS tags; 98 and 104 parser moves) get a version whose
    /// running sums are `BLOCKS` register-sized arrays held in registers
    /// over all the rows, so each row costs one widening load and one add
    /// per block, instead of also a load and a store of every score.
    #[inline(always)]
    fn add_dense_rows(&self, starts: &[u32], acc: &mut [i32; 256]) {
        match dense_blocks(self.n_classes) {
            3 => self.add_dense_blocks::<3>(starts, acc),
            7 => self.add_dense_blocks::<7>(starts, acc),
            13 => self.add_dense_blocks::<13>(starts, acc),
            _ => {
                let blocks = dense_blocks(self.n_classes);
                for &start in starts {
                    let row = self.dense[start as usize..start as usize + blocks].as_flattened();
                    for (a, &v) in acc.iter_mut().zip(row) {
                        *a += i32::from(v);
                    }
                }
            }
        }
    }

    #[inline(always)]
    fn add_dense_blocks<const BLOCKS: usize>(&self, starts: &[u32], acc: &mut [i32; 256]) {
        let mut sum = [Lanes::default(); BLOCKS];
        for &start in starts {
            for (block, values) in sum.iter_mut().zip(&self.dense[start as usize..start as usize + BLOCKS]) {
                block.add(values);
            }
        }
        for (a, s) in acc.chunks_exact_mut(LANES).zip(&sum) {
            a.iter_mut().zip(s.0).for_each(|(a, s)| *a += s);
        }
    }

    #[inline(always)]
    fn prefetch_row(&self, slot: &Slot) {
        if slot.meta & KIND_MASK == RUN {
            let (start, len) = (slot.start as usize, (slot.meta & !KIND_MASK) as usize);
            prefetch(&self.entries, start);
            prefetch(&self.entries, start + len - 1);
        }
    }

    pub fn bytes_in_memory(&self) -> usize {
        self.slots.len() * (std::mem::size_of::<Slot>() + 1) + self.entries.len() * 4 + self.dense.len() * LANES * 2
    }

    /// File form: counts, an occupancy bitmap of the slots, then per
    /// occupied slot in slot order: fingerprints, probe distances, row
    /// lengths - 1 (u8), then all classes and weights.
    pub fn write(&self, out: &mut ByteWriter) {
        let occupied: Vec<usize> = (0..self.slots.len()).filter(|&i| self.slots[i].fingerprint != 0).collect();
        let rows: Vec<Vec<(u8, i16)>> = occupied.iter().map(|&i| self.row_of(&self.slots[i])).collect();
        out.u32(self.n_classes as u32);
        out.u32(self.slots.len() as u32);
        out.u32(occupied.len() as u32);
        out.u32(rows.iter().map(Vec::len).sum::<usize>() as u32);
        let mut bitmap = vec![0u8; self.slots.len() / 8];
        occupied.iter().for_each(|&i| bitmap[i / 8] |= 1 << (i % 8));
        out.bytes(&bitmap);
        occupied.iter().for_each(|&i| out.u32(self.slots[i].fingerprint));
        out.bytes(&occupied.iter().map(|&i| self.distances[i]).collect::<Vec<_>>());
        out.bytes(&rows.iter().map(|r| (r.len() - 1) as u8).collect::<Vec<_>>());
        rows.iter().flatten().for_each(|(c, _)| out.bytes(&[*c]));
        rows.iter().flatten().for_each(|(_, v)| out.i16s(&[*v]));
    }

    pub fn read(input: &mut ByteReader, what: &'static str) -> Result<Weights, ModelError> {
        let corrupt = |why: &str| ModelError::Corrupt(format!("{what}: {why}"));
        let n_classes = input.u32(what)? as usize;
        let slot_count = input.u32(what)? as usize;
        let features = input.u32(what)? as usize;
        let entries = input.u32(what)? as usize;
        if n_classes == 0 || n_classes > 256 {
            return Err(corrupt(&format!("{n_classes} classes (1..=256 supported)")));
        }
        if !slot_count.is_power_of_two() || slot_count < 16 || features >= slot_count {
            return Err(corrupt("bad table size"));
        }
        let bitmap = input.bytes(slot_count / 8, what)?;
        let positions = occupied_positions(bitmap);
        if positions.len() != features {
            return Err(corrupt("occupancy bitmap does not match the feature count"));
        }
        let fingerprints = input.u32s(features, what)?;
        let distances = input.bytes(features, what)?;
        let lens: Vec<u16> = input.bytes(features, what)?.iter().map(|&l| u16::from(l) + 1).collect();
        let classes = input.bytes(entries, what)?;
        let values = input.i16s(entries, what)?;
        if fingerprints.contains(&0) {
            return Err(corrupt("empty fingerprint in an occupied slot"));
        }
        if !probe_chains_hold(slot_count, &positions, distances) {
            return Err(corrupt("a feature is not reachable from its home slot"));
        }
        if lens.iter().map(|&l| l as usize).sum::<usize>() != entries || lens.iter().any(|&l| l as usize > n_classes) {
            return Err(corrupt(&format!("row lengths do not add up to {entries} entries")));
        }
        if classes.iter().any(|c| *c as usize >= n_classes) {
            return Err(corrupt("class index out of range"));
        }
        let parts = Parts { slot_count, positions: &positions, fingerprints: &fingerprints, distances, lens: &lens, classes, values: &values };
        Ok(Weights::from_parts(n_classes, &parts))
    }
}

/// Positions of the set bits of an occupancy bitmap, in order.
fn occupied_positions(bitmap: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    for (word_index, chunk) in bitmap.chunks(8).enumerate() {
        let mut word = chunk.iter().rev().fold(0u64, |w, &b| (w << 8) | u64::from(b));
        while word != 0 {
            out.push((word_index * 64) as u32 + word.trailing_zeros());
            word &= word - 1;
        }
    }
    out
}

/// Every slot from a feature's home slot to its position must be occupied,
/// or linear probing would stop before reaching it: each distance must be
/// shorter than the run of occupied slots that ends at the feature (runs
/// wrap around the end of the table).
fn probe_chains_hold(slot_count: usize, positions: &[u32], distances: &[u8]) -> bool {
    let Some(&last) = positions.last() else { return true };
    // Length of the run that ends at the last slot, if it wraps.
    let mut wrapped = 0usize;
    if last as usize == slot_count - 1 {
        wrapped = 1;
        for pair in positions.windows(2).rev() {
            if pair[0] + 1 != pair[1] {
                break;
            }
            wrapped += 1;
        }
    }
    let mut run = 0usize;
    let mut previous: Option<u32> = None;
    for (&position, &distance) in positions.iter().zip(distances) {
        run = match previous {
            Some(p) if p + 1 == position => run + 1,
            _ if position == 0 => wrapped + 1,
            _ => 1,
        };
        if distance as usize >= run {
            return false;
        }
        previous = Some(position);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_chains_and_bitmaps() {
        assert_eq!(occupied_positions(&[0b0000_0101, 0, 0, 0, 0, 0, 0, 0, 0b1000_0000]), vec![0, 2, 71]);
        // 16 slots; occupied 14, 15, 0, 1 (a run that wraps) and 5.
        let positions = [0, 1, 5, 14, 15];
        assert!(probe_chains_hold(16, &positions, &[2, 3, 0, 0, 1]));
        assert!(!probe_chains_hold(16, &positions, &[3, 0, 0, 0, 0]), "slot 13 is empty");
        assert!(!probe_chains_hold(16, &positions, &[0, 0, 1, 0, 0]), "slot 4 is empty");
    }

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
