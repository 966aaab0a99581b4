//! Mentions stage: finds the spans of text that name (or refer to) entities.
//!
//! One recognizer per file, run in this order for each sentence (an earlier
//! recognizer wins overlapping spans):
//!
//! 1. [`gazetteer`]: gazetteer names and demonyms (longest match over folded
//!    text). Found first although titles outrank them, because titles refer
//!    to them as owners ("Presiden *Rusia*").
//! 2. [`titles`]: titled persons ("Presiden Rusia Vladimir Putin", "North
//!    Korean leader Kim Jong Un", "Vladimir Putin, the president of Russia"),
//!    which also carry the role (position and owner) the title gives, and
//!    offices named without their holder ("Presiden AS"). Titled mentions
//!    are merged before gazetteer ones, so a title's person wins.
//! 3. [`names`]: capitalised names not in the gazetteer, typed by their head
//!    words ("Kementerian", "Ministry", "Party", "Airport") or their context
//!    ("Melansir Euronews"), with sentence-initial and headline capitals held
//!    back so they do not become false entities. They run after 1-2 because
//!    a longer name may swallow a gazetteer name ("South China Sea").
//! 4. [`aliases`]: acronyms and short names defined in parentheses after a
//!    mention ("Majelis Rakyat Tertinggi (SPA)"): they need the mentions of
//!    1-3 to point at.
//! 5. [`descriptions`]: definite descriptions ("negara tersebut", "the
//!    ministry") and pronouns, last: they take only words no name took.
//!
//! [`Taken`] records which tokens each step took, so a later recognizer does
//! not start inside an earlier one's span. Resolution to entities (and
//! coreference) is the next stage's job.

mod aliases;
mod descriptions;
mod gazetteer;
mod names;
mod taken;
mod titles;

use self::gazetteer::GazMentions;
use self::taken::Taken;
use crate::model::{EntityType, Language};
use crate::ontology::{Gazetteer, Lexicon, Ontology};
pub use crate::text::Sentence;
use crate::text::{fold, with_lowercase, SegmentKind, Token, TokenKind};

/// The role a title gives a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub position: String,
    /// Span of the owner's mention (a country or body), if named.
    pub owner: Option<(usize, usize)>,
    /// The country a country-specific title implies (a QID).
    pub implied: Option<String>,
    /// Start of the whole titled phrase (for evidence).
    pub phrase_start: usize,
    pub phrase_end: usize,
}

/// Where a mention came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Gazetteer entries (more than one: a declared ambiguous alias).
    Gazetteer {
        entries: std::sync::Arc<[usize]>,
        demonym: bool,
    },
    /// A capitalised name not in the gazetteer, with its guessed type.
    Name { guess: EntityType },
    /// A definite description (index into the lexicon's descriptions).
    Description { rule: usize },
    /// A pronoun; `plural` for "keduanya", "they".
    Pronoun { plural: bool },
    /// A lone capitalised word not in the gazetteer: kept only if it is a
    /// short form of a person named earlier ("Kim", "Suga").
    Bare,
    /// An acronym or short name defined in parentheses after the mention
    /// whose span is given.
    Alias { of: (usize, usize) },
    /// A title with its country but no name ("Presiden AS", "the US
    /// president", "Menlu RI"): the office, whose holder on the article's
    /// date the next stage looks up in the terms of office. The mention
    /// spans the title words; the role's phrase spans the owner too.
    Office,
}

/// A span that names or refers to an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct RawMention {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub source: Source,
    pub role: Option<Role>,
}

/// Finds mentions in all sentences of a document.
pub fn find_mentions(
    text: &str,
    sentences: &[Sentence],
    ont: &Ontology,
    lang: Language,
) -> Vec<RawMention> {
    let lex = ont.lexicon(lang);
    let mut all = Vec::with_capacity(sentences.len() * 4);
    for (si, s) in sentences.iter().enumerate() {
        if s.segment.kind == SegmentKind::Boilerplate {
            continue;
        }
        let mut found = sentence_mentions(text, si, s, ont, lex, lang);
        all.append(&mut found);
    }
    all.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    all
}

/// One sentence as every recognizer reads it.
struct Scan<'a> {
    text: &'a str,
    /// The sentence's index in the document.
    si: usize,
    toks: &'a [Token],
    /// A headline: capitals there say less, names need more words.
    is_title: bool,
    lex: &'a Lexicon,
    gaz: &'a Gazetteer,
    lang: Language,
}

impl Scan<'_> {
    /// The text of token `i` ("" past the end).
    fn w(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| word(self.text, t))
    }

    /// Is token `i` in `set` (exact case)?
    fn in_list(&self, i: usize, set: &rustc_hash::FxHashSet<String>) -> bool {
        let x = self.w(i);
        !x.is_empty() && set.contains(x)
    }

    fn is_name_token(&self, t: &Token) -> bool {
        is_name_token(self.text, t, self.lex)
    }

    /// The type of a gazetteer mention's first entry.
    fn gaz_type(&self, m: &RawMention) -> Option<EntityType> {
        match &m.source {
            Source::Gazetteer { entries, .. } => {
                entries.first().map(|&e| self.gaz.entry(e).entity_type)
            }
            _ => None,
        }
    }

    /// A gazetteer mention that can own a title: a country, organisation,
    /// city or government body.
    fn is_country_like(&self, m: &RawMention) -> bool {
        matches!(
            self.gaz_type(m),
            Some(
                EntityType::Country
                    | EntityType::Organization
                    | EntityType::City
                    | EntityType::GovernmentBody
            )
        )
    }

    /// A gazetteer person (not a demonym).
    fn is_person_gaz(&self, m: &RawMention) -> bool {
        matches!(m.source, Source::Gazetteer { demonym: false, .. })
            && self.gaz_type(m) == Some(EntityType::Person)
    }

    fn mention(&self, start: usize, end: usize, source: Source) -> RawMention {
        RawMention {
            start,
            end,
            sentence: self.si,
            source,
            role: None,
        }
    }
}

/// The mentions of one sentence: the recognizers in order (see the module
/// docs), each taking only tokens no earlier one took.
fn sentence_mentions(
    text: &str,
    si: usize,
    s: &Sentence,
    ont: &Ontology,
    lex: &Lexicon,
    lang: Language,
) -> Vec<RawMention> {
    let scan = Scan {
        text,
        si,
        toks: &s.tokens,
        is_title: s.segment.kind == SegmentKind::Title,
        lex,
        gaz: &ont.gazetteer,
        lang,
    };
    let gaz = gazetteer::recognize(&scan, s);
    let titled = titles::recognize(&scan, &gaz);
    let (mut out, mut taken) = merge_titled_and_gazetteer(&scan, titled, &gaz);
    names::recognize(&scan, &mut taken, &mut out);
    aliases::recognize(&scan, &mut taken, &mut out);
    descriptions::recognize(&scan, &mut taken, &mut out);
    out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    out
}

/// Titled mentions first, then gazetteer ones, skipping any that overlaps a
/// mention already kept; then the titled phrases' tokens are taken too, so
/// no other name starts inside them.
fn merge_titled_and_gazetteer(
    scan: &Scan<'_>,
    titled: titles::Titled,
    gaz: &GazMentions,
) -> (Vec<RawMention>, Taken) {
    let toks = scan.toks;
    let mut out: Vec<RawMention> = Vec::with_capacity(titled.mentions.len() + gaz.len() + 4);
    let mut taken = Taken::new(toks);
    for m in titled.mentions.into_iter().chain(gaz.iter().cloned()) {
        if !taken.any(toks, m.start, m.end) {
            taken.mark(toks, m.start, m.end, Taken::MENTION);
            out.push(m);
        }
    }
    for &(a, b) in &titled.blocked {
        taken.mark(toks, a, b, Taken::PHRASE);
    }
    (out, taken)
}

fn word<'a>(text: &'a str, t: &Token) -> &'a str {
    t.text(text)
}

/// Index of the token starting at byte `pos` (tokens are in text order).
fn token_at(tokens: &[Token], pos: usize) -> Option<usize> {
    tokens.binary_search_by_key(&pos, |t| t.start).ok()
}

/// Index of the token ending at byte `pos`.
fn token_ending(tokens: &[Token], pos: usize) -> Option<usize> {
    tokens.binary_search_by_key(&pos, |t| t.end).ok()
}

/// Matches a multi-word phrase (exact case) starting at token `i`; returns
/// the index after the phrase.
pub fn match_phrase(text: &str, tokens: &[Token], i: usize, phrase: &str) -> Option<usize> {
    let mut j = i;
    for w in phrase.split_whitespace() {
        let t = tokens.get(j)?;
        if word(text, t) != w {
            return None;
        }
        j += 1;
    }
    Some(j)
}

/// Like [`match_phrase`] but case-insensitive and diacritic-insensitive.
pub fn match_folded(text: &str, tokens: &[Token], i: usize, phrase: &str) -> Option<usize> {
    let mut j = i;
    for w in fold(phrase).split(' ') {
        let t = tokens.get(j)?;
        if fold(word(text, t)) != w {
            return None;
        }
        j += 1;
    }
    Some(j)
}

fn is_head(text: &str, t: &Token, heads: &rustc_hash::FxHashSet<String>) -> bool {
    heads.contains(word(text, t))
}

/// A token that can be part of a name: capitalised word (not all-lowercase),
/// or an all-caps acronym; not a title word.
fn is_name_token(text: &str, t: &Token, lex: &Lexicon) -> bool {
    if t.kind != TokenKind::Word || !t.is_capitalised(text) {
        return false;
    }
    let w = word(text, t);
    // Most name tokens are not function words: look up the lowercase form
    // only for short words (function words are short).
    if w.len() > 12 {
        return !lex.title_words.contains(w);
    }
    // A title word is not part of a name ("Presiden" before a name), nor is a
    // function word capitalised by a headline ("Untuk", "Dengan", "Of").
    !lex.title_words.contains(w) && !with_lowercase(w, |l| lex.function_words.contains(l))
}

/// What the recognizers' unit tests share: the bundled ontology, loaded
/// once, and the mentions of a text as (text, source, role position).
#[cfg(test)]
mod test_support {
    use super::*;
    use std::sync::OnceLock;

    pub(super) fn ontology() -> &'static Ontology {
        static ONT: OnceLock<Ontology> = OnceLock::new();
        ONT.get_or_init(|| Ontology::embedded().expect("the bundled ontology loads"))
    }

    /// The mentions of `text`, in text order.
    pub(super) fn found(text: &str, lang: Language) -> Vec<RawMention> {
        let sentences = crate::text::sentences(text);
        find_mentions(text, &sentences, ontology(), lang)
    }

    /// The mentions of `text` as the words they span.
    pub(super) fn spans(text: &str, lang: Language) -> Vec<&str> {
        found(text, lang)
            .iter()
            .map(|m| &text[m.start..m.end])
            .collect()
    }

    /// The mention spanning exactly `words`.
    pub(super) fn mention(text: &str, lang: Language, words: &str) -> Option<RawMention> {
        found(text, lang)
            .into_iter()
            .find(|m| &text[m.start..m.end] == words)
    }
}
