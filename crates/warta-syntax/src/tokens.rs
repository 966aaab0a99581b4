//! Turning orthographic tokens into UD syntactic words, as the treebanks do.
//!
//! The caller keeps byte spans, so every helper returns sub-spans (byte
//! ranges relative to the token) rather than new strings.
//!
//! Conventions observed in the data (see the crate README for counts):
//! - **English-EWT** splits clitics into words of their own, written as a
//!   multiword token in CoNLL-U: `don't` → `do` `n't`, `can't` → `ca` `n't`,
//!   `won't` → `wo` `n't`, `cannot` → `can` `not`, `I'm` → `I` `'m`,
//!   `Bush's` → `Bush` `'s`, `'re 'll 've 'd` likewise, plural possessive
//!   `parents'` → `parents` `'`, and `gonna/wanna/gotta` → `gon na`, `wan na`,
//!   `got ta`. The curly apostrophe `’` is treated like `'`.
//! - **English-EWT** also splits hyphenated compounds at each hyphen into
//!   separate words with `-` as PUNCT/HYPH (`US-China` → `US` `-` `China`,
//!   `1969-1970` → `1969` `-` `1970`), except after bound prefixes
//!   (`e-mail`, `non-`, `anti-`, `pre-`, `re-`, `co-` ...) and in codes and
//!   phone numbers (`713-853-3989`), which stay one word.
//! - **Indonesian-GSD and -PUD** keep hyphenated forms whole: reduplication
//!   (`negara-negara`, `rata-rata`, `bertahun-tahun`), names and compounds
//!   (`Indo-Australia`, `Harley-Davidson`, `APBN-P`). So `Korea-Rusia` stays
//!   one word (PROPN). CSUI sometimes splits `X - Y` names; we follow GSD,
//!   the treebank revised to the current guidelines.

use std::ops::Range;

/// The two languages of warta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Indonesian,
}

impl Language {
    pub fn parse(code: &str) -> Option<Language> {
        match code {
            "en" => Some(Language::English),
            "id" => Some(Language::Indonesian),
            _ => None,
        }
    }
}

/// Splits one token into UD words for `language` (byte ranges within `token`).
// `vec![0..len]` is meant here and below: a token that stays one word is a
// list of one range, not a list of its byte offsets.
#[allow(clippy::single_range_in_vec_init)]
pub fn split_token(language: Language, token: &str) -> Vec<Range<usize>> {
    match language {
        Language::Indonesian => vec![0..token.len()],
        Language::English => {
            let mut out = Vec::new();
            for piece in split_english_hyphens(token) {
                for sub in split_english_clitics(&token[piece.clone()]) {
                    out.push(piece.start + sub.start..piece.start + sub.end);
                }
            }
            out
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits English clitics the EWT way; a token without one comes back whole.
#[allow(clippy::single_range_in_vec_init)]
pub fn split_english_clitics(token: &str) -> Vec<Range<usize>> {
    let whole = vec![0..token.len()];
    let lower = token.to_lowercase();
    if lower.len() != token.len() {
        return whole; // lower-casing changed byte offsets: no clitic forms do that
    }
    for (word, at) in [("cannot", 3), ("gonna", 3), ("wanna", 3), ("gotta", 3)] {
        if lower == word {
            return vec![0..at, at..token.len()];
        }
    }
    let chars: Vec<(usize, char)> = lower.char_indices().collect();
    let n = chars.len();
    // ...n't
    if n >= 4 && chars[n - 1].1 == 't' && is_apostrophe(chars[n - 2].1) && chars[n - 3].1 == 'n' {
        let at = chars[n - 3].0;
        return vec![0..at, at..token.len()];
    }
    // ...'s 're 'll 'm 've 'd
    for suffix in ["s", "re", "ll", "m", "ve", "d"] {
        let k = suffix.len();
        if n > k + 1 && is_apostrophe(chars[n - k - 1].1) && lower.ends_with(suffix) && chars[n - k - 2].1.is_alphanumeric() {
            let at = chars[n - k - 1].0;
            return vec![0..at, at..token.len()];
        }
    }
    // plural possessive: parents'
    if n >= 3 && is_apostrophe(chars[n - 1].1) && chars[n - 2].1 == 's' {
        let at = chars[n - 1].0;
        return vec![0..at, at..token.len()];
    }
    whole
}

/// Prefixes after which EWT keeps the hyphen inside the word.
const BOUND_PREFIXES: &[&str] = &[
    "e", "non", "anti", "pre", "re", "mid", "co", "post", "pro", "multi", "ex", "semi", "counter", "sub", "vice", "neo", "cross", "un", "mis", "micro",
    "intra", "inter", "socio", "psycho", "self", "over", "x",
];

/// Splits English hyphenated compounds the EWT way: `US-China` → `US`, `-`,
/// `China`; keeps bound prefixes (`e-mail`, `non-profit`) and digit codes
/// (`713-853-3989`, `345-9945`) whole. Only plain letter/digit parts split.
#[allow(clippy::single_range_in_vec_init)]
pub fn split_english_hyphens(token: &str) -> Vec<Range<usize>> {
    let whole = vec![0..token.len()];
    let parts: Vec<&str> = token.split('-').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_alphanumeric() || is_apostrophe(c))) {
        return whole;
    }
    if BOUND_PREFIXES.contains(&parts[0].to_lowercase().as_str()) {
        return whole;
    }
    let digits = |p: &&str| p.chars().all(|c| c.is_ascii_digit());
    if parts.iter().all(digits) {
        let phone_like = parts.len() >= 3 || (parts[0].len() == 3 && parts[1].len() == 4);
        if phone_like {
            return whole;
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(start - 1..start);
        }
        out.push(start..start + part.len());
        start += part.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words<'a>(token: &'a str, spans: &[Range<usize>]) -> Vec<&'a str> {
        spans.iter().map(|r| &token[r.clone()]).collect()
    }

    fn english(token: &str) -> Vec<&str> {
        words(token, &split_token(Language::English, token))
    }

    #[test]
    fn english_clitics() {
        assert_eq!(english("don't"), ["do", "n't"]);
        assert_eq!(english("Can't"), ["Ca", "n't"]);
        assert_eq!(english("won't"), ["wo", "n't"]);
        assert_eq!(english("cannot"), ["can", "not"]);
        assert_eq!(english("I'm"), ["I", "'m"]);
        assert_eq!(english("they're"), ["they", "'re"]);
        assert_eq!(english("we'll"), ["we", "'ll"]);
        assert_eq!(english("I've"), ["I", "'ve"]);
        assert_eq!(english("she'd"), ["she", "'d"]);
        assert_eq!(english("China's"), ["China", "'s"]);
        assert_eq!(english("Russia’s"), ["Russia", "’s"]);
        assert_eq!(english("didn’t"), ["did", "n’t"]);
        assert_eq!(english("parents'"), ["parents", "'"]);
        assert_eq!(english("gonna"), ["gon", "na"]);
        for whole in ["its", "'s", "s", "Kyiv", "o'clock", "'"] {
            assert_eq!(english(whole), [whole], "{whole}");
        }
    }

    #[test]
    fn english_hyphens() {
        assert_eq!(english("US-China"), ["US", "-", "China"]);
        assert_eq!(english("AS-China"), ["AS", "-", "China"]);
        assert_eq!(english("long-term"), ["long", "-", "term"]);
        assert_eq!(english("1969-1970"), ["1969", "-", "1970"]);
        assert_eq!(english("China-US's"), ["China", "-", "US", "'s"]);
        for whole in ["e-mail", "non-profit", "Anti-Israeli", "co-workers", "713-853-3989", "345-9945", "-", "--", "x-", "ld2d-#69366-1.DOC"] {
            assert_eq!(english(whole), [whole], "{whole}");
        }
    }

    #[test]
    fn spans_are_byte_ranges_of_the_token() {
        let token = "Ukraina’s";
        assert_eq!(split_english_clitics(token), vec![0..7, 7..token.len()]);
    }

    #[test]
    fn indonesian_keeps_hyphenated_forms() {
        for token in ["Korea-Rusia", "AS-China", "negara-negara", "bertahun-tahun", "APBN-P"] {
            assert_eq!(split_token(Language::Indonesian, token), vec![0..token.len()]);
        }
    }
}
