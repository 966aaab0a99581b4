//! `warta parse --eval`: the shipped parser scored on a gold CoNLL-U file,
//! on the file's own tokenisation, with the CoNLL 2018 shared task's
//! definitions (see [`warta_syntax::eval`]): every word counts, punctuation
//! included; UAS is the right head, LAS the right head and universal
//! relation (`nsubj:pass` = `nsubj`); "LAS full" also compares subtypes.

use crate::model::Language;
use crate::ontology::{ModelLoadError, SyntaxModels};
use std::path::Path;
use warta_syntax::conllu::{self, Check, ConlluError};
use warta_syntax::eval::{evaluate, Scores, TagSource};

/// Why a gold file could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// The file is not valid CoNLL-U (the message names file and line).
    #[error(transparent)]
    Conllu(#[from] ConlluError),
    #[error(transparent)]
    Model(#[from] ModelLoadError),
    #[error("{file}: cannot tell the language: name the file like the UD test files (en_ewt-ud-test.conllu, id_gsd-ud-test.conllu) or pass --language en|id")]
    Language { file: String },
    #[error("{file}: no sentence to score")]
    Empty { file: String },
}

/// The scores of one gold file.
#[derive(Debug, Clone)]
pub struct FileScores {
    pub file: String,
    pub language: Language,
    /// The treebank convention it was scored in (models trained on
    /// treebanks that disagree parse in one style per treebank), if any.
    pub style: Option<String>,
    pub sentences: usize,
    pub scores: Scores,
}

/// The file's name without its folders.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The language of a UD file from its name: `en_ewt-ud-test.conllu` is
/// English, `id_csui-ud-test.conllu` Indonesian.
pub fn language_of_file(path: &Path) -> Option<Language> {
    let name = file_name(path).to_ascii_lowercase();
    let (code, _) = name.split_once('_')?;
    match code {
        "en" => Some(Language::En),
        "id" => Some(Language::Id),
        _ => None,
    }
}

/// The treebank of a UD file from its name: `id_gsd-ud-test.conllu` -> `gsd`.
pub fn treebank_of_file(path: &Path) -> Option<String> {
    let name = file_name(path).to_ascii_lowercase();
    let stem = name.split("-ud-").next()?;
    stem.split_once('_').map(|(_, tb)| tb.to_string())
}

/// Scores the language's model on a gold CoNLL-U file (strictly checked:
/// heads, one root, no cycle). The language is `forced`, else read from
/// the file name. A model with treebank styles parses in the file's
/// treebank's style when it knows it (`csui` for `id_csui-...`), else its
/// default.
pub fn score_file(
    path: &Path,
    forced: Option<Language>,
    models: &SyntaxModels,
) -> Result<FileScores, ScoreError> {
    let file = path.display().to_string();
    let language = forced
        .or_else(|| language_of_file(path))
        .ok_or_else(|| ScoreError::Language { file: file.clone() })?;
    let mut gold = conllu::read_file(path, Check::Tree)?;
    if gold.is_empty() {
        return Err(ScoreError::Empty { file });
    }
    let model = models.get(language)?;
    let style = treebank_of_file(path).and_then(|tb| model.style_index(&tb));
    for s in &mut gold {
        s.style = style;
    }
    let used = match style {
        Some(i) => model.styles.get(usize::from(i)),
        None => model.styles.get(usize::from(model.default_style)),
    };
    Ok(FileScores {
        file,
        language,
        style: used.cloned(),
        sentences: gold.len(),
        scores: evaluate(model, &gold, TagSource::Predicted),
    })
}

/// The scores as a Markdown table (one row per file; the README quotes it).
pub fn table(rows: &[FileScores]) -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "| file | language | style | sentences | words | UPOS | UAS | LAS | LAS (full labels) |\n\
         |---|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let s = &r.scores;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            file_name(Path::new(&r.file)),
            r.language.tag(),
            r.style.as_deref().unwrap_or("-"),
            r.sentences,
            s.words,
            s.upos(),
            s.uas(),
            s.las(),
            s.las_full()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = "# sent_id = 1\n# text = Russia condemned the sanctions.\n\
1\tRussia\t_\tPROPN\t_\t_\t2\tnsubj\t_\t_\n\
2\tcondemned\t_\tVERB\t_\t_\t0\troot\t_\t_\n\
3\tthe\t_\tDET\t_\t_\t4\tdet\t_\t_\n\
4\tsanctions\t_\tNOUN\t_\t_\t2\tobj\t_\tSpaceAfter=No\n\
5\t.\t_\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n";

    #[test]
    fn language_and_treebank_from_ud_file_names() {
        let p = Path::new("../shared/data/ud/id/id_csui-ud-test.conllu");
        assert_eq!(language_of_file(p), Some(Language::Id));
        assert_eq!(treebank_of_file(p).as_deref(), Some("csui"));
        assert_eq!(
            language_of_file(Path::new("EN_ewt-ud-dev.conllu")),
            Some(Language::En)
        );
        assert_eq!(language_of_file(Path::new("gold.conllu")), None);
        assert_eq!(language_of_file(Path::new("fr_gsd-ud-test.conllu")), None);
    }

    #[test]
    fn a_simple_gold_sentence_is_parsed_right() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("en_mini-ud-test.conllu");
        std::fs::write(&path, GOLD).expect("write");
        let r = score_file(&path, None, &SyntaxModels::embedded()).expect("scores");
        assert_eq!(
            (r.language, r.sentences, r.scores.words),
            (Language::En, 1, 5)
        );
        assert_eq!(r.scores.uas, 5);
        assert!(table(&[r]).contains(
            "| en_mini-ud-test.conllu | en | - | 1 | 5 | 100.00 | 100.00 | 100.00 | 100.00 |"
        ));
    }

    #[test]
    fn errors_name_the_file_and_line_or_the_way_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let models = SyntaxModels::embedded();
        let nameless = dir.path().join("gold.conllu");
        std::fs::write(&nameless, GOLD).expect("write");
        let err = score_file(&nameless, None, &models).expect_err("no language");
        assert!(
            err.to_string()
                .contains("gold.conllu: cannot tell the language"),
            "{err}"
        );
        assert!(score_file(&nameless, Some(Language::En), &models).is_ok());
        let bad = dir.path().join("en_bad.conllu");
        std::fs::write(&bad, GOLD.replace("\t2\tobj", "\t9\tobj")).expect("write");
        let err = score_file(&bad, None, &models).expect_err("head out of range");
        assert!(
            err.to_string()
                .contains("en_bad.conllu:6: head 9 out of range"),
            "{err}"
        );
    }
}
