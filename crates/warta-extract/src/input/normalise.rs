//! Text normalisation: the reference text all offsets and ids refer to.

use unicode_normalization::UnicodeNormalization;
/// U+00A0 and the other space separators (Unicode category Zs).
pub(super) fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

pub(super) fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}')
}

/// Normalises article text; offsets and document ids refer to the result.
///
/// Unicode NFC; CRLF and CR become LF; Unicode spaces become `' '`;
/// zero-width characters (U+200B–U+200D, U+FEFF) are removed; trailing spaces
/// and tabs on each line are removed; runs of more than two newlines become
/// two; the whole is trimmed. Quotes and dashes are left alone. The function
/// is idempotent.
pub fn normalise_text(s: &str) -> String {
    // Map characters before NFC: removing a zero-width character can bring a
    // combining mark next to its base, which NFC must then see to compose.
    let mut mapped = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                mapped.push('\n');
            }
            c if is_unicode_space(c) => mapped.push(' '),
            c if is_zero_width(c) => {}
            c => mapped.push(c),
        }
    }
    let composed: String = mapped.nfc().collect();

    let mut out = String::with_capacity(composed.len());
    let mut blank_run = 0usize;
    for (i, line) in composed.split('\n').enumerate() {
        let line = line.trim_end_matches([' ', '\t']);
        if i > 0 {
            if line.is_empty() {
                blank_run += 1;
                if blank_run > 1 {
                    continue;
                }
            } else {
                blank_run = 0;
            }
            out.push('\n');
        }
        out.push_str(line);
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    }
}
