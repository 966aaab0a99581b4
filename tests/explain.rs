//! End-to-end tests of `warta explain`'s near misses: the real binary on
//! article files, in Indonesian and English, where a sentence names actors
//! but no rule fires, next to one where a rule does.

use std::path::{Path, PathBuf};
use std::process::Command;
use warta::extract::Extractor;
use warta::input::Article;
use warta::model::Language;
use warta::ontology::Ontology;

fn warta() -> Command {
    Command::new(env!("CARGO_BIN_EXE_warta"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `warta [before...] explain --language LANG FILE`, its standard output.
fn explain(before: &[&str], lang: &str, file: &Path) -> String {
    let mut cmd = warta();
    cmd.args(before);
    explain_with(cmd, lang, file)
}

/// `explain --language LANG FILE` run by `cmd` (a `warta` command with its
/// global flags and environment set), its standard output.
fn explain_with(mut cmd: Command, lang: &str, file: &Path) -> String {
    let out = cmd
        .args(["explain", "--language", lang])
        .arg(file)
        .current_dir(root())
        .output()
        .expect("the warta binary runs");
    assert!(
        out.status.success(),
        "warta explain failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The block of explain output about the sentence containing `words`.
fn block<'a>(out: &'a str, words: &str) -> &'a str {
    out.split("\n[")
        .find(|b| b.contains(words))
        .unwrap_or_else(|| panic!("no sentence with {words:?} in:\n{out}"))
}

fn near_miss_lines(block: &str) -> Vec<&str> {
    block
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("near miss:"))
        .collect()
}

const ID_ARTICLE: &str = "Presiden Joko Widodo mempertemukan Perdana Menteri Jepang Fumio Kishida \
dengan Presiden Korea Selatan Yoon Suk Yeol di Istana Bogor pada Selasa.\n\n\
Menteri Luar Negeri Retno Marsudi bertemu dengan Menteri Luar Negeri Jepang Yoko Kamikawa \
di Jakarta pada Senin.\n\n\
Jepang juga mengirim kapal patroli ke Laut China Selatan pekan lalu.\n";

const EN_ARTICLE: &str = "China's denouncement of the United States over arms sales to Taiwan \
grew sharper on Tuesday.\n\n\
French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris on Monday.\n\n\
China and Russia held a joint naval exercise near Japan on Tuesday.\n";

#[test]
fn indonesian_sentence_without_event_names_the_rule_and_word_that_almost_fired() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("berita.txt");
    std::fs::write(&file, ID_ARTICLE).expect("write");
    let out = explain(&[], "id", &file);

    let missed = block(&out, "mempertemukan");
    let lines = near_miss_lines(missed);
    assert!(!lines.is_empty(), "{missed}");
    let first = lines[0];
    assert!(
        first.starts_with("near miss: rule id.meets (meets): \"mempertemukan\"")
            && first.contains("looks like a form of root \"temu\"")
            && first.contains("memper-")
            && first.contains("but is not one the lexicon derives (forms: ")
            && first.contains("add \"mempertemukan\" to the rule's verbs"),
        "{first}"
    );
    assert!(!missed.contains("trigger "), "{missed}");

    let fired = block(&out, "bertemu dengan");
    assert!(fired.contains("rule id.meets fired"), "{fired}");
    assert!(near_miss_lines(fired).is_empty(), "{fired}");
}

#[test]
fn english_sentence_without_event_names_the_rule_and_word_that_almost_fired() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("news.txt");
    std::fs::write(&file, EN_ARTICLE).expect("write");
    let out = explain(&[], "en", &file);

    let missed = block(&out, "denouncement");
    let lines = near_miss_lines(missed);
    assert!(!lines.is_empty(), "{missed}");
    assert!(
        lines[0].starts_with("near miss: rule en.condemns (condemns): \"denouncement\"")
            && lines[0].contains("looks like a form of verb \"denounce\" (-ment)")
            && lines[0].contains("add \"denouncement\" to the rule's nouns"),
        "{}",
        lines[0]
    );

    let fired = block(&out, "Macron met");
    assert!(fired.contains("rule en.meets fired"), "{fired}");
    assert!(near_miss_lines(fired).is_empty(), "{fired}");

    // Two actors and no word near any rule's.
    let nothing = block(&out, "naval exercise");
    let lines = near_miss_lines(nothing);
    assert!(
        lines.first().is_some_and(
            |l| l.starts_with("near miss: no trigger word of any rule in this sentence")
        ),
        "{nothing}"
    );
}

#[test]
fn a_sentence_with_fewer_than_two_actors_gets_no_near_miss() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("berita.txt");
    std::fs::write(&file, ID_ARTICLE).expect("write");
    let out = explain(&[], "id", &file);
    // One actor (Jepang), the rest places: no event is expected.
    let other = block(&out, "kapal patroli");
    assert!(other.contains("Jepang [Country"), "{other}");
    assert!(near_miss_lines(other).is_empty(), "{other}");
}

/// Following the advice of a near miss makes the rule fire: the near miss
/// names a real gap of the lexicon, and how to fill it.
#[test]
fn following_the_advice_turns_the_near_miss_into_a_trigger() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ont = dir.path().join("ontology");
    copy_dir(&root().join("ontology"), &ont);
    let lex_path = ont.join("lexicon").join("id.toml");
    let lex = std::fs::read_to_string(&lex_path).expect("id.toml");
    let at = lex.find("id = \"id.meets\"").expect("the meets rule");
    let verbs = at + lex[at..].find("verbs = [").expect("its verbs") + "verbs = [".len();
    let edited = format!("{}\"mempertemukan\", {}", &lex[..verbs], &lex[verbs..]);
    std::fs::write(&lex_path, edited).expect("write id.toml");

    let file = dir.path().join("berita.txt");
    std::fs::write(&file, ID_ARTICLE).expect("write");
    let ont_arg = ont.to_str().expect("UTF-8 path");
    let out = explain(&["--ontology", ont_arg], "id", &file);
    let now = block(&out, "mempertemukan");
    assert!(
        now.contains("trigger \"mempertemukan\" (meets, active) rule id.meets"),
        "{now}"
    );
    assert!(near_miss_lines(now).is_empty(), "{now}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = entry.path();
        let dest = to.join(entry.file_name());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// The library exposes the same near misses on the analysis.
#[test]
fn the_analysis_gives_the_near_misses_per_sentence() {
    let ont = Ontology::embedded().expect("the bundled ontology loads");
    let article = Article {
        source: "news.txt".into(),
        title: None,
        url: None,
        published: None,
        language: Some("en".into()),
        text: EN_ARTICLE.into(),
    };
    let analysis = Extractor::new(&ont).analyse(&article, Some(Language::En));
    let near = warta::explain::near_misses(&analysis, &article.text, &ont);
    let sentence_of = |words: &str| {
        analysis
            .sentences
            .iter()
            .position(|s| s.segment.text(&article.text).contains(words))
            .expect("sentence")
    };
    let denouncement = sentence_of("denouncement");
    let report = near
        .iter()
        .find(|n| n.sentence == denouncement)
        .expect("a report for the sentence without event");
    let best = report.misses.first().expect("a near miss");
    assert_eq!(
        (best.rule.as_str(), best.word.as_str()),
        ("en.condemns", "denouncement")
    );
    assert_eq!(
        &article.text[best.start..best.end],
        "denouncement",
        "offsets into the article"
    );
    assert!(!report.no_trigger_word);
    let met = sentence_of("Macron met");
    assert!(near.iter().all(|n| n.sentence != met), "a rule fired there");
}

/// `--no-syntax` and the `WARTA_NO_SYNTAX` variable the README documents
/// (`=1`, as shells and CI set flags) both turn the trees off; `=0` leaves
/// them on.
#[test]
fn no_syntax_flag_and_variable_turn_trees_off() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("one.txt");
    std::fs::write(&file, "Russia condemned Japan on Monday.\n").expect("the article is written");
    let trees = |env: Option<&str>, flag: bool| {
        let mut cmd = warta();
        cmd.env_remove("WARTA_NO_SYNTAX");
        if let Some(v) = env {
            cmd.env("WARTA_NO_SYNTAX", v);
        }
        if flag {
            cmd.arg("--no-syntax");
        }
        explain_with(cmd, "en", &file).matches("tree: [").count()
    };
    assert_eq!(trees(None, false), 1, "explain shows the sentence's tree");
    assert_eq!(trees(None, true), 0, "--no-syntax");
    assert_eq!(trees(Some("1"), false), 0, "WARTA_NO_SYNTAX=1");
    assert_eq!(trees(Some("true"), false), 0, "WARTA_NO_SYNTAX=true");
    assert_eq!(trees(Some("0"), false), 1, "WARTA_NO_SYNTAX=0");
}
