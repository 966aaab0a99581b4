//! The sentence as role filling sees it: folded tokens, the units and groups
//! of mentions over them, and the walks that find a subject to the left of a
//! trigger or an object to its right.

use super::units::{coordinated_groups, units_of, Group, Unit};
use crate::entities::{DocEntities, Resolved};
use crate::mentions::Sentence;
use crate::model::EntityType;
use crate::ontology::{Lexicon, SyntaxModels};
use crate::syntax::{parse_sentence, Parse};
use crate::text::{Token, TokenKind};
use std::cell::OnceCell;

pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) toks: &'a [Token],
    pub(super) folded: Vec<std::borrow::Cow<'a, str>>,
    /// Token `i` starts some entry of a folded word list (see
    /// `Lexicon::listed_prefixes`).
    pub(super) listed: Vec<bool>,
    pub(super) lex: &'a Lexicon,
    pub(super) groups: Vec<Group>,
    /// token index -> unit index
    pub(super) unit_of: Vec<Option<usize>>,
    /// The units themselves (roles read off the tree take one unit, not its
    /// coordinated group: the tree says what is coordinated).
    pub(super) units: Vec<Unit>,
    /// Token indices of trigger verbs (active forms): the left walk for a
    /// subject stops at one, since a group before it belongs to that verb.
    pub(super) verbs: Vec<usize>,
    pub(super) doc: &'a DocEntities,
    /// What it takes to parse the sentence, once, when a rule reads roles
    /// off the tree.
    pub(super) syntax: SyntaxSource<'a>,
    parse: OnceCell<Option<Parse>>,
}

/// The sentence and the models that parse it (in the lexicon's language).
#[derive(Clone, Copy)]
pub(super) struct SyntaxSource<'a> {
    pub(super) sentence: &'a Sentence,
    pub(super) models: &'a SyntaxModels,
}

impl Ctx<'_> {
    /// The sentence's dependency tree, parsed on first use; `None` when the
    /// language's model cannot be loaded (then roles stay surface roles), or
    /// the sentence is longer than the parser is trusted with
    /// (`[tree] max_tokens`: a list of thousands of names).
    pub(super) fn parse(&self) -> Option<&Parse> {
        if self.toks.len() > self.lex.tree.max_tokens {
            return None;
        }
        self.parse
            .get_or_init(|| {
                let src = self.syntax;
                parse_sentence(self.text, src.sentence, self.lex.language, src.models).ok()
            })
            .as_ref()
    }

    /// Is token `p` a possessive "'s"?
    pub(super) fn is_possessive(&self, p: usize) -> bool {
        self.toks
            .get(p)
            .is_some_and(|t| matches!(t.text(self.text), "'s" | "\u{2019}s"))
    }

    /// Is token `i` one of `list` (folded at load)?
    pub(super) fn is(&self, i: usize, list: &[String]) -> bool {
        self.listed.get(i).copied().unwrap_or(false)
            && self
                .folded
                .get(i)
                .is_some_and(|w| list.iter().any(|l| l == w))
    }

    /// The longest phrase of `list` (folded at load) starting at token `i`:
    /// the index after it.
    pub(super) fn phrase_at(&self, i: usize, list: &[String]) -> Option<usize> {
        if !self.listed.get(i).copied().unwrap_or(false) {
            return None;
        }
        let first = self.folded.get(i)?;
        list.iter()
            .filter(|p| {
                p.starts_with(&**first)
                    && (p.len() == first.len() || p.as_bytes().get(first.len()) == Some(&b' '))
            })
            .filter_map(|p| {
                let mut k = i;
                for w in p.split(' ') {
                    if self.folded.get(k).is_none_or(|t| t != w) {
                        return None;
                    }
                    k += 1;
                }
                Some(k)
            })
            .max()
    }

    /// The unit over token `tok`, as a group of its own.
    pub(super) fn unit_at(&self, tok: usize) -> Option<Group> {
        let u = &self.units[self.unit_of.get(tok).copied().flatten()?];
        Some(Group {
            first: u.first,
            last: u.last,
            entities: u.entities.clone(),
            indirect: u.indirect,
            demonym: u.demonym,
        })
    }

    pub(super) fn group_at(&self, tok: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.first <= tok && tok <= g.last)
    }

    pub(super) fn group_starting(&self, tok: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.first == tok)
    }

    /// The group at `tok` when it names a modifier's agent ("the
    /// Iran-backed Houthis": Iran): the tokens after it, `-` and the
    /// participle, to step over. The noun after is what the phrase names.
    pub(super) fn agentive_modifier(&self, g: &Group) -> Option<usize> {
        let hyphen = g.last + 1;
        let joined = self.is_punct(hyphen, "-")
            && self
                .toks
                .get(hyphen + 1)
                .is_some_and(|t| t.start == self.toks[hyphen].end)
            && self.toks[hyphen].start == self.toks[g.last].end;
        joined.then_some(2)
    }

    pub(super) fn is_prep(&self, i: usize) -> bool {
        self.is(i, &self.lex.words.prepositions)
    }

    /// An adverb of the lexicon, or an English lower-case "-ly" word.
    pub(super) fn is_adverb(&self, i: usize) -> bool {
        self.is(i, &self.lex.words.adverbs)
            || self.lex.language == crate::model::Language::En
                && self
                    .folded
                    .get(i)
                    .is_some_and(|w| w.len() > 4 && w.ends_with("ly"))
                && !self.toks[i].is_capitalised(self.text)
    }

    pub(super) fn is_break(&self, i: usize) -> bool {
        self.is(i, &self.lex.words.clause_breaks) || self.is(i, &self.lex.words.reporting)
    }

    pub(super) fn is_punct(&self, i: usize, p: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && t.text(self.text) == p)
    }

    /// The subject by the left walk from token `from` (exclusive) down to `limit`.
    pub(super) fn left_subject(&self, from: usize, limit: usize) -> Option<&Group> {
        let mut i = from;
        while i > limit {
            i -= 1;
            // A relative clause's subject is the noun it hangs on: "Rusia
            // yang menjatuhkan sanksi", "Russia, which vetoed ...".
            // "who" names a person even as a preposition's object ("halted
            // by Trump, who redoubled ..."); "which"/"yang" after one may
            // hang on the noun before it ("the sanctions on Russia, which").
            let relative = &*self.folded[i];
            if matches!(relative, "yang" | "which" | "who") {
                let who = relative == "who";
                let head = i.checked_sub(1).map(|p| {
                    if self.is_punct(p, ",") {
                        p.saturating_sub(1)
                    } else {
                        p
                    }
                });
                if let Some(g) = head.filter(|&h| h >= limit).and_then(|h| {
                    self.group_at(h)
                        .filter(|g| g.last == h && (who || !self.is_prep_object(g)))
                }) {
                    return Some(g);
                }
            }
            if self.is_break(i)
                || self.is_punct(i, ";")
                || self.is_punct(i, ":")
                || (self.verbs.contains(&i)
                    && (i + 1..from)
                        .any(|k| self.is_punct(k, ",") || self.is(k, &self.lex.words.coordination)))
                // A verb coordinated with an earlier one ("praising Xi and
                // announcing plans to visit"): the group before it is that
                // verb's object, not a subject; the tree knows the subject.
                || (self.verbs.contains(&i)
                    && i > 0
                    && self.is(i - 1, &self.lex.words.coordination)
                    && !self.is_punct(i - 1, "-"))
            {
                return None;
            }
            if self.is_punct(i, ",") || self.is_punct(i, "\u{2014}") || self.is_punct(i, "\u{2013}")
            {
                // Step over an apposition: ", keduanya ..., " or "— tabled by X —".
                let p = self.toks[i].text(self.text).to_string();
                let prev = (limit..i).rev().find(|&k| self.is_punct(k, &p));
                if let Some(k) = prev {
                    // Unless the apposition is itself a coordinated group member.
                    if self.unit_of.get(i - 1).copied().flatten().is_none()
                        || self.group_at(i - 1).is_some_and(|g| g.first > k)
                    {
                        i = k;
                        continue;
                    }
                }
                continue;
            }
            if let Some(g) = self.group_at(i) {
                if !self.is_prep_object(g) || self.subject_after_subordinator(g, from) {
                    return Some(g);
                }
                i = g.first;
            }
        }
        None
    }

    /// "after Beijing and Honiara struck a pact", "setelah Indonesia dan
    /// Jepang menandatangani ...": a word that is a preposition and a
    /// subordinator opens a clause when a verb (`verb`, the trigger) follows
    /// its group (an active trigger form, not a noun: "before his arrival"),
    /// at most two auxiliaries or adverbs between; the group is
    /// that clause's subject, not the preposition's object.
    fn subject_after_subordinator(&self, g: &Group, verb: usize) -> bool {
        let Some(mut p) = g.first.checked_sub(1) else {
            return false;
        };
        if matches!(&*self.folded[p], "the" | "a" | "an" | "para") {
            let Some(q) = p.checked_sub(1) else {
                return false;
            };
            p = q;
        }
        let between = g.last + 1..verb;
        self.verbs.contains(&verb)
            && self.is(p, &self.lex.words.clause_breaks)
            && self.is_prep(p)
            && between.len() <= 2
            && between.clone().all(|k| {
                self.toks[k].kind == TokenKind::Word
                    && !self.toks[k].is_capitalised(self.text)
                    && !self.is_prep(k)
                    && !self.is_break(k)
            })
    }

    /// Is the group the object of a preposition, directly or past a
    /// determiner or a number ("of two North Korean missiles", "dari
    /// kedua negara")? Such a group is not a subject.
    pub(super) fn is_prep_object(&self, g: &Group) -> bool {
        let mut b = g.first;
        while let Some(p) = b.checked_sub(1) {
            let quantifier = self.toks[p].kind == TokenKind::Number
                || matches!(
                    &*self.folded[p],
                    "the"
                        | "a"
                        | "an"
                        | "two"
                        | "three"
                        | "both"
                        | "several"
                        | "dua"
                        | "tiga"
                        | "beberapa"
                        | "para"
                );
            if !quantifier || b + 2 < g.first {
                return self.is_prep(p);
            }
            b = p;
        }
        false
    }

    /// The first group starting within `window` tokens after `from`,
    /// skipping determiners and adverbs, not crossing a comma or break.
    pub(super) fn right_group(&self, from: usize, window: usize, end: usize) -> Option<&Group> {
        let mut i = from;
        let mut skipped = 0;
        while i < end && skipped <= window {
            if let Some(g) = self.group_starting(i) {
                match self.agentive_modifier(g) {
                    Some(step) => {
                        i = g.last + 1 + step;
                        continue;
                    }
                    None => return Some(g),
                }
            }
            if self.is_punct(i, ",") || self.is_break(i) || self.is_punct(i, ".") || self.is_prep(i)
            {
                return None;
            }
            i += 1;
            skipped += 1;
        }
        None
    }

    /// The group after one of `preps` within `window` tokens after `from`.
    pub(super) fn prep_group(
        &self,
        from: usize,
        preps: &[String],
        window: usize,
        end: usize,
    ) -> Option<(&Group, usize)> {
        let mut i = from;
        while i < end && i < from + window {
            if self.is(i, preps) {
                // The group right after the preposition, past a determiner and
                // at most two head nouns ("atas upaya Indonesia", "for the
                // efforts of X", "oleh pasukan militer Soviet").
                let mut j = i + 1;
                let mut nouns = 0;
                let mut limit = i + 4;
                while j < end && j <= limit {
                    if let Some(g) = self.group_starting(j) {
                        match self.agentive_modifier(g) {
                            Some(step) => {
                                limit += g.last + 1 + step - j;
                                j = g.last + 1 + step;
                                continue;
                            }
                            None => return Some((g, i)),
                        }
                    }
                    let w = &*self.folded[j];
                    let determiner =
                        matches!(w, "the" | "a" | "an" | "para" | "pihak" | "its" | "their");
                    // A capitalised head counts too when a group follows
                    // it: "terhadap Presidensi Indonesia".
                    let capitalised_head = self.toks[j].is_capitalised(self.text)
                        && self.group_starting(j + 1).is_some();
                    let noun = !determiner
                        && nouns < 2
                        && self.toks[j].kind == TokenKind::Word
                        && (!self.toks[j].is_capitalised(self.text) || capitalised_head)
                        && !self.is_prep(j)
                        && !self.is_break(j)
                        && !self.lex.forms.contains_key(w);
                    if noun {
                        nouns += 1;
                    } else if !(determiner || w == "of" && nouns >= 1) {
                        break;
                    }
                    j += 1;
                }
            }
            // A preposition past a clause break belongs to the next clause:
            // "kunjungan balasan setelah Prabowo bertandang ke Brasil".
            if self.is_punct(i, ";") || (self.is_punct(i, ".") && i + 1 < end) || self.is_break(i) {
                return None;
            }
            i += 1;
        }
        None
    }
}

/// The units of a sentence without its dateline: places (and the outlet)
/// before a dash in the first words ("JAKARTA -", "Jeddah (Trigger.id) –",
/// "Liputan6.com, Tripoli -") say where the story was filed; they are no
/// actor of the sentence.
fn without_dateline(text: &str, toks: &[Token], units: Vec<Unit>, doc: &DocEntities) -> Vec<Unit> {
    let Some(dash) = toks
        .iter()
        .take(10)
        .position(|t| matches!(t.text(text), "-" | "\u{2013}" | "\u{2014}"))
    else {
        return units;
    };
    let before: Vec<&Unit> = units.iter().filter(|u| u.first < dash).collect();
    let places_only = !before.is_empty()
        && before.iter().all(|u| {
            u.last < dash
                && u.entities.iter().all(|&e| {
                    matches!(
                        doc.entities[e].entity_type,
                        EntityType::City | EntityType::Place | EntityType::Media
                    )
                })
        });
    // Between them only punctuation, an outlet in parentheses or a
    // capitalised word: no clause starts before the dash.
    let mut depth = 0usize;
    let plain = toks[..dash].iter().enumerate().all(|(k, t)| {
        match t.text(text) {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth > 0
            || t.kind == TokenKind::Punct
            || t.is_capitalised(text)
            || before.iter().any(|u| u.first <= k && k <= u.last)
    });
    if places_only && plain {
        units.into_iter().filter(|u| u.first > dash).collect()
    } else {
        units
    }
}

/// The role filler's view of one sentence (`verbs` is filled in later, once
/// the triggers are known).
pub(super) fn build_ctx<'a>(
    text: &'a str,
    s: &'a Sentence,
    folded: Vec<std::borrow::Cow<'a, str>>,
    mentions: &[&Resolved],
    doc: &'a DocEntities,
    lex: &'a Lexicon,
    models: &'a SyntaxModels,
) -> Ctx<'a> {
    let toks = &s.tokens;
    let listed: Vec<bool> = folded
        .iter()
        .map(|w| lex.listed_prefixes.contains(w.as_ref()))
        .collect();
    let units = without_dateline(text, toks, units_of(toks, mentions), doc);
    let mut unit_of = vec![None; toks.len()];
    for (ui, u) in units.iter().enumerate() {
        for slot in unit_of.iter_mut().take(u.last + 1).skip(u.first) {
            *slot = Some(ui);
        }
    }
    let groups = coordinated_groups(&units, &folded, doc, lex);
    Ctx {
        text,
        toks,
        folded,
        listed,
        lex,
        groups,
        unit_of,
        units,
        verbs: Vec::new(),
        doc,
        syntax: SyntaxSource {
            sentence: s,
            models,
        },
        parse: OnceCell::new(),
    }
}
