//! Syntax stage: universal POS tags and a labelled dependency tree for a
//! sentence, on demand.
//!
//! warta's tokens (from [`crate::text`]) are orthographic: `don't`,
//! `center-north`, `Bush` `'s`. The treebanks the models were trained on
//! split some of them further (`do` `n't`, `center` `-` `north`), so each
//! token is first split into UD words with [`warta_syntax::split_token`];
//! every word keeps its byte span in the article text and the index of the
//! token it came from, so later stages can go from a token to its word(s)
//! and back.
//!
//! Parsing costs ~10 µs a word, and the extraction outputs do not use the
//! trees yet, so the pipeline never parses by itself: a stage (or
//! `warta parse`, or `warta explain`) calls [`parse_sentence`] for the
//! sentences it wants. The language's model is decoded on that first call
//! (see [`crate::ontology::models`]).

pub mod render;
pub mod score;

use crate::model::Language;
use crate::ontology::{ModelLoadError, SyntaxModels};
use crate::text::{Sentence, Token};
use std::ops::Range;
use warta_syntax::Model;

pub use warta_syntax::Upos;

/// One UD word of a parsed sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedWord {
    /// Byte offsets in the article text.
    pub span: Range<usize>,
    /// The text at `span`.
    pub form: String,
    pub upos: Upos,
    /// 1-based position of the head word in the sentence, 0 for the root
    /// (as in CoNLL-U).
    pub head: usize,
    /// The relation to the head, with its subtype (`nsubj:pass`).
    pub deprel: String,
    /// Index of the warta token (in the sentence's tokens) it came from.
    pub token: usize,
}

impl ParsedWord {
    /// The relation without its subtype (`nsubj:pass` -> `nsubj`).
    pub fn universal_deprel(&self) -> &str {
        warta_syntax::labels::universal_relation(&self.deprel)
    }
}

/// A sentence's words and tree. Exactly one word has head 0 (unless the
/// sentence has no words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parse {
    pub words: Vec<ParsedWord>,
    /// For each warta token, the (0-based) range of its words.
    token_words: Vec<Range<usize>>,
}

impl Parse {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The 0-based indices of the words that token `token` was split into
    /// (empty for an index past the sentence's tokens).
    pub fn word_range(&self, token: usize) -> Range<usize> {
        self.token_words.get(token).cloned().unwrap_or(0..0)
    }

    /// The words that token `token` was split into.
    pub fn words_of(&self, token: usize) -> &[ParsedWord] {
        self.words.get(self.word_range(token)).unwrap_or(&[])
    }

    /// The 0-based index of the head of word `word`, `None` for the root.
    pub fn head_of(&self, word: usize) -> Option<usize> {
        self.words
            .get(word)
            .and_then(|w| w.head.checked_sub(1))
            .filter(|&h| h < self.words.len())
    }

    /// The word that stands for token `token` in the tree: of its words,
    /// the one whose head lies outside the token (`do` of `do n't`, `north`
    /// of `center - north`); the first such if several.
    pub fn head_word(&self, token: usize) -> Option<usize> {
        let range = self.word_range(token);
        range
            .clone()
            .find(|&w| self.head_of(w).is_none_or(|h| !range.contains(&h)))
            .or_else(|| (!range.is_empty()).then_some(range.start))
    }

    /// The 0-based indices of the dependents of word `word`, in order.
    pub fn dependents(&self, word: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.words.len()).filter(move |&d| self.head_of(d) == Some(word))
    }

    /// The 0-based index of the root word.
    pub fn root(&self) -> Option<usize> {
        self.words.iter().position(|w| w.head == 0)
    }

    /// The tree on one line, as the sentence reads: every subtree in
    /// brackets with its relation first, each word as `form/UPOS`:
    /// `[root [nsubj Russia/PROPN] condemned/VERB [obj [det the/DET] sanctions/NOUN] [punct ./PUNCT]]`.
    /// Subtrees of a projective tree are contiguous, so the words come out
    /// in sentence order; every word is written once in any case.
    pub fn bracketed(&self) -> String {
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.words.len()];
        let mut roots = Vec::new();
        for w in 0..self.words.len() {
            match self.head_of(w) {
                Some(h) if h != w => children[h].push(w),
                _ => roots.push(w),
            }
        }
        let mut out = String::new();
        let mut seen = vec![false; self.words.len()];
        for (i, &r) in roots.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            self.write_subtree(r, &children, &mut seen, &mut out);
        }
        // Only a cycle (which the parser never makes) leaves words unwritten.
        for w in 0..self.words.len() {
            if !seen[w] {
                if !out.is_empty() {
                    out.push(' ');
                }
                self.write_subtree(w, &children, &mut seen, &mut out);
            }
        }
        out
    }

    /// Writes word `w`'s subtree (see [`Parse::bracketed`]). `seen` stops a
    /// cycle from recursing forever (the parser makes none; a caller's
    /// hand-made parse might).
    fn write_subtree(
        &self,
        w: usize,
        children: &[Vec<usize>],
        seen: &mut [bool],
        out: &mut String,
    ) {
        use std::fmt::Write;
        if std::mem::replace(&mut seen[w], true) {
            return;
        }
        let word = &self.words[w];
        out.push('[');
        out.push_str(&word.deprel);
        let mut me_written = false;
        for &c in &children[w] {
            if seen[c] {
                continue;
            }
            if c > w && !me_written {
                let _ = write!(out, " {}/{}", word.form, word.upos);
                me_written = true;
            }
            out.push(' ');
            if children[c].is_empty() {
                // A leaf: no need to bracket its lone word twice over.
                let leaf = &self.words[c];
                seen[c] = true;
                let _ = write!(out, "[{} {}/{}]", leaf.deprel, leaf.form, leaf.upos);
            } else {
                self.write_subtree(c, children, seen, out);
            }
        }
        if !me_written {
            let _ = write!(out, " {}/{}", word.form, word.upos);
        }
        out.push(']');
    }
}

/// The language's word splitting convention in `warta_syntax`.
pub fn syntax_language(lang: Language) -> warta_syntax::Language {
    match lang {
        Language::En => warta_syntax::Language::English,
        Language::Id => warta_syntax::Language::Indonesian,
    }
}

/// Splits the tokens into UD words: each word's byte span in `text` and the
/// index of its token. A token whose text is not at its span (which the
/// text stage never makes) gives no word.
pub fn split_words(text: &str, tokens: &[Token], lang: Language) -> Vec<(Range<usize>, usize)> {
    let convention = syntax_language(lang);
    let mut out = Vec::with_capacity(tokens.len() + tokens.len() / 8);
    for (ti, tok) in tokens.iter().enumerate() {
        let Some(form) = text.get(tok.start..tok.end) else {
            continue;
        };
        for piece in warta_syntax::split_token(convention, form) {
            if !piece.is_empty() {
                out.push((tok.start + piece.start..tok.start + piece.end, ti));
            }
        }
    }
    out
}

/// Tags and parses a sentence's tokens with `model`.
pub fn parse_tokens(text: &str, tokens: &[Token], lang: Language, model: &Model) -> Parse {
    let split = split_words(text, tokens, lang);
    let forms: Vec<&str> = split
        .iter()
        .map(|(span, _)| text.get(span.clone()).unwrap_or(""))
        .collect();
    let analysed = model.analyse(&forms);
    let mut token_words = vec![0..0; tokens.len()];
    let mut words = Vec::with_capacity(split.len());
    for (i, ((span, token), w)) in split.into_iter().zip(analysed).enumerate() {
        if let Some(r) = token_words.get_mut(token) {
            // A token's words are consecutive: the first opens its range.
            if r.start == r.end {
                *r = i..i + 1;
            } else {
                r.end = i + 1;
            }
        }
        words.push(ParsedWord {
            form: forms[i].to_string(),
            span,
            upos: w.upos,
            head: w.head,
            deprel: w.deprel.to_string(),
            token,
        });
    }
    Parse { words, token_words }
}

static SENTENCES_PARSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many sentences this process has parsed (the benchmark reports the
/// share of sentences that needed a tree).
pub fn sentences_parsed() -> usize {
    SENTENCES_PARSED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Parses one sentence of the article with the model for `lang` (decoded
/// on the first call of the process): the call later stages make, with the
/// ontology's models (`&ont.syntax`).
pub fn parse_sentence(
    text: &str,
    sentence: &Sentence,
    lang: Language,
    models: &SyntaxModels,
) -> Result<Parse, ModelLoadError> {
    let model = models.get(lang)?;
    SENTENCES_PARSED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(parse_tokens(text, &sentence.tokens, lang, model))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    fn parse(text: &str, lang: Language) -> Parse {
        let models = SyntaxModels::embedded();
        let model = models.get(lang).expect("the embedded model");
        let sentences = text::sentences(text);
        assert_eq!(sentences.len(), 1, "one sentence in {text:?}");
        parse_tokens(text, &sentences[0].tokens, lang, model)
    }

    fn word<'a>(p: &'a Parse, form: &str) -> (usize, &'a ParsedWord) {
        p.words
            .iter()
            .enumerate()
            .find(|(_, w)| w.form == form)
            .unwrap_or_else(|| panic!("no word {form:?} in {p:?}"))
    }

    #[test]
    fn an_english_subject_and_object() {
        let t = "Russia condemned the sanctions.";
        let p = parse(t, Language::En);
        assert_eq!(p.words.len(), 5);
        let (verb, v) = word(&p, "condemned");
        assert_eq!((v.head, v.deprel.as_str(), v.upos), (0, "root", Upos::Verb));
        assert_eq!(p.root(), Some(verb));
        let (_, subj) = word(&p, "Russia");
        assert_eq!((subj.head, subj.deprel.as_str()), (verb + 1, "nsubj"));
        let (_, obj) = word(&p, "sanctions");
        assert_eq!((obj.head, obj.deprel.as_str()), (verb + 1, "obj"));
        for w in &p.words {
            assert_eq!(&t[w.span.clone()], w.form);
        }
        assert_eq!(
            p.bracketed(),
            "[root [nsubj Russia/PROPN] condemned/VERB [obj [det the/DET] sanctions/NOUN] [punct ./PUNCT]]"
        );
    }

    #[test]
    fn english_clitics_and_hyphens_become_words_with_their_spans() {
        let t = "Moscow didn't accept the center-north plan.";
        let p = parse(t, Language::En);
        let forms: Vec<&str> = p.words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(
            forms,
            ["Moscow", "did", "n't", "accept", "the", "center", "-", "north", "plan", "."]
        );
        for w in &p.words {
            assert_eq!(&t[w.span.clone()], w.form);
        }
        // "didn't" is token 1, split in two words; its head word is "did"
        // unless the parser attached "did" to "n't" (it does not).
        assert_eq!(p.word_range(1), 1..3);
        assert_eq!(p.words_of(1).len(), 2);
        assert!(p.words_of(1).iter().all(|w| w.token == 1));
        assert_eq!(p.head_word(1), Some(1));
        // "center-north" is token 4: three words, headed from outside by one.
        assert_eq!(p.word_range(4), 5..8);
        let head = p.head_word(4).expect("a head word");
        assert!(p.head_of(head).is_some_and(|h| !(5..8).contains(&h)));
        assert_eq!(p.word_range(99), 0..0);
        assert_eq!(p.head_word(99), None);
    }

    #[test]
    fn indonesian_keeps_hyphenated_words_whole() {
        let t = "Presiden Joko Widodo mengutuk serangan negara-negara itu.";
        let p = parse(t, Language::Id);
        assert!(p.words.iter().any(|w| w.form == "negara-negara"));
        let (verb, v) = word(&p, "mengutuk");
        assert_eq!(v.deprel, "root");
        let (_, subj) = word(&p, "Presiden");
        assert_eq!((subj.head, subj.deprel.as_str()), (verb + 1, "nsubj"));
        let (_, obj) = word(&p, "serangan");
        assert_eq!(obj.head, verb + 1);
    }

    #[test]
    fn every_word_has_one_head_and_one_root() {
        let t = "The minister, who arrived on Monday, said talks with China would resume in Geneva next week.";
        let p = parse(t, Language::En);
        assert_eq!(p.words.iter().filter(|w| w.head == 0).count(), 1);
        assert!(p.words.iter().all(|w| w.head <= p.words.len()));
        let dependents: usize = (0..p.words.len()).map(|w| p.dependents(w).count()).sum();
        assert_eq!(dependents, p.words.len() - 1);
        // The bracketed tree writes each word once, in sentence order.
        let tree = p.bracketed();
        let written: Vec<&str> = tree
            .split(' ')
            .filter_map(|piece| piece.trim_end_matches(']').rsplit_once('/'))
            .map(|(form, _)| form)
            .collect();
        let forms: Vec<&str> = p.words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(written, forms);
    }

    #[test]
    fn an_empty_sentence_gives_an_empty_parse() {
        let models = SyntaxModels::embedded();
        let model = models.get(Language::En).expect("model");
        let p = parse_tokens("", &[], Language::En, model);
        assert!(p.is_empty());
        assert_eq!(p.root(), None);
        assert_eq!(p.bracketed(), "");
    }

    #[test]
    fn a_hand_made_cycle_is_written_without_looping() {
        let w = |form: &str, head: usize| ParsedWord {
            span: 0..0,
            form: form.into(),
            upos: Upos::Noun,
            head,
            deprel: "dep".into(),
            token: 0,
        };
        let p = Parse {
            words: vec![w("a", 2), w("b", 1)],
            // One token of two words.
            token_words: std::iter::once(0..2).collect(),
        };
        assert_eq!(p.bracketed(), "[dep a/NOUN [dep b/NOUN]]");
        assert_eq!(p.head_word(0), Some(0));
    }
}
