//! Training: tagger epochs chosen on a dev set, jackknifed tags for the
//! parser's training data, parser epochs with the dynamic oracle chosen on
//! the dev set, and (optionally) a refit on all data with the chosen epochs.
//! Single-threaded and deterministic: same data + same seed = same bytes.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::conllu::Sentence;
use crate::eval::{evaluate, TagSource};
use crate::features::{ParseInput, WordAtoms};
use crate::labels::Upos;
use crate::model::Model;
use crate::parser::learn::{Exploration, ParseExample, ParserTrainer};
use crate::parser::oracle::{projectivise, shortest_non_projective_arc, Gold};
use crate::parser::transition::NONE;
use crate::parser::Parser;
use crate::tagger::{TaggedSentence, Tagger, TaggerTrainer};

/// xorshift64* seeded through SplitMix64: small, fast, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub language: String,
    pub seed: u64,
    /// Most tagger epochs; the best on dev is kept (all if no dev).
    pub tagger_epochs: usize,
    /// Most parser epochs; the best on dev is kept (all if no dev).
    pub parser_epochs: usize,
    /// Folds for jackknifed training tags (1 = train the parser on gold tags).
    pub folds: usize,
    pub exploration: Exploration,
    /// Quantisation levels below which a weight is pruned.
    pub tagger_min_level: i32,
    pub parser_min_level: i32,
    /// Free text stored in the model (data, command).
    pub about: String,
}

impl TrainConfig {
    pub fn new(language: &str, seed: u64) -> TrainConfig {
        TrainConfig {
            language: language.to_string(),
            seed,
            tagger_epochs: 10,
            parser_epochs: 15,
            folds: 5,
            exploration: Exploration { explore_from: 1, explore_probability: 0.9 },
            tagger_min_level: 1,
            parser_min_level: 1,
            about: String::new(),
        }
    }
}

/// What training found, for the log and the model README.
#[derive(Debug, Clone, Default)]
pub struct TrainSummary {
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    pub non_projective_sentences: usize,
    pub lifted_arcs: usize,
    pub sentences: usize,
}

fn tagged(sentence: &Sentence) -> TaggedSentence {
    TaggedSentence {
        words: sentence.words.iter().map(|w| WordAtoms::new(&w.form)).collect(),
        tags: sentence.words.iter().map(|w| Upos::parse(&w.upos).unwrap_or(Upos::X)).collect(),
    }
}

/// Relation labels of the training data in sorted order, and `root`'s index.
fn label_table(sentences: &[Sentence]) -> (Vec<String>, u16) {
    let mut labels: Vec<String> = sentences.iter().flat_map(|s| s.words.iter().map(|w| w.deprel.clone())).collect();
    labels.push("root".into());
    labels.sort();
    labels.dedup();
    let root = labels.iter().position(|l| l == "root").unwrap_or(0) as u16;
    (labels, root)
}

/// Most frequent non-root relation of each UPOS (ties: smallest label index).
fn fallback_labels(sentences: &[Sentence], labels: &[String], root: u16) -> [u16; Upos::COUNT] {
    let index: BTreeMap<&str, u16> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i as u16)).collect();
    let mut counts = vec![vec![0usize; labels.len()]; Upos::COUNT];
    for word in sentences.iter().flat_map(|s| &s.words) {
        if let (Some(tag), Some(&label)) = (Upos::parse(&word.upos), index.get(word.deprel.as_str())) {
            counts[tag as usize][label as usize] += 1;
        }
    }
    let default = index.get("dep").copied().unwrap_or(if root == 0 { 1.min(labels.len() as u16 - 1) } else { 0 });
    let mut out = [default; Upos::COUNT];
    for (tag, row) in counts.iter().enumerate() {
        let best = (0..labels.len()).filter(|&l| l != root as usize).max_by_key(|&l| (row[l], std::cmp::Reverse(l)));
        if let Some(best) = best.filter(|&l| row[l] > 0) {
            out[tag] = best as u16;
        }
    }
    out
}

fn shuffled_order(n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    order
}

/// Trains a tagger for exactly `epochs` epochs.
fn train_tagger(sentences: &[&TaggedSentence], epochs: usize, min_level: i32, rng: &mut Rng) -> Tagger {
    let mut trainer = TaggerTrainer::new(sentences);
    for _ in 0..epochs {
        let order = shuffled_order(sentences.len(), rng);
        trainer.epoch(sentences, &order);
    }
    trainer.freeze(min_level)
}

/// Tags each fold with a tagger trained on the other folds.
fn jackknife_tags(sentences: &[TaggedSentence], folds: usize, epochs: usize, min_level: i32, rng: &mut Rng) -> Vec<Vec<Upos>> {
    if folds < 2 {
        return sentences.iter().map(|s| s.tags.clone()).collect();
    }
    let mut tags = vec![Vec::new(); sentences.len()];
    for fold in 0..folds {
        let rest: Vec<&TaggedSentence> = sentences.iter().enumerate().filter(|(i, _)| i % folds != fold).map(|(_, s)| s).collect();
        let tagger = train_tagger(&rest, epochs, min_level, rng);
        for (i, sentence) in sentences.iter().enumerate().filter(|(i, _)| i % folds == fold) {
            tags[i] = tagger.tag(&sentence.words);
        }
    }
    tags
}

/// Parser training examples: predicted tags, projectivised gold trees.
fn parse_examples(sentences: &[Sentence], tagged: &[TaggedSentence], tags: &[Vec<Upos>], labels: &[String], summary: &mut TrainSummary) -> Vec<ParseExample> {
    let index: BTreeMap<&str, u16> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i as u16)).collect();
    let mut examples = Vec::with_capacity(sentences.len());
    for ((sentence, words), tags) in sentences.iter().zip(tagged).zip(tags) {
        let mut heads = vec![NONE];
        heads.extend(sentence.words.iter().map(|w| w.head as u32));
        let mut gold_labels = vec![0u16];
        gold_labels.extend(sentence.words.iter().map(|w| index.get(w.deprel.as_str()).copied().unwrap_or(0)));
        if shortest_non_projective_arc(&heads).is_some() {
            summary.non_projective_sentences += 1;
            summary.lifted_arcs += projectivise(&mut heads);
        }
        examples.push(ParseExample { input: ParseInput::new(&words.words, tags), gold: Gold { heads, labels: gold_labels } });
    }
    examples
}

/// Chooses the epoch with the best dev score (`score` per epoch), or the last
/// epoch without dev data. Returns the best thing and its 1-based epoch.
struct BestSoFar<T> {
    best: Option<(f64, usize, T)>,
}

impl<T> BestSoFar<T> {
    fn offer(&mut self, score: f64, epoch: usize, item: T) {
        if self.best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            self.best = Some((score, epoch, item));
        }
    }
}

/// Log sink: one line per call.
pub type Log<'a> = &'a mut dyn FnMut(&str);

/// Tagger with the epoch count chosen on dev (or `config.tagger_epochs`).
fn fit_tagger(train: &[TaggedSentence], dev: &[Sentence], epochs: Option<usize>, config: &TrainConfig, rng: &mut Rng, log: Log) -> (Tagger, usize) {
    let refs: Vec<&TaggedSentence> = train.iter().collect();
    let mut trainer = TaggerTrainer::new(&refs);
    let mut best = BestSoFar { best: None };
    let max = epochs.unwrap_or(config.tagger_epochs);
    for epoch in 1..=max {
        let order = shuffled_order(refs.len(), rng);
        let accuracy = trainer.epoch(&refs, &order);
        let tagger = trainer.freeze(config.tagger_min_level);
        let choose = !dev.is_empty() && epochs.is_none();
        let dev_score = if choose { tagger_accuracy(&tagger, dev) } else { epoch as f64 };
        let shown = if choose { format!("{:.2}%", dev_score * 100.0) } else { "-".into() };
        log(&format!("tagger epoch {epoch}: train {:.2}%, dev {shown}", accuracy * 100.0));
        best.offer(dev_score, epoch, tagger);
    }
    match best.best {
        Some((_, epoch, tagger)) => (tagger, epoch),
        None => (trainer.freeze(config.tagger_min_level), 0),
    }
}

fn tagger_accuracy(tagger: &Tagger, dev: &[Sentence]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    for sentence in dev {
        let t = tagged(sentence);
        let predicted = tagger.tag(&t.words);
        right += predicted.iter().zip(&t.tags).filter(|(a, b)| a == b).count();
        total += t.tags.len();
    }
    right as f64 / total.max(1) as f64
}

/// Trains a whole model. With `dev` non-empty, epochs are chosen on it; with
/// `fixed` epochs (tagger, parser), exactly those are run.
pub fn fit(train: &[Sentence], dev: &[Sentence], fixed: Option<(usize, usize)>, config: &TrainConfig, log: Log) -> (Model, TrainSummary) {
    let started = Instant::now();
    let mut rng = Rng::new(config.seed);
    let mut summary = TrainSummary { sentences: train.len(), ..TrainSummary::default() };
    let tagged_train: Vec<TaggedSentence> = train.iter().map(tagged).collect();
    let (tagger, tagger_epochs) = fit_tagger(&tagged_train, dev, fixed.map(|f| f.0), config, &mut rng, log);
    summary.tagger_epochs = tagger_epochs;
    log(&format!("tagger: {tagger_epochs} epochs, {:.0} s", started.elapsed().as_secs_f64()));
    let jackknifed = jackknife_tags(&tagged_train, config.folds, tagger_epochs, config.tagger_min_level, &mut rng);
    log(&format!("jackknifed tags ({} folds), {:.0} s", config.folds, started.elapsed().as_secs_f64()));
    let (labels, root_label) = label_table(train);
    let fallback = fallback_labels(train, &labels, root_label);
    let examples = parse_examples(train, &tagged_train, &jackknifed, &labels, &mut summary);
    log(&format!("{} of {} sentences non-projective, {} arcs lifted", summary.non_projective_sentences, train.len(), summary.lifted_arcs));
    let mut trainer = ParserTrainer::new(labels.len(), root_label);
    let mut best = BestSoFar { best: None };
    let max = fixed.map_or(config.parser_epochs, |f| f.1);
    for epoch in 0..max {
        let order = shuffled_order(examples.len(), &mut rng);
        let optimal = trainer.epoch(&examples, &order, epoch, config.exploration, &mut rng);
        let parser = Parser { weights: trainer.trainer.freeze(config.parser_min_level), labels: labels.clone(), root_label, fallback };
        let model = Model { language: config.language.clone(), about: config.about.clone(), tagger: tagger.clone(), parser };
        let score = if dev.is_empty() || fixed.is_some() {
            epoch as f64
        } else {
            let s = evaluate(&model, dev, TagSource::Predicted);
            log(&format!("  dev UPOS {:.2} UAS {:.2} LAS {:.2}", s.upos(), s.uas(), s.las()));
            s.las()
        };
        log(&format!(
            "parser epoch {}: {:.2}% optimal moves, {} features, {:.0} s",
            epoch + 1,
            optimal * 100.0,
            trainer.trainer.feature_count(),
            started.elapsed().as_secs_f64()
        ));
        best.offer(score, epoch + 1, model);
    }
    let (model, parser_epochs) = match best.best {
        Some((_, epoch, model)) => (model, epoch),
        None => {
            let parser = Parser { weights: trainer.trainer.freeze(config.parser_min_level), labels, root_label, fallback };
            (Model { language: config.language.clone(), about: config.about.clone(), tagger, parser }, 0)
        }
    };
    summary.parser_epochs = parser_epochs;
    (model, summary)
}

/// Splits off every `every`-th sentence (the 1st, (every+1)-th, ...) as dev.
pub fn hold_out(sentences: Vec<Sentence>, every: usize) -> (Vec<Sentence>, Vec<Sentence>) {
    let (mut train, mut dev) = (Vec::new(), Vec::new());
    for (i, s) in sentences.into_iter().enumerate() {
        if every > 0 && i % every == 0 {
            dev.push(s);
        } else {
            train.push(s);
        }
    }
    (train, dev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::{read_str, Check};
    use crate::model::ModelError;

    const TINY: &str = "\
1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\t_\n2\tdog\tdog\tNOUN\t_\t_\t3\tnsubj\t_\t_\n3\truns\trun\tVERB\t_\t_\t0\troot\t_\t_\n4\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_\n\n\
1\tA\ta\tDET\t_\t_\t2\tdet\t_\t_\n2\tcat\tcat\tNOUN\t_\t_\t3\tnsubj\t_\t_\n3\tsaw\tsee\tVERB\t_\t_\t0\troot\t_\t_\n4\tthe\tthe\tDET\t_\t_\t5\tdet\t_\t_\n5\tdog\tdog\tNOUN\t_\t_\t3\tobj\t_\t_\n\n\
1\tDogs\tdog\tNOUN\t_\t_\t2\tnsubj\t_\t_\n2\twere\tbe\tAUX\t_\t_\t3\taux:pass\t_\t_\n3\tseen\tsee\tVERB\t_\t_\t0\troot\t_\t_\n4\tby\tby\tADP\t_\t_\t6\tcase\t_\t_\n5\tthe\tthe\tDET\t_\t_\t6\tdet\t_\t_\n6\tcat\tcat\tNOUN\t_\t_\t3\tobl:agent\t_\t_\n\n\
1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\t_\n2\tcat\tcat\tNOUN\t_\t_\t3\tnsubj\t_\t_\n3\tsleeps\tsleep\tVERB\t_\t_\t0\troot\t_\t_\n\n";

    fn tiny_model(seed: u64) -> Vec<u8> {
        let data = read_str(TINY, "tiny.conllu", Check::Tree).expect("tiny data");
        let mut config = TrainConfig::new("en", seed);
        config.tagger_epochs = 3;
        config.parser_epochs = 4;
        config.folds = 2;
        let (model, _) = fit(&data, &data[..1], None, &config, &mut |_| {});
        model.to_bytes()
    }

    #[test]
    fn training_is_deterministic() {
        let a = tiny_model(1);
        assert_eq!(a, tiny_model(1), "same data and seed give the same bytes");
        assert_ne!(a, tiny_model(2), "the seed matters (shuffling, exploration)");
    }

    #[test]
    fn model_round_trips_and_rejects_damage() {
        let bytes = tiny_model(1);
        let model = Model::from_bytes(&bytes).expect("loads");
        assert_eq!(model.to_bytes(), bytes);
        assert!(model.parser.labels.contains(&"obl:agent".to_string()), "subtypes are kept");
        let words = model.analyse(&["The", "dog", "sleeps"]);
        assert_eq!(words.len(), 3);
        assert_eq!(words.iter().filter(|w| w.head == 0).count(), 1, "one root");
        assert!(words.iter().all(|w| w.head <= 3));
        assert!(model.analyse(&[]).is_empty());

        assert!(matches!(Model::from_bytes(b"nonsense"), Err(ModelError::BadMagic)));
        let mut version = bytes.clone();
        version[8] = 99;
        assert!(matches!(Model::from_bytes(&version), Err(ModelError::Version { found: 99 })));
        let mut flipped = bytes.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 1;
        assert!(matches!(Model::from_bytes(&flipped), Err(ModelError::Checksum)));
        assert!(Model::from_bytes(&bytes[..bytes.len() - 100]).is_err());
        let missing = Model::load("/nonexistent/x.syntax").expect_err("no file");
        assert!(missing.to_string().starts_with("/nonexistent/x.syntax: cannot read model"));
    }

    #[test]
    fn hold_out_takes_every_nth() {
        let data = read_str(TINY, "tiny.conllu", Check::Tree).expect("tiny data");
        let (train, dev) = hold_out(data, 2);
        assert_eq!((train.len(), dev.len()), (2, 2));
        assert_eq!(dev[0].words[1].form, "dog");
    }

    #[test]
    fn rng_is_reproducible() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!((0..5).map(|_| a.next_u64()).collect::<Vec<_>>(), (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
        let x = Rng::new(1).next_f64();
        assert!((0.0..1.0).contains(&x));
    }
}
