//! `warta-syntax train | eval | parse`: train models on CoNLL-U, score them
//! on gold test files, and parse text.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use warta_syntax::conllu::{self, Check, Sentence, Token};
use warta_syntax::eval::{evaluate, peak_rss_kb, thread_cpu_seconds, TagSource};
use warta_syntax::train::{fit, hold_out, Epochs, TagColumn, TrainConfig};
use warta_syntax::{split_token, Language, Model};

const USAGE: &str = "usage:
  warta-syntax train --lang en|id --train FILE... [--dev FILE | --holdout N [--refit]] --out MODEL
                     [--seed S] [--tagger-epochs N] [--parser-epochs N] [--folds K] [--min-level N] [--tagger-min-level N] [--xpos | --two-pass]
                     [--style NAME] [--epochs G,T,P]   (fixed epochs for the guide tagger, UPOS tagger, parser: no dev needed)
  warta-syntax eval  --model MODEL [--gold-tags] [--timing] [--style NAME] GOLD.conllu...
      (a model trained on several treebanks scores each file in its treebank's style,
       from the file name, unless --style is given)
  warta-syntax prune --model MODEL --min-level N [--tagger-min-level N] --out MODEL
  warta-syntax parse --model MODEL [--conllu] [--split en|id]
      parse reads stdin: one sentence per line of space-separated words (or CoNLL-U
      with --conllu; --split applies the UD clitic/hyphen splitting) and writes CoNLL-U.";

type Failure = Box<dyn std::error::Error>;

/// Command-line arguments: `--name value...` options after the subcommand.
struct Args {
    items: Vec<String>,
}

impl Args {
    fn flag(&mut self, name: &str) -> bool {
        match self.items.iter().position(|a| a == name) {
            Some(i) => {
                self.items.remove(i);
                true
            }
            None => false,
        }
    }

    /// Values after `name` up to the next `--option`.
    fn values(&mut self, name: &str) -> Vec<String> {
        let Some(i) = self.items.iter().position(|a| a == name) else { return Vec::new() };
        let end = self.items[i + 1..].iter().position(|a| a.starts_with("--")).map_or(self.items.len(), |e| i + 1 + e);
        let values: Vec<String> = self.items.drain(i..end).skip(1).collect();
        values
    }

    /// The one value after `name` (later words stay positional).
    fn value(&mut self, name: &str) -> Result<Option<String>, Failure> {
        let Some(i) = self.items.iter().position(|a| a == name) else { return Ok(None) };
        if i + 1 >= self.items.len() || self.items[i + 1].starts_with("--") {
            return Err(format!("{name} needs a value").into());
        }
        let value = self.items.remove(i + 1);
        self.items.remove(i);
        Ok(Some(value))
    }

    fn number(&mut self, name: &str) -> Result<Option<u64>, Failure> {
        match self.value(name)? {
            Some(text) => Ok(Some(text.parse().map_err(|_| format!("{name}: not a number: {text}"))?)),
            None => Ok(None),
        }
    }

    fn finish(self) -> Result<Vec<String>, Failure> {
        if let Some(unknown) = self.items.iter().find(|a| a.starts_with("--")) {
            return Err(format!("unknown option {unknown}").into());
        }
        Ok(self.items)
    }
}

/// Treebank name from a UD file name: `id_gsd-ud-dev.conllu` -> `gsd`.
fn treebank_name(path: &str) -> String {
    let name = file_name(path);
    let stem = name.split("-ud-").next().unwrap_or(&name);
    stem.split_once('_').map_or(stem, |(_, tb)| tb).to_lowercase()
}

/// Reads training files, marking each sentence with its treebank's style
/// index; returns the style names in order of first appearance.
fn read_styled(paths: &[String]) -> Result<(Vec<Sentence>, Vec<String>), Failure> {
    let mut styles: Vec<String> = Vec::new();
    let mut all = Vec::new();
    for path in paths {
        let name = treebank_name(path);
        let index = styles.iter().position(|s| *s == name).unwrap_or_else(|| {
            styles.push(name.clone());
            styles.len() - 1
        });
        for mut sentence in conllu::read_file(Path::new(path), Check::Tree)? {
            sentence.style = Some(index as u8);
            all.push(sentence);
        }
    }
    Ok((all, styles))
}

fn read_gold(paths: &[String]) -> Result<Vec<Sentence>, Failure> {
    let mut all = Vec::new();
    for path in paths {
        all.extend(conllu::read_file(Path::new(path), Check::Tree)?);
    }
    Ok(all)
}

fn train(mut args: Args) -> Result<(), Failure> {
    let lang = args.value("--lang")?.ok_or("--lang is required")?;
    let train_files = args.values("--train");
    let dev_file = args.value("--dev")?;
    let holdout = args.number("--holdout")?;
    let refit = args.flag("--refit");
    let xpos = args.flag("--xpos");
    let two_pass = args.flag("--two-pass");
    let args_style = args.value("--style")?;
    let epochs = match args.value("--epochs")? {
        Some(text) => Some(parse_epochs(&text)?),
        None => None,
    };
    let out = PathBuf::from(args.value("--out")?.ok_or("--out is required")?);
    let mut config = TrainConfig::new(&lang, args.number("--seed")?.unwrap_or(1));
    config.tagger_epochs = args.number("--tagger-epochs")?.map_or(config.tagger_epochs, |n| n as usize);
    config.parser_epochs = args.number("--parser-epochs")?.map_or(config.parser_epochs, |n| n as usize);
    config.folds = args.number("--folds")?.map_or(config.folds, |n| n as usize);
    if let Some(level) = args.number("--min-level")? {
        config.parser_min_level = level as i32;
        config.tagger_min_level = level as i32;
    }
    if let Some(level) = args.number("--tagger-min-level")? {
        config.tagger_min_level = level as i32;
    }
    config.guide = if xpos {
        Some(TagColumn::Xpos)
    } else if two_pass {
        Some(TagColumn::Upos)
    } else {
        None
    };
    args.finish()?;
    if train_files.is_empty() {
        return Err("--train needs at least one file".into());
    }
    let started = Instant::now();
    let (pool, styles) = read_styled(&train_files)?;
    let default_style = args_style.map_or(Ok(0), |name| styles.iter().position(|s| *s == name).ok_or(format!("--style {name}: not among {styles:?}")))?;
    config.styles = styles;
    config.default_style = default_style as u8;
    let (train, dev) = match (&dev_file, holdout) {
        (Some(dev), _) => (
            pool,
            read_gold(std::slice::from_ref(dev))?
                .into_iter()
                .map(|mut s| {
                    s.style = Some(config.default_style);
                    s
                })
                .collect(),
        ),
        (None, Some(every)) => hold_out(pool.clone(), every as usize),
        (None, None) => (pool, Vec::new()),
    };
    let names: Vec<String> = train_files.iter().map(|f| file_name(f)).collect();
    config.about = format!(
        "language {lang}; trained on {}; seed {}; weights pruned below {} (parser) / {} (tagger) levels",
        names.join(" + "),
        config.seed,
        config.parser_min_level,
        config.tagger_min_level
    );
    let mut log = |line: &str| eprintln!("[{:6.1}s] {line}", started.elapsed().as_secs_f64());
    eprintln!("training on {} sentences, dev {} sentences", train.len(), dev.len());
    let (mut model, mut summary) = fit(&train, &dev, epochs, &config, &mut log);
    if let Some(fixed) = epochs {
        summary.epochs = fixed;
    }
    if refit && holdout.is_some() {
        let all = read_styled(&train_files)?.0;
        eprintln!("refit on all {} sentences with the epochs chosen: {:?}", all.len(), summary.epochs);
        model = fit(&all, &[], Some(summary.epochs), &config, &mut log).0;
    }
    model.about = format!(
        "{}; guide tagger {:?} {} epochs, UPOS tagger {} epochs, parser {} epochs{}; {} of {} training sentences non-projective ({} arcs lifted)",
        config.about,
        config.guide,
        summary.epochs.guide,
        summary.epochs.tagger,
        summary.epochs.parser,
        if refit && holdout.is_some() { " (refit on all data)" } else { "" },
        summary.non_projective_sentences,
        summary.sentences,
        summary.lifted_arcs
    );
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("wrote {} ({:.1} MB) in {:.0} s", out.display(), bytes.len() as f64 / 1e6, started.elapsed().as_secs_f64());
    Ok(())
}

/// `--epochs G,T,P`: guide tagger, UPOS tagger and parser epochs.
fn parse_epochs(text: &str) -> Result<Epochs, Failure> {
    let numbers: Vec<usize> = text.split(',').map(str::parse).collect::<Result<_, _>>().map_err(|_| format!("--epochs: expected G,T,P, got {text}"))?;
    match numbers[..] {
        [guide, tagger, parser] => Ok(Epochs { guide, tagger, parser }),
        _ => Err(format!("--epochs: expected three numbers, got {text}").into()),
    }
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map_or(path.to_string(), |n| n.to_string_lossy().into_owned())
}

fn eval(mut args: Args) -> Result<(), Failure> {
    let model_path = args.value("--model")?.ok_or("--model is required")?;
    let gold_tags = args.flag("--gold-tags");
    let timing = args.flag("--timing");
    let forced_style = args.value("--style")?;
    let files = args.finish()?;
    let load_started = Instant::now();
    let load_cpu = thread_cpu_seconds();
    let model = Model::load(&model_path)?;
    let load_ms = load_started.elapsed().as_secs_f64() * 1e3;
    let load_cpu_ms = load_cpu.and_then(|start| thread_cpu_seconds().map(|end| (end - start) * 1e3));
    let tags = if gold_tags { TagSource::Gold } else { TagSource::Predicted };
    println!("| file | words | UPOS | UAS | LAS | LAS (full labels) |\n|---|---:|---:|---:|---:|---:|");
    for file in &files {
        let style = model.style_index(forced_style.as_deref().unwrap_or(&treebank_name(file)));
        let gold: Vec<Sentence> = read_gold(std::slice::from_ref(file))?
            .into_iter()
            .map(|mut s| {
                s.style = style;
                s
            })
            .collect();
        if !model.styles.is_empty() {
            let used = style.unwrap_or(model.default_style) as usize;
            eprintln!(
                "{}: scored in the {} style (model styles {:?}, default {})",
                file_name(file),
                model.styles[used],
                model.styles,
                model.styles[model.default_style as usize]
            );
        }
        let s = evaluate(&model, &gold, tags);
        println!("| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} |", file_name(file), s.words, s.upos(), s.uas(), s.las(), s.las_full());
        if timing {
            report_timing(&model, &gold);
        }
    }
    if timing {
        let cpu = load_cpu_ms.map_or(String::new(), |ms| format!(" ({ms:.1} ms on the CPU)"));
        println!("model load: {load_ms:.1} ms{cpu}; model in memory ~{:.1} MB", model.bytes_in_memory() as f64 / 1e6);
        if let Some(kb) = peak_rss_kb() {
            println!("peak RSS: {:.1} MB", kb as f64 / 1024.0);
        }
    }
    Ok(())
}

/// Tagging + parsing throughput on the sentences' forms (best of 3 rounds).
fn report_timing(model: &Model, sentences: &[Sentence]) {
    let forms: Vec<Vec<&str>> = sentences.iter().map(|s| s.forms()).collect();
    let words: usize = forms.iter().map(Vec::len).sum();
    let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        let started = Instant::now();
        let cpu = thread_cpu_seconds();
        let mut heads = 0usize;
        for sentence in &forms {
            heads += model.analyse(sentence).iter().map(|w| w.head).sum::<usize>();
        }
        std::hint::black_box(heads);
        best = best.min(started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu, thread_cpu_seconds()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    let mut tag_cpu = f64::MAX;
    for _ in 0..3 {
        let cpu = thread_cpu_seconds();
        let tags: usize = forms.iter().map(|s| model.tag(s).len()).sum();
        std::hint::black_box(tags);
        if let (Some(a), Some(b)) = (cpu, thread_cpu_seconds()) {
            tag_cpu = tag_cpu.min(b - a);
        }
    }
    println!("  tagging alone: {:.0} words per CPU second", words as f64 / tag_cpu);
    println!(
        "  tag+parse, one thread, best of 3: {words} words in {best:.3} s wall = {:.0} words/s; {best_cpu:.3} s on the CPU = {:.0} words per CPU second",
        words as f64 / best,
        words as f64 / best_cpu
    );
}

/// Drops small weights from a trained model (to trade accuracy for size).
fn prune(mut args: Args) -> Result<(), Failure> {
    let mut model = Model::load(args.value("--model")?.ok_or("--model is required")?)?;
    let level = args.number("--min-level")?.ok_or("--min-level is required")? as i32;
    let tagger_level = args.number("--tagger-min-level")?.map_or(1, |n| n as i32);
    let out = args.value("--out")?.ok_or("--out is required")?;
    args.finish()?;
    model.parser.weights = model.parser.weights.pruned(level);
    model.tagger.weights = model.tagger.weights.pruned(tagger_level);
    model.about = format!("{}; pruned below {level} (parser), {tagger_level} (tagger) levels", model.about);
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "wrote {out} ({:.1} MB): parser {} features / {} weights, tagger {} features",
        bytes.len() as f64 / 1e6,
        model.parser.weights.feature_count(),
        model.parser.weights.entry_count(),
        model.tagger.weights.feature_count()
    );
    Ok(())
}

fn parse(mut args: Args) -> Result<(), Failure> {
    let model = Model::load(args.value("--model")?.ok_or("--model is required")?)?;
    let conllu_input = args.flag("--conllu");
    let split = match args.value("--split")? {
        Some(code) => Some(Language::parse(&code).ok_or(format!("--split: unknown language {code}"))?),
        None => None,
    };
    args.finish()?;
    let stdin = std::io::stdin();
    let sentences: Vec<Sentence> = if conllu_input {
        conllu::read(BufReader::new(stdin.lock()), "<stdin>", Check::Words)?
    } else {
        let mut out = Vec::new();
        for line in BufReader::new(stdin.lock()).lines() {
            let line = line?;
            let words: Vec<Token> = line.split_whitespace().flat_map(|t| split_words(t, split)).map(|w| Token::from_form(&w)).collect();
            if !words.is_empty() {
                out.push(Sentence { comments: vec![format!("# text = {}", line.trim())], words, ..Sentence::default() });
            }
        }
        out
    };
    let mut text = String::new();
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    for mut sentence in sentences {
        let forms = sentence.forms();
        let analysed: Vec<(String, usize, String)> = model.analyse(&forms).iter().map(|w| (w.upos.to_string(), w.head, w.deprel.to_string())).collect();
        for (token, (upos, head, deprel)) in sentence.words.iter_mut().zip(analysed) {
            token.upos = upos;
            token.head = head;
            token.deprel = deprel;
        }
        text.clear();
        conllu::write_sentence(&sentence, &mut text);
        stdout.write_all(text.as_bytes())?;
    }
    Ok(())
}

fn split_words(token: &str, split: Option<Language>) -> Vec<String> {
    match split {
        Some(language) => split_token(language, token).into_iter().map(|r| token[r].to_string()).collect(),
        None => vec![token.to_string()],
    }
}

fn run() -> Result<(), Failure> {
    let mut items: Vec<String> = std::env::args().skip(1).collect();
    if items.is_empty() {
        return Err(USAGE.into());
    }
    let command = items.remove(0);
    let args = Args { items };
    match command.as_str() {
        "train" => train(args),
        "eval" => eval(args),
        "parse" => parse(args),
        "prune" => prune(args),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other}\n{USAGE}").into()),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warta-syntax: {e}");
            ExitCode::FAILURE
        }
    }
}
