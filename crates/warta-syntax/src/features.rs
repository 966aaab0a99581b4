//! Feature extraction for the tagger and the parser.
//!
//! A feature is a template number plus one to three atoms (a word hash, a tag,
//! a label, a distance ...), hashed to a 64-bit key. No vocabulary is kept:
//! the hash of a word form *is* its identity, so unknown words need no special
//! case and the model stores no strings besides the label names.

use crate::labels::Upos;
use crate::parser::transition::{State, NONE};

/// 64-bit finaliser of SplitMix64: a cheap, well-mixing bijection.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a over the bytes, then mixed. Stable across platforms and versions.
pub fn hash_str(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

/// Feature keys are never 0 (0 marks an empty slot in the weight table).
fn nonzero(key: u64) -> u64 {
    key.max(1)
}

pub fn key1(template: u64, a: u64) -> u64 {
    nonzero(mix(mix(template.wrapping_mul(0x9e37_79b9_7f4a_7c15)) ^ a))
}

pub fn key2(template: u64, a: u64, b: u64) -> u64 {
    nonzero(mix(key1(template, a) ^ b.wrapping_mul(0xff51_afd7_ed55_8ccd)))
}

pub fn key3(template: u64, a: u64, b: u64, c: u64) -> u64 {
    nonzero(mix(key2(template, a, b) ^ c.wrapping_mul(0xc4ce_b9fe_1a85_ec53)))
}

/// Lower-case with every digit turned into `0`, so "1999" and "2024" share
/// their statistics while the shape feature keeps the exact pattern.
pub fn normalise(form: &str) -> String {
    form.chars().flat_map(char::to_lowercase).map(|c| if c.is_ascii_digit() { '0' } else { c }).collect()
}

/// A compressed character-class pattern: "Jakarta" -> "Xx", "AS-China" -> "X-Xx",
/// "2,5" -> "d,d".
fn shape(form: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for c in form.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if class != last {
            out.push(class);
            last = class;
        }
        if out.len() >= 8 {
            break;
        }
    }
    out
}

/// Word-level atoms computed once per word and shared by both models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordAtoms {
    pub norm: u64,
    pub form: u64,
    /// Hashes of the 1-, 2- and 3-character prefixes of the normalised form.
    pub prefix: [u64; 3],
    /// Hashes of the 1- to 4-character suffixes of the normalised form.
    pub suffix: [u64; 4],
    pub shape: u64,
}

impl WordAtoms {
    pub fn new(form: &str) -> WordAtoms {
        let norm = normalise(form);
        let chars: Vec<(usize, char)> = norm.char_indices().collect();
        let prefix_of = |n: usize| match chars.get(n) {
            Some(&(end, _)) => hash_str(&norm[..end]),
            None => hash_str(&norm) ^ 0x5555, // whole word, marked as short
        };
        let suffix_of = |n: usize| match chars.len().checked_sub(n) {
            Some(start) if start > 0 => hash_str(&norm[chars[start].0..]),
            _ => hash_str(&norm) ^ 0xaaaa,
        };
        WordAtoms {
            norm: hash_str(&norm),
            form: hash_str(form),
            prefix: [prefix_of(1), prefix_of(2), prefix_of(3)],
            suffix: [suffix_of(1), suffix_of(2), suffix_of(3), suffix_of(4)],
            shape: hash_str(&shape(form)),
        }
    }
}

/// Atoms for positions outside the sentence.
const PAD_LEFT: u64 = 0x1111_2222;
const PAD_RIGHT: u64 = 0x3333_4444;
/// Tag atom for "no tag yet" (before the sentence start).
const TAG_START: u64 = 1000;

/// Tagger features of word `i`, given the two tags predicted before it,
/// each word's ambiguity class (bit set of tags seen with it in training)
/// and, for a stacked tagger, the tags a first tagger gave the whole
/// sentence (`guide`, empty when there is none): they show the right context.
pub fn tagger_features(words: &[WordAtoms], ambiguity: &[u64], guide: &[u8], i: usize, prev1: Option<u8>, prev2: Option<u8>, out: &mut Vec<u64>) {
    out.clear();
    let w = &words[i];
    let at = |offset: isize| -> Option<&WordAtoms> { words.get(i.checked_add_signed(offset)?) };
    let norm_at = |offset: isize| at(offset).map_or(if offset < 0 { PAD_LEFT } else { PAD_RIGHT }, |a| a.norm);
    let amb_at = |offset: isize| -> u64 { i.checked_add_signed(offset).and_then(|j| ambiguity.get(j)).map_or(1 << 63, |&m| m) };
    let t1 = prev1.map_or(TAG_START, u64::from);
    let t2 = prev2.map_or(TAG_START, u64::from);
    let first = u64::from(i == 0);
    out.extend_from_slice(&[
        key1(0, 0),
        key1(1, w.norm),
        key1(2, w.form),
        key1(3, w.suffix[0]),
        key1(4, w.suffix[1]),
        key1(5, w.suffix[2]),
        key1(6, w.suffix[3]),
        key1(7, w.prefix[0]),
        key1(8, w.prefix[1]),
        key1(9, w.prefix[2]),
        key1(10, w.shape),
        key1(11, norm_at(-1)),
        key1(12, norm_at(-2)),
        key1(13, norm_at(1)),
        key1(14, norm_at(2)),
        key1(15, at(-1).map_or(PAD_LEFT, |a| a.suffix[2])),
        key1(16, at(1).map_or(PAD_RIGHT, |a| a.suffix[2])),
        key1(17, t1),
        key2(18, t2, t1),
        key2(19, t1, w.norm),
        key2(20, norm_at(-1), w.norm),
        key2(21, w.norm, norm_at(1)),
        key1(22, amb_at(0)),
        key1(23, amb_at(1)),
        key1(24, amb_at(2)),
        key2(25, amb_at(0), amb_at(1)),
        key2(26, t1, amb_at(1)),
        key2(27, at(1).map_or(PAD_RIGHT, |a| a.shape), w.shape),
        key2(28, first, w.shape),
        key2(29, t1, w.suffix[2]),
        key3(30, t1, amb_at(0), amb_at(1)),
        key2(31, amb_at(-1), amb_at(0)),
        key2(32, w.norm, at(1).map_or(PAD_RIGHT, |a| a.suffix[2])),
    ]);
    if !guide.is_empty() {
        let g = |offset: isize| i.checked_add_signed(offset).and_then(|j| guide.get(j)).map_or(TAG_START, |&t| u64::from(t));
        out.extend_from_slice(&[
            key1(40, g(0)),
            key1(41, g(1)),
            key1(42, g(2)),
            key2(43, g(0), g(1)),
            key2(44, g(-1), g(0)),
            key2(45, w.norm, g(0)),
            key2(46, w.norm, g(1)),
            key2(47, t1, g(1)),
            key3(48, g(0), g(1), g(2)),
            key3(49, t1, g(0), g(1)),
        ]);
    }
}

/// Per-word atoms the parser reads: normalised form, predicted tag and the
/// affixes that carry Indonesian morphology (di-, me-, ber-, -kan, -nya ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseAtoms {
    pub word: u64,
    pub tag: u64,
    /// Fine-grained tag (XPOS where the model has an XPOS tagger, else UPOS).
    pub fine: u64,
    pub prefix: u64,
    pub suffix: u64,
}

/// Parser atoms for node 0 (the root) and for a missing node.
const ROOT_ATOMS: ParseAtoms = ParseAtoms { word: 0x0100, tag: 17, fine: 1017, prefix: 0x0101, suffix: 0x0102 };
const NONE_ATOMS: ParseAtoms = ParseAtoms { word: 0x0200, tag: 18, fine: 1018, prefix: 0x0201, suffix: 0x0202 };
const NO_LABEL: u64 = 0xffff;

/// The parser's view of a sentence: atoms for nodes 0..=n (0 = root).
pub struct ParseInput {
    pub nodes: Vec<ParseAtoms>,
    /// `seen[i]`: how many of nodes 1..=i are punctuation, verbs, auxiliaries,
    /// conjunctions, adpositions (for "what lies between s0 and b0").
    seen: Vec<[u16; 5]>,
    /// Treebank style atom, for models trained on several conventions.
    style: Option<u64>,
}

/// Which of the `seen` classes a tag counts in.
fn between_class(tag: Upos) -> Option<usize> {
    match tag {
        Upos::Punct => Some(0),
        Upos::Verb => Some(1),
        Upos::Aux => Some(2),
        Upos::Cconj => Some(3),
        Upos::Adp | Upos::Sconj => Some(4),
        _ => None,
    }
}

impl ParseInput {
    /// `fine` holds fine tag indices, or is empty when the model has none.
    pub fn new(words: &[WordAtoms], tags: &[Upos], fine: &[u8], style: Option<u8>) -> ParseInput {
        let mut nodes = Vec::with_capacity(words.len() + 1);
        nodes.push(ROOT_ATOMS);
        for (i, (w, t)) in words.iter().zip(tags).enumerate() {
            let fine = fine.get(i).map_or(*t as u64, |&f| 2000 + u64::from(f));
            nodes.push(ParseAtoms { word: w.norm, tag: *t as u64, fine, prefix: w.prefix[1], suffix: w.suffix[2] });
        }
        let mut seen = Vec::with_capacity(nodes.len());
        seen.push([0u16; 5]);
        for t in tags {
            let mut counts = seen[seen.len() - 1];
            if let Some(c) = between_class(*t) {
                counts[c] = counts[c].saturating_add(1);
            }
            seen.push(counts);
        }
        ParseInput { nodes, seen, style: style.map(u64::from) }
    }

    /// Bit set of the classes present strictly between nodes `left < right`,
    /// with a second bit for two or more punctuation marks.
    fn between(&self, left: usize, right: usize) -> u64 {
        if right <= left + 1 {
            return 0;
        }
        let (a, b) = (self.seen[left], self.seen[right - 1]);
        let mut bits = 0u64;
        for c in 0..5 {
            if b[c] > a[c] {
                bits |= 1 << c;
            }
        }
        if b[0] >= a[0] + 2 {
            bits |= 1 << 5;
        }
        bits
    }
}

fn distance_bin(d: usize) -> u64 {
    match d {
        0..=4 => d as u64,
        5..=7 => 5,
        8..=11 => 6,
        _ => 7,
    }
}

fn node(raw: u32) -> Option<usize> {
    (raw != NONE).then_some(raw as usize)
}

/// Zhang & Nivre (2011) arc-eager feature set, plus second stack word, affix
/// and root-availability features, then those of
/// [`guide_between_and_style_features`]. Writes ~105 keys into `out`.
pub fn parser_features(state: &State, input: &ParseInput, out: &mut Vec<u64>) {
    out.clear();
    let atoms = |n: Option<usize>| n.map_or(NONE_ATOMS, |i| input.nodes[i]);
    let label = |n: Option<usize>| n.filter(|&i| state.has_head(i)).map_or(NO_LABEL, |i| u64::from(state.labels[i]));
    let s0i = state.s0();
    let n0i = state.buffer_item(0);
    let s0h_i = node(state.heads[s0i]);
    let (s0l_i, s0l2_i) = (node(state.left1[s0i]), node(state.left2[s0i]));
    let (s0r_i, s0r2_i) = (node(state.right1[s0i]), node(state.right2[s0i]));
    let (n0l_i, n0l2_i) = match n0i {
        Some(n) => (node(state.left1[n]), node(state.left2[n])),
        None => (None, None),
    };
    let s0 = atoms(Some(s0i));
    let n0 = atoms(n0i);
    let n1 = atoms(state.buffer_item(1));
    let n2 = atoms(state.buffer_item(2));
    let s1 = atoms(state.stack_item(1));
    let s0h = atoms(s0h_i);
    let s0h2 = atoms(s0h_i.and_then(|h| node(state.heads[h])));
    let (s0l, s0l2, s0r, s0r2) = (atoms(s0l_i), atoms(s0l2_i), atoms(s0r_i), atoms(s0r2_i));
    let (n0l, n0l2) = (atoms(n0l_i), atoms(n0l2_i));
    let wp = |a: ParseAtoms| a.word ^ (a.tag << 56);
    let dist = n0i.map_or(0, |n| distance_bin(n - s0i));
    let s0_vl = u64::from(state.left_count[s0i].min(7));
    let s0_vr = u64::from(state.right_count[s0i].min(7));
    let n0_vl = n0i.map_or(0, |n| u64::from(state.left_count[n].min(7)));
    let s0_sl = state.left_labels[s0i];
    let s0_sr = state.right_labels[s0i];
    let n0_sl = n0i.map_or(0, |n| state.left_labels[n]);
    let root_free = u64::from(!state.root_taken());
    out.extend_from_slice(&[
        key1(0, 0),
        // single words
        key1(1, wp(s0)),
        key1(2, s0.word),
        key1(3, s0.tag),
        key1(4, wp(n0)),
        key1(5, n0.word),
        key1(6, n0.tag),
        key1(7, wp(n1)),
        key1(8, n1.word),
        key1(9, n1.tag),
        key1(10, wp(n2)),
        key1(11, n2.word),
        key1(12, n2.tag),
        // word pairs
        key2(13, wp(s0), wp(n0)),
        key2(14, wp(s0), n0.word),
        key2(15, s0.word, wp(n0)),
        key2(16, wp(s0), n0.tag),
        key2(17, s0.tag, wp(n0)),
        key2(18, s0.word, n0.word),
        key2(19, s0.tag, n0.tag),
        key2(20, n0.tag, n1.tag),
        // three words
        key3(21, n0.tag, n1.tag, n2.tag),
        key3(22, s0.tag, n0.tag, n1.tag),
        key3(23, s0h.tag, s0.tag, n0.tag),
        key3(24, s0.tag, s0l.tag, n0.tag),
        key3(25, s0.tag, s0r.tag, n0.tag),
        key3(26, s0.tag, n0.tag, n0l.tag),
        // distance
        key2(27, s0.word, dist),
        key2(28, s0.tag, dist),
        key2(29, n0.word, dist),
        key2(30, n0.tag, dist),
        key3(31, s0.word, n0.word, dist),
        key3(32, s0.tag, n0.tag, dist),
        // valency
        key2(33, s0.word, s0_vr),
        key2(34, s0.tag, s0_vr),
        key2(35, s0.word, s0_vl),
        key2(36, s0.tag, s0_vl),
        key2(37, n0.word, n0_vl),
        key2(38, n0.tag, n0_vl),
        // unigrams of heads and children, with labels
        key1(39, s0h.word),
        key1(40, s0h.tag),
        key1(41, label(Some(s0i))),
        key1(42, s0l.word),
        key1(43, s0l.tag),
        key1(44, label(s0l_i)),
        key1(45, s0r.word),
        key1(46, s0r.tag),
        key1(47, label(s0r_i)),
        key1(48, n0l.word),
        key1(49, n0l.tag),
        key1(50, label(n0l_i)),
        // third order
        key1(51, s0h2.word),
        key1(52, s0h2.tag),
        key1(53, label(s0h_i)),
        key1(54, s0l2.word),
        key1(55, s0l2.tag),
        key1(56, label(s0l2_i)),
        key1(57, s0r2.word),
        key1(58, s0r2.tag),
        key1(59, label(s0r2_i)),
        key1(60, n0l2.word),
        key1(61, n0l2.tag),
        key1(62, label(n0l2_i)),
        key3(63, s0.tag, s0l.tag, s0l2.tag),
        key3(64, s0.tag, s0r.tag, s0r2.tag),
        key3(65, s0.tag, s0h.tag, s0h2.tag),
        key3(66, n0.tag, n0l.tag, n0l2.tag),
        // label sets
        key2(67, s0.word, s0_sr),
        key2(68, s0.tag, s0_sr),
        key2(69, s0.word, s0_sl),
        key2(70, s0.tag, s0_sl),
        key2(71, n0.word, n0_sl),
        key2(72, n0.tag, n0_sl),
        // second stack word
        key1(73, s1.tag),
        key1(74, wp(s1)),
        key3(75, s1.tag, s0.tag, n0.tag),
        key3(76, s1.tag, s0.tag, label(state.stack_item(1))),
        // affixes
        key2(77, s0.tag, s0.suffix),
        key2(78, n0.tag, n0.suffix),
        key2(79, s0.tag, s0.prefix),
        key2(80, n0.tag, n0.prefix),
        key3(81, s0.suffix, n0.tag, s0.tag),
        key3(82, n0.prefix, s0.tag, n0.tag),
        // state of the arcs around s0
        key3(83, s0.tag, n0.tag, label(Some(s0i))),
        key3(84, s0.tag, n0.tag, root_free),
        key3(85, n0.tag, n1.tag, root_free),
        key3(86, wp(n0), n1.tag, s0.tag),
        key3(87, s0.tag, label(s0l_i), label(s0r_i)),
        key3(88, n0.tag, n1.word, s0.tag),
    ]);
    guide_between_and_style_features(state, input, out);
}

/// The parser features beyond Zhang & Nivre: guide (fine) tags, what lies
/// between s0 and b0, lookahead to b3, and treebank-style conjunctions.
fn guide_between_and_style_features(state: &State, input: &ParseInput, out: &mut Vec<u64>) {
    let atoms = |n: Option<usize>| n.map_or(NONE_ATOMS, |i| input.nodes[i]);
    let label = |n: Option<usize>| n.filter(|&i| state.has_head(i)).map_or(NO_LABEL, |i| u64::from(state.labels[i]));
    let s0i = state.s0();
    let n0i = state.buffer_item(0);
    let (s0, n0, n1, n2, n3) = (atoms(Some(s0i)), atoms(n0i), atoms(state.buffer_item(1)), atoms(state.buffer_item(2)), atoms(state.buffer_item(3)));
    let s1 = atoms(state.stack_item(1));
    let s0h = atoms(node(state.heads[s0i]));
    let s0r = atoms(node(state.right1[s0i]));
    let n0l = atoms(n0i.and_then(|n| node(state.left1[n])));
    let wp = |a: ParseAtoms| a.word ^ (a.tag << 56);
    let dist = n0i.map_or(0, |n| distance_bin(n - s0i));
    let between = n0i.map_or(1 << 6, |n| input.between(s0i, n));
    out.extend_from_slice(&[
        key1(89, s0.fine),
        key1(90, n0.fine),
        key1(91, n1.fine),
        key2(92, s0.fine, n0.fine),
        key3(93, s0.fine, n0.fine, n1.fine),
        key3(94, n0.fine, n1.fine, n2.fine),
        key2(95, s0.word, n0.fine),
        key2(96, s0.fine, n0.word),
        key3(97, s0h.fine, s0.fine, n0.fine),
        key3(98, s0.fine, s0r.fine, n0.fine),
        key3(99, s0.fine, n0.fine, n0l.fine),
        key3(100, s0.fine, n0.fine, dist),
        key3(101, s1.fine, s0.fine, n0.fine),
        // what lies between s0 and n0, and further lookahead
        key3(102, s0.tag, n0.tag, between),
        key2(103, between, dist),
        key3(104, s0.word, n0.tag, between),
        key3(105, n1.tag, n2.tag, n3.tag),
    ]);
    // Treebank conventions differ mostly in labels of noun-noun and name
    // arcs (GSD `compound` where CSUI and PUD say `nmod`).
    if let Some(style) = input.style {
        out.extend_from_slice(&[
            key3(106, style, s0.tag, n0.tag),
            key3(107, style, wp(s0), n0.tag),
            key3(108, style, s0.tag, wp(n0)),
            key3(109, style, s0.fine, n0.fine),
            key3(110, style, s0.tag, label(Some(s0i))),
            key3(111, style, n0.tag, n1.tag),
            key3(112, style, s0.tag, dist),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::transition::Move;

    #[test]
    fn shapes_and_normal_forms() {
        assert_eq!(shape("Jakarta"), "Xx");
        assert_eq!(shape("AS-China"), "X-Xx");
        assert_eq!(shape("2,5"), "d,d");
        assert_eq!(normalise("Tahun 2024"), "tahun 0000");
    }

    #[test]
    fn affixes_are_char_based() {
        let a = WordAtoms::new("menyerahkan");
        assert_eq!(a.prefix[1], hash_str("me"));
        assert_eq!(a.suffix[2], hash_str("kan"));
        let short = WordAtoms::new("di");
        assert_eq!(short.prefix[2], hash_str("di") ^ 0x5555, "short words mark their affix");
        let utf = WordAtoms::new("Ćmielów");
        assert_eq!(utf.suffix[0], hash_str("w"));
        assert_eq!(utf.prefix[0], hash_str("ć"));
    }

    #[test]
    fn keys_depend_on_template_and_atoms() {
        assert_ne!(key1(1, 5), key1(2, 5));
        assert_ne!(key2(1, 5, 6), key2(1, 6, 5));
        assert_eq!(key3(3, 1, 2, 3), key3(3, 1, 2, 3));
        assert_ne!(key1(0, 0), 0);
    }

    #[test]
    fn tagger_features_see_neighbours_and_history() {
        let words: Vec<WordAtoms> = ["The", "cat", "sat"].iter().map(|w| WordAtoms::new(w)).collect();
        let amb = vec![1, 2, 4];
        let mut a = Vec::new();
        let mut b = Vec::new();
        tagger_features(&words, &amb, &[], 1, Some(Upos::Det as u8), None, &mut a);
        tagger_features(&words, &amb, &[], 1, Some(Upos::Noun as u8), None, &mut b);
        assert_eq!(a.len(), 33);
        let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        assert_eq!(differing, 6, "only the templates with the previous tag change");
        assert!(a.contains(&key1(13, hash_str("sat"))));
        tagger_features(&words, &amb, &[], 2, None, None, &mut b);
        let mut guided = Vec::new();
        tagger_features(&words, &amb, &[3, 4, 5], 2, None, None, &mut guided);
        assert_eq!(guided.len(), b.len() + 10);
        assert!(guided.contains(&key1(41, TAG_START)), "no guide tag after the end");
        assert!(b.contains(&key1(13, PAD_RIGHT)));
    }

    #[test]
    fn parser_features_follow_the_state() {
        let words: Vec<WordAtoms> = ["she", "saw", "him"].iter().map(|w| WordAtoms::new(w)).collect();
        let input = ParseInput::new(&words, &[Upos::Pron, Upos::Verb, Upos::Pron], &[], None);
        let mut state = State::new(3, 0);
        let mut before = Vec::new();
        parser_features(&state, &input, &mut before);
        assert!(before.contains(&key1(3, 17)), "s0 is the root");
        assert!(before.contains(&key1(6, Upos::Pron as u64)), "n0 is 'she'");
        state.apply(Move::Shift);
        state.apply(Move::Left(1));
        let mut after = Vec::new();
        parser_features(&state, &input, &mut after);
        assert_eq!(after.len(), before.len());
        assert!(after.contains(&key1(6, Upos::Verb as u64)), "n0 is 'saw'");
        assert!(after.contains(&key1(49, Upos::Pron as u64)), "n0's leftmost child is 'she'");
        assert!(after.contains(&key1(50, 1)), "... with label 1");
        assert!(after.contains(&key2(37, hash_str("saw"), 1)), "n0 has one left dependent");
        assert_eq!(input.between(0, 3), 1 << 1, "a verb lies between the root and 'him'");
        assert_eq!(input.between(1, 2), 0);
    }
}
