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
use crate::model::{FineTagger, Model};
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
    /// A first tagger (XPOS, or a first UPOS pass) whose tags guide the UPOS
    /// tagger and feed the parser.
    pub guide: Option<TagColumn>,
    /// Treebank conventions of the training data (sentences carry the index
    /// in `Sentence::style`); with two or more the parser learns each, and
    /// `default_style` is the one `Model::analyse` follows.
    pub styles: Vec<String>,
    pub default_style: u8,
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
            guide: None,
            styles: Vec::new(),
            default_style: 0,
            about: String::new(),
        }
    }
}

/// What training found, for the log and the model README.
#[derive(Debug, Clone)]
pub struct TrainSummary {
    pub epochs: Epochs,
    pub non_projective_sentences: usize,
    pub lifted_arcs: usize,
    pub sentences: usize,
}

/// Which column a tagger learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagColumn {
    Upos,
    Xpos,
}

/// The tag names of a column: UPOS in enum order, XPOS sorted as in training.
fn tag_names(sentences: &[Sentence], column: TagColumn) -> Vec<String> {
    match column {
        TagColumn::Upos => Upos::ALL.iter().map(|u| u.as_str().to_string()).collect(),
        TagColumn::Xpos => {
            let names: std::collections::BTreeSet<&str> = sentences.iter().flat_map(|s| s.words.iter().map(|w| w.xpos.as_str())).collect();
            names.into_iter().map(str::to_string).collect()
        }
    }
}

/// Sentences as word atoms plus tag indices of `column` (unknown names: 0).
fn tagged(sentences: &[Sentence], column: TagColumn, names: &[String], guides: &[Vec<u8>]) -> Vec<TaggedSentence> {
    let index: BTreeMap<&str, u8> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i as u8)).collect();
    let tag_of = |w: &crate::conllu::Token| {
        let name = if column == TagColumn::Upos { &w.upos } else { &w.xpos };
        index.get(name.as_str()).copied().unwrap_or(0)
    };
    sentences
        .iter()
        .enumerate()
        .map(|(i, s)| TaggedSentence {
            words: s.words.iter().map(|w| WordAtoms::new(&w.form)).collect(),
            tags: s.words.iter().map(tag_of).collect(),
            guide: guides.get(i).cloned().unwrap_or_default(),
        })
        .collect()
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
fn train_tagger(sentences: &[&TaggedSentence], n_classes: usize, epochs: usize, min_level: i32, rng: &mut Rng) -> Tagger {
    let mut trainer = TaggerTrainer::new(sentences, n_classes);
    for _ in 0..epochs {
        let order = shuffled_order(sentences.len(), rng);
        trainer.epoch(sentences, &order);
    }
    trainer.freeze(min_level)
}

/// Tags each fold with a tagger trained on the other folds.
fn jackknife_tags(sentences: &[TaggedSentence], n_classes: usize, folds: usize, epochs: usize, min_level: i32, rng: &mut Rng) -> Vec<Vec<u8>> {
    if folds < 2 {
        return sentences.iter().map(|s| s.tags.clone()).collect();
    }
    let mut tags = vec![Vec::new(); sentences.len()];
    for fold in 0..folds {
        let rest: Vec<&TaggedSentence> = sentences.iter().enumerate().filter(|(i, _)| i % folds != fold).map(|(_, s)| s).collect();
        let tagger = train_tagger(&rest, n_classes, epochs, min_level, rng);
        for (i, sentence) in sentences.iter().enumerate().filter(|(i, _)| i % folds == fold) {
            tags[i] = tagger.tag_ids(&sentence.words, &sentence.guide);
        }
    }
    tags
}

/// Parser training examples: predicted tags, projectivised gold trees.
fn parse_examples(
    sentences: &[Sentence],
    tagged: &[TaggedSentence],
    tags: &[Vec<u8>],
    fine: &[Vec<u8>],
    labels: &[String],
    styles: usize,
    summary: &mut TrainSummary,
) -> Vec<ParseExample> {
    let index: BTreeMap<&str, u16> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i as u16)).collect();
    let mut examples = Vec::with_capacity(sentences.len());
    for (i, (sentence, words)) in sentences.iter().zip(tagged).enumerate() {
        let mut heads = vec![NONE];
        heads.extend(sentence.words.iter().map(|w| w.head as u32));
        let mut gold_labels = vec![0u16];
        gold_labels.extend(sentence.words.iter().map(|w| index.get(w.deprel.as_str()).copied().unwrap_or(0)));
        if shortest_non_projective_arc(&heads).is_some() {
            summary.non_projective_sentences += 1;
            summary.lifted_arcs += projectivise(&mut heads);
        }
        let upos: Vec<Upos> = tags[i].iter().map(|&t| Upos::from_index(t as usize).unwrap_or(Upos::X)).collect();
        let fine_tags = fine.get(i).map_or(&[][..], Vec::as_slice);
        let style = if styles > 1 { Some(sentence.style.unwrap_or(0)) } else { None };
        examples.push(ParseExample { input: ParseInput::new(&words.words, &upos, fine_tags, style), gold: Gold { heads, labels: gold_labels } });
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

/// A tagger of `n_classes` tags with the epoch count chosen on dev (or
/// exactly `epochs` when given).
fn fit_tagger(
    train: &[TaggedSentence],
    dev: &[TaggedSentence],
    n_classes: usize,
    epochs: Option<usize>,
    config: &TrainConfig,
    rng: &mut Rng,
    log: Log,
) -> (Tagger, usize) {
    let refs: Vec<&TaggedSentence> = train.iter().collect();
    let mut trainer = TaggerTrainer::new(&refs, n_classes);
    let mut best = BestSoFar { best: None };
    let choose = !dev.is_empty() && epochs.is_none();
    for epoch in 1..=epochs.unwrap_or(config.tagger_epochs) {
        let order = shuffled_order(refs.len(), rng);
        let accuracy = trainer.epoch(&refs, &order);
        let tagger = trainer.freeze(config.tagger_min_level);
        let dev_score = if choose { tagger_accuracy(&tagger, dev) } else { epoch as f64 };
        let shown = if choose { format!("{:.2}%", dev_score * 100.0) } else { "-".into() };
        log(&format!("tagger ({n_classes} tags) epoch {epoch}: train {:.2}%, dev {shown}", accuracy * 100.0));
        best.offer(dev_score, epoch, tagger);
    }
    match best.best {
        Some((_, epoch, tagger)) => (tagger, epoch),
        None => (trainer.freeze(config.tagger_min_level), 0),
    }
}

fn tagger_accuracy(tagger: &Tagger, dev: &[TaggedSentence]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    for sentence in dev {
        let predicted = tagger.tag_ids(&sentence.words, &sentence.guide);
        right += predicted.iter().zip(&sentence.tags).filter(|(a, b)| a == b).count();
        total += sentence.tags.len();
    }
    right as f64 / total.max(1) as f64
}

/// A tagger for `column` (epochs chosen on dev) and jackknifed training tags.
struct FittedTagger {
    names: Vec<String>,
    tagger: Tagger,
    epochs: usize,
    training_tags: Vec<Vec<u8>>,
}

/// Fits a tagger for `column`, stacked on `guides` (training: jackknifed,
/// dev: predicted) when given; returns it with its tagged training data.
// The arguments are the training run's independent knobs; a struct for one
// private caller would only rename them.
#[allow(clippy::too_many_arguments)]
fn fit_column(
    train: &[Sentence],
    dev: &[Sentence],
    column: TagColumn,
    guides: (&[Vec<u8>], &[Vec<u8>]),
    epochs: Option<usize>,
    config: &TrainConfig,
    rng: &mut Rng,
    log: Log,
) -> (FittedTagger, Vec<TaggedSentence>) {
    let names = tag_names(train, column);
    let tagged_train = tagged(train, column, &names, guides.0);
    let tagged_dev = tagged(dev, column, &names, guides.1);
    let (tagger, epochs) = fit_tagger(&tagged_train, &tagged_dev, names.len(), epochs, config, rng, log);
    let training_tags = jackknife_tags(&tagged_train, names.len(), config.folds, epochs, config.tagger_min_level, rng);
    log(&format!("{column:?} tagger: {epochs} epochs; jackknifed training tags ({} folds)", config.folds));
    (FittedTagger { names, tagger, epochs, training_tags }, tagged_train)
}

/// Epoch counts, chosen on dev or given for a refit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epochs {
    pub guide: usize,
    pub tagger: usize,
    pub parser: usize,
}

/// Trains a whole model. With `dev` non-empty, epochs are chosen on it; with
/// `fixed` epochs, exactly those are run.
pub fn fit(train: &[Sentence], dev: &[Sentence], fixed: Option<Epochs>, config: &TrainConfig, log: Log) -> (Model, TrainSummary) {
    let started = Instant::now();
    let mut rng = Rng::new(config.seed);
    let mut summary = TrainSummary { sentences: train.len(), epochs: Epochs { guide: 0, tagger: 0, parser: 0 }, non_projective_sentences: 0, lifted_arcs: 0 };
    let guide = config.guide.map(|column| fit_column(train, dev, column, (&[], &[]), fixed.map(|f| f.guide), config, &mut rng, log).0);
    let dev_guides: Vec<Vec<u8>> = match &guide {
        Some(g) => dev.iter().map(|s| g.tagger.tag_ids(&s.words.iter().map(|w| WordAtoms::new(&w.form)).collect::<Vec<_>>(), &[])).collect(),
        None => Vec::new(),
    };
    let train_guides = guide.as_ref().map_or(&[][..], |g| g.training_tags.as_slice());
    let (upos, tagged_train) = fit_column(train, dev, TagColumn::Upos, (train_guides, &dev_guides), fixed.map(|f| f.tagger), config, &mut rng, log);
    summary.epochs.guide = guide.as_ref().map_or(0, |g| g.epochs);
    summary.epochs.tagger = upos.epochs;
    let (labels, root_label) = label_table(train);
    let fallback = fallback_labels(train, &labels, root_label);
    let examples = parse_examples(train, &tagged_train, &upos.training_tags, train_guides, &labels, config.styles.len(), &mut summary);
    log(&format!("{} of {} sentences non-projective, {} arcs lifted", summary.non_projective_sentences, train.len(), summary.lifted_arcs));
    let fine = guide.map(|f| FineTagger { names: f.names, tagger: f.tagger });
    let styles = if config.styles.len() > 1 { config.styles.clone() } else { Vec::new() };
    let make_model = |parser: Parser| Model {
        language: config.language.clone(),
        about: config.about.clone(),
        styles: styles.clone(),
        default_style: config.default_style,
        tagger: upos.tagger.clone(),
        fine: fine.clone(),
        parser,
    };
    let mut trainer = ParserTrainer::new(labels.len(), root_label);
    let mut best = BestSoFar { best: None };
    for epoch in 0..fixed.map_or(config.parser_epochs, |f| f.parser) {
        let order = shuffled_order(examples.len(), &mut rng);
        let optimal = trainer.epoch(&examples, &order, epoch, config.exploration, &mut rng);
        let model = make_model(Parser { weights: trainer.trainer.freeze(config.parser_min_level), labels: labels.clone(), root_label, fallback });
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
        None => (make_model(Parser { weights: trainer.trainer.freeze(config.parser_min_level), labels, root_label, fallback }), 0),
    };
    summary.epochs.parser = parser_epochs;
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
        config.guide = Some(TagColumn::Xpos);
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
