//! Recognizer: capitalised names the gazetteer does not know.
//!
//! A run of name tokens (with "of", name particles and "Workers'" inside)
//! is trimmed of sentence-initial and other common capitalised words, typed
//! by its head words or its context ([`guess_type`]), and kept when the
//! type is credible: an unknown person needs an honorific (titled persons
//! were found before), a headline name two words. A gazetteer name inside a
//! longer name next to a head word is swallowed by it ("Kementerian Luar
//! Negeri Korea Utara", "South China Sea"). A lone capitalised word is kept
//! as a possible short form of a person named earlier ("Kim").

use super::taken::Taken;
use super::{is_head, token_ending, word, RawMention, Scan, Source};
use crate::model::EntityType;
use crate::ontology::Lexicon;
use crate::text::{Token, TokenKind};

/// A candidate name: its first token before trimming (`i`), its tokens
/// after trimming (`start_i..end_i`), and the gazetteer mentions it swallows.
struct Candidate {
    i: usize,
    start_i: usize,
    end_i: usize,
    swallowed: Vec<(usize, usize)>,
}

/// Adds the sentence's unknown capitalised names to `out`.
pub(super) fn recognize(scan: &Scan<'_>, taken: &mut Taken, out: &mut Vec<RawMention>) {
    let toks = scan.toks;
    let mut i = 0;
    while i < toks.len() {
        if taken.at(i) || !scan.is_name_token(&toks[i]) {
            i += 1;
            continue;
        }
        let (j, swallowed) = extend(scan, taken, out, i);
        if let Some((start_i, end_i)) = trim(scan, i, j) {
            let c = Candidate {
                i,
                start_i,
                end_i,
                swallowed,
            };
            keep_if_credible(scan, taken, out, c);
        }
        i = j.max(i + 1);
    }
}

/// The end of the name run starting at token `i`, and the gazetteer names
/// it swallows on the way.
fn extend(
    scan: &Scan<'_>,
    taken: &Taken,
    out: &[RawMention],
    i: usize,
) -> (usize, Vec<(usize, usize)>) {
    let (text, toks, lex) = (scan.text, scan.toks, scan.lex);
    let mut j = i + 1;
    let mut swallowed: Vec<(usize, usize)> = Vec::new();
    while let Some(n) = toks.get(j) {
        if taken.at(j) {
            match swallow(scan, out, i, j) {
                Some(g) => {
                    swallowed.push(g);
                    j = token_ending(toks, g.1).map_or(j + 1, |e| e + 1);
                    continue;
                }
                None => break,
            }
        }
        if scan.is_name_token(n) {
            j += 1;
            continue;
        }
        let nw = word(text, n);
        // "Workers' Party of Korea", "Ministry of Foreign Affairs"
        let connector = nw == "of" || lex.sets.name_particles.contains(nw);
        let apostrophe = matches!(nw, "'" | "\u{2019}")
            && toks
                .get(j - 1)
                .is_some_and(|p| word(text, p).ends_with('s'));
        if (connector || apostrophe) && toks.get(j + 1).is_some_and(|x| x.is_capitalised(text)) {
            j += 1;
            continue;
        }
        break;
    }
    (j, swallowed)
}

/// A gazetteer name at token `j` inside a longer name: "Kementerian Luar
/// Negeri Korea Utara" (owner after a head), "South China Sea" (a head
/// after it). Its span, if the name swallows it.
fn swallow(scan: &Scan<'_>, out: &[RawMention], i: usize, j: usize) -> Option<(usize, usize)> {
    let (text, toks, lex) = (scan.text, scan.toks, scan.lex);
    let n = &toks[j];
    let g = out.iter().find(|g| {
        g.start == n.start
            && matches!(g.source, Source::Gazetteer { demonym: false, .. })
            && !scan.is_person_gaz(g)
    })?;
    let after = token_ending(toks, g.end).map_or(j + 1, |e| e + 1);
    let head_before = toks[i..j]
        .iter()
        .any(|x| is_head(text, x, &lex.sets.body_heads) || is_head(text, x, &lex.sets.org_heads));
    let head_after = toks.get(after).is_some_and(|x| {
        is_head(text, x, &lex.sets.place_heads)
            || is_head(text, x, &lex.sets.org_heads)
            || is_head(text, x, &lex.sets.body_heads)
    });
    (head_before || head_after).then_some((g.start, g.end))
}

/// Sentence-initial and other common capitalised words are not names, but
/// a head word opening a longer name stays ("Kementerian Luar Negeri ...");
/// trailing lowercase words go too. `None` when nothing is left.
fn trim(scan: &Scan<'_>, i: usize, j: usize) -> Option<(usize, usize)> {
    let (text, toks, lex) = (scan.text, scan.toks, scan.lex);
    let mut start_i = i;
    while start_i < j
        && (lex.sets.not_names.contains(word(text, &toks[start_i]))
            || !toks[start_i].is_capitalised(text))
        && !(j - start_i >= 2
            && (is_head(text, &toks[start_i], &lex.sets.body_heads)
                || is_head(text, &toks[start_i], &lex.sets.org_heads)))
    {
        start_i += 1;
    }
    let mut end_i = j;
    while end_i > start_i
        && !toks[end_i - 1].is_capitalised(text)
        && toks[end_i - 1].kind != TokenKind::Number
    {
        end_i -= 1;
    }
    (start_i < end_i).then_some((start_i, end_i))
}

/// Types the candidate and keeps it as a name, or as a bare short form.
fn keep_if_credible(scan: &Scan<'_>, taken: &mut Taken, out: &mut Vec<RawMention>, c: Candidate) {
    let (text, toks) = (scan.text, scan.toks);
    let Candidate {
        i,
        start_i,
        end_i,
        mut swallowed,
    } = c;
    let span_toks = &toks[start_i..end_i];
    let guess = guess_type(text, toks, start_i, span_toks, scan.lex);
    let first_start = join_place_before(scan, out, guess, i, start_i, &mut swallowed);
    let guess = guess_from_context(scan, out, guess, start_i, end_i);
    let n_words = span_toks.iter().filter(|t| t.is_capitalised(text)).count();
    // "Borrell said", "kata Borrell": who speaks is a person.
    let speaker = matches!(guess, Some(EntityType::Person) | None)
        && (1..=3).contains(&n_words)
        && (speaks(scan, start_i, end_i) || office_after_comma(scan, out, end_i));
    let guess = if speaker {
        Some(EntityType::Person)
    } else {
        guess
    };
    let keep = match guess {
        // Unknown persons need a title (found before), an honorific or a
        // verb of speech.
        Some(EntityType::Person) => {
            (speaker || honorific_before(scan, start_i)) && (1..=4).contains(&n_words)
        }
        Some(_) => !scan.is_title || n_words >= 2,
        None => false,
    };
    let last_end = toks[end_i - 1].end;
    if let (true, Some(g)) = (keep, guess) {
        // Keep an owner at the end of the name as its own mention
        // ("Kementerian Luar Negeri Korea Utara" also names Korea Utara);
        // drop names swallowed elsewhere ("South China Sea" is not China).
        // (Their tokens stay taken: the new name spans them.)
        out.retain(|m| !(swallowed.contains(&(m.start, m.end)) && m.end != last_end));
        taken.mark(toks, first_start, last_end, Taken::MENTION);
        out.push(scan.mention(first_start, last_end, Source::Name { guess: g }));
    } else if n_words == 1 && !scan.is_title && span_toks.len() == 1 {
        // A lone capitalised word: a possible short form ("Kim", "Suga"),
        // sentence-initial too ("Sun memberikan ..."): it resolves only
        // to a word of a person named earlier. A sentence's first word is
        // capitalised anyway: pronouns and common words there stay free.
        if let Some(t) = span_toks.first() {
            let w = word(text, t);
            let common = |w: &str| {
                let lex = scan.lex;
                let listed = |l: &[String]| l.iter().any(|p| p.eq_ignore_ascii_case(w));
                listed(&lex.words.pronouns)
                    || listed(&lex.words.plural_pronouns)
                    || lex.sets.not_names.contains(w)
                    || lex.function_words.contains(&crate::text::fold(w))
            };
            if t.kind == TokenKind::Word && w.chars().count() > 2 && (start_i > 0 || !common(w)) {
                taken.mark(toks, t.start, t.end, Taken::MENTION);
                out.push(scan.mention(t.start, t.end, Source::Bare));
            }
        }
    }
}

/// Is the span `start_i..end_i` the speaker of a verb of speech right
/// after it ("Borrell said") or right before it, ending its clause ("...,"
/// kata Borrell.")? Media report ("Xinhua reported", "menurut X"), so the
/// verbs that cue media do not count. An all-caps word is an acronym, and a
/// name that opens its sentence (or a headline) must also stand capitalised
/// after a lower-case word somewhere in the article, so "Officials said"
/// names no one.
fn speaks(scan: &Scan<'_>, start_i: usize, end_i: usize) -> bool {
    let (text, toks, lex) = (scan.text, scan.toks, scan.lex);
    let speech = |k: usize| {
        let w = crate::text::fold(scan.w(k));
        lex.words.reporting.contains(&w) && !lex.sets.media_cues.contains(w.as_str())
    };
    let ends_clause = |k: usize| matches!(scan.w(k), "" | "," | "." | ";" | "\u{201d}" | "\"");
    let placed = speech(end_i) || (start_i > 0 && speech(start_i - 1) && ends_clause(end_i));
    let acronym = toks[start_i..end_i].iter().any(|t| {
        let w = word(text, t);
        w.chars().count() >= 2 && w.chars().all(|c| !c.is_lowercase())
    });
    // "9 News melaporkan" is a channel; "analis Barat mengatakan" a direction.
    let numbered = start_i > 0 && toks[start_i - 1].kind == TokenKind::Number;
    let compass = toks[start_i..end_i]
        .iter()
        .any(|t| lex.sets.compass.contains(word(text, t)));
    if !placed
        || acronym
        || numbered
        || compass
        || toks[start_i..end_i]
            .iter()
            .any(|t| t.kind == TokenKind::Number)
    {
        return false;
    }
    if start_i > 0 && !scan.is_title {
        return true;
    }
    let first = word(text, &toks[start_i]);
    text.match_indices(first).any(|(at, _)| {
        let before = text[..at].trim_end();
        before.len() < at && before.chars().next_back().is_some_and(|c| c.is_lowercase())
    })
}

/// Is an office (a title with its owner, no name after it) in apposition
/// right after token `end_i`: "John Kirby, National Security Council
/// Coordinator", "X, the chief adviser to the interim government"?
fn office_after_comma(scan: &Scan<'_>, out: &[RawMention], end_i: usize) -> bool {
    if scan.w(end_i) != "," || scan.is_title {
        return false;
    }
    let k = end_i + 1 + usize::from(matches!(scan.w(end_i + 1), "the" | "a" | "an"));
    let Some(at) = scan.toks.get(k).map(|t| t.start) else {
        return false;
    };
    out.iter().any(|m| {
        m.source == Source::Office && m.role.as_ref().is_some_and(|r| r.phrase_start == at)
    })
}

/// "Pyongyang International Airport": a place right before a head-named
/// span joins it (when the span was not trimmed). The name's start.
fn join_place_before(
    scan: &Scan<'_>,
    out: &[RawMention],
    guess: Option<EntityType>,
    i: usize,
    start_i: usize,
    swallowed: &mut Vec<(usize, usize)>,
) -> usize {
    let toks = scan.toks;
    let mut first_start = toks[start_i].start;
    if matches!(
        guess,
        Some(EntityType::Place | EntityType::Organization | EntityType::GovernmentBody)
    ) && start_i > 0
    {
        if let Some(g) = out.iter().find(|g| {
            g.end == toks[start_i - 1].end
                && matches!(
                    scan.gaz_type(g),
                    Some(EntityType::City | EntityType::Country | EntityType::Place)
                )
        }) {
            if start_i == i {
                first_start = g.start;
                swallowed.push((g.start, g.end));
            }
        }
    }
    first_start
}

/// "Bapak X", "Dr. X": an honorific right before the name.
fn honorific_before(scan: &Scan<'_>, start_i: usize) -> bool {
    let honorifics = &scan.lex.sets.honorifics;
    start_i > 0
        && (scan.in_list(start_i - 1, honorifics)
            || (scan.w(start_i - 1) == "." && start_i > 1 && scan.in_list(start_i - 2, honorifics)))
}

/// The context overrides the head words: after an honorific a person; "di
/// Nusa Dua, Indonesia", "in Sochi, Russia": a name after a locative
/// preposition and before ", <country or city>" is a place.
fn guess_from_context(
    scan: &Scan<'_>,
    out: &[RawMention],
    guess: Option<EntityType>,
    start_i: usize,
    end_i: usize,
) -> Option<EntityType> {
    let toks = scan.toks;
    let place_before_its_country = start_i > 0
        && scan
            .lex
            .words
            .location_preps
            .iter()
            .any(|p| p == scan.w(start_i - 1))
        && scan.w(end_i) == ","
        && toks.get(end_i + 1).is_some_and(|c| {
            out.iter().any(|g| {
                g.start == c.start
                    && matches!(
                        scan.gaz_type(g),
                        Some(EntityType::Country | EntityType::City | EntityType::Place)
                    )
            })
        });
    if honorific_before(scan, start_i) {
        Some(EntityType::Person)
    } else if place_before_its_country && !matches!(guess, Some(EntityType::Media)) {
        Some(EntityType::Place)
    } else {
        guess
    }
}

/// Guesses the type of an unknown capitalised name from its head words and
/// the word before it. `None`: probably not a name.
fn guess_type(
    text: &str,
    toks: &[Token],
    start: usize,
    span: &[Token],
    lex: &Lexicon,
) -> Option<EntityType> {
    let has = |heads: &rustc_hash::FxHashSet<String>| span.iter().any(|t| is_head(text, t, heads));
    let prev = start
        .checked_sub(1)
        .and_then(|k| toks.get(k))
        .map(|t| word(text, t));
    let prev2 = start
        .checked_sub(2)
        .and_then(|k| toks.get(k))
        .map(|t| word(text, t));
    if has(&lex.sets.body_heads) {
        // "Istana Kepresidenan Bogor" is a place although "Istana" names the seat.
        if has(&lex.sets.place_heads)
            && !span.first().is_some_and(|t| {
                is_head(text, t, &lex.sets.body_heads) && !is_head(text, t, &lex.sets.place_heads)
            })
        {
            return Some(EntityType::Place);
        }
        return Some(EntityType::GovernmentBody);
    }
    if has(&lex.sets.org_heads) {
        return Some(EntityType::Organization);
    }
    if has(&lex.sets.place_heads) {
        return Some(EntityType::Place);
    }
    let cue = |w: Option<&str>| w.is_some_and(|w| lex.sets.media_cues.contains(w));
    // "Melansir Euronews", "according to X"; "Rodong Sinmun, the official newspaper".
    let after = start + span.len();
    let cue_after = toks.get(after).is_some_and(|t| word(text, t) == ",")
        && (after + 1..(after + 5).min(toks.len())).any(|k| cue(Some(word(text, &toks[k]))));
    if cue(prev) || (prev == Some(",") && cue(prev2)) || cue_after {
        return Some(EntityType::Media);
    }
    // All-caps acronyms alone are organisations when unknown.
    if span.len() == 1 {
        let w = span.first().map_or("", |t| word(text, t));
        if w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()) {
            return None;
        }
        return None;
    }
    if span.iter().any(|t| t.kind == TokenKind::Number) {
        return None;
    }
    Some(EntityType::Person)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{mention, spans};
    use super::*;
    use crate::model::Language;

    fn guess(text: &str, lang: Language, words: &str) -> Option<EntityType> {
        match mention(text, lang, words)?.source {
            Source::Name { guess } => Some(guess),
            _ => None,
        }
    }

    #[test]
    fn head_words_type_an_unknown_name() {
        let t = "Kami bertemu Kementerian Perdagangan Zambia kemarin.";
        assert_eq!(
            guess(t, Language::Id, "Kementerian Perdagangan Zambia"),
            Some(EntityType::GovernmentBody)
        );
        let t = "They landed at Pyongyang Sunan International Airport yesterday.";
        assert_eq!(
            guess(t, Language::En, "Pyongyang Sunan International Airport"),
            Some(EntityType::Place)
        );
    }

    #[test]
    fn an_unknown_person_needs_an_honorific() {
        let t = "Ia bertemu Bapak Sutrisno Wibowo di Jakarta.";
        assert_eq!(
            guess(t, Language::Id, "Sutrisno Wibowo"),
            Some(EntityType::Person)
        );
        let t = "Ia bertemu Sutrisno Wibowo di Jakarta.";
        assert_eq!(guess(t, Language::Id, "Sutrisno Wibowo"), None);
    }

    #[test]
    fn a_sentence_initial_capital_is_not_a_name() {
        // "Namun" is in the lexicon's not_names.
        let t = "Namun Jakarta tetap tenang.";
        assert_eq!(spans(t, Language::Id), ["Jakarta"]);
    }
}
