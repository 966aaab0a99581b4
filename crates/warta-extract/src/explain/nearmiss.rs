//! Near misses, for `warta explain`: in a sentence that names two or more
//! actors but holds no trigger form of any rule, the rules that came nearest
//! to firing, and why they did not.
//!
//! Extraction never computes this (it costs a pass over the lexicon per
//! word); `warta explain` does, through [`find`] or
//! [`crate::explain::near_misses`].
//!
//! # What "near" means
//!
//! A rule fires from a trigger *form*: a word (or words) the lexicon lists or
//! derives from a rule's roots and lemmas (see [`crate::ontology::lexicon`]),
//! outside every mention. A sentence has no trigger when no word is such a
//! form. A rule came near when, nearest first:
//!
//! 1. **swallowed** (score 0): one of its forms is in the sentence but inside
//!    a mention ("KTT" read as part of a name), and forms never overlap a
//!    mention. The word is right; the mention is wrong.
//! 2. **underived** (score 1): the word is one of the rule's roots or lemmas
//!    with affixes the lexicon knows but does not combine that way
//!    ("mempertemukan" is memper- + temu + -kan; the derivation makes
//!    meN-...-kan and per-...-an, not memper-...-kan; "condemnations" is
//!    condemnation + -s). The affixes are the lexicon's own
//!    ([`indonesian_stems`], [`INDONESIAN_SUFFIX_SLOTS`], [`english_stems`],
//!    [`ENGLISH_SUFFIX_SLOTS`]), in any combination, at most one suffix per
//!    slot, so analysis and derivation cannot disagree (a test in the
//!    lexicon module checks every derived form is analysed). The word is
//!    also near when it is a reduplication ("kecaman-kecaman") of a form.
//! 3. **close spelling** (score 1 + edits): the word is within a small
//!    edit distance of a one-word form (optimal string alignment, the
//!    restricted Damerau-Levenshtein distance, which counts a swap of two
//!    adjacent letters as one edit): see [`allowed_edits`]. At most one
//!    edit up to 9 letters, two from 10, none under [`MIN_FUZZY_LEN`]
//!    letters (short words are one edit from too many others), and no more
//!    than a quarter of the root the form comes from, since affixes are
//!    shared by many words; the first letters must be equal (a misspelt
//!    first letter is rare, and different first letters are mostly different
//!    words: "tunjangan" is not "kunjungan").
//! 4. **keyword only** (score 4): the word is (a form of) a keyword the rule
//!    needs beside its trigger (`object_after`, `requires_near`: "sanksi"),
//!    but no trigger form of the rule is there.
//!
//! A rule that needs a keyword (`requires_near` within 8 words,
//! `object_after` after the trigger here or in the two sentences before)
//! which is absent would not fire even with the right word: its near miss
//! says so and scores 2 more. Candidates are ranked by score, then by
//! position, then by rule order in the lexicon; each word is reported once
//! per rule, and at most [`MAX_PER_SENTENCE`] per sentence.
//!
//! When no word is swallowed, underived or close, the report says "no
//! trigger word of any rule in this sentence", with the closest word by the
//! same distance under a looser bound (one edit more) if there is one.
//!
//! Words inside mentions (other than swallowed forms) and function words
//! of the lexicon (prepositions, reporting verbs, negation ...) are never
//! candidates: they have another role.

use crate::entities::Resolved;
use crate::extract::Analysis;
use crate::model::Language;
use crate::ontology::lexicon::{
    derive_english, derive_indonesian, english_stems, indonesian_stems, suffix_sequence,
    TriggerForm, ENGLISH_SUFFIX_SLOTS, INDONESIAN_SUFFIX_SLOTS,
};
use crate::ontology::{Lexicon, Voice};
use crate::text::{fold, SegmentKind, Token, TokenKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// At most this many near misses are reported per sentence.
pub const MAX_PER_SENTENCE: usize = 3;
/// Words shorter than this (in letters) are never compared by edit
/// distance: a six-letter word is one substitution from too many others
/// ("sedang" and "serang", "banks" and "backs").
pub const MIN_FUZZY_LEN: usize = 7;
/// Roots and lemmas shorter than this are not looked for under affixes.
pub const MIN_STEM_LEN: usize = 3;
/// Words shorter than this are not analysed for affixes.
pub const MIN_WORD_LEN: usize = 4;
/// English lemmas shorter than this take no nominalising suffix in the
/// analysis: a short lemma plus such a suffix is mostly another word
/// ("sign" + "-al").
pub const MIN_EN_DERIVATION_STEM: usize = 5;

/// The edits allowed between a word and a form, by the shorter one's length
/// in letters: none under [`MIN_FUZZY_LEN`], one up to 9 letters, two from 10.
pub fn max_edits(len: usize) -> usize {
    match len {
        l if l < MIN_FUZZY_LEN => 0,
        7..=9 => 1,
        _ => 2,
    }
}

/// The edits allowed between a word and a form derived from a root or
/// lemma of `lemma_len` letters: [`max_edits`] of the shorter of word and
/// form, and no more than a quarter of the root (at least one). Affixes are
/// shared by many words, so edits count against the root: "berdatangan" is
/// two edits from "berhalangan", but "datang" is not "halang".
pub fn allowed_edits(word_len: usize, form_len: usize, lemma_len: usize) -> usize {
    max_edits(word_len.min(form_len)).min((lemma_len / 4).max(1))
}

/// Optimal string alignment distance (restricted Damerau-Levenshtein) over
/// characters: insertions, deletions, substitutions and swaps of two
/// adjacent characters each count one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    // Three rows: i-2, i-1, i.
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// Is `word` within the loose bound of the "closest word" line, one edit
/// more than [`allowed_edits`] (which must allow some)? The edits if so.
fn loosely_close(word: &str, form: &OneWordForm<'_>) -> Option<usize> {
    let lw = word.chars().count();
    let allowed = allowed_edits(lw, form.len, form.lemma_len);
    if allowed == 0
        || word.chars().next() != form.text.chars().next()
        || lw.abs_diff(form.len) > allowed + 1
    {
        return None;
    }
    let d = edit_distance(word, form.text);
    (d > 0 && d <= allowed + 1).then_some(d)
}

/// What a rule word of the lexicon is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LemmaKind {
    /// An Indonesian root (`roots`): takes prefixes and suffixes.
    Root,
    /// A verb (`verbs`: an English lemma, an Indonesian form as written).
    Verb,
    /// A noun (`nouns`), as written.
    Noun,
    /// A keyword the rule needs beside its trigger.
    Keyword(&'static str),
}

impl LemmaKind {
    fn name(self) -> &'static str {
        match self {
            LemmaKind::Root => "root",
            LemmaKind::Verb => "verb",
            LemmaKind::Noun => "noun",
            LemmaKind::Keyword(_) => "keyword",
        }
    }
}

/// A root, lemma or keyword of a rule.
#[derive(Debug, Clone)]
struct Lemma {
    rule: usize,
    text: String,
    kind: LemmaKind,
}

/// A stem a word of a lemma starts with.
#[derive(Debug, Clone)]
struct Stem {
    text: String,
    prefix: &'static str,
    lemma: usize,
}

/// A word analysed as a lemma with affixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffixMatch {
    pub rule: usize,
    pub lemma: String,
    pub kind: LemmaKind,
    /// The prefix ("memper-"), empty for none.
    pub prefix: &'static str,
    pub suffixes: Vec<&'static str>,
    /// The word is a hyphenated reduplication of the analysed word.
    pub reduplicated: bool,
}

impl AffixMatch {
    /// The number of affixes (fewer is a closer analysis).
    pub fn weight(&self) -> usize {
        self.suffixes.len() + usize::from(!self.prefix.is_empty()) + usize::from(self.reduplicated)
    }

    /// "memper- -kan", "-s", "reduplicated".
    fn affixes(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.prefix.is_empty() {
            parts.push(self.prefix.to_string());
        }
        parts.extend(self.suffixes.iter().map(|s| format!("-{s}")));
        if self.reduplicated {
            parts.push("reduplicated".to_string());
        }
        parts.join(" ")
    }

    /// The voice the affixes suggest: a nominalising suffix or peN-/per-
    /// without a verb suffix is a noun, di-/ter- a passive, else a verb.
    fn voice(&self, lang: Language) -> Voice {
        let verb_suffix = self.suffixes.iter().any(|s| matches!(*s, "kan" | "i"));
        let nominal = match lang {
            Language::Id => {
                self.suffixes.contains(&"an")
                    || (matches!(self.prefix, "peN-" | "per-") && !verb_suffix)
                    || self.reduplicated
            }
            Language::En => self
                .suffixes
                .first()
                .is_some_and(|s| ENGLISH_SUFFIX_SLOTS[0].contains(s)),
        };
        if nominal || self.kind == LemmaKind::Noun {
            Voice::Nominal
        } else if matches!(self.prefix, "di-" | "ter-" | "diper-") {
            Voice::Passive
        } else {
            Voice::Active
        }
    }
}

/// Why a rule came near in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// A form of the rule lies inside a mention.
    Swallowed {
        form: String,
        /// The mention's text and what it resolved to ("KTT (KTT [Person])").
        mention: String,
    },
    /// The word is a root or lemma of the rule with affixes not derived.
    Underived {
        lemma: String,
        kind: LemmaKind,
        affixes: String,
        /// Derived forms of the lemma, nearest to the word first (at most
        /// four), and whether it has more.
        forms: (Vec<String>, bool),
        voice: Voice,
    },
    /// The word is a few edits from a form of the rule.
    Close {
        form: String,
        edits: usize,
        /// Forms of the rule, nearest first (at most four), and whether it
        /// has more.
        forms: (Vec<String>, bool),
        voice: Voice,
    },
    /// The word is (a form of) a keyword of the rule, but no trigger is here.
    KeywordOnly {
        keyword: String,
        field: &'static str,
        /// The rule's roots or verbs.
        lemmas: Vec<String>,
    },
}

impl Why {
    /// How near (lower is nearer): swallowed 0, underived 1, a close
    /// spelling 1 + its edits, a keyword without trigger 4.
    pub fn score(&self) -> usize {
        match self {
            Why::Swallowed { .. } => 0,
            Why::Underived { .. } => 1,
            Why::Close { edits, .. } => 1 + edits,
            Why::KeywordOnly { .. } => 4,
        }
    }
}

/// Added to the score of a rule that needs an absent keyword: it would not
/// fire even with the right word.
pub const MISSING_PENALTY: usize = 2;

/// A keyword list of the rule none of whose words is where it must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// `requires_near` or `object_after`.
    pub field: &'static str,
    pub words: Vec<String>,
}

/// One rule that came near in one sentence.
#[derive(Debug, Clone)]
pub struct NearMiss {
    pub sentence: usize,
    pub rule: String,
    pub relation: String,
    /// The word as written, its byte span.
    pub word: String,
    pub start: usize,
    pub end: usize,
    pub why: Why,
    /// A keyword the rule also needs is absent: it would not fire anyway.
    pub missing: Option<Missing>,
    /// Lower is nearer (see the module documentation).
    pub score: usize,
    rule_index: usize,
    token: usize,
}

/// The closest word of a sentence with no trigger word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closest {
    pub word: String,
    pub form: String,
    pub rule: String,
    pub edits: usize,
}

/// The near misses of one sentence.
#[derive(Debug, Clone)]
pub struct SentenceNearMisses {
    pub sentence: usize,
    /// Best first, at most [`MAX_PER_SENTENCE`].
    pub misses: Vec<NearMiss>,
    /// No word is swallowed, underived or close (keywords may be there).
    pub no_trigger_word: bool,
    pub closest: Option<Closest>,
}

/// A one-word trigger form of the lexicon.
#[derive(Debug, Clone, Copy)]
struct OneWordForm<'l> {
    text: &'l str,
    /// Its length in letters.
    len: usize,
    /// The length of the shortest root or lemma it is derived from: the
    /// edits allowed are measured on it, since affixes are shared by many
    /// words ("berdatangan" is two edits from "berhalangan", but "datang"
    /// is not "halang").
    lemma_len: usize,
    forms: &'l [TriggerForm],
}

/// One sentence of an analysed article, as the near-miss search reads it.
struct SentenceView<'a> {
    text: &'a str,
    a: &'a Analysis,
    si: usize,
    toks: &'a [Token],
    folded: Vec<String>,
    /// Mention spans as relations sees them: a titled person spans its title.
    mentions: Vec<(usize, usize, &'a Resolved)>,
}

impl<'a> SentenceView<'a> {
    fn new(text: &'a str, a: &'a Analysis, si: usize) -> Option<Self> {
        let toks = &a.sentences.get(si)?.tokens;
        let folded: Vec<String> = toks.iter().map(|t| fold(t.text(text))).collect();
        let mentions = a
            .entities
            .mentions
            .iter()
            .filter(|m| m.sentence == si)
            .map(|m| {
                let (s, e) = m.role.as_ref().map_or((m.start, m.end), |r| {
                    let end = if r.by_date {
                        r.phrase_end.max(m.end)
                    } else {
                        m.end
                    };
                    (r.phrase_start.min(m.start), end)
                });
                (s, e, m)
            })
            .collect();
        Some(SentenceView {
            text,
            a,
            si,
            toks,
            folded,
            mentions,
        })
    }

    /// The mention over token `k`, if any.
    fn mention_at(&self, k: usize) -> Option<&'a Resolved> {
        self.toks.get(k).and_then(|t| {
            self.mentions
                .iter()
                .find(|(s, e, _)| *s <= t.start && t.end <= *e)
                .map(|&(_, _, m)| m)
        })
    }
}

/// The lexicon's rule words, stems and one-word forms, ready for matching.
pub struct Matcher<'l> {
    lex: &'l Lexicon,
    lemmas: Vec<Lemma>,
    stems: Vec<Stem>,
    /// One-word forms, sorted (deterministic).
    one_word_forms: Vec<OneWordForm<'l>>,
    function_words: HashSet<&'l str>,
}

impl<'l> Matcher<'l> {
    pub fn new(lex: &'l Lexicon) -> Matcher<'l> {
        let lang = lex.language;
        let mut lemmas = Vec::new();
        for (r, rule) in lex.rules.iter().enumerate() {
            let mut add = |text: &str, kind: LemmaKind| {
                let text = fold(text);
                if !text.is_empty() && !text.contains(' ') {
                    lemmas.push(Lemma {
                        rule: r,
                        text,
                        kind,
                    });
                }
            };
            for root in &rule.roots {
                add(root, LemmaKind::Root);
            }
            for v in &rule.verbs {
                add(v, LemmaKind::Verb);
            }
            for n in &rule.nouns {
                add(n, LemmaKind::Noun);
            }
            for k in &rule.requires_near {
                add(k, LemmaKind::Keyword("requires_near"));
            }
            for k in &rule.object_after {
                if !rule.requires_near.contains(k) {
                    add(k, LemmaKind::Keyword("object_after"));
                }
            }
        }
        let mut stems = Vec::new();
        for (i, l) in lemmas.iter().enumerate() {
            let texts: Vec<(String, &'static str)> = match (lang, l.kind) {
                (Language::Id, LemmaKind::Root) => indonesian_stems(&l.text),
                (Language::Id, _) => vec![(l.text.clone(), "")],
                (Language::En, _) => english_stems(&l.text)
                    .into_iter()
                    .map(|s| (s, ""))
                    .collect(),
            };
            for (text, prefix) in texts {
                stems.push(Stem {
                    text,
                    prefix,
                    lemma: i,
                });
            }
        }
        // The shortest root or lemma each form is derived from.
        let mut lemma_len: HashMap<String, usize> = HashMap::default();
        let mut note = |form: &str, len: usize| {
            let e = lemma_len.entry(fold(form)).or_insert(len);
            *e = (*e).min(len);
        };
        for rule in &lex.rules {
            let words = |l: &String| l.trim().chars().count();
            match lang {
                Language::Id => {
                    for root in &rule.roots {
                        for (f, _) in derive_indonesian(root) {
                            note(&f, words(root));
                        }
                    }
                    for v in &rule.verbs {
                        note(v, words(v));
                    }
                }
                Language::En => {
                    for v in &rule.verbs {
                        for (f, _) in derive_english(v) {
                            note(&f, words(v));
                        }
                    }
                }
            }
            for n in &rule.nouns {
                note(n, words(n));
                note(&format!("{n}nya"), words(n));
            }
        }
        let mut one_word_forms: Vec<OneWordForm<'l>> = lex
            .forms
            .iter()
            .filter(|(k, _)| !k.contains(' '))
            .map(|(k, v)| {
                let len = k.chars().count();
                OneWordForm {
                    text: k.as_str(),
                    len,
                    lemma_len: lemma_len.get(k).copied().unwrap_or(len),
                    forms: v.as_slice(),
                }
            })
            .collect();
        one_word_forms.sort_by(|a, b| a.text.cmp(b.text));
        let w = &lex.words;
        let function_words = [
            &w.negation,
            &w.planned,
            &w.possible,
            &w.reporting,
            &w.coordination,
            &w.passive_agent,
            &w.passive_aux,
            &w.location_preps,
            &w.prepositions,
            &w.between,
            &w.pronouns,
            &w.plural_pronouns,
            &w.clause_breaks,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
        Matcher {
            lex,
            lemmas,
            stems,
            one_word_forms,
            function_words,
        }
    }

    fn slots(&self) -> &'static [&'static [&'static str]] {
        match self.lex.language {
            Language::Id => &INDONESIAN_SUFFIX_SLOTS,
            Language::En => &ENGLISH_SUFFIX_SLOTS,
        }
    }

    /// Is `word` (folded) a form of rule `rule`?
    fn is_form_of(&self, word: &str, rule: usize) -> bool {
        self.lex
            .forms
            .get(word)
            .is_some_and(|v| v.iter().any(|f| f.rule == rule))
    }

    /// Analyses a folded word as a lemma of some rule with affixes, one
    /// analysis per (rule, lemma), fewest affixes first. A word that is
    /// exactly a lemma counts only for keywords (a trigger lemma is a form).
    pub fn affix_matches(&self, word: &str) -> Vec<AffixMatch> {
        // "kecaman kecaman" (folded from "kecaman-kecaman"): the half.
        let (word, reduplicated) = match word.split_once(' ') {
            Some((a, b)) if a == b => (a, true),
            Some(_) => return Vec::new(),
            None => (word, false),
        };
        if word.chars().count() < MIN_WORD_LEN && !reduplicated {
            return self.exact_keywords(word);
        }
        let slots = self.slots();
        let mut out: Vec<AffixMatch> = Vec::new();
        for stem in &self.stems {
            let Some(rest) = word.strip_prefix(stem.text.as_str()) else {
                continue;
            };
            let lemma = &self.lemmas[stem.lemma];
            if lemma.text.chars().count() < MIN_STEM_LEN && !(rest.is_empty() && reduplicated) {
                continue;
            }
            let Some(suffixes) = suffix_sequence(rest, slots) else {
                continue;
            };
            let bare = stem.prefix.is_empty() && suffixes.is_empty() && !reduplicated;
            // The English stem changes spelling only before a suffix ("urg" is not "urge").
            if stem.text != lemma.text && suffixes.is_empty() && stem.prefix.is_empty() {
                continue;
            }
            if bare && !matches!(lemma.kind, LemmaKind::Keyword(_)) {
                continue;
            }
            if self.lex.language == Language::En
                && suffixes
                    .first()
                    .is_some_and(|s| ENGLISH_SUFFIX_SLOTS[0].contains(s))
                && lemma.text.chars().count() < MIN_EN_DERIVATION_STEM
            {
                continue;
            }
            let m = AffixMatch {
                rule: lemma.rule,
                lemma: lemma.text.clone(),
                kind: lemma.kind,
                prefix: stem.prefix,
                suffixes,
                reduplicated,
            };
            match out
                .iter_mut()
                .find(|o| o.rule == m.rule && o.lemma == m.lemma)
            {
                Some(o) if o.weight() <= m.weight() => {}
                Some(o) => *o = m,
                None => out.push(m),
            }
        }
        out.sort_by_key(|m| (m.rule, m.weight()));
        out
    }

    fn exact_keywords(&self, word: &str) -> Vec<AffixMatch> {
        self.lemmas
            .iter()
            .filter(|l| matches!(l.kind, LemmaKind::Keyword(_)) && l.text == word)
            .map(|l| AffixMatch {
                rule: l.rule,
                lemma: l.text.clone(),
                kind: l.kind,
                prefix: "",
                suffixes: Vec::new(),
                reduplicated: false,
            })
            .collect()
    }

    /// One-word forms within [`allowed_edits`] of a folded word, with the
    /// same first letter: (form, edits, forms), nearest first.
    pub fn close_forms(&self, word: &str) -> Vec<(&'l str, usize, &'l [TriggerForm])> {
        let len = word.chars().count();
        if len < MIN_FUZZY_LEN {
            return Vec::new();
        }
        let first = word.chars().next();
        let mut out: Vec<(&'l str, usize, &'l [TriggerForm])> = self
            .one_word_forms
            .iter()
            .filter_map(|f| {
                let max = allowed_edits(len, f.len, f.lemma_len);
                if max == 0
                    || len.abs_diff(f.len) > max
                    || f.text.chars().next() != first
                    || f.text == word
                {
                    return None;
                }
                let d = edit_distance(word, f.text);
                (d > 0 && d <= max).then_some((f.text, d, f.forms))
            })
            .collect();
        out.sort_by_key(|&(f, d, _)| (d, f));
        out
    }

    /// The forms of `rule` derived from the analysed lemma (without one,
    /// all the rule's one-word forms), nearest to `word` first, at most
    /// four; and whether there are more.
    fn forms_near(
        &self,
        rule: usize,
        lemma: Option<&AffixMatch>,
        word: &str,
    ) -> (Vec<String>, bool) {
        // A reduplication is compared by its half.
        let word = match lemma {
            Some(m) if m.reduplicated => word.split(' ').next().unwrap_or(word),
            _ => word,
        };
        let mut forms: Vec<String> = match lemma {
            Some(m) => {
                let derived: Vec<String> = match (self.lex.language, m.kind) {
                    (Language::Id, LemmaKind::Root) => derive_indonesian(&m.lemma)
                        .into_iter()
                        .map(|(f, _)| f)
                        .collect(),
                    (Language::En, LemmaKind::Verb) => derive_english(&m.lemma)
                        .into_iter()
                        .map(|(f, _)| f)
                        .collect(),
                    _ => vec![m.lemma.clone(), format!("{}nya", m.lemma)],
                };
                derived
                    .into_iter()
                    .map(|f| fold(&f))
                    .filter(|f| self.is_form_of(f, rule))
                    .collect()
            }
            None => self
                .one_word_forms
                .iter()
                .filter(|f| f.forms.iter().any(|t| t.rule == rule))
                .map(|f| f.text.to_string())
                .collect(),
        };
        let mut seen = HashSet::default();
        forms.retain(|f| seen.insert(f.clone()));
        forms.sort_by_cached_key(|f| edit_distance(word, f));
        let more = forms.len() > 4;
        forms.truncate(4);
        (forms, more)
    }

    /// The rule's roots (Indonesian) or verbs, for a keyword-only near miss.
    fn rule_lemmas(&self, rule: usize) -> Vec<String> {
        let Some(r) = self.lex.rules.get(rule) else {
            return Vec::new();
        };
        let mut l: Vec<String> = r.roots.iter().chain(&r.verbs).cloned().collect();
        if l.is_empty() {
            l = r.nouns.clone();
        }
        l
    }

    /// The near misses of sentence `si` of an analysed article (whatever
    /// its triggers and actors: [`find`] chooses the sentences).
    pub fn sentence(&self, text: &str, a: &Analysis, si: usize) -> SentenceNearMisses {
        let mut report = SentenceNearMisses {
            sentence: si,
            misses: Vec::new(),
            no_trigger_word: true,
            closest: None,
        };
        let Some(view) = SentenceView::new(text, a, si) else {
            return report;
        };
        let toks = view.toks;
        let mut cands: Vec<NearMiss> = Vec::new();
        // Tokens before this are part of a swallowed form already reported.
        let mut swallowed_to = 0;
        for (k, tok) in toks.iter().enumerate() {
            if let Some(m) = view.mention_at(k) {
                if k >= swallowed_to {
                    swallowed_to = self
                        .swallowed(&view, k, m, &mut cands)
                        .unwrap_or(swallowed_to);
                }
                continue;
            }
            if tok.kind != TokenKind::Word {
                continue;
            }
            let w = view.folded[k].as_str();
            let function_word = self.function_words.contains(w);
            let mut analysed: HashSet<usize> = HashSet::default();
            self.by_affixes(&view, k, function_word, &mut analysed, &mut cands);
            if !function_word {
                self.by_spelling(&view, k, &mut analysed, &mut cands);
            }
        }
        report.misses = rank(cands);
        report.no_trigger_word = report
            .misses
            .iter()
            .all(|m| matches!(m.why, Why::KeywordOnly { .. }));
        if report.no_trigger_word {
            report.closest = self.closest(&view.folded, toks, text, &|k| view.mention_at(k));
        }
        report
    }

    /// A candidate for rule `rule` at tokens `k0..=k1`, scored (a keyword
    /// the rule needs and lacks costs [`MISSING_PENALTY`]).
    fn candidate(
        &self,
        view: &SentenceView<'_>,
        rule: usize,
        (k0, k1): (usize, usize),
        why: Why,
    ) -> Option<NearMiss> {
        let (text, toks, si) = (view.text, view.toks, view.si);
        let r = self.lex.rules.get(rule)?;
        let (t0, t1) = (toks.get(k0)?, toks.get(k1)?);
        let missing = if matches!(why, Why::KeywordOnly { .. }) {
            None
        } else {
            self.missing_keyword(text, view.a, &view.folded, si, rule, k0, k1)
        };
        let score = why.score()
            + if missing.is_some() {
                MISSING_PENALTY
            } else {
                0
            };
        Some(NearMiss {
            sentence: si,
            rule: r.id.clone(),
            relation: r.relation.clone(),
            word: text.get(t0.start..t1.end).unwrap_or("").to_string(),
            start: t0.start,
            end: t1.end,
            why,
            missing,
            score,
            rule_index: rule,
            token: k0,
        })
    }

    /// Near misses of kind 1, swallowed: a form inside mention `m`, the
    /// longest one starting at token `k`, for each of its rules. Returns the
    /// token after it, if there is one.
    fn swallowed(
        &self,
        view: &SentenceView<'_>,
        k: usize,
        m: &Resolved,
        cands: &mut Vec<NearMiss>,
    ) -> Option<usize> {
        let (text, toks, a) = (view.text, view.toks, view.a);
        let n = toks.len();
        for len in (1..=self.lex.max_form_words.min(n - k)).rev() {
            let key = view.folded[k..k + len].join(" ");
            let Some(forms) = self.lex.forms.get(&key) else {
                continue;
            };
            let said = text.get(m.start..m.end).unwrap_or("");
            let ent = m
                .entities
                .first()
                .and_then(|&e| a.entities.entities.get(e))
                .map_or(String::new(), |e| {
                    if e.label == said {
                        format!(" [{}]", e.entity_type.name())
                    } else {
                        format!(" ({} [{}])", e.label, e.entity_type.name())
                    }
                });
            let mention = format!("\"{said}\"{ent}");
            let mut rules: Vec<usize> = forms.iter().map(|f| f.rule).collect();
            rules.dedup();
            for rule in rules {
                let form = text
                    .get(toks[k].start..toks[k + len - 1].end)
                    .unwrap_or("")
                    .to_string();
                let why = Why::Swallowed {
                    form,
                    mention: mention.clone(),
                };
                cands.extend(self.candidate(view, rule, (k, k + len - 1), why));
            }
            return Some(k + len);
        }
        None
    }

    /// Near misses of kinds 2 and 4: the word at token `k` analysed as a
    /// lemma with affixes, underived forms (not for function words) and
    /// keywords. `analysed` gets the rules with an underived candidate.
    fn by_affixes(
        &self,
        view: &SentenceView<'_>,
        k: usize,
        function_word: bool,
        analysed: &mut HashSet<usize>,
        cands: &mut Vec<NearMiss>,
    ) {
        let w = view.folded[k].as_str();
        let mut keywords: HashSet<usize> = HashSet::default();
        for m in self.affix_matches(w) {
            if self.is_form_of(w, m.rule) {
                continue;
            }
            // One analysis per rule, the one with the fewest affixes.
            let first = match m.kind {
                LemmaKind::Keyword(_) => keywords.insert(m.rule),
                _ => !analysed.contains(&m.rule),
            };
            if !first {
                continue;
            }
            let why = match m.kind {
                LemmaKind::Keyword(field) => Why::KeywordOnly {
                    keyword: m.lemma.clone(),
                    field,
                    lemmas: self.rule_lemmas(m.rule),
                },
                _ if function_word => continue,
                kind => Why::Underived {
                    lemma: m.lemma.clone(),
                    kind,
                    affixes: m.affixes(),
                    forms: self.forms_near(m.rule, Some(&m), w),
                    voice: m.voice(self.lex.language),
                },
            };
            if !matches!(why, Why::KeywordOnly { .. }) {
                analysed.insert(m.rule);
            }
            cands.extend(self.candidate(view, m.rule, (k, k), why));
        }
    }

    /// Near misses of kind 3: a close spelling of a form, for rules not
    /// analysed already.
    fn by_spelling(
        &self,
        view: &SentenceView<'_>,
        k: usize,
        analysed: &mut HashSet<usize>,
        cands: &mut Vec<NearMiss>,
    ) {
        let w = view.folded[k].as_str();
        for (form, edits, forms) in self.close_forms(w) {
            let mut rules: Vec<(usize, Voice)> = forms.iter().map(|f| (f.rule, f.voice)).collect();
            rules.dedup_by_key(|r| r.0);
            for (rule, voice) in rules {
                if analysed.contains(&rule) || self.is_form_of(w, rule) {
                    continue;
                }
                analysed.insert(rule);
                let why = Why::Close {
                    form: form.to_string(),
                    edits,
                    forms: self.forms_near(rule, None, w),
                    voice,
                };
                cands.extend(self.candidate(view, rule, (k, k), why));
            }
        }
    }

    /// The word of the sentence nearest any one-word form, under the loose
    /// bound (see [`loosely_close`]).
    fn closest<'m>(
        &self,
        folded: &[String],
        toks: &[crate::text::Token],
        text: &str,
        mention_at: &dyn Fn(usize) -> Option<&'m crate::entities::Resolved>,
    ) -> Option<Closest> {
        let mut best: Option<(usize, usize, usize, &str, usize)> = None; // (edits*100/len, edits, token, form, rule)
        for (k, w) in folded.iter().enumerate() {
            if toks[k].kind != TokenKind::Word
                || mention_at(k).is_some()
                || self.function_words.contains(w.as_str())
            {
                continue;
            }
            for f in &self.one_word_forms {
                let Some(d) = loosely_close(w, f) else {
                    continue;
                };
                let Some(rule) = f.forms.iter().map(|t| t.rule).min() else {
                    continue;
                };
                let ratio = d * 100 / f.lemma_len.max(1);
                let key = (ratio, d, k, f.text, rule);
                if best.as_ref().is_none_or(|b| key < *b) {
                    best = Some(key);
                }
            }
        }
        best.and_then(|(_, edits, k, form, rule)| {
            Some(Closest {
                word: toks.get(k)?.text(text).to_string(),
                form: form.to_string(),
                rule: self.lex.rules.get(rule)?.id.clone(),
                edits,
            })
        })
    }

    /// A keyword list of rule `rule` none of whose words is where the rule
    /// looks for it, for a trigger at tokens `k0..=k1` of sentence `si`.
    #[allow(clippy::too_many_arguments)]
    fn missing_keyword(
        &self,
        text: &str,
        a: &Analysis,
        folded: &[String],
        si: usize,
        rule: usize,
        k0: usize,
        k1: usize,
    ) -> Option<Missing> {
        let r = self.lex.rules.get(rule)?;
        let has = |words: &[String], list: &[String]| words.iter().any(|w| list.contains(w));
        if !r.requires_near.is_empty() {
            let lo = k0.saturating_sub(8);
            let hi = (k1 + 1 + 8).min(folded.len());
            if !has(folded.get(lo..hi).unwrap_or(&[]), &r.requires_near) {
                return Some(Missing {
                    field: "requires_near",
                    words: r.requires_near.clone(),
                });
            }
        }
        if !r.object_after.is_empty() {
            let after = has(folded.get(k1 + 1..).unwrap_or(&[]), &r.object_after);
            let before = (si.saturating_sub(2)..si).any(|p| {
                a.sentences.get(p).is_some_and(|s| {
                    s.segment.kind != SegmentKind::Boilerplate
                        && s.tokens
                            .iter()
                            .any(|t| r.object_after.contains(&fold(t.text(text))))
                })
            });
            if !after && !before {
                return Some(Missing {
                    field: "object_after",
                    words: r.object_after.clone(),
                });
            }
        }
        None
    }
}

/// Ranks candidates: one per (word, rule), the nearest; then by score,
/// position and rule order; at most [`MAX_PER_SENTENCE`].
pub fn rank(mut cands: Vec<NearMiss>) -> Vec<NearMiss> {
    cands.sort_by_key(|c| (c.score, c.token, c.rule_index));
    let mut seen: HashSet<(usize, usize)> = HashSet::default();
    cands.retain(|c| seen.insert((c.token, c.rule_index)));
    cands.truncate(MAX_PER_SENTENCE);
    cands
}

/// The near misses of an analysed article: for every sentence (not
/// boilerplate) with no trigger form and two or more actor entities.
pub fn find(text: &str, a: &Analysis, lex: &Lexicon) -> Vec<SentenceNearMisses> {
    let mut with_trigger: HashSet<usize> = HashSet::default();
    for h in &a.triggers {
        with_trigger.insert(h.sentence);
    }
    let mut actors: HashMap<usize, HashSet<usize>> = HashMap::default();
    for m in &a.entities.mentions {
        for &e in &m.entities {
            if a.entities
                .entities
                .get(e)
                .is_some_and(|x| x.entity_type.is_actor())
            {
                actors.entry(m.sentence).or_default().insert(e);
            }
        }
    }
    let mut matcher: Option<Matcher> = None;
    let mut out = Vec::new();
    for (si, s) in a.sentences.iter().enumerate() {
        if s.segment.kind == SegmentKind::Boilerplate
            || with_trigger.contains(&si)
            || actors.get(&si).map_or(0, HashSet::len) < 2
        {
            continue;
        }
        let m = matcher.get_or_insert_with(|| Matcher::new(lex));
        out.push(m.sentence(text, a, si));
    }
    out
}

fn quoted(words: &[String], max: usize) -> String {
    let mut s: Vec<String> = words.iter().take(max).map(|w| format!("\"{w}\"")).collect();
    if words.len() > max {
        s.push("\u{2026}".to_string());
    }
    s.join(", ")
}

/// What to do so that `word` becomes a form: the lexicon field a form of
/// this voice goes in, as written.
fn advice(word: &str, voice: Voice) -> String {
    match voice {
        Voice::Active => format!("add \"{word}\" to the rule's verbs"),
        Voice::Nominal => format!("add \"{word}\" to the rule's nouns"),
        Voice::Passive => "a passive form cannot be listed as written (verbs are read as active, \
             nouns as nominal): passive forms are derived in src/ontology/lexicon.rs"
            .to_string(),
    }
}

impl NearMiss {
    /// The explanation, after "rule X (relation): ".
    pub fn explanation(&self) -> String {
        let word = &self.word;
        let mut s = match &self.why {
            Why::Swallowed { form, mention } => format!(
                "the form \"{form}\" is inside the mention {mention}, and trigger forms never overlap a mention"
            ),
            Why::Underived {
                lemma,
                kind,
                affixes,
                forms,
                voice,
            } => format!(
                "\"{word}\" looks like a form of {} \"{lemma}\" ({affixes}) but is not one the lexicon derives (forms: {}); {}{}",
                kind.name(),
                forms_list(forms),
                if *voice == Voice::Passive { "" } else { "to make it one, " },
                advice(&word.to_lowercase(), *voice)
            ),
            Why::Close {
                form,
                edits,
                forms,
                voice,
            } => format!(
                "\"{word}\" is {edits} edit{} from the form \"{form}\" but is not a form the lexicon has (forms: {}); if it is a spelling of \"{form}\": {}",
                if *edits == 1 { "" } else { "s" },
                forms_list(forms),
                advice(&word.to_lowercase(), *voice)
            ),
            Why::KeywordOnly {
                keyword,
                field,
                lemmas,
            } => {
                let what = if fold(word) == *keyword {
                    format!("\"{word}\" is its keyword ({field})")
                } else {
                    format!("\"{word}\" is a form of its keyword \"{keyword}\" ({field})")
                };
                format!(
                    "{what}, but no trigger form of the rule is in the sentence (its trigger words: {})",
                    lemmas.join(", ")
                )
            }
        };
        if let Some(m) = &self.missing {
            let place = if m.field == "requires_near" {
                "within 8 words"
            } else {
                "after it, in this sentence or the two before"
            };
            s.push_str(&format!(
                "; the rule also needs one of {} {place} ({}), and there is none",
                quoted(&m.words, 4),
                m.field
            ));
        }
        s
    }
}

/// "a, b, c, …": the forms shown, and an ellipsis when the lemma or rule
/// has more.
fn forms_list(forms: &(Vec<String>, bool)) -> String {
    let mut s = forms.0.join(", ");
    if forms.1 {
        s.push_str(", \u{2026}");
    }
    s
}

impl SentenceNearMisses {
    /// The report lines, as `warta explain` prints them (without indent).
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.no_trigger_word {
            let mut l = "near miss: no trigger word of any rule in this sentence".to_string();
            if let Some(c) = &self.closest {
                l.push_str(&format!(
                    "; the closest word is \"{}\", {} edit{} from the form \"{}\" of rule {}",
                    c.word,
                    c.edits,
                    if c.edits == 1 { "" } else { "s" },
                    c.form,
                    c.rule
                ));
            }
            out.push(l);
        }
        for m in &self.misses {
            out.push(format!(
                "near miss: rule {} ({}): {}",
                m.rule,
                m.relation,
                m.explanation()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(lang: Language) -> Lexicon {
        let (text, file) = match lang {
            Language::Id => (
                include_str!("../../../../ontology/lexicon/id.toml"),
                "id.toml",
            ),
            Language::En => (
                include_str!("../../../../ontology/lexicon/en.toml"),
                "en.toml",
            ),
        };
        Lexicon::parse(text, file, &|_| true).expect("the shipped lexicon parses")
    }

    /// The best analysis of `word` for the rule with id `rule`.
    fn analysis(m: &Matcher<'_>, lex: &Lexicon, word: &str, rule: &str) -> Option<AffixMatch> {
        m.affix_matches(word)
            .into_iter()
            .find(|a| lex.rules.get(a.rule).is_some_and(|r| r.id == rule))
    }

    #[test]
    fn affix_stripped_words_name_their_root_and_affixes() {
        let id = lexicon(Language::Id);
        let m = Matcher::new(&id);
        let a = analysis(&m, &id, "mempertemukan", "id.meets").expect("memper-temu-kan");
        assert_eq!((a.lemma.as_str(), a.prefix), ("temu", "memper-"));
        assert_eq!(a.suffixes, vec!["kan"]);
        assert_eq!(a.voice(Language::Id), Voice::Active);
        let a = analysis(&m, &id, "dikunjunginya", "id.visits").expect("di-kunjung-i-nya");
        assert_eq!((a.lemma.as_str(), a.prefix), ("kunjung", "di-"));
        assert_eq!(a.suffixes, vec!["i", "nya"]);
        assert_eq!(a.voice(Language::Id), Voice::Passive);
        let a = analysis(&m, &id, "menemuinya", "id.meets").expect("meN-temu-i-nya");
        assert_eq!(a.prefix, "meN-", "nasal assimilation: menemu- is temu");
        // Reduplication, folded from "kecaman-kecaman".
        let a = analysis(&m, &id, "kecaman kecaman", "id.condemns").expect("reduplicated");
        assert!(a.reduplicated && a.lemma == "kecam");
        assert_eq!(a.voice(Language::Id), Voice::Nominal);
        // A derived form is analysed too (the caller skips it as a form),
        // but a bare root is not a near miss of itself.
        assert!(analysis(&m, &id, "mengecam", "id.condemns").is_some());
        assert!(m.is_form_of("mengecam", m.affix_matches("mengecam")[0].rule));
        assert!(analysis(&m, &id, "kecam", "id.condemns").is_none());
        // Unrelated words are not analysed as a root.
        assert!(m.affix_matches("mengatakan").is_empty());

        let en = lexicon(Language::En);
        let m = Matcher::new(&en);
        let a = analysis(&m, &en, "condemnations", "en.condemns").expect("condemnation-s");
        assert_eq!(
            (a.lemma.as_str(), a.suffixes.clone()),
            ("condemnation", vec!["s"]),
            "the analysis with the fewest affixes comes first"
        );
        let a = analysis(&m, &en, "denouncement", "en.condemns").expect("denounce-ment");
        assert_eq!(a.voice(Language::En), Voice::Nominal);
        // A keyword with an inflection: "sanctioned" is "sanction" + -ed.
        let a = analysis(&m, &en, "sanctioned", "en.imposes-sanctions").expect("keyword");
        assert_eq!(a.kind, LemmaKind::Keyword("requires_near"));
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one_edit() {
        assert_eq!(edit_distance("condemed", "condemned"), 1);
        assert_eq!(edit_distance("critcized", "criticized"), 1);
        assert_eq!(edit_distance("mengecma", "mengecam"), 1, "adjacent swap");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("temu", "temu"), 0);
        assert_eq!(edit_distance("pertemuan", "pertemanan"), 2);
    }

    #[test]
    fn edits_allowed_grow_with_length_and_root() {
        assert_eq!(allowed_edits(6, 6, 6), 0, "under the minimum length");
        assert_eq!(allowed_edits(8, 9, 7), 1);
        assert_eq!(allowed_edits(10, 10, 9), 2);
        assert_eq!(
            allowed_edits(11, 11, 6),
            1,
            "a six-letter root allows one edit"
        );
        assert_eq!(allowed_edits(12, 12, 3), 1, "at least one");
        let en = lexicon(Language::En);
        let m = Matcher::new(&en);
        let close = |w: &str| -> Vec<(String, usize)> {
            m.close_forms(w)
                .into_iter()
                .map(|(f, d, _)| (f.to_string(), d))
                .collect()
        };
        assert!(close("condemed").contains(&("condemned".to_string(), 1)));
        assert!(close("critisized").contains(&("criticized".to_string(), 1)));
        assert!(close("condemned").is_empty(), "a form is not near itself");
        let id = lexicon(Language::Id);
        let m = Matcher::new(&id);
        let close = |w: &str| -> Vec<String> {
            m.close_forms(w)
                .into_iter()
                .map(|(f, _, _)| f.to_string())
                .collect()
        };
        assert!(close("menandatangni").contains(&"menandatangani".to_string()));
        assert!(
            !close("berdatangan").contains(&"berhalangan".to_string()),
            "two edits in a six-letter root is another word"
        );
        assert!(
            !close("tunjangan").contains(&"kunjungan".to_string()),
            "first letters differ"
        );
    }

    #[test]
    fn short_words_match_nothing() {
        let id = lexicon(Language::Id);
        let m = Matcher::new(&id);
        assert!(m.close_forms("sedang").is_empty(), "not 'serang'");
        assert!(m.affix_matches("bom").is_empty());
        let en = lexicon(Language::En);
        let m = Matcher::new(&en);
        assert!(m.close_forms("banks").is_empty(), "not 'backs'");
        assert!(
            analysis(&m, &en, "signal", "en.signs").is_none(),
            "a short lemma takes no nominalising suffix"
        );
        assert!(m.affix_matches("war").is_empty());
    }

    fn miss(token: usize, rule_index: usize, why: Why, missing: bool) -> NearMiss {
        let score = why.score() + if missing { MISSING_PENALTY } else { 0 };
        NearMiss {
            sentence: 0,
            rule: format!("r{rule_index}"),
            relation: "meets".into(),
            word: format!("w{token}"),
            start: token,
            end: token + 1,
            why,
            missing: missing.then(|| Missing {
                field: "requires_near",
                words: vec!["sanksi".into()],
            }),
            score,
            rule_index,
            token,
        }
    }

    #[test]
    fn ranking_is_nearest_first_one_per_word_and_rule_at_most_three() {
        let underived = || Why::Underived {
            lemma: "temu".into(),
            kind: LemmaKind::Root,
            affixes: "memper- -kan".into(),
            forms: (vec![], false),
            voice: Voice::Active,
        };
        let close = |edits| Why::Close {
            form: "f".into(),
            edits,
            forms: (vec![], false),
            voice: Voice::Active,
        };
        let swallowed = Why::Swallowed {
            form: "KTT".into(),
            mention: "\"KTT\"".into(),
        };
        let keyword = Why::KeywordOnly {
            keyword: "sanksi".into(),
            field: "object_after",
            lemmas: vec![],
        };
        let ranked = rank(vec![
            miss(1, 0, keyword, false),
            miss(2, 1, close(2), false),
            miss(3, 2, close(1), false),
            miss(4, 3, underived(), true),
            miss(5, 4, underived(), false),
            miss(6, 5, swallowed, false),
        ]);
        let order: Vec<usize> = ranked.iter().map(|m| m.token).collect();
        assert_eq!(order, vec![6, 5, 3], "swallowed, underived, one edit");
        // A rule that lacks its keyword ranks after a close spelling.
        let ranked = rank(vec![
            miss(4, 3, underived(), true),
            miss(2, 1, close(1), false),
        ]);
        assert_eq!(ranked[0].token, 2);
        // One per (word, rule): the nearest; ties by position, then rule order.
        let ranked = rank(vec![
            miss(7, 0, close(2), false),
            miss(7, 0, underived(), false),
            miss(3, 1, underived(), false),
            miss(3, 0, underived(), false),
        ]);
        let got: Vec<(usize, usize, usize)> = ranked
            .iter()
            .map(|m| (m.token, m.rule_index, m.score))
            .collect();
        assert_eq!(got, vec![(3, 0, 1), (3, 1, 1), (7, 0, 1)]);
    }
}
