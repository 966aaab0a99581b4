//! A strict CoNLL-U reader and a writer (<https://universaldependencies.org/format.html>).
//!
//! The reader keeps *syntactic words* (integer IDs). Multiword-token ranges
//! (`1-2 don't`) are kept beside the words so that the writer can put them back;
//! empty nodes (`8.1`, enhanced dependencies only) are skipped, since the basic
//! tree never refers to them. Every error names the file and the 1-based line.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use thiserror::Error;

/// Head value meaning "not given" (`_` in the HEAD column of unparsed input).
pub const NO_HEAD: usize = usize::MAX;

/// What went wrong in a CoNLL-U file, always with the file name and line.
#[derive(Debug, Error)]
pub enum ConlluError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: expected 10 tab-separated columns, found {found}")]
    ColumnCount { file: String, line: usize, found: usize },
    #[error("{file}:{line}: bad ID {id:?}")]
    BadId { file: String, line: usize, id: String },
    #[error("{file}:{line}: word ID {found} where {expected} was expected (IDs must be consecutive from 1)")]
    NonConsecutiveId { file: String, line: usize, expected: usize, found: usize },
    #[error("{file}:{line}: multiword token {id} must start at the next word ID {expected}")]
    BadRange { file: String, line: usize, id: String, expected: usize },
    #[error("{file}:{line}: bad HEAD {head:?}")]
    BadHead { file: String, line: usize, head: String },
    #[error("{file}:{line}: head {head} out of range 0..={len}")]
    HeadOutOfRange { file: String, line: usize, head: usize, len: usize },
    #[error("{file}:{line}: empty FORM or DEPREL column")]
    EmptyField { file: String, line: usize },
    #[error("{file}:{line}: sentence has {roots} roots; exactly one word must have head 0")]
    RootCount { file: String, line: usize, roots: usize },
    #[error("{file}:{line}: word {word} is in a head cycle")]
    Cycle { file: String, line: usize, word: usize },
    #[error("{file}:{line}: unknown UPOS {upos:?}")]
    BadUpos { file: String, line: usize, upos: String },
    #[error("{file}:{line}: multiword token {id} is not closed by the end of the sentence")]
    OpenRange { file: String, line: usize, id: String },
}

/// One syntactic word (a line with an integer ID).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 = root, 1-based like the file; [`NO_HEAD`] when the column is `_`.
    pub head: usize,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
    /// 1-based line in the source file (0 for tokens made in memory).
    pub line: usize,
}

impl Token {
    /// A bare word with only its form, for writing parser output.
    pub fn from_form(form: &str) -> Token {
        Token {
            form: form.to_string(),
            lemma: "_".into(),
            upos: "_".into(),
            xpos: "_".into(),
            feats: "_".into(),
            head: NO_HEAD,
            deprel: "_".into(),
            deps: "_".into(),
            misc: "_".into(),
            line: 0,
        }
    }
}

/// A multiword token range such as `1-2 don't`, kept for writing back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiwordToken {
    pub first: usize,
    pub last: usize,
    pub form: String,
    pub misc: String,
}

/// A sentence: comments, words (index 0 is word 1) and multiword ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    pub comments: Vec<String>,
    pub words: Vec<Token>,
    pub multiword: Vec<MultiwordToken>,
    /// 1-based line of the sentence's first line in the file.
    pub line: usize,
    /// Index of the treebank convention ("style") the sentence follows, when
    /// a model is trained on treebanks that disagree; set by the caller.
    pub style: Option<u8>,
}

impl Sentence {
    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }
}

/// How strictly to check trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Gold data: heads given, in range, one root, no cycle, labels present.
    Tree,
    /// Parser input: HEAD and DEPREL may be `_`; IDs and columns still checked.
    Words,
}

/// Reads a whole CoNLL-U file.
pub fn read_file(path: &Path, check: Check) -> Result<Vec<Sentence>, ConlluError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| ConlluError::Io { file: name.clone(), source })?;
    read(BufReader::new(file), &name, check)
}

/// Reads CoNLL-U from any reader; `name` is used in error messages.
pub fn read<R: Read>(input: BufReader<R>, name: &str, check: Check) -> Result<Vec<Sentence>, ConlluError> {
    let mut sentences = Vec::new();
    let mut builder = SentenceBuilder::new(name);
    for (index, line) in input.lines().enumerate() {
        let line = line.map_err(|source| ConlluError::Io { file: name.to_string(), source })?;
        let line_no = index + 1;
        // Every CR before the end is line-end noise: stripping only one would
        // let a field end in CR, which no longer reads the same once written.
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if let Some(sentence) = builder.finish(check)? {
                sentences.push(sentence);
            }
        } else if line.starts_with('#') {
            builder.comment(line, line_no);
        } else {
            builder.row(line, line_no)?;
        }
    }
    if let Some(sentence) = builder.finish(check)? {
        sentences.push(sentence);
    }
    Ok(sentences)
}

/// Reads CoNLL-U from a string (tests, embedded data).
pub fn read_str(text: &str, name: &str, check: Check) -> Result<Vec<Sentence>, ConlluError> {
    read(BufReader::new(text.as_bytes()), name, check)
}

struct SentenceBuilder<'a> {
    file: &'a str,
    current: Sentence,
    started: bool,
}

impl<'a> SentenceBuilder<'a> {
    fn new(file: &'a str) -> Self {
        SentenceBuilder { file, current: Sentence::default(), started: false }
    }

    fn start(&mut self, line: usize) {
        if !self.started {
            self.started = true;
            self.current.line = line;
        }
    }

    fn comment(&mut self, line: &str, line_no: usize) {
        self.start(line_no);
        self.current.comments.push(line.to_string());
    }

    fn row(&mut self, line: &str, line_no: usize) -> Result<(), ConlluError> {
        self.start(line_no);
        let file = self.file.to_string();
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(ConlluError::ColumnCount { file, line: line_no, found: cols.len() });
        }
        let id = cols[0];
        let expected = self.current.words.len() + 1;
        if let Some((first, last)) = id.split_once('-') {
            let bad = || ConlluError::BadId { file: file.clone(), line: line_no, id: id.to_string() };
            let first: usize = first.parse().map_err(|_| bad())?;
            let last: usize = last.parse().map_err(|_| bad())?;
            if first != expected || last <= first {
                return Err(ConlluError::BadRange { file, line: line_no, id: id.to_string(), expected });
            }
            self.current.multiword.push(MultiwordToken { first, last, form: cols[1].to_string(), misc: cols[9].to_string() });
            return Ok(());
        }
        if let Some((major, minor)) = id.split_once('.') {
            // Empty node (enhanced graph only): checked for form, then skipped.
            let ok = major.parse::<usize>().is_ok() && minor.parse::<usize>().is_ok();
            if !ok {
                return Err(ConlluError::BadId { file, line: line_no, id: id.to_string() });
            }
            return Ok(());
        }
        let found: usize = id.parse().map_err(|_| ConlluError::BadId { file: file.clone(), line: line_no, id: id.to_string() })?;
        if found != expected {
            return Err(ConlluError::NonConsecutiveId { file, line: line_no, expected, found });
        }
        let head = match cols[6] {
            "_" => NO_HEAD,
            text => text.parse().map_err(|_| ConlluError::BadHead { file: file.clone(), line: line_no, head: text.to_string() })?,
        };
        if cols[1].is_empty() || cols[7].is_empty() {
            return Err(ConlluError::EmptyField { file, line: line_no });
        }
        self.current.words.push(Token {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
            line: line_no,
        });
        Ok(())
    }

    fn finish(&mut self, check: Check) -> Result<Option<Sentence>, ConlluError> {
        let started = std::mem::replace(&mut self.started, false);
        let sentence = std::mem::take(&mut self.current);
        if !started {
            return Ok(None);
        }
        let len = sentence.words.len();
        if let Some(open) = sentence.multiword.iter().find(|m| m.last > len) {
            return Err(ConlluError::OpenRange { file: self.file.to_string(), line: sentence.line, id: format!("{}-{}", open.first, open.last) });
        }
        if sentence.words.is_empty() {
            // A comment-only block (e.g. `# newdoc`) carries no sentence.
            return Ok(None);
        }
        if check == Check::Tree {
            check_tree(&sentence, self.file)?;
        }
        Ok(Some(sentence))
    }
}

/// Checks that heads form one rooted tree over the words (gold data on
/// reading, a parse in [`crate::invariants`]).
pub fn check_tree(sentence: &Sentence, file: &str) -> Result<(), ConlluError> {
    let len = sentence.words.len();
    let mut roots = 0;
    for word in &sentence.words {
        if word.head == NO_HEAD {
            return Err(ConlluError::BadHead { file: file.to_string(), line: word.line, head: "_".into() });
        }
        if word.head > len {
            return Err(ConlluError::HeadOutOfRange { file: file.to_string(), line: word.line, head: word.head, len });
        }
        if word.deprel == "_" {
            return Err(ConlluError::EmptyField { file: file.to_string(), line: word.line });
        }
        if crate::labels::Upos::parse(&word.upos).is_none() {
            return Err(ConlluError::BadUpos { file: file.to_string(), line: word.line, upos: word.upos.clone() });
        }
        if word.head == 0 {
            roots += 1;
            if roots > 1 {
                return Err(ConlluError::RootCount { file: file.to_string(), line: word.line, roots });
            }
        }
    }
    if roots == 0 {
        return Err(ConlluError::RootCount { file: file.to_string(), line: sentence.line, roots });
    }
    // Walking up from each word must reach 0 within `len` steps.
    for (index, word) in sentence.words.iter().enumerate() {
        let mut node = index + 1;
        let mut steps = 0;
        while node != 0 {
            node = sentence.words[node - 1].head;
            steps += 1;
            if steps > len {
                return Err(ConlluError::Cycle { file: file.to_string(), line: word.line, word: index + 1 });
            }
        }
    }
    Ok(())
}

/// Writes one sentence in CoNLL-U, multiword ranges before their first word,
/// followed by the blank line that ends it.
pub fn write_sentence(sentence: &Sentence, out: &mut String) {
    for comment in &sentence.comments {
        out.push_str(comment);
        out.push('\n');
    }
    let mut ranges = sentence.multiword.iter().peekable();
    for (index, word) in sentence.words.iter().enumerate() {
        let id = index + 1;
        while let Some(range) = ranges.next_if(|r| r.first == id) {
            let _ = writeln!(out, "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}", range.first, range.last, range.form, range.misc);
        }
        let head = if word.head == NO_HEAD { "_".to_string() } else { word.head.to_string() };
        let _ = writeln!(
            out,
            "{id}\t{}\t{}\t{}\t{}\t{}\t{head}\t{}\t{}\t{}",
            word.form, word.lemma, word.upos, word.xpos, word.feats, word.deprel, word.deps, word.misc
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# sent_id = 1\n# text = I don't know.\n\
1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
4.1\tknow\t_\t_\t_\t_\t_\t_\t_\t_\n\
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    fn error_of(text: &str) -> String {
        match read_str(text, "bad.conllu", Check::Tree) {
            Ok(_) => "no error".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reads_words_ranges_and_skips_empty_nodes() {
        let sentences = read_str(GOOD, "good.conllu", Check::Tree).expect("valid");
        assert_eq!(sentences.len(), 1);
        let s = &sentences[0];
        assert_eq!(s.forms(), vec!["I", "do", "n't", "know", "."]);
        assert_eq!(s.multiword, vec![MultiwordToken { first: 2, last: 3, form: "don't".into(), misc: "_".into() }]);
        assert_eq!(s.words[0].head, 4);
        assert_eq!(s.words[4].line, 9);
    }

    #[test]
    fn writer_round_trips_without_empty_nodes() {
        let sentences = read_str(GOOD, "good.conllu", Check::Tree).expect("valid");
        let mut out = String::new();
        write_sentence(&sentences[0], &mut out);
        let expected: String = GOOD.lines().filter(|l| !l.starts_with("4.1")).map(|l| format!("{l}\n")).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn bad_column_count_names_file_and_line() {
        let text = "1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\n\n";
        assert_eq!(error_of(text), "bad.conllu:1: expected 10 tab-separated columns, found 9");
    }

    #[test]
    fn head_out_of_range() {
        let text = "1\tI\tI\tPRON\t_\t_\t0\troot\t_\t_\n2\tgo\tgo\tVERB\t_\t_\t7\tdep\t_\t_\n\n";
        assert_eq!(error_of(text), "bad.conllu:2: head 7 out of range 0..=2");
    }

    #[test]
    fn two_roots_and_no_root() {
        let two = "# c\n1\tI\tI\tPRON\t_\t_\t0\troot\t_\t_\n2\tgo\tgo\tVERB\t_\t_\t0\troot\t_\t_\n\n";
        assert_eq!(error_of(two), "bad.conllu:3: sentence has 2 roots; exactly one word must have head 0");
        let none = "1\tI\tI\tPRON\t_\t_\t2\tnsubj\t_\t_\n2\tgo\tgo\tVERB\t_\t_\t1\tdep\t_\t_\n\n";
        assert_eq!(error_of(none), "bad.conllu:1: sentence has 0 roots; exactly one word must have head 0");
    }

    #[test]
    fn cycle_ids_and_ranges() {
        let cycle = "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n2\tb\tb\tX\t_\t_\t3\tdep\t_\t_\n3\tc\tc\tX\t_\t_\t2\tdep\t_\t_\n\n";
        assert_eq!(error_of(cycle), "bad.conllu:2: word 2 is in a head cycle");
        let gap = "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n3\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n\n";
        assert!(error_of(gap).starts_with("bad.conllu:2: word ID 3 where 2 was expected"));
        let range = "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n3-4\tbc\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
        assert!(error_of(range).starts_with("bad.conllu:2: multiword token 3-4 must start"));
        let open = "1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n\n";
        assert!(error_of(open).starts_with("bad.conllu:1: multiword token 1-2 is not closed"));
        let bad_head = "1\ta\ta\tX\t_\t_\tx\troot\t_\t_\n\n";
        assert_eq!(error_of(bad_head), "bad.conllu:1: bad HEAD \"x\"");
    }

    #[test]
    fn words_mode_accepts_missing_heads() {
        let text = "1\tI\t_\t_\t_\t_\t_\t_\t_\t_\n2\tgo\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
        let s = read_str(text, "in.conllu", Check::Words).expect("valid words");
        assert_eq!(s[0].words[1].head, NO_HEAD);
        assert!(read_str(text, "in.conllu", Check::Tree).is_err());
    }
}
