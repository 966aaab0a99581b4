//! Text stage: sentences and tokens with byte spans, folding for matching,
//! language detection, and the lines that are not the article.
//!
//! Every span is a byte range into the (normalised) article text, so offsets
//! flow unchanged from here to the RDF provenance.

use crate::model::Language;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a string for matching: lowercase, no diacritics, straight quotes,
/// hyphens and dashes as spaces, runs of whitespace as one space.
pub fn fold(s: &str) -> String {
    // Plain ASCII words and punctuation only change case.
    if s.bytes()
        .all(|b| b.is_ascii_graphic() && b != b'-' && b != b'`')
    {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    fold_to(&mut out, s);
    out
}

/// [`fold`], borrowing `s` when it is already folded (ASCII without
/// capitals, hyphens or spaces: most words and punctuation of running text).
pub fn fold_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes()
        .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase() && b != b'-' && b != b'`')
    {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(fold(s))
    }
}

/// Folding of one ASCII byte: lowercase, hyphen and whitespace as a space,
/// backquote as an apostrophe.
#[inline]
pub fn fold_ascii_byte(b: u8) -> u8 {
    match b {
        b'-' => b' ',
        b'`' => b'\'',
        b if b.is_ascii_whitespace() => b' ',
        b => b.to_ascii_lowercase(),
    }
}

/// How one character folds (the unit of [`fold`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldedChar {
    /// Whitespace, hyphens and dashes: a space; a run of them folds to one.
    Space,
    /// The folded text of the character, in `bytes[..len]`: lowercase, its
    /// combining marks dropped (empty for a lone combining mark).
    Text { bytes: [u8; 16], len: u8 },
}

impl FoldedChar {
    fn text(s: &[u8]) -> FoldedChar {
        let mut bytes = [0u8; 16];
        let len = s.len().min(bytes.len());
        bytes[..len].copy_from_slice(&s[..len]);
        FoldedChar::Text {
            bytes,
            len: len as u8,
        }
    }

    /// The folded bytes (a space for [`FoldedChar::Space`]).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            FoldedChar::Space => b" ",
            FoldedChar::Text { bytes, len } => &bytes[..usize::from(*len)],
        }
    }
}

/// Folds one character. Every fold in warta goes through here, so the
/// gazetteer's keys and the text it walks fold alike.
pub fn fold_char(c: char) -> FoldedChar {
    if c.is_ascii() {
        let b = fold_ascii_byte(c as u8);
        return if b == b' ' {
            FoldedChar::Space
        } else {
            FoldedChar::text(&[b])
        };
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{00B4}' => FoldedChar::text(b"'"),
        '\u{201C}' | '\u{201D}' | '\u{201E}' => FoldedChar::text(b"\""),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
            FoldedChar::Space
        }
        c if c.is_whitespace() => FoldedChar::Space,
        c => {
            let mut bytes = [0u8; 16];
            let mut len = 0;
            for d in c.to_lowercase().flat_map(|l| l.nfd()) {
                if is_combining_mark(d) {
                    continue;
                }
                // Whole characters only, so the bytes stay valid UTF-8.
                let n = d.len_utf8();
                if len + n > bytes.len() {
                    break;
                }
                d.encode_utf8(&mut bytes[len..len + n]);
                len += n;
            }
            FoldedChar::Text {
                bytes,
                len: len as u8,
            }
        }
    }
}

/// Folds `s` character by character, collapsing runs of spaces, and calls
/// `emit(offset, bytes)` with each character's folded bytes and its byte
/// offset in `s` (not trimmed: a leading or trailing space is emitted).
fn fold_into(s: &str, mut emit: impl FnMut(usize, &[u8])) {
    let mut last_space = false;
    if s.is_ascii() {
        // Most news text: byte by byte, the same rules.
        for (i, b) in s.bytes().enumerate() {
            let f = fold_ascii_byte(b);
            if f == b' ' {
                if !last_space {
                    emit(i, b" ");
                }
                last_space = true;
            } else {
                emit(i, &[f]);
                last_space = false;
            }
        }
        return;
    }
    for (i, c) in s.char_indices() {
        let f = fold_char(c);
        if f == FoldedChar::Space {
            if !last_space {
                emit(i, b" ");
            }
            last_space = true;
        } else {
            emit(i, f.as_bytes());
            last_space = false;
        }
    }
}

/// Writes [`fold`]`(s)` into `buf` (cleared first), reusing its allocation:
/// for lookups that would otherwise fold into a new string each time.
pub fn fold_to(buf: &mut String, s: &str) {
    buf.clear();
    let mut bytes = std::mem::take(buf).into_bytes();
    let mut pending_space = false;
    fold_into(s, |_, folded| match folded {
        b" " => pending_space = true,
        [] => {}
        f => {
            // Spaces are written only between text: the fold is trimmed.
            if pending_space && !bytes.is_empty() {
                bytes.push(b' ');
            }
            pending_space = false;
            bytes.extend_from_slice(f);
        }
    });
    // Whole characters' folds were appended: valid UTF-8.
    *buf = String::from_utf8(bytes).unwrap_or_default();
}

/// Whether [`fold`]`(s) == folded`, without building the fold of `s`.
pub fn folds_to(s: &str, folded: &str) -> bool {
    let target = folded.as_bytes();
    let mut at = 0usize;
    let mut ok = true;
    let mut pending_space = false;
    fold_into(s, |_, f| {
        if !ok {
            return;
        }
        match f {
            b" " => pending_space = true,
            [] => {}
            f => {
                if pending_space && at > 0 {
                    ok = target.get(at) == Some(&b' ');
                    at += 1;
                }
                pending_space = false;
                ok = ok && target.get(at..at + f.len()) == Some(f);
                at += f.len();
            }
        }
    });
    ok && at == target.len()
}

/// The words of `s` as [`fold`] separates them (at whitespace, hyphens and
/// dashes), unfolded: `fold(s).split(' ')` is these words, each folded.
pub fn fold_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| fold_char(c) == FoldedChar::Space)
        .filter(|w| !w.is_empty())
}

/// Folds `s` (see [`fold`], without the trim) and returns, for every byte of
/// the folded string, the byte offset in `s` of the character it came from
/// (plus one final entry for the end), so matches in the folded text map
/// back to the original.
pub fn fold_with_map(s: &str) -> (String, Vec<usize>) {
    let mut out = Vec::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    fold_into(s, |i, bytes| {
        out.extend_from_slice(bytes);
        map.extend(std::iter::repeat_n(i, bytes.len()));
    });
    map.push(s.len());
    // Whole characters' folds were appended: valid UTF-8.
    (String::from_utf8(out).unwrap_or_default(), map)
}

/// Calls `f` with `w` in lowercase, without allocating for short ASCII
/// words (the common case of a per-token lookup).
pub fn with_lowercase<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 24];
    if w.len() <= buf.len() && w.is_ascii() {
        let b = &mut buf[..w.len()];
        b.copy_from_slice(w.as_bytes());
        b.make_ascii_lowercase();
        // ASCII stays valid UTF-8 after lowercasing.
        if let Ok(lower) = std::str::from_utf8(b) {
            return f(lower);
        }
    }
    f(&w.to_lowercase())
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// A token: a byte span of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Starts with an uppercase letter.
    pub fn is_capitalised(&self, text: &str) -> bool {
        match text.as_bytes().get(self.start) {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => self
                .text(text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase),
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Participles that, after a name and a hyphen, make the name their agent:
/// "Iran-backed militias", "a US-brokered truce", "the Saudi-led coalition".
/// Origin words ("Russian-made", "Paris-based") keep the word whole.
const AGENTIVE_PARTICIPLES: [&str; 18] = [
    "backed",
    "led",
    "sponsored",
    "funded",
    "financed",
    "brokered",
    "supported",
    "armed",
    "allied",
    "aligned",
    "controlled",
    "occupied",
    "run",
    "owned",
    "mediated",
    "hosted",
    "proposed",
    "drafted",
];

/// Does `slice[at..]` start with a lowercase agentive participle that ends
/// the word?
fn agentive_participle_at(slice: &str, at: usize) -> bool {
    let Some(rest) = slice.get(at..) else {
        return false;
    };
    let word_len = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    AGENTIVE_PARTICIPLES.contains(&&rest[..word_len])
}

/// Splits `text[start..end]` into tokens. Words keep inner hyphens
/// ("negara-negara", "Il-96"), inner periods of abbreviations ("U.S.",
/// "KONTAN.CO.ID") and inner apostrophes ("Workers'"), but a possessive
/// "'s"/"’s" is a token of its own.
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    let Some(slice) = text.get(start..end) else {
        return Vec::new();
    };
    let bytes = slice.as_bytes();
    let n = bytes.len();
    // The character at byte offset `p` of the slice and its length: a byte
    // for ASCII (most news text), decoded otherwise.
    let at = |p: usize| -> Option<(char, usize)> {
        match *bytes.get(p)? {
            b if b.is_ascii() => Some((char::from(b), 1)),
            _ => slice.get(p..)?.chars().next().map(|c| (c, c.len_utf8())),
        }
    };
    let is_word_at = |p: usize| at(p).is_some_and(|(c, _)| is_word_char(c));
    let mut tokens = Vec::with_capacity(n / 5);
    let mut i = 0;
    while let Some((c, len)) = at(i) {
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if is_word_char(c) {
            let mut j = i + len;
            while j < n {
                // Runs of plain ASCII word characters in one step.
                while bytes.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                    j += 1;
                }
                let Some((c2, len2)) = at(j) else {
                    break;
                };
                if is_word_char(c2) {
                    j += len2;
                    continue;
                }
                let next = at(j + len2);
                let next_is_word = next.is_some_and(|(n, _)| is_word_char(n));
                // "AS-Indonesia", "Tiongkok-Soviet": two names joined by a hyphen
                // are two tokens; "negara-negara", "Il-96", "Jong-un" stay one.
                let names_joined =
                    c2 == '-' && c.is_uppercase() && next.is_some_and(|(n, _)| n.is_uppercase());
                // "Iran-backed", "Saudi-led": a name before an agentive
                // participle is a name of its own (the backer, the leader).
                let agent_joined =
                    c2 == '-' && c.is_uppercase() && agentive_participle_at(slice, j + len2);
                if (c2 == '-' || c2 == '.') && next_is_word && !names_joined && !agent_joined {
                    j += len2;
                    continue;
                }
                if (c2 == '\'' || c2 == '\u{2019}') && next_is_word {
                    // possessive 's: split it off
                    let after_s = j + len2 + 1;
                    if next.is_some_and(|(n, _)| n == 's') && !is_word_at(after_s) {
                        break;
                    }
                    j += len2;
                    continue;
                }
                break;
            }
            // "U.S." keeps its final period: single letters separated by periods.
            let word_end = j.min(n);
            let mut tok_end = word_end;
            if bytes.get(j) == Some(&b'.') && is_dotted_abbreviation(&slice[i..word_end]) {
                tok_end = word_end + 1;
            }
            let kind = if bytes[i..tok_end]
                .iter()
                .all(|&b| b.is_ascii_digit() || b == b'.' || b == b',')
            {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            tokens.push(Token {
                start: start + i,
                end: start + tok_end,
                kind,
            });
            i = tok_end;
            continue;
        }
        // Possessive 's as its own token.
        if (c == '\'' || c == '\u{2019}')
            && bytes.get(i + len) == Some(&b's')
            && !is_word_at(i + len + 1)
            && slice[..i].chars().next_back().is_some_and(is_word_char)
        {
            tokens.push(Token {
                start: start + i,
                end: start + i + len + 1,
                kind: TokenKind::Word,
            });
            i += len + 1;
            continue;
        }
        tokens.push(Token {
            start: start + i,
            end: start + i + len,
            kind: TokenKind::Punct,
        });
        i += len;
    }
    tokens
}

fn is_dotted_abbreviation(w: &str) -> bool {
    // U.S, U.K, U.N (the final period is added by the caller)
    let mut parts = 0;
    for p in w.split('.') {
        let mut chars = p.chars();
        if !chars.next().is_some_and(char::is_alphabetic) || chars.next().is_some() {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// What a text segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    /// A sentence of the article.
    Sentence,
    /// A headline or section title (title case, no final period).
    Title,
    /// Not the article: "Baca Juga:"/"Read also:" teasers, editor credits,
    /// photo captions, datelines.
    Boilerplate,
}

/// A sentence or other segment, by byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub kind: SegmentKind,
}

impl Segment {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Markers that open a line which is not the article.
/// The start of a line in lowercase, long enough for any marker below
/// (lowercasing whole paragraphs to test a prefix was a hot spot).
fn lower_start(line: &str) -> String {
    let end = line.char_indices().nth(24).map_or(line.len(), |(i, _)| i);
    line[..end].to_lowercase()
}

const TEASER_MARKERS: &[&str] = &[
    "baca juga",
    "baca pula",
    "simak juga",
    "lihat juga",
    "read also",
    "read more",
    "see also",
    "also read",
    "related:",
    "berita terkait",
];
const CREDIT_MARKERS: &[&str] = &[
    "editor:",
    "penulis:",
    "reporter:",
    "sumber:",
    "foto:",
    "photo:",
    "caption:",
    "writer:",
    "editing by",
    "reporting by",
    "(foto",
    "(photo",
    "copyright",
    "hak cipta",
    "kontributor:",
    "penyunting:",
    "pewarta:",
];

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "lt", "col", "maj", "capt", "gov",
    "sen", "rep", "no", "vol", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e", "u.s", "u.k",
    "u.n", "h", "hj", "ir", "drs", "kh", "tn", "ny", "sdr", "no", "bpk", "yth",
];

/// A segment with its tokens.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub segment: Segment,
    pub tokens: Vec<Token>,
}

/// Splits the article into segments: sentences of the article, titles, and
/// boilerplate that must yield no events.
pub fn segment(text: &str) -> Vec<Segment> {
    sentences(text).into_iter().map(|s| s.segment).collect()
}

/// Like [`segment`], with each segment's tokens. A paragraph is tokenized
/// once: finding sentence ends needs its tokens, and each sentence takes its
/// share of them.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::new();
    let with_tokens = |start: usize, end: usize, kind: SegmentKind| Sentence {
        segment: Segment { start, end, kind },
        tokens: tokenize(text, start, end),
    };
    // Paragraphs: blank lines always break. A single newline breaks when the
    // line before ends a sentence, or when a boilerplate line starts; else it
    // is a soft wrap ("Melansir\nEuronews, ...").
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for line in text.split('\n') {
        lines.push((pos, pos + line.len()));
        pos += line.len() + 1;
    }
    let mut para_start: Option<usize> = None;
    let mut para_end = 0;
    let mut paragraphs: Vec<(usize, usize, bool)> = Vec::new(); // (start, end, followed_by_blank)
    for (idx, &(s, e)) in lines.iter().enumerate() {
        let line = text.get(s..e).unwrap_or("").trim();
        if line.is_empty() {
            if let Some(ps) = para_start.take() {
                paragraphs.push((ps, para_end, true));
            }
            continue;
        }
        if let Some(ps) = para_start {
            let prev = text.get(ps..para_end).unwrap_or("").trim_end();
            let ends_sentence = prev.ends_with(['.', '!', '?', '"', '\u{201D}', ':']);
            // A dateline opens the story under a headline: "JAKARTA - ...".
            let lead = text.get(s..e).map_or(0, |l| l.len() - l.trim_start().len());
            let dateline = dateline_end(text, s + lead, e).is_some();
            if ends_sentence || dateline || is_boilerplate_start(line) {
                paragraphs.push((ps, para_end, false));
                para_start = Some(s);
            }
        } else {
            para_start = Some(s);
        }
        para_end = e;
        let _ = idx;
    }
    if let Some(ps) = para_start {
        paragraphs.push((ps, para_end, true));
    }

    for (i, &(ps, pe, blank_after)) in paragraphs.iter().enumerate() {
        let para = text.get(ps..pe).unwrap_or("");
        let trimmed = para.trim();
        let lead = para.len() - para.trim_start().len();
        let ps = ps + lead;
        let pe = ps + trimmed.len();
        if trimmed.is_empty() {
            continue;
        }
        let lower = lower_start(trimmed);
        if CREDIT_MARKERS.iter().any(|m| lower.starts_with(m)) {
            out.push(with_tokens(ps, pe, SegmentKind::Boilerplate));
            continue;
        }
        let mut body_start = ps;
        if let Some(teaser_end) = teaser_end(text, ps, pe) {
            out.push(with_tokens(ps, teaser_end, SegmentKind::Boilerplate));
            body_start = teaser_end;
            while text[body_start..pe].starts_with(' ') {
                body_start += 1;
            }
            if body_start >= pe {
                continue;
            }
        }
        // A title: a short line without final punctuation, standing alone.
        let ends_with_punct = trimmed.ends_with(['.', '!', '?', '"', '\u{201D}', ':', ',']);
        if !ends_with_punct
            && trimmed.len() < 250
            && (blank_after || i == 0)
            && body_start == ps
            && !trimmed.contains(". ")
        {
            out.push(with_tokens(ps, pe, SegmentKind::Title));
            continue;
        }
        // Dateline: "KONTAN.CO.ID - ", "JAKARTA, KOMPAS.com - ", "WASHINGTON (Reuters) - ".
        if let Some(dl_end) = dateline_end(text, body_start, pe) {
            out.push(with_tokens(body_start, dl_end, SegmentKind::Boilerplate));
            body_start = dl_end;
        }
        split_sentences(text, body_start, pe, &mut out);
    }
    out
}

fn is_boilerplate_start(line: &str) -> bool {
    let lower = lower_start(line);
    TEASER_MARKERS
        .iter()
        .chain(CREDIT_MARKERS)
        .any(|m| lower.starts_with(m))
}

/// A teaser ("Baca Juga: <headline of another article>") often runs into the
/// next sentence on the same line. The headline is title case (function words
/// may stay lowercase); it ends before the capitalised word that precedes the
/// first lowercase content word.
fn teaser_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let para = text.get(start..end)?;
    let lower = lower_start(para);
    let marker = TEASER_MARKERS.iter().find(|m| lower.starts_with(*m))?;
    let after = start + marker.len();
    let tokens = tokenize(text, after, end);
    let words: Vec<&Token> = tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .collect();
    for (i, t) in words.iter().enumerate() {
        let w = t.text(text);
        if t.is_capitalised(text) || t.kind == TokenKind::Number {
            continue;
        }
        let next_cap = words.get(i + 1).is_some_and(|n| n.is_capitalised(text));
        if TITLE_FUNCTION_WORDS.contains(&w) && next_cap {
            continue;
        }
        // The sentence starts at the capitalised word before this one.
        return Some(if i == 0 { t.start } else { words[i - 1].start });
    }
    Some(end)
}

/// Words that stay lowercase inside title-case headlines.
const TITLE_FUNCTION_WORDS: &[&str] = &[
    "dan", "di", "ke", "dari", "dalam", "yang", "untuk", "dengan", "atau", "pada", "oleh", "of",
    "the", "and", "in", "on", "to", "for", "a", "an", "at", "by", "with", "as", "vs",
];

fn dateline_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let para = text.get(start..end)?;
    let head = para.get(..para.len().min(80))?;
    for sep in [" - ", " \u{2013} ", " \u{2014} ", " -- "] {
        if let Some(idx) = head.find(sep) {
            let lead = &head[..idx];
            let letters: Vec<char> = lead.chars().filter(|c| c.is_alphabetic()).collect();
            let upper = letters.iter().filter(|c| c.is_uppercase()).count();
            // Mostly capitals (KONTAN.CO.ID, JAKARTA, KOMPAS.com) and short.
            if !letters.is_empty()
                && upper * 2 >= letters.len()
                && lead.split_whitespace().count() <= 5
            {
                return Some(start + idx + sep.len());
            }
        }
    }
    None
}

fn split_sentences(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let tokens = tokenize(text, start, end);
    let mut sent_start = start;
    let mut first_token = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Punct {
            continue;
        }
        let p = t.text(text);
        if !matches!(p, "." | "!" | "?") {
            continue;
        }
        // Closing quotes after the period belong to the sentence.
        let mut j = i + 1;
        while tokens.get(j).is_some_and(|n| {
            n.kind == TokenKind::Punct
                && matches!(n.text(text), "\"" | "\u{201D}" | "'" | "\u{2019}" | ")")
        }) {
            j += 1;
        }
        let Some(next) = tokens.get(j) else {
            continue;
        };
        if p == "." {
            if let Some(prev) = i.checked_sub(1).and_then(|k| tokens.get(k)) {
                let abbreviation = with_lowercase(prev.text(text), |w| ABBREVIATIONS.contains(&w));
                if prev.end == t.start && abbreviation {
                    continue;
                }
                // Initials: "J. Smith"
                if prev.end == t.start
                    && prev.text(text).chars().count() == 1
                    && prev.is_capitalised(text)
                {
                    continue;
                }
            }
        }
        let next_text = next.text(text);
        let starts_new = next.is_capitalised(text)
            || next.kind == TokenKind::Number
            || matches!(next_text, "\"" | "\u{201C}" | "'" | "\u{2018}" | "(" | "[");
        if !starts_new {
            continue;
        }
        let end_of_sentence = tokens.get(j - 1).map_or(t.end, |k| k.end);
        push_sentence(
            text,
            sent_start,
            end_of_sentence,
            &tokens[first_token..j],
            out,
        );
        sent_start = next.start;
        first_token = j;
    }
    push_sentence(text, sent_start, end, &tokens[first_token..], out);
}

fn push_sentence(text: &str, start: usize, end: usize, tokens: &[Token], out: &mut Vec<Sentence>) {
    let Some(s) = text.get(start..end) else {
        return;
    };
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return;
    }
    let (start, end) = (start + lead, start + lead + trimmed.len());
    out.push(Sentence {
        segment: Segment {
            start,
            end,
            kind: SegmentKind::Sentence,
        },
        // Tokens hold no whitespace, so trimming the span drops none of them;
        // the filter only guards the edges.
        tokens: match (tokens.first(), tokens.last()) {
            (Some(f), Some(l)) if f.start >= start && l.end <= end => tokens.to_vec(),
            _ => tokens
                .iter()
                .filter(|t| t.start >= start && t.end <= end)
                .copied()
                .collect(),
        },
    });
}

/// Guesses the language from function words. Returns the best guess and how
/// sure it is (share of the votes).
pub fn detect_language(text: &str) -> (Language, f64) {
    const ID: &[&str] = &[
        "yang",
        "dan",
        "di",
        "dengan",
        "untuk",
        "ini",
        "itu",
        "dari",
        "pada",
        "tidak",
        "akan",
        "dalam",
        "telah",
        "adalah",
        "mengatakan",
        "juga",
        "karena",
        "oleh",
        "ke",
        "kata",
        "bahwa",
        "sebagai",
        "tersebut",
        "para",
    ];
    const EN: &[&str] = &[
        "the", "and", "of", "to", "in", "is", "that", "for", "was", "with", "on", "as", "by",
        "said", "his", "her", "it", "at", "from", "has", "have", "would", "which", "were", "be",
    ];
    let mut id = 0usize;
    let mut en = 0usize;
    for w in text.split(|c: char| !c.is_alphabetic()).take(5000) {
        if w.is_empty() {
            continue;
        }
        let (is_id, is_en) = with_lowercase(w, |lw| (ID.contains(&lw), EN.contains(&lw)));
        id += usize::from(is_id);
        en += usize::from(is_en);
    }
    let total = (id + en).max(1) as f64;
    if id > en {
        (Language::Id, id as f64 / total)
    } else {
        (Language::En, en as f64 / total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_maps_back_to_original_offsets() {
        let s = "Korea–Utara  “Kim” Jöng";
        let (f, map) = fold_with_map(s);
        assert_eq!(f, "korea utara \"kim\" jong");
        let k = f.find("jong").unwrap();
        assert_eq!(&s[map[k]..], "Jöng");
        assert_eq!(map.len(), f.len() + 1);
    }

    #[test]
    fn fast_folds_agree_with_the_full_fold() {
        let words = [
            "Korea",
            "korea",
            ",",
            "U.S.",
            "Il-96",
            "`a",
            "Jöng",
            "’s",
            "\"",
            "KONTAN.CO.ID",
            "a b",
            "x\ty",
            "2024",
            "(",
            "Dr.",
            "-",
            "",
        ];
        for w in words {
            let full = fold_with_map(w).0.trim().to_string();
            assert_eq!(fold(w), full, "{w:?}");
            assert_eq!(fold_cow(w), full, "{w:?}");
        }
    }

    #[test]
    fn allocation_free_folds_agree_with_fold() {
        let mut buf = String::from("left over");
        for s in [
            "Korea–Utara  “Kim” Jöng",
            " Kim Jong-un ",
            "U.S.",
            "",
            " - ",
            "İstanbul",
            "Vladimir\tPutin",
        ] {
            let f = fold(s);
            fold_to(&mut buf, s);
            assert_eq!(buf, f, "{s:?}");
            assert!(folds_to(s, &f), "{s:?}");
            assert!(!folds_to(s, &format!("{f}x")), "{s:?}");
            assert!(f.is_empty() || !folds_to(s, &f[..f.len() - 1]), "{s:?}");
            let words: Vec<String> = fold_words(s).map(fold).collect();
            let expected: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(words, expected, "{s:?}");
        }
    }

    #[test]
    fn a_name_before_an_agentive_participle_is_a_token_of_its_own() {
        let t = "the Iran-backed Houthis, a Russian-made jet, pro-Western, Saudi-led";
        let toks: Vec<&str> = tokenize(t, 0, t.len()).iter().map(|k| k.text(t)).collect();
        assert_eq!(
            toks,
            vec![
                "the",
                "Iran",
                "-",
                "backed",
                "Houthis",
                ",",
                "a",
                "Russian-made",
                "jet",
                ",",
                "pro-Western",
                ",",
                "Saudi",
                "-",
                "led"
            ]
        );
    }

    #[test]
    fn tokens_keep_abbreviations_and_split_possessives() {
        let t = "U.S. envoy met China’s Wang in Il-96 at KONTAN.CO.ID. AS-Indonesia negara-negara";
        let toks: Vec<&str> = tokenize(t, 0, t.len()).iter().map(|k| k.text(t)).collect();
        assert_eq!(
            toks,
            vec![
                "U.S.",
                "envoy",
                "met",
                "China",
                "’s",
                "Wang",
                "in",
                "Il-96",
                "at",
                "KONTAN.CO.ID",
                ".",
                "AS",
                "-",
                "Indonesia",
                "negara-negara"
            ]
        );
    }

    #[test]
    fn sentences_titles_and_boilerplate() {
        let t = "Big News Today\n\nKONTAN.CO.ID - Rusia menolak. Dr. Smith setuju.\nBaca Juga: Rusia Menang dalam Segala Hal Kim telah pergi.\nEditor: Budi";
        let segs = segment(t);
        let kinds: Vec<(SegmentKind, &str)> = segs.iter().map(|s| (s.kind, s.text(t))).collect();
        assert_eq!(
            kinds,
            vec![
                (SegmentKind::Title, "Big News Today"),
                (SegmentKind::Boilerplate, "KONTAN.CO.ID - "),
                (SegmentKind::Sentence, "Rusia menolak."),
                (SegmentKind::Sentence, "Dr. Smith setuju."),
                (
                    SegmentKind::Boilerplate,
                    "Baca Juga: Rusia Menang dalam Segala Hal "
                ),
                (SegmentKind::Sentence, "Kim telah pergi."),
                (SegmentKind::Boilerplate, "Editor: Budi"),
            ]
        );
    }

    #[test]
    fn sentence_tokens_are_the_tokens_of_the_sentence_alone() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut texts: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        assert!(texts.len() >= 5, "examples not found in {}", dir.display());
        texts.push("He met U.S. officials. Kim's sister left.\n\n's odd. \"Yes.\" No.".into());
        for t in &texts {
            for s in sentences(t) {
                let alone = tokenize(t, s.segment.start, s.segment.end);
                assert_eq!(s.tokens, alone, "{:?}", s.segment.text(t));
            }
        }
    }

    #[test]
    fn a_dateline_under_a_headline_opens_a_paragraph() {
        let t = "North Korea Fires Two Missiles\nJAKARTA - The government condemned the launch.";
        let kinds: Vec<(SegmentKind, &str)> =
            segment(t).iter().map(|s| (s.kind, s.text(t))).collect();
        assert_eq!(
            kinds,
            vec![
                (SegmentKind::Title, "North Korea Fires Two Missiles"),
                (SegmentKind::Boilerplate, "JAKARTA - "),
                (
                    SegmentKind::Sentence,
                    "The government condemned the launch."
                ),
            ]
        );
    }

    #[test]
    fn soft_line_wraps_do_not_split_sentences() {
        let t = "Melansir\nEuronews, saat itu dia pergi.";
        let segs = segment(t);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].kind, SegmentKind::Sentence);
    }

    #[test]
    fn detects_languages() {
        assert_eq!(
            detect_language(
                "Korea Utara mengatakan pihaknya telah menyetujui kerja sama dengan Rusia yang"
            )
            .0,
            Language::Id
        );
        assert_eq!(
            detect_language("The Security Council failed to adopt a resolution that would have").0,
            Language::En
        );
    }
}
