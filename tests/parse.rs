//! End-to-end tests of `warta parse`: CoNLL-U output of an example article
//! read back strictly, the text format on a sentence of our own, `--eval`
//! on a small gold file and (when the shared UD data is there) on the
//! English-EWT test file, and `warta explain --json`'s trees.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use warta_syntax::conllu::{self, Check};

mod common;
use common::{root, stderr, warta};

/// `warta ARGS...` from the repository root, its output.
fn run(args: &[&str]) -> std::process::Output {
    warta()
        .args(args)
        .current_dir(root())
        .output()
        .expect("the warta binary runs")
}

fn stdout_ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "warta {args:?} failed: {}",
        stderr(&out)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// `warta ARGS... -` with `input` on standard input.
fn with_stdin(args: &[&str], input: &str) -> String {
    let mut child = warta()
        .args(args)
        .arg("-")
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the warta binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "warta {args:?} -: {}", stderr(&out));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The `key=value` of a MISC column.
fn misc_value<'a>(misc: &'a str, key: &str) -> Option<&'a str> {
    misc.split('|')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

#[test]
fn conllu_of_an_example_article_is_valid_and_points_into_the_text() {
    for example in [
        "examples/en-un-veto-dprk-2022.txt",
        "examples/id-kontan-korut-rusia.txt",
    ] {
        let out = stdout_ok(&["parse", example]);
        // Strict reading: 10 columns, IDs consecutive from 1, every head in
        // range, exactly one root, no cycle, known UPOS.
        let sentences = conllu::read_str(&out, example, Check::Tree)
            .unwrap_or_else(|e| panic!("{example}: invalid CoNLL-U: {e}\n{out}"));
        assert!(
            sentences.len() >= 5,
            "{example}: {} sentences",
            sentences.len()
        );
        // The text the offsets index: the article as warta normalises it.
        let raw = std::fs::read_to_string(root().join(example)).expect("example");
        let text = warta::input::normalise_text(&raw);
        let mut ids = std::collections::HashSet::new();
        for s in &sentences {
            let id = s
                .comments
                .iter()
                .find_map(|c| c.strip_prefix("# sent_id = "))
                .expect("a sent_id");
            assert!(ids.insert(id.to_string()), "sent_id {id} twice");
            assert!(s.comments.iter().any(|c| c.starts_with("# text = ")));
            assert_eq!(s.words.iter().filter(|w| w.head == 0).count(), 1);
            for (i, w) in s.words.iter().enumerate() {
                assert!(w.head <= s.words.len());
                assert_ne!(w.head, i + 1, "{id}: word {} is its own head", i + 1);
                let range = misc_value(&w.misc, "TokenRange").expect("TokenRange");
                let (a, b) = range.split_once(':').expect("START:END");
                let (a, b): (usize, usize) = (a.parse().expect("start"), b.parse().expect("end"));
                assert_eq!(text.get(a..b), Some(w.form.as_str()), "{id} word {}", i + 1);
            }
        }
    }
}

#[test]
fn conllu_marks_words_written_without_a_space() {
    let out = with_stdin(&["parse", "--language", "en"], "Moscow didn't accept it.\n");
    let s = &conllu::read_str(&out, "stdin", Check::Tree).expect("valid")[0];
    let forms: Vec<&str> = s.forms();
    assert_eq!(forms, ["Moscow", "did", "n't", "accept", "it", "."]);
    assert_eq!(s.multiword.len(), 1, "didn't is a multiword token");
    assert_eq!(s.multiword[0].form, "didn't");
    assert_eq!(misc_value(&s.words[4].misc, "SpaceAfter"), Some("No"));
    assert_eq!(misc_value(&s.words[0].misc, "SpaceAfter"), None);
}

#[test]
fn text_format_shows_the_subject_of_a_sentence() {
    let out = with_stdin(
        &["parse", "--format", "text", "--lang", "en"],
        "Russia condemned the sanctions.\n",
    );
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(
        rows.contains(&vec!["1", "Russia", "PROPN", "2", "condemned", "nsubj"]),
        "{out}"
    );
    assert!(
        rows.contains(&vec!["4", "sanctions", "NOUN", "2", "condemned", "obj"]),
        "{out}"
    );
    assert!(
        rows.contains(&vec!["2", "condemned", "VERB", "0", "ROOT", "root"]),
        "{out}"
    );
}

#[test]
fn indonesian_text_format_keeps_reduplication_whole() {
    let out = with_stdin(
        &["parse", "--format", "text", "--language", "id"],
        "Rusia mengecam sanksi negara-negara Barat.\n",
    );
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(
        rows.contains(&vec!["1", "Rusia", "PROPN", "2", "mengecam", "nsubj"]),
        "{out}"
    );
    assert!(
        rows.iter().any(|r| r.get(1) == Some(&"negara-negara")),
        "{out}"
    );
}

/// Three gold sentences: two an easy parse gets right, one with a label
/// subtype.
const GOLD: &str = "\
# sent_id = 1
# text = Russia condemned the sanctions.
1\tRussia\t_\tPROPN\t_\t_\t2\tnsubj\t_\t_
2\tcondemned\t_\tVERB\t_\t_\t0\troot\t_\t_
3\tthe\t_\tDET\t_\t_\t4\tdet\t_\t_
4\tsanctions\t_\tNOUN\t_\t_\t2\tobj\t_\tSpaceAfter=No
5\t.\t_\tPUNCT\t_\t_\t2\tpunct\t_\t_

# sent_id = 2
# text = The talks were held in Geneva.
1\tThe\t_\tDET\t_\t_\t2\tdet\t_\t_
2\ttalks\t_\tNOUN\t_\t_\t4\tnsubj:pass\t_\t_
3\twere\t_\tAUX\t_\t_\t4\taux:pass\t_\t_
4\theld\t_\tVERB\t_\t_\t0\troot\t_\t_
5\tin\t_\tADP\t_\t_\t6\tcase\t_\t_
6\tGeneva\t_\tPROPN\t_\t_\t4\tobl\t_\tSpaceAfter=No
7\t.\t_\tPUNCT\t_\t_\t4\tpunct\t_\t_

# sent_id = 3
# text = China met Japan.
1\tChina\t_\tPROPN\t_\t_\t2\tnsubj\t_\t_
2\tmet\t_\tVERB\t_\t_\t0\troot\t_\t_
3\tJapan\t_\tPROPN\t_\t_\t2\tobj\t_\tSpaceAfter=No
4\t.\t_\tPUNCT\t_\t_\t2\tpunct\t_\t_

";

/// The numbers of the table row for `file`: sentences, words, UPOS, UAS,
/// LAS, LAS (full labels).
fn scores_row(out: &str, file: &str) -> Vec<f64> {
    let row = out
        .lines()
        .find(|l| l.starts_with(&format!("| {file} |")))
        .unwrap_or_else(|| panic!("no row for {file} in\n{out}"));
    row.split('|')
        .map(str::trim)
        .filter_map(|c| c.parse().ok())
        .collect()
}

#[test]
fn eval_on_a_small_gold_file_prints_the_three_scores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gold = dir.path().join("gold.conllu");
    std::fs::write(&gold, GOLD).expect("write");
    let gold_arg = gold.to_str().expect("UTF-8 path");
    let out = stdout_ok(&["parse", "--eval", "--lang", "en", gold_arg]);
    assert!(
        out.contains("| UPOS | UAS | LAS | LAS (full labels) |"),
        "{out}"
    );
    let scores = scores_row(&out, "gold.conllu");
    assert_eq!(scores.len(), 6, "{out}");
    assert_eq!(&scores[..2], &[3.0, 16.0], "{out}");
    for s in &scores[2..] {
        assert!((0.0..=100.0).contains(s), "{out}");
    }
    // These three are easy: the parser gets most of them.
    assert!(scores[3] >= 80.0, "UAS {out}");

    // Without --lang the file's name must tell the language.
    let out = run(&["parse", "--eval", gold_arg]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("gold.conllu: cannot tell the language"),
        "{}",
        stderr(&out)
    );

    // A broken gold file: the error names file and line.
    let bad = dir.path().join("en_bad-ud-test.conllu");
    std::fs::write(
        &bad,
        GOLD.replace("2\tobj\t_\tSpaceAfter", "7\tobj\t_\tSpaceAfter"),
    )
    .expect("write");
    let out = run(&["parse", "--eval", bad.to_str().expect("UTF-8 path")]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("en_bad-ud-test.conllu:6: head 7 out of range 0..=5"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn eval_on_english_ewt_test_meets_the_targets() {
    let ud = root().join("../shared/data/ud/en/en_ewt-ud-test.conllu");
    if !Path::new(&ud).exists() {
        eprintln!("skipped: {} is absent (the shared UD data)", ud.display());
        return;
    }
    let out = stdout_ok(&["parse", "--eval", ud.to_str().expect("UTF-8 path")]);
    let s = scores_row(&out, "en_ewt-ud-test.conllu");
    let (upos, uas, las) = (s[2], s[3], s[4]);
    assert!(upos >= 95.0 && uas >= 86.0 && las >= 83.0, "{out}");
}

#[test]
fn explain_json_has_a_tree_per_sentence() {
    let out = stdout_ok(&[
        "--memory",
        "explain",
        "--json",
        "examples/en-wiki-putin-visit-2024.txt",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
    let sentences = v["sentences"].as_array().expect("sentences");
    assert!(!sentences.is_empty());
    for s in sentences {
        let tree = s["tree"].as_array().expect("a tree");
        assert_eq!(tree.iter().filter(|w| w["head"] == 0).count(), 1, "{s}");
        assert!(tree
            .iter()
            .all(|w| w["deprel"].is_string() && w["upos"].is_string()));
    }
    assert!(sentences
        .iter()
        .any(|s| !s["events"].as_array().expect("events").is_empty()));
}

#[test]
fn explain_text_shows_a_tree_line_under_each_sentence() {
    let out = stdout_ok(&["--memory", "explain", "examples/en-un-veto-dprk-2022.txt"]);
    let quoted = out
        .lines()
        .filter(|l| l.starts_with("    \u{201C}"))
        .count();
    let trees = out
        .lines()
        .filter(|l| l.starts_with("    tree: [root "))
        .count();
    assert_eq!(quoted, trees, "{out}");
}

/// Copies a folder tree, leaving out the entries named `skip`.
fn copy_without(from: &Path, to: &Path, skip: &str) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        if e.file_name() == skip {
            continue;
        }
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_without(&e.path(), &target, skip);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

#[test]
fn only_commands_that_parse_read_the_models() {
    // An ontology folder without models/: extraction keeps to surface roles
    // where it would read a tree, parsing names the missing file.
    let dir = tempfile::tempdir().expect("temp dir");
    let ont = dir.path().join("ontology");
    copy_without(&root().join("ontology"), &ont, "models");
    let ont_arg = ont.to_str().expect("UTF-8 path");
    let example = "examples/en-un-veto-dprk-2022.txt";
    let extracted = stdout_ok(&["--ontology", ont_arg, "extract", example]);
    assert!(extracted.contains("\"relations\""));
    let out = run(&["--ontology", ont_arg, "parse", example]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("models/en.syntax: cannot read the syntax model"),
        "{err}"
    );
    let out = run(&["--ontology", ont_arg, "--memory", "explain", example]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("models/en.syntax"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_syntax_keeps_roles_to_word_order_and_explain_to_no_trees() {
    // A fronted phrase hides the subject from the word-order walk; the
    // tree finds it. With --no-syntax the event is not found, and explain
    // shows no tree lines.
    let text = "Kabar dari Tokyo\n\nDalam lawatan ke Tokyo, Menlu Sugiono juga bertemu dengan Perdana Menteri Jepang Shigeru Ishiba.\n";
    let with_tree = with_stdin(&["extract", "--language", "id"], text);
    assert!(with_tree.contains("\"object\":\"Q1335527\""), "{with_tree}");
    let surface = with_stdin(&["--no-syntax", "extract", "--language", "id"], text);
    assert!(!surface.contains("\"object\":\"Q1335527\""), "{surface}");
    let explained = with_stdin(
        &["--no-syntax", "--memory", "explain", "--language", "id"],
        text,
    );
    assert!(!explained.contains("tree:"), "{explained}");
    assert!(explained.contains("did not fire"), "{explained}");
}
