//! Parses as text: CoNLL-U (what `warta parse` prints by default, and what
//! other UD tools read) and a compact tree, one line per word.

use super::{parse_sentence, Parse};
use crate::input::Article;
use crate::model::Language;
use crate::ontology::{ModelLoadError, SyntaxModels};
use crate::text::{self, SegmentKind};
use std::fmt::Write as _;
use warta_syntax::conllu::{self, MultiwordToken};

/// The output formats of `warta parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CoNLL-U, see [`conllu_block`].
    Conllu,
    /// One line per word, see [`text_block`].
    Text,
}

/// What [`write_article`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub sentences: usize,
    pub words: usize,
}

/// Parses every segment of the article the text stage finds (sentences,
/// titles, boilerplate: all of it is text a reader sees) and appends it to
/// `out` in `format`. Sentence ids are the first 12 hex digits of the
/// article id and the segment's index, the `[N]` of `warta explain`
/// (`3f2a9c1b0d4e-7`), so the two outputs can be read side by side.
pub fn write_article(
    article: &Article,
    lang: Language,
    models: &SyntaxModels,
    format: Format,
    out: &mut String,
) -> Result<Written, ModelLoadError> {
    let t = article.text.as_str();
    let doc_id = article.id();
    let short = doc_id.get(..12).unwrap_or(&doc_id);
    let mut written = Written::default();
    for (si, sentence) in text::sentences(t).iter().enumerate() {
        let parse = parse_sentence(t, sentence, lang, models)?;
        if parse.is_empty() {
            continue;
        }
        let mut comments = Vec::new();
        if written.sentences == 0 {
            comments.push(("newdoc id".to_string(), doc_id.clone()));
            comments.push(("source".to_string(), article.source.clone()));
            comments.push(("language".to_string(), lang.tag().to_string()));
        }
        match sentence.segment.kind {
            SegmentKind::Sentence => {}
            SegmentKind::Title => comments.push(("segment".into(), "title".into())),
            SegmentKind::Boilerplate => comments.push(("segment".into(), "boilerplate".into())),
        }
        let id = format!("{short}-{si}");
        let info = SentenceInfo {
            id: &id,
            text: sentence.segment.text(t),
            comments: &comments,
        };
        out.push_str(&match format {
            Format::Conllu => conllu_block(&parse, &info),
            Format::Text => text_block(&parse, &info),
        });
        written.sentences += 1;
        written.words += parse.words.len();
    }
    Ok(written)
}

/// What a parsed sentence is, for the comments of its CoNLL-U block.
pub struct SentenceInfo<'a> {
    /// `# sent_id`: unique within the output.
    pub id: &'a str,
    /// The sentence as it stands in the article (newlines of soft-wrapped
    /// lines become spaces in `# text`, which is one line).
    pub text: &'a str,
    /// Extra `# key = value` comments (the document id before a
    /// document's first sentence, the segment kind of a title ...).
    pub comments: &'a [(String, String)],
}

/// Whether a token split into several words is written as a UD multiword
/// token (`2-3 didn't` over `did` `n't`): clitics are, but a hyphenated
/// compound is not (EWT writes `center - north` as three plain words with
/// `SpaceAfter=No`).
fn is_multiword(words: &[super::ParsedWord]) -> bool {
    words.len() > 1 && !words.iter().any(|w| w.form == "-" || w.form == "\u{2010}")
}

/// One sentence in CoNLL-U: `# sent_id`, `# text`, then a line per word
/// with ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC; MISC carries
/// `SpaceAfter=No` when the next word follows without a space and
/// `TokenRange=START:END`, the word's byte offsets in the article text (as
/// UDPipe writes them), and ends with the blank line.
pub fn conllu_block(parse: &Parse, info: &SentenceInfo) -> String {
    let mut sentence = conllu::Sentence::default();
    for (key, value) in info.comments {
        sentence.comments.push(format!("# {key} = {value}"));
    }
    sentence.comments.push(format!("# sent_id = {}", info.id));
    let one_line: String = info.text.split_whitespace().collect::<Vec<_>>().join(" ");
    sentence.comments.push(format!("# text = {one_line}"));
    let n = parse.words.len();
    let mut in_multiword = vec![false; n];
    let mut token = 0;
    while token < parse.token_words.len() {
        let range = parse.word_range(token);
        if is_multiword(parse.words_of(token)) {
            let (first, last) = (&parse.words[range.start], &parse.words[range.end - 1]);
            let mut misc = String::new();
            if space_after_no(parse, range.end - 1) {
                misc.push_str("SpaceAfter=No|");
            }
            let _ = write!(misc, "TokenRange={}:{}", first.span.start, last.span.end);
            sentence.multiword.push(MultiwordToken {
                first: range.start + 1,
                last: range.end,
                form: first.form.clone() + &text_between(parse, range.clone()),
                misc,
            });
            in_multiword[range].iter_mut().for_each(|m| *m = true);
        }
        token += 1;
    }
    for (i, w) in parse.words.iter().enumerate() {
        let mut token = conllu::Token::from_form(&w.form);
        token.upos = w.upos.as_str().to_string();
        token.head = w.head;
        token.deprel = w.deprel.clone();
        let mut misc = String::new();
        // Inside a multiword token the spacing belongs to the range line.
        if !in_multiword[i] && space_after_no(parse, i) {
            misc.push_str("SpaceAfter=No|");
        }
        let _ = write!(misc, "TokenRange={}:{}", w.span.start, w.span.end);
        token.misc = misc;
        sentence.words.push(token);
    }
    let mut out = String::new();
    conllu::write_sentence(&sentence, &mut out);
    out
}

/// The forms after the first of a multiword token's words: the token's text
/// is its words' forms end to end (the split only cuts, it never drops).
fn text_between(parse: &Parse, words: std::ops::Range<usize>) -> String {
    parse.words[words.start + 1..words.end]
        .iter()
        .map(|w| w.form.as_str())
        .collect()
}

/// Whether word `i` is followed by the next word with no space between.
fn space_after_no(parse: &Parse, i: usize) -> bool {
    match (parse.words.get(i), parse.words.get(i + 1)) {
        (Some(w), Some(next)) => w.span.end == next.span.start,
        _ => false,
    }
}

/// The tree as one line per word: index, form, UPOS, the head's index and
/// form, and the relation.
///
/// ```text
/// # 0 Russia condemned the sanctions.
///   1 Russia     PROPN  2 condemned   nsubj
///   2 condemned  VERB   0 ROOT        root
/// ```
pub fn text_block(parse: &Parse, info: &SentenceInfo) -> String {
    let one_line: String = info.text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = format!("# {} {one_line}\n", info.id);
    let form_width = parse
        .words
        .iter()
        .map(|w| w.form.chars().count())
        .max()
        .unwrap_or(0);
    for (i, w) in parse.words.iter().enumerate() {
        let head = match parse.head_of(i) {
            Some(h) => format!("{} {}", h + 1, parse.words[h].form),
            None => "0 ROOT".to_string(),
        };
        let _ = writeln!(
            out,
            "{:>3} {:<form_width$}  {:<5}  {:<width2$}  {}",
            i + 1,
            w.form,
            w.upos.as_str(),
            head,
            w.deprel,
            width2 = form_width + 4,
        );
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use warta_syntax::conllu::Check;

    fn parse(text: &str) -> Parse {
        let models = SyntaxModels::embedded();
        let model = models.get(Language::En).expect("model");
        let sentences = text::sentences(text);
        super::super::parse_tokens(text, &sentences[0].tokens, Language::En, model)
    }

    #[test]
    fn conllu_has_comments_ranges_spacing_and_reads_back() {
        let t = "Moscow didn't accept the center-north plan.";
        let p = parse(t);
        let info = SentenceInfo {
            id: "doc-0",
            text: t,
            comments: &[("newdoc id".to_string(), "doc".to_string())],
        };
        let block = conllu_block(&p, &info);
        let lines: Vec<&str> = block.lines().collect();
        assert_eq!(lines[0], "# newdoc id = doc");
        assert_eq!(lines[1], "# sent_id = doc-0");
        assert_eq!(lines[2], format!("# text = {t}"));
        assert!(
            lines.contains(&"2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\tTokenRange=7:13"),
            "{block}"
        );
        let did = lines
            .iter()
            .find(|l| l.starts_with("2\tdid\t"))
            .expect("did");
        assert!(did.ends_with("\tTokenRange=7:10"), "{did}");
        let center = lines
            .iter()
            .find(|l| l.contains("\tcenter\t"))
            .expect("center");
        assert!(
            center.ends_with("\tSpaceAfter=No|TokenRange=25:31"),
            "{center}"
        );
        assert!(block.ends_with("\n\n"));
        let back = conllu::read_str(&block, "out", Check::Tree).expect("valid CoNLL-U");
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].words.len(), p.words.len());
        assert_eq!(back[0].multiword.len(), 1);
    }

    #[test]
    fn text_shows_heads_by_index_and_form() {
        let t = "Russia condemned the sanctions.";
        let p = parse(t);
        let info = SentenceInfo {
            id: "0",
            text: t,
            comments: &[],
        };
        let block = text_block(&p, &info);
        let lines: Vec<&str> = block.lines().collect();
        assert_eq!(lines[0], "# 0 Russia condemned the sanctions.");
        let words: Vec<Vec<&str>> = lines[1..]
            .iter()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(
            words[0],
            ["1", "Russia", "PROPN", "2", "condemned", "nsubj"]
        );
        assert_eq!(words[1], ["2", "condemned", "VERB", "0", "ROOT", "root"]);
    }

    #[test]
    fn an_article_is_written_sentence_by_sentence_with_ids() {
        let article = Article {
            source: "a.txt".into(),
            title: None,
            url: None,
            published: None,
            language: None,
            text: "Russia condemned the sanctions.\n\nChina met Japan on Monday.\n".into(),
        };
        let models = SyntaxModels::embedded();
        let mut out = String::new();
        let w = write_article(&article, Language::En, &models, Format::Conllu, &mut out)
            .expect("parsed");
        assert_eq!(
            w,
            Written {
                sentences: 2,
                words: 11
            }
        );
        let id = article.id();
        assert!(out.starts_with(&format!(
            "# newdoc id = {id}\n# source = a.txt\n# language = en\n"
        )));
        assert!(out.contains(&format!("# sent_id = {}-0\n", &id[..12])));
        assert!(out.contains(&format!("# sent_id = {}-1\n", &id[..12])));
        let back = conllu::read_str(&out, "out", Check::Tree).expect("valid");
        assert_eq!(back.len(), 2);
        let mut text = String::new();
        write_article(&article, Language::En, &models, Format::Text, &mut text).expect("parsed");
        assert!(text.contains("China"), "{text}");
    }
}
