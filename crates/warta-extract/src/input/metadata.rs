//! An article's title (first line, Markdown heading) and publication date.

use super::normalise::normalise_text;
use super::{InputError, InputOptions, TITLE_MAX_CHARS};

/// A plain-text headline: a first line followed by a blank line, shorter
/// than 200 characters and not ending in a period (which marks a sentence).
pub(super) fn plain_title(text: &str) -> Option<String> {
    let mut lines = text.split('\n');
    let first = lines.next()?.trim();
    let blank_follows = lines.next().is_some_and(|l| l.trim().is_empty());
    if first.is_empty()
        || !blank_follows
        || first.ends_with('.')
        || first.chars().count() >= TITLE_MAX_CHARS
    {
        return None;
    }
    Some(first.to_owned())
}

/// A leading `# Heading` (level 1 only; an optional closing `#` run dropped).
pub(super) fn markdown_title(text: &str) -> Option<String> {
    let first = text.split('\n').next()?;
    let rest = first.strip_prefix('#')?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let heading = rest.trim();
    let unclosed = heading.trim_end_matches('#');
    let heading =
        if unclosed.len() < heading.len() && (unclosed.is_empty() || unclosed.ends_with(' ')) {
            unclosed.trim_end()
        } else {
            heading
        };
    (!heading.is_empty()).then(|| heading.to_owned())
}

/// Titles are one line: normalised, with whitespace runs collapsed.
pub(super) fn clean_title(raw: &str) -> Option<String> {
    let title = normalise_text(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then_some(title)
}

/// The article's date: its own if given (and non-blank), else the default.
pub(super) fn resolve_published(
    own: Option<&str>,
    opts: &InputOptions,
    location: &str,
) -> Result<Option<String>, InputError> {
    let value = own
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .or_else(|| opts.default_published.as_deref().map(str::trim));
    match value {
        None => Ok(None),
        Some(v) => parse_published(v)
            .map(Some)
            .ok_or_else(|| InputError::BadDate {
                location: location.to_owned(),
                value: v.to_owned(),
            }),
    }
}

/// Validates `YYYY-MM-DD`, optionally followed by an RFC 3339 time
/// (`T`/space, `HH:MM[:SS[.frac]]`, optional `Z` or `±HH:MM`), and returns
/// the date part. The date is kept as written, not converted to UTC: it is
/// the date the publisher stated.
pub(super) fn parse_published(value: &str) -> Option<String> {
    let b = value.as_bytes();
    let year = ascii_number(b.get(0..4)?)?;
    let month = ascii_number(b.get(5..7)?)?;
    let day = ascii_number(b.get(8..10)?)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let rest = b.get(10..)?;
    if !rest.is_empty() && !is_time_suffix(rest) {
        return None;
    }
    value.get(..10).map(str::to_owned)
}

pub(super) fn ascii_number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

pub(super) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

pub(super) fn two_digits_at_most(b: &[u8], max: u32) -> Option<&[u8]> {
    let n = ascii_number(b.get(..2)?)?;
    (n <= max).then_some(b.get(2..)?)
}

pub(super) fn is_time_suffix(rest: &[u8]) -> bool {
    let Some((&sep, rest)) = rest.split_first() else {
        return false;
    };
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    let Some(mut rest) = two_digits_at_most(rest, 23)
        .and_then(|r| r.strip_prefix(b":"))
        .and_then(|r| two_digits_at_most(r, 59))
    else {
        return false;
    };
    if let Some(r) = rest.strip_prefix(b":") {
        // 60 allows a leap second.
        let Some(r) = two_digits_at_most(r, 60) else {
            return false;
        };
        rest = r;
        if let Some(frac) = rest.strip_prefix(b".") {
            let digits = frac.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            rest = frac.get(digits..).unwrap_or_default();
        }
    }
    match rest {
        [] | [b'Z'] | [b'z'] => true,
        [b'+' | b'-', zone @ ..] => match two_digits_at_most(zone, 23) {
            Some(r) => {
                let r = r.strip_prefix(b":").unwrap_or(r);
                two_digits_at_most(r, 59).is_some_and(<[u8]>::is_empty)
            }
            None => false,
        },
        _ => false,
    }
}
