//! Greedy left-to-right UPOS tagger with an averaged perceptron (Collins 2002),
//! using the word, its affixes and shape, a five-word window, the two previous
//! predicted tags, and ambiguity classes from a tag dictionary.

use crate::features::{tagger_features, WordAtoms};
use crate::labels::Upos;
use crate::model::{ByteReader, ByteWriter, ModelError};
use crate::perceptron::{KeyMap, Scratch, Trainer, Weights};

/// Words seen at least this often in training get an ambiguity class.
const DICTIONARY_MIN_COUNT: u32 = 3;

/// Maps a normalised word hash to the set of tags seen with it (bit i = tag i).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagDictionary {
    mask: usize,
    keys: Vec<u64>,
    sets: Vec<u64>,
}

impl TagDictionary {
    /// Builds the dictionary from (word atoms, gold tags) sentences.
    pub fn build<'a>(sentences: impl Iterator<Item = (&'a [WordAtoms], &'a [u8])>) -> TagDictionary {
        let mut counts: KeyMap<(u32, u64)> = KeyMap::default();
        for (words, tags) in sentences {
            for (w, t) in words.iter().zip(tags) {
                let entry = counts.entry(w.norm).or_insert((0, 0));
                entry.0 += 1;
                entry.1 |= 1 << (*t % 64);
            }
        }
        let mut kept: Vec<(u64, u64)> = counts.into_iter().filter(|(_, (n, _))| *n >= DICTIONARY_MIN_COUNT).map(|(k, (_, s))| (k, s)).collect();
        kept.sort_unstable();
        let slots = (kept.len() * 2).next_power_of_two().max(16);
        let mut dict = TagDictionary { mask: slots - 1, keys: vec![0; slots], sets: vec![0; slots] };
        for (key, set) in kept {
            let key = key.max(1);
            let mut slot = (key as usize) & dict.mask;
            while dict.keys[slot] != 0 {
                slot = (slot + 1) & dict.mask;
            }
            dict.keys[slot] = key;
            dict.sets[slot] = set;
        }
        dict
    }

    /// The tag set of a word, 0 when unknown or rare.
    pub fn get(&self, norm: u64) -> u64 {
        let key = norm.max(1);
        let mut slot = (key as usize) & self.mask;
        loop {
            match self.keys[slot] {
                0 => return 0,
                k if k == key => return self.sets[slot],
                _ => slot = (slot + 1) & self.mask,
            }
        }
    }

    pub fn len(&self) -> usize {
        self.keys.iter().filter(|k| **k != 0).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn write(&self, out: &mut ByteWriter) {
        out.u32(self.keys.len() as u32);
        out.u64s(&self.keys);
        out.u64s(&self.sets);
    }

    pub fn read(input: &mut ByteReader) -> Result<TagDictionary, ModelError> {
        let slots = input.u32("tag dictionary")? as usize;
        if !slots.is_power_of_two() {
            return Err(ModelError::Corrupt(format!("tag dictionary: {slots} slots is not a power of two")));
        }
        let keys = input.u64s(slots, "tag dictionary")?;
        let sets = input.u64s(slots, "tag dictionary")?;
        if keys.iter().all(|k| *k != 0) {
            return Err(ModelError::Corrupt("tag dictionary: table is full".into()));
        }
        Ok(TagDictionary { mask: slots - 1, keys, sets })
    }
}

fn ambiguity_classes(dictionary: &TagDictionary, words: &[WordAtoms]) -> Vec<u64> {
    words.iter().map(|w| dictionary.get(w.norm)).collect()
}

/// Highest score; ties go to the lowest class, so decoding is deterministic.
pub fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> usize {
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if *s > scores[best] {
            best = i;
        }
    }
    best
}

/// A trained tagger over `weights.n_classes()` tags (UPOS, or XPOS for the
/// parser's fine-grained view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagger {
    pub weights: Weights,
    pub dictionary: TagDictionary,
}

impl Tagger {
    /// Tag indices, greedily left to right; `guide`: a first tagger's tags
    /// for a stacked tagger, else empty.
    pub fn tag_ids(&self, words: &[WordAtoms], guide: &[u8]) -> Vec<u8> {
        let ambiguity = ambiguity_classes(&self.dictionary, words);
        let mut features = Vec::with_capacity(40);
        let mut scores = vec![0i32; self.weights.n_classes()];
        let mut scratch = Box::<Scratch>::default();
        let mut tags: Vec<u8> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let prev1 = i.checked_sub(1).map(|j| tags[j]);
            let prev2 = i.checked_sub(2).map(|j| tags[j]);
            tagger_features(words, &ambiguity, guide, i, prev1, prev2, &mut features);
            self.weights.scores_with(&features, &mut scores, &mut scratch);
            tags.push(argmax(&scores) as u8);
        }
        tags
    }

    /// UPOS tags (for a tagger trained on UPOS indices).
    pub fn tag(&self, words: &[WordAtoms], guide: &[u8]) -> Vec<Upos> {
        self.tag_ids(words, guide).into_iter().map(|t| Upos::from_index(t as usize).unwrap_or(Upos::X)).collect()
    }
}

/// One sentence for the tagger: word atoms, gold tag indices, and a first
/// tagger's (jackknifed) tags for a stacked tagger (else empty).
pub struct TaggedSentence {
    pub words: Vec<WordAtoms>,
    pub tags: Vec<u8>,
    pub guide: Vec<u8>,
}

/// Tagger training state (weights plus the dictionary they were trained with).
pub struct TaggerTrainer {
    pub trainer: Trainer,
    pub dictionary: TagDictionary,
}

impl TaggerTrainer {
    pub fn new(sentences: &[&TaggedSentence], n_classes: usize) -> TaggerTrainer {
        let dictionary = TagDictionary::build(sentences.iter().map(|s| (s.words.as_slice(), s.tags.as_slice())));
        TaggerTrainer { trainer: Trainer::new(n_classes), dictionary }
    }

    /// One pass over `order` (indices into `sentences`); returns training accuracy.
    pub fn epoch(&mut self, sentences: &[&TaggedSentence], order: &[usize]) -> f64 {
        let mut features = Vec::with_capacity(40);
        let mut scores = vec![0i64; self.trainer.n_classes()];
        let (mut correct, mut total) = (0usize, 0usize);
        for &index in order {
            let sentence = sentences[index];
            let ambiguity = ambiguity_classes(&self.dictionary, &sentence.words);
            let mut predicted: Vec<u8> = Vec::with_capacity(sentence.words.len());
            for (i, &gold) in sentence.tags.iter().enumerate() {
                let prev1 = i.checked_sub(1).map(|j| predicted[j]);
                let prev2 = i.checked_sub(2).map(|j| predicted[j]);
                tagger_features(&sentence.words, &ambiguity, &sentence.guide, i, prev1, prev2, &mut features);
                self.trainer.tick();
                self.trainer.scores(&features, &mut scores);
                let guess = argmax(&scores) as u8;
                self.trainer.update(&features, gold as usize, guess as usize);
                correct += usize::from(guess == gold);
                total += 1;
                predicted.push(guess);
            }
        }
        correct as f64 / total.max(1) as f64
    }

    pub fn freeze(&self, min_level: i32) -> Tagger {
        Tagger { weights: self.trainer.freeze(min_level), dictionary: self.dictionary.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(words: &[&str], tags: &[Upos]) -> TaggedSentence {
        TaggedSentence { words: words.iter().map(|w| WordAtoms::new(w)).collect(), tags: tags.iter().map(|t| *t as u8).collect(), guide: Vec::new() }
    }

    #[test]
    fn dictionary_keeps_frequent_words() {
        let s = sentence(&["the", "the", "the", "dog"], &[Upos::Det, Upos::Det, Upos::Pron, Upos::Noun]);
        let d = TagDictionary::build(std::iter::once((s.words.as_slice(), s.tags.as_slice())));
        assert_eq!(d.get(s.words[0].norm), (1 << Upos::Det as u64) | (1 << Upos::Pron as u64));
        assert_eq!(d.get(s.words[3].norm), 0, "seen once: no class");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn learns_a_toy_language() {
        use Upos::*;
        let data = [
            sentence(&["the", "dog", "runs"], &[Det, Noun, Verb]),
            sentence(&["a", "cat", "sleeps"], &[Det, Noun, Verb]),
            sentence(&["the", "cat", "runs", "."], &[Det, Noun, Verb, Punct]),
        ];
        let refs: Vec<&TaggedSentence> = data.iter().collect();
        let mut t = TaggerTrainer::new(&refs, Upos::COUNT);
        for _ in 0..5 {
            t.epoch(&refs, &[0, 1, 2]);
        }
        let tagger = t.freeze(1);
        let test = sentence(&["a", "dog", "sleeps", "."], &[]);
        assert_eq!(tagger.tag(&test.words, &[]), vec![Det, Noun, Verb, Punct]);
    }
}
