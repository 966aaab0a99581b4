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

/// Validates a date, `YYYY-MM-DD`, optionally with an ISO 8601 / RFC 3339
/// time and offset (`T` or a space, `HH:MM[:SS[.frac]]`, `Z` or `±HH[:MM]`),
/// and returns the date part, parsed by `jiff`. The date is kept as written,
/// not converted to UTC: it is the date the publisher stated (a `Z` time's
/// date is its UTC date, which is what was written).
pub(super) fn parse_published(value: &str) -> Option<String> {
    let date = value.parse::<jiff::civil::Date>().ok().or_else(|| {
        // Civil parsing refuses `Z` (an instant, not a wall time).
        value
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
    })?;
    Some(date.to_string())
}
