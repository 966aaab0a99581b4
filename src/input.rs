//! Turning the paths given to `warta ingest PATH...` into [`Article`]s.
//!
//! The model has three steps:
//!
//! 1. [`discover`] expands the command-line paths into an ordered list of
//!    [`InputSource`]s: `-` is standard input, a directory is walked
//!    recursively in sorted order (hidden entries skipped, only article
//!    extensions taken), and a file named explicitly is taken whatever its
//!    extension.
//! 2. [`read_source`] reads one source and hands each article to a sink.
//!    A plain-text, Markdown or HTML file, or standard input, is one article;
//!    a JSONL file is one article per non-empty line. A bad JSONL line goes to
//!    the sink as an `Err` and reading carries on with the next line; a
//!    problem with the source as a whole (missing, too large, binary, invalid
//!    UTF-8, no valid line at all) is the return value.
//! 3. Every article's text goes through [`normalise_text`]. The normalised
//!    text is the reference for everything downstream: mention offsets index
//!    into it and [`Article::id`] hashes it, so an article keeps its id
//!    whatever its line endings, BOM, or encoding of spaces and accents.
//!
//! Reading is bounded: a file or stream over [`InputOptions::max_file_bytes`]
//! is refused rather than loaded, and so is a JSONL line over that size.
//! Error messages are for end users: each names the path (with line, column
//! and byte where relevant) and, where there is one, the way out.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// Default for [`InputOptions::max_file_bytes`]: 64 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The [`Article::source`] of an article read from standard input.
pub const STDIN_SOURCE: &str = "<stdin>";

/// Leading bytes sniffed for binary content (as `git` and `grep` do).
const SNIFF_BYTES: usize = 8 * 1024;

/// A plain-text first line this long or longer is prose, not a headline.
const TITLE_MAX_CHARS: usize = 200;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How sources are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputOptions {
    /// Decode invalid UTF-8 with U+FFFD instead of refusing the file.
    pub lossy: bool,
    /// Largest file, standard input or JSONL line accepted, in bytes.
    pub max_file_bytes: u64,
    /// Publication date for articles that carry none: `YYYY-MM-DD`, or an
    /// RFC 3339 timestamp whose date part is kept.
    pub default_published: Option<String>,
}

impl Default for InputOptions {
    fn default() -> Self {
        Self {
            lossy: false,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            default_published: None,
        }
    }
}

/// One article ready for ingestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Where it came from: the file path as given or joined
    /// (`examples/a.txt`), `<stdin>`, or `feed.jsonl:12` for a JSONL line.
    pub source: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// `YYYY-MM-DD` when known.
    pub published: Option<String>,
    /// Language code as given in JSONL (`id`, `en`); `None` otherwise.
    pub language: Option<String>,
    /// The text after [`normalise_text`]; never empty.
    pub text: String,
}

impl Article {
    /// The document id: lowercase hex SHA-256 of the normalised text, so the
    /// same article read twice (or from two files) is the same document.
    pub fn id(&self) -> String {
        let digest = Sha256::digest(self.text.as_bytes());
        let mut hex = String::with_capacity(64);
        for byte in digest {
            // Writing to a String cannot fail.
            let _ = write!(hex, "{byte:02x}");
        }
        hex
    }
}

/// A source found by [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// A single article: `.txt`, `.md`, `.html`/`.htm`, or anything else
    /// named explicitly (read as plain text).
    File(PathBuf),
    /// One article per line (`.jsonl`, `.ndjson`).
    Jsonl(PathBuf),
    /// Standard input, read as plain text.
    Stdin,
}

impl InputSource {
    /// The name used in messages: the path, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Self::File(p) | Self::Jsonl(p) => p.display().to_string(),
            Self::Stdin => STDIN_SOURCE.to_owned(),
        }
    }
}

/// Why a path, file or line could not be turned into an article.
///
/// `path` is the path as given (or `<stdin>`); `line` is 1-based.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: no such file or directory")]
    NotFound { path: String },

    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },

    #[error("{path}: no articles found (looked for .txt, .md, .html, .jsonl)")]
    NoArticles { path: String },

    #[error(
        "{path}: file is {}, over the limit of {}; split it into smaller files",
        human_bytes(.size),
        human_bytes(.limit)
    )]
    TooLarge { path: String, size: u64, limit: u64 },

    #[error(
        "{path}: input is over the limit of {}; split it into smaller pieces",
        human_bytes(.limit)
    )]
    StreamTooLarge { path: String, limit: u64 },

    #[error("{path}: empty file")]
    Empty { path: String },

    #[error("{path}: looks like a binary file, not an article")]
    Binary { path: String },

    #[error(
        "{path}: looks like UTF-16 text; convert it to UTF-8 first (e.g. iconv -f UTF-16 -t UTF-8)"
    )]
    Utf16 { path: String },

    /// `column` counts characters from 1; `byte` is the 0-based offset in the file.
    #[error("{path}: invalid UTF-8 at line {line}, column {column} (byte {byte}); use --lossy to decode with replacement characters")]
    InvalidUtf8 {
        path: String,
        line: u64,
        column: u64,
        byte: u64,
    },

    #[error("{path}: no text left after removing the HTML markup")]
    NoText { path: String },

    #[error(
        "{path}:{line}: line is over the limit of {}; skipped",
        human_bytes(.limit)
    )]
    LineTooLong { path: String, line: u64, limit: u64 },

    #[error("{path}:{line}: not valid JSON: {message}")]
    BadJson {
        path: String,
        line: u64,
        message: String,
    },

    #[error("{path}:{line}: expected a JSON object such as {{\"text\": \"...\"}}")]
    NotObject { path: String, line: u64 },

    #[error("{path}:{line}: missing required field \"text\"")]
    MissingText { path: String, line: u64 },

    #[error("{path}:{line}: field \"{field}\" must be a string")]
    NotAString {
        path: String,
        line: u64,
        field: &'static str,
    },

    #[error("{path}:{line}: field \"text\" is empty")]
    EmptyText { path: String, line: u64 },

    /// `location` is the article's source: a path, `<stdin>` or `path:line`.
    #[error("{location}: invalid published date \"{value}\"; expected YYYY-MM-DD or an RFC 3339 timestamp such as 2024-03-01T08:30:00+07:00")]
    BadDate { location: String, value: String },

    #[error("{path}: no valid articles: all {rejected} non-empty lines were rejected")]
    NoValidArticles { path: String, rejected: u64 },
}

/// A size for messages: `512 bytes`, or `64 MiB (67108864 bytes)`.
fn human_bytes(n: &u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if *n >= unit {
            return if n % unit == 0 {
                format!("{} {name} ({n} bytes)", n / unit)
            } else {
                // Precision loss is irrelevant for a human-readable size.
                format!("{:.1} {name} ({n} bytes)", *n as f64 / unit as f64)
            };
        }
    }
    format!("{n} bytes")
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn io_error(path: &str, err: io::Error) -> InputError {
    if err.kind() == io::ErrorKind::NotFound {
        InputError::NotFound {
            path: path.to_owned(),
        }
    } else {
        InputError::Io {
            path: path.to_owned(),
            source: err,
        }
    }
}

// ---------------------------------------------------------------------------
// Discovery

/// Expands command-line paths into sources, in the order given; a directory
/// contributes its articles in sorted (byte-wise name) depth-first order.
///
/// Hidden entries (`.name`) inside a directory are skipped, and so are
/// symlinked directories (to stay clear of cycles); symlinked files are kept.
/// An empty `paths` gives an empty list.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<InputSource>, InputError> {
    let mut sources = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(InputSource::Stdin);
            continue;
        }
        let meta = fs::metadata(path).map_err(|e| io_error(&display(path), e))?;
        if meta.is_dir() {
            let before = sources.len();
            walk(path, &mut sources)?;
            if sources.len() == before {
                return Err(InputError::NoArticles {
                    path: display(path),
                });
            }
        } else if has_extension(path, &["jsonl", "ndjson"]) {
            sources.push(InputSource::Jsonl(path.clone()));
        } else {
            sources.push(InputSource::File(path.clone()));
        }
    }
    Ok(sources)
}

fn walk(dir: &Path, sources: &mut Vec<InputSource>) -> Result<(), InputError> {
    let io = |e| io_error(&display(dir), e);
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        if name.as_encoded_bytes().first() == Some(&b'.') {
            continue;
        }
        entries.push((name, entry));
    }
    // read_dir order depends on the filesystem; sort so runs are reproducible.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, entry) in entries {
        let path = entry.path();
        let file_type = entry.file_type().map_err(io)?;
        let is_file = if file_type.is_symlink() {
            // Follow links to files only: a linked directory could loop.
            fs::metadata(&path).is_ok_and(|m| m.is_file())
        } else if file_type.is_dir() {
            walk(&path, sources)?;
            continue;
        } else {
            file_type.is_file()
        };
        if !is_file {
            continue;
        }
        if has_extension(&path, &["txt", "md", "html", "htm"]) {
            sources.push(InputSource::File(path));
        } else if has_extension(&path, &["jsonl", "ndjson"]) {
            sources.push(InputSource::Jsonl(path));
        }
    }
    Ok(())
}

fn has_extension(path: &Path, wanted: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| wanted.iter().any(|w| e.eq_ignore_ascii_case(w)))
}

// ---------------------------------------------------------------------------
// Reading

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Plain,
    Markdown,
    Html,
}

fn text_kind(path: &Path) -> TextKind {
    if has_extension(path, &["html", "htm", "xhtml"]) {
        TextKind::Html
    } else if has_extension(path, &["md", "markdown"]) {
        TextKind::Markdown
    } else {
        TextKind::Plain
    }
}

/// Reads one source, passing each article (or per-line error) to `sink`.
///
/// For a single-article source the article goes to the sink and any error is
/// returned. For JSONL, bad lines go to the sink as `Err` and reading
/// continues; the return is `Err` only for an I/O failure, a binary or empty
/// file, or when not a single line was valid.
pub fn read_source(
    src: &InputSource,
    opts: &InputOptions,
    sink: &mut dyn FnMut(Result<Article, InputError>),
) -> Result<(), InputError> {
    match src {
        InputSource::File(path) => {
            sink(Ok(read_file(path, opts)?));
            Ok(())
        }
        InputSource::Jsonl(path) => {
            let name = display(path);
            let file = File::open(path).map_err(|e| io_error(&name, e))?;
            read_jsonl(
                BufReader::with_capacity(SNIFF_BYTES, file),
                &name,
                opts,
                sink,
            )
        }
        InputSource::Stdin => {
            let stdin = io::stdin();
            let article = read_stream(stdin.lock(), STDIN_SOURCE, TextKind::Plain, opts)?;
            sink(Ok(article));
            Ok(())
        }
    }
}

fn read_file(path: &Path, opts: &InputOptions) -> Result<Article, InputError> {
    let name = display(path);
    let file = File::open(path).map_err(|e| io_error(&name, e))?;
    let size = file.metadata().map_err(|e| io_error(&name, e))?.len();
    // Refuse before reading so a huge file costs nothing.
    if size > opts.max_file_bytes {
        return Err(InputError::TooLarge {
            path: name,
            size,
            limit: opts.max_file_bytes,
        });
    }
    let bytes = read_bounded(file, &name, opts.max_file_bytes, size)?;
    article_from_bytes(&name, text_kind(path), &bytes, opts)
}

fn read_stream<R: Read>(
    reader: R,
    name: &str,
    kind: TextKind,
    opts: &InputOptions,
) -> Result<Article, InputError> {
    let bytes = read_bounded(reader, name, opts.max_file_bytes, 0)?;
    article_from_bytes(name, kind, &bytes, opts)
}

/// Reads at most `limit` bytes; more is an error. The bound also covers
/// files whose metadata lies (pipes, /dev/*, files growing while read).
fn read_bounded<R: Read>(
    reader: R,
    name: &str,
    limit: u64,
    size_hint: u64,
) -> Result<Vec<u8>, InputError> {
    let capacity = usize::try_from(size_hint.min(limit)).unwrap_or(0);
    let mut buf = Vec::with_capacity(capacity);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| io_error(name, e))?;
    if u64::try_from(buf.len()).unwrap_or(u64::MAX) > limit {
        return Err(InputError::StreamTooLarge {
            path: name.to_owned(),
            limit,
        });
    }
    Ok(buf)
}

fn article_from_bytes(
    name: &str,
    kind: TextKind,
    bytes: &[u8],
    opts: &InputOptions,
) -> Result<Article, InputError> {
    let path = || name.to_owned();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty { path: path() });
    }
    check_not_binary(bytes, name)?;
    let (body, bom_len) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, UTF8_BOM.len()),
        None => (bytes, 0),
    };
    let raw = match std::str::from_utf8(body) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) if looks_binary(sniff(bytes)) => return Err(InputError::Binary { path: path() }),
        Err(_) if opts.lossy => String::from_utf8_lossy(body),
        Err(e) => return Err(invalid_utf8(name, body, e.valid_up_to(), 1, bom_len)),
    };
    let (title, text) = match kind {
        TextKind::Html => strip_html(&raw),
        TextKind::Plain | TextKind::Markdown => {
            let text = normalise_text(&raw);
            let title = if kind == TextKind::Markdown {
                markdown_title(&text)
            } else {
                plain_title(&text)
            };
            (title, text)
        }
    };
    if text.is_empty() {
        return Err(if kind == TextKind::Html {
            InputError::NoText { path: path() }
        } else {
            InputError::Empty { path: path() }
        });
    }
    Ok(Article {
        source: path(),
        title,
        url: None,
        published: resolve_published(None, opts, name)?,
        language: None,
        text,
    })
}

fn sniff(bytes: &[u8]) -> &[u8] {
    bytes.get(..SNIFF_BYTES).unwrap_or(bytes)
}

fn check_not_binary(bytes: &[u8], name: &str) -> Result<(), InputError> {
    // UTF-16 is full of NULs; say what it is rather than "binary".
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(InputError::Utf16 {
            path: name.to_owned(),
        });
    }
    if sniff(bytes).contains(&0) {
        return Err(InputError::Binary {
            path: name.to_owned(),
        });
    }
    Ok(())
}

/// For input that is not UTF-8: many C0 control bytes mean binary data,
/// whereas legacy-encoded text (Latin-1, Windows-1252) has almost none.
fn looks_binary(head: &[u8]) -> bool {
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f)
        .count();
    controls * 20 > head.len()
}

/// Builds the error for invalid UTF-8 at `valid_up_to` in `body`, which
/// starts on line `first_line` and at file offset `base`.
fn invalid_utf8(
    name: &str,
    body: &[u8],
    valid_up_to: usize,
    first_line: u64,
    base: usize,
) -> InputError {
    let valid = body
        .get(..valid_up_to)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    // Count CR, LF and CRLF as one break each, like normalise_text.
    let (mut line, mut column) = (first_line, 1u64);
    let mut after_cr = false;
    for c in valid.chars() {
        match c {
            '\n' if after_cr => {}
            '\n' | '\r' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
        after_cr = c == '\r';
    }
    InputError::InvalidUtf8 {
        path: name.to_owned(),
        line,
        column,
        byte: u64::try_from(base.saturating_add(valid_up_to)).unwrap_or(u64::MAX),
    }
}

/// A plain-text headline: a first line followed by a blank line, shorter
/// than 200 characters and not ending in a period (which marks a sentence).
fn plain_title(text: &str) -> Option<String> {
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
fn markdown_title(text: &str) -> Option<String> {
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
fn clean_title(raw: &str) -> Option<String> {
    let title = normalise_text(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then_some(title)
}

/// The article's date: its own if given (and non-blank), else the default.
fn resolve_published(
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
fn parse_published(value: &str) -> Option<String> {
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

fn ascii_number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn two_digits_at_most(b: &[u8], max: u32) -> Option<&[u8]> {
    let n = ascii_number(b.get(..2)?)?;
    (n <= max).then_some(b.get(2..)?)
}

fn is_time_suffix(rest: &[u8]) -> bool {
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

// ---------------------------------------------------------------------------
// JSONL

fn read_jsonl<R: BufRead>(
    mut reader: R,
    name: &str,
    opts: &InputOptions,
    sink: &mut dyn FnMut(Result<Article, InputError>),
) -> Result<(), InputError> {
    let io = |e| io_error(name, e);
    check_not_binary(reader.fill_buf().map_err(io)?, name)?;

    let limit = opts.max_file_bytes;
    let (mut line_no, mut offset) = (0u64, 0usize);
    let (mut valid, mut rejected) = (0u64, 0u64);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .by_ref()
            .take(limit.saturating_add(1))
            .read_until(b'\n', &mut buf)
            .map_err(io)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line_start = offset;
        offset = offset.saturating_add(n);
        let complete = buf.last() == Some(&b'\n');
        if !complete && u64::try_from(n).unwrap_or(u64::MAX) > limit {
            offset = offset.saturating_add(skip_line(&mut reader).map_err(io)?);
            rejected += 1;
            sink(Err(InputError::LineTooLong {
                path: name.to_owned(),
                line: line_no,
                limit,
            }));
            continue;
        }
        let mut content = buf.as_slice();
        content = content.strip_suffix(b"\n").unwrap_or(content);
        content = content.strip_suffix(b"\r").unwrap_or(content);
        let mut base = line_start;
        if line_no == 1 {
            if let Some(rest) = content.strip_prefix(UTF8_BOM) {
                content = rest;
                base += UTF8_BOM.len();
            }
        }
        if content.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = match std::str::from_utf8(content) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) if opts.lossy => String::from_utf8_lossy(content),
            Err(e) => {
                rejected += 1;
                sink(Err(invalid_utf8(
                    name,
                    content,
                    e.valid_up_to(),
                    line_no,
                    base,
                )));
                continue;
            }
        };
        match article_from_json(&line, name, line_no, opts) {
            Ok(article) => {
                valid += 1;
                sink(Ok(article));
            }
            Err(e) => {
                rejected += 1;
                sink(Err(e));
            }
        }
    }
    if valid > 0 {
        Ok(())
    } else if rejected == 0 {
        Err(InputError::Empty {
            path: name.to_owned(),
        })
    } else {
        Err(InputError::NoValidArticles {
            path: name.to_owned(),
            rejected,
        })
    }
}

/// Discards the rest of an over-long line without buffering it.
fn skip_line<R: BufRead>(reader: &mut R) -> io::Result<usize> {
    let mut skipped = 0usize;
    loop {
        let (used, done) = match reader.fill_buf() {
            Ok([]) => return Ok(skipped),
            Ok(buf) => match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            },
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        reader.consume(used);
        skipped = skipped.saturating_add(used);
        if done {
            return Ok(skipped);
        }
    }
}

fn article_from_json(
    line: &str,
    name: &str,
    line_no: u64,
    opts: &InputOptions,
) -> Result<Article, InputError> {
    let path = || name.to_owned();
    let value: Value = serde_json::from_str(line).map_err(|e| {
        // serde_json says "at line 1 column N"; the line is ours to report.
        let column = e.column();
        let text = e.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m);
        InputError::BadJson {
            path: path(),
            line: line_no,
            message: format!("{message} at column {column}"),
        }
    })?;
    let Value::Object(obj) = value else {
        return Err(InputError::NotObject {
            path: path(),
            line: line_no,
        });
    };
    let field = |key: &'static str| optional_string(&obj, key, name, line_no);
    let text = field("text")?.ok_or_else(|| InputError::MissingText {
        path: path(),
        line: line_no,
    })?;
    let text = normalise_text(text);
    if text.is_empty() {
        return Err(InputError::EmptyText {
            path: path(),
            line: line_no,
        });
    }
    let source = format!("{name}:{line_no}");
    let trimmed = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Ok(Article {
        title: field("title")?.and_then(clean_title),
        url: trimmed(field("url")?),
        published: resolve_published(field("published")?, opts, &source)?,
        language: trimmed(field("language")?),
        text,
        source,
    })
}

/// A string field; absent and `null` both mean "not given".
fn optional_string<'a>(
    obj: &'a Map<String, Value>,
    key: &'static str,
    name: &str,
    line: u64,
) -> Result<Option<&'a str>, InputError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(InputError::NotAString {
            path: name.to_owned(),
            line,
            field: key,
        }),
    }
}

// ---------------------------------------------------------------------------
// Normalisation

/// U+00A0 and the other space separators (Unicode category Zs).
fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn is_zero_width(c: char) -> bool {
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

// ---------------------------------------------------------------------------
// HTML

/// Elements that end a paragraph (on their start and end tags).
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is never article text. `svg` is here partly
/// because its `<title>` must not become the page title.
const DROPPED_ELEMENTS: &[&str] = &[
    "iframe", "math", "noscript", "object", "script", "style", "svg", "template", "textarea",
];

/// Elements that may appear in `<head>`; any other start tag ends the head
/// (as in browsers), so pages that never close `<head>` keep their text.
const HEAD_ELEMENTS: &[&str] = &[
    "base", "head", "html", "link", "meta", "noscript", "script", "style", "template", "title",
];

/// Strips HTML to text, returning `(title, text)`.
///
/// The title is the first `<title>`, else the first `<h1>`. Script, style and
/// similar elements, comments and the `<head>` are dropped; block elements
/// become paragraph breaks; whitespace is collapsed as a browser would
/// (except in `<pre>`); entities are decoded. The text is normalised with
/// [`normalise_text`]. Malformed markup is handled leniently, never by
/// panicking.
pub fn strip_html(html: &str) -> (Option<String>, String) {
    let mut state = HtmlText::default();
    let mut rest = html;
    while let Some((text, markup)) = rest.split_once('<') {
        state.text(text);
        rest = state.markup(markup);
    }
    state.text(rest);
    state.finish()
}

#[derive(Default)]
struct HtmlText {
    out: String,
    title: Option<String>,
    in_head: bool,
    pre_depth: usize,
    h1_start: Option<usize>,
    h1_end: Option<usize>,
    /// Set once a `<title>` was found unclosed: later ones need no search,
    /// which keeps a page full of unclosed titles linear.
    no_title_close: bool,
}

impl HtmlText {
    fn text(&mut self, raw: &str) {
        if self.in_head || raw.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        if self.pre_depth > 0 {
            self.out.push_str(&decoded);
            return;
        }
        for c in decoded.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                if !(self.out.is_empty() || self.out.ends_with([' ', '\n'])) {
                    self.out.push(' ');
                }
            } else {
                self.out.push(c);
            }
        }
    }

    fn trim_trailing_spaces(&mut self) {
        let kept = self.out.trim_end_matches(' ').len();
        self.out.truncate(kept);
    }

    fn paragraph_break(&mut self) {
        self.trim_trailing_spaces();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push_str(if self.out.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            });
        }
    }

    /// Handles the markup after a `<` and returns what follows it.
    fn markup<'a>(&mut self, tail: &'a str) -> &'a str {
        if let Some(after) = tail.strip_prefix("!--") {
            // An unterminated comment runs to the end, as in browsers.
            return after.split_once("-->").map_or("", |(_, rest)| rest);
        }
        if let Some(after) = tail.strip_prefix("![CDATA[") {
            let (content, rest) = after.split_once("]]>").unwrap_or((after, ""));
            self.text(content);
            return rest;
        }
        if tail.starts_with(['!', '?']) {
            return after_gt(tail);
        }
        if let Some(after) = tail.strip_prefix('/') {
            let (name, rest) = tag_name(after);
            if !name.is_empty() {
                self.end_tag(&name);
            }
            // `</` + non-letter is a bogus comment: skipped either way.
            return after_gt(rest);
        }
        let (name, after_name) = tag_name(tail);
        if name.is_empty() {
            // A stray `<` as in "a < b" is text.
            self.text("<");
            return tail;
        }
        let Some((gt, self_closing)) = find_tag_end(after_name) else {
            return "";
        };
        let rest = after_name.get(gt + 1..).unwrap_or("");
        self.start_tag(&name);
        if self_closing {
            return rest;
        }
        if name == "title" {
            // Unclosed <title>: ignore the tag rather than lose the page.
            if self.no_title_close {
                return rest;
            }
            let Some((content, after)) = split_at_close_tag(rest, "title") else {
                self.no_title_close = true;
                return rest;
            };
            if self.title.is_none() {
                self.title = clean_title(&decode_entities(content));
            }
            return after;
        }
        if DROPPED_ELEMENTS.contains(&name.as_str()) {
            return split_at_close_tag(rest, &name).map_or("", |(_, after)| after);
        }
        rest
    }

    fn start_tag(&mut self, name: &str) {
        if name == "head" {
            self.in_head = true;
        } else if !HEAD_ELEMENTS.contains(&name) {
            self.in_head = false;
        }
        match name {
            "pre" => self.pre_depth += 1,
            "td" | "th" => self.text(" "),
            _ => {}
        }
        if BLOCK_ELEMENTS.contains(&name) {
            self.paragraph_break();
        }
        if name == "h1" && self.h1_start.is_none() {
            self.h1_start = Some(self.out.len());
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "head" => self.in_head = false,
            "pre" => self.pre_depth = self.pre_depth.saturating_sub(1),
            "h1" if self.h1_start.is_some() && self.h1_end.is_none() => {
                self.trim_trailing_spaces();
                self.h1_end = Some(self.out.len());
            }
            _ => {}
        }
        if BLOCK_ELEMENTS.contains(&name) {
            self.paragraph_break();
        }
    }

    fn finish(self) -> (Option<String>, String) {
        let h1 = || {
            let start = self.h1_start?;
            let heading = match self.h1_end {
                Some(end) => self.out.get(start..end)?,
                // Never closed: take its first paragraph.
                None => self.out.get(start..)?.split("\n\n").next()?,
            };
            clean_title(heading)
        };
        let title = self.title.clone().or_else(h1);
        (title, normalise_text(&self.out))
    }
}

/// Splits a lowercase tag name off the front of `s`.
fn tag_name(s: &str) -> (String, &str) {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return (String::new(), s);
    }
    let len = s
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
        .count();
    let (name, rest) = s.split_at(len);
    (name.to_ascii_lowercase(), rest)
}

fn after_gt(s: &str) -> &str {
    s.split_once('>').map_or("", |(_, rest)| rest)
}

/// Finds the `>` closing a start tag, skipping quoted attribute values
/// (which may contain `>`). Returns its index and whether the tag ends `/>`.
fn find_tag_end(s: &str) -> Option<(usize, bool)> {
    let bytes = s.as_bytes();
    let self_closing = |i: usize| i > 0 && bytes.get(i - 1) == Some(&b'/');
    let mut i = 0;
    let mut after_eq = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return Some((i, self_closing(i))),
            b'"' | b'\'' if after_eq => {
                let close = bytes
                    .get(i + 1..)
                    .and_then(|r| r.iter().position(|&c| c == b));
                match close {
                    Some(len) => {
                        i += len + 2;
                        after_eq = false;
                        continue;
                    }
                    // Unterminated quote: fall back to the first `>`.
                    None => break,
                }
            }
            b'=' => after_eq = true,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => {}
            _ => after_eq = false,
        }
        i += 1;
    }
    let gt = s.find('>')?;
    Some((gt, self_closing(gt)))
}

/// Splits `s` at the end tag `</name` (any case), returning the content
/// before it and the text after its `>`.
fn split_at_close_tag<'a>(s: &'a str, name: &str) -> Option<(&'a str, &'a str)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(rel) = s.get(from..)?.find("</") {
        let at = from + rel;
        let name_end = at + 2 + name.len();
        let matches_name = bytes
            .get(at + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        let boundary = matches!(
            bytes.get(name_end),
            None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
        );
        if matches_name && boundary {
            let content = s.get(..at)?;
            return Some((content, after_gt(s.get(name_end..)?)));
        }
        from = at + 2;
    }
    None
}

/// HTML 4 names of U+00A0..=U+00FF, in code point order.
const LATIN1_ENTITIES: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Other named entities common in news pages.
const NAMED_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201A}'),
    ("ldquo", '\u{201C}'),
    ("rdquo", '\u{201D}'),
    ("bdquo", '\u{201E}'),
    ("hellip", '\u{2026}'),
    ("lsaquo", '\u{2039}'),
    ("rsaquo", '\u{203A}'),
    ("bull", '\u{2022}'),
    ("dagger", '\u{2020}'),
    ("Dagger", '\u{2021}'),
    ("permil", '\u{2030}'),
    ("prime", '\u{2032}'),
    ("Prime", '\u{2033}'),
    ("euro", '\u{20AC}'),
    ("trade", '\u{2122}'),
    ("minus", '\u{2212}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200C}'),
    ("zwj", '\u{200D}'),
    ("lrm", '\u{200E}'),
    ("rlm", '\u{200F}'),
    ("OElig", '\u{0152}'),
    ("oelig", '\u{0153}'),
    ("Scaron", '\u{0160}'),
    ("scaron", '\u{0161}'),
    ("Yuml", '\u{0178}'),
    ("fnof", '\u{0192}'),
    ("circ", '\u{02C6}'),
    ("tilde", '\u{02DC}'),
    ("larr", '\u{2190}'),
    ("rarr", '\u{2192}'),
];

/// Entities browsers also accept without the `;`.
const LEGACY_ENTITIES: &[&str] = &["amp", "lt", "gt", "quot", "nbsp"];

/// Windows-1252 characters for numeric references `&#128;`..`&#159;`, which
/// old CMSs emit meaning cp1252 (browsers map them the same way); 0 = unmapped.
const CP1252_C1: [u32; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

fn named_entity(name: &str) -> Option<char> {
    if let Some(&(_, c)) = NAMED_ENTITIES.iter().find(|(n, _)| *n == name) {
        return Some(c);
    }
    let index = LATIN1_ENTITIES.iter().position(|n| *n == name)?;
    char::from_u32(0xA0 + u32::try_from(index).ok()?)
}

fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((before, after)) = rest.split_once('&') {
        out.push_str(before);
        match decode_entity(after) {
            Some((c, used)) => {
                out.push(c);
                rest = after.get(used..).unwrap_or("");
            }
            None => {
                // Not an entity: keep the `&` literally.
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes the entity at the start of `s` (just after `&`), returning the
/// character and how many bytes of `s` it used.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    if let Some(num) = s.strip_prefix('#') {
        let (radix, digits_from) = match num.as_bytes().first() {
            Some(b'x' | b'X') => (16, 2),
            _ => (10, 1),
        };
        let digits: &[u8] = bytes.get(digits_from..).unwrap_or_default();
        let len = digits
            .iter()
            .take_while(|&&b| char::from(b).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        let value = digits
            .get(..len)?
            .iter()
            .try_fold(0u32, |n, &b| {
                n.checked_mul(radix)?
                    .checked_add(char::from(b).to_digit(radix)?)
            })
            .unwrap_or(u32::MAX);
        let mut used = digits_from + len;
        if bytes.get(used) == Some(&b';') {
            used += 1;
        }
        return Some((numeric_char(value), used));
    }
    let len = bytes
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = s.get(..len)?;
    if bytes.get(len) == Some(&b';') {
        return named_entity(name).map(|c| (c, len + 1));
    }
    if LEGACY_ENTITIES.contains(&name) {
        return named_entity(name).map(|c| (c, len));
    }
    None
}

fn numeric_char(value: u32) -> char {
    let mapped = match value {
        0x80..=0x9F => {
            let index = usize::try_from(value - 0x80).unwrap_or(0);
            match CP1252_C1.get(index) {
                Some(&c) if c != 0 => c,
                _ => value,
            }
        }
        _ => value,
    };
    match char::from_u32(mapped) {
        Some('\0') | None => char::REPLACEMENT_CHARACTER,
        Some(c) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use tempfile::TempDir;

    fn opts() -> InputOptions {
        InputOptions::default()
    }

    fn write(dir: &Path, rel: &str, content: &[u8]) -> PathBuf {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, content).unwrap();
        path
    }

    fn read_all(
        src: &InputSource,
        opts: &InputOptions,
    ) -> (Vec<Result<Article, InputError>>, Result<(), InputError>) {
        let mut items = Vec::new();
        let result = read_source(src, opts, &mut |item| items.push(item));
        (items, result)
    }

    fn read_one(path: &Path, opts: &InputOptions) -> Result<Article, InputError> {
        let (mut items, result) = read_all(&InputSource::File(path.to_owned()), opts);
        result?;
        assert_eq!(items.len(), 1);
        items.pop().unwrap()
    }

    fn file_error(path: &Path, opts: &InputOptions) -> String {
        let err = read_one(path, opts).unwrap_err().to_string();
        assert!(
            err.starts_with(&path.display().to_string()),
            "message does not name the path: {err}"
        );
        err
    }

    // --- normalise_text ---

    #[test]
    fn normalise_line_endings_spaces_and_zero_width() {
        assert_eq!(normalise_text("a\r\nb\rc\n"), "a\nb\nc");
        assert_eq!(
            normalise_text("a\u{00A0}b\u{2003}c\u{202F}d\u{3000}e\u{2000}f\u{200A}g"),
            "a b c d e f g"
        );
        assert_eq!(
            normalise_text("In\u{200B}do\u{200C}ne\u{200D}sia\u{FEFF}"),
            "Indonesia"
        );
        assert_eq!(normalise_text("  a  \t\n b \n"), "a\n b");
        assert_eq!(normalise_text("a\n\n\n\n\nb\n \n\t\n\nc"), "a\n\nb\n\nc");
        assert_eq!(normalise_text("\n\n  \n"), "");
    }

    #[test]
    fn normalise_composes_nfc_and_keeps_punctuation() {
        assert_eq!(normalise_text("Jose\u{0301}"), "Jos\u{00E9}");
        // A zero-width char between base and accent must not block composition.
        assert_eq!(normalise_text("e\u{200B}\u{0301}"), "\u{00E9}");
        let s = "\u{201C}Ya,\u{201D} katanya \u{2014} 2019\u{2013}2024 \u{2018}x\u{2019} \"y\" 'z'";
        assert_eq!(normalise_text(s), s);
    }

    #[test]
    fn normalise_is_idempotent() {
        for s in [
            "  a\u{00A0}\r\n\r\n\r\n b\u{0301}  \n\u{FEFF}\u{0301}x ",
            "\u{2000}\u{0301}",
            "e \u{0301}\t\n\n\n\u{200D}\n\nz",
            "\r\r\r\rq\u{3000}",
        ] {
            let once = normalise_text(s);
            assert_eq!(normalise_text(&once), once, "{s:?}");
        }
    }

    // --- strip_html ---

    #[test]
    fn html_title_head_script_style_comments() {
        let html =
            "<!DOCTYPE html><HTML><Head><meta charset=utf-8><TITLE>Menlu &amp; ASEAN</TITLE>\
            <style>p { color: red }</style><script>var x = '<p>no</p>';</script></head>\
            <body><!-- nav <p>hidden</p> --><h1>Headline</h1><P>First  para\n graph.</p>\
            <div>Second<br>third</div><SCRIPT type=\"x\">alert(1)</SCRIPT></body></html>";
        let (title, text) = strip_html(html);
        assert_eq!(title.as_deref(), Some("Menlu & ASEAN"));
        assert_eq!(text, "Headline\n\nFirst para graph.\n\nSecond\n\nthird");
    }

    #[test]
    fn html_title_falls_back_to_first_h1() {
        let (title, text) = strip_html("<body><h1 class=\"t\">  Jokowi <em>meets</em>\n Albanese </h1><h1>Second</h1><p>Body.</p>");
        assert_eq!(title.as_deref(), Some("Jokowi meets Albanese"));
        assert_eq!(text, "Jokowi meets Albanese\n\nSecond\n\nBody.");
        let (title, _) = strip_html("<h1>Unclosed heading<p>Body text");
        assert_eq!(title.as_deref(), Some("Unclosed heading"));
        assert_eq!(strip_html("<p>no heading</p>").0, None);
    }

    #[test]
    fn html_entities() {
        let (_, text) = strip_html(
            "<p>&amp; &lt; &gt; &quot; &#39; &apos; a&nbsp;b &#8212; &#x2014; &#X41; &mdash; &ndash; \
             &rsquo; &lsquo; &ldquo; &rdquo; &hellip; &eacute; &Uuml; &euro; &#150; &#146;</p>",
        );
        assert_eq!(
            text,
            "& < > \" ' ' a b \u{2014} \u{2014} A \u{2014} \u{2013} \u{2019} \u{2018} \u{201C} \u{201D} \u{2026} \u{E9} \u{DC} \u{20AC} \u{2013} \u{2019}"
        );
        assert_eq!(
            decode_entities("&unknown; &amp &ampx &#; &#xZZ; &#0; &#99999999999; &#x110000; &"),
            "&unknown; & &ampx &#; &#xZZ; \u{FFFD} \u{FFFD} \u{FFFD} &"
        );
        assert_eq!(LATIN1_ENTITIES.len(), 0x100 - 0xA0);
        assert_eq!(named_entity("yuml"), Some('\u{FF}'));
        assert_eq!(named_entity("nbsp"), Some('\u{A0}'));
    }

    #[test]
    fn html_blocks_cells_pre_and_inline() {
        let (_, text) = strip_html(
            "<ul><li>one</li><li>t<b>w</b>o</li></ul><table><tr><td>a</td><td>b</td></tr></table>\
             <section>s</section><article>art</article><h2>h</h2><pre>  keep\n  this</pre>x",
        );
        assert_eq!(
            text,
            "one\n\ntwo\n\na b\n\ns\n\nart\n\nh\n\n  keep\n  this\n\nx"
        );
    }

    #[test]
    fn html_is_robust_to_malformed_markup() {
        assert_eq!(strip_html("a < b and c<d").1, "a < b and c");
        assert_eq!(strip_html("<p title=\"x > y\">quoted</p>").1, "quoted");
        assert_eq!(strip_html("<p class=\"oops>text</p>").1, "text");
        assert_eq!(strip_html("before<!-- never closed <p>x").1, "before");
        assert_eq!(strip_html("<script>never closed").1, "");
        assert_eq!(
            strip_html("<title>unclosed title<p>body").1,
            "unclosed title\n\nbody"
        );
        let many = "<title>x ".repeat(50_000);
        assert_eq!(strip_html(&many).1, "x ".repeat(50_000).trim_end());
        assert_eq!(strip_html("</ >x</>y<? pi ?>z<![CDATA[c]]>").1, "xyzc");
        assert_eq!(strip_html("<script src=a.js /><p>after</p>").1, "after");
        assert_eq!(strip_html("<svg><title>icon</title></svg><p>x</p>").0, None);
        assert_eq!(
            strip_html("<html><head><title>T</title><p>no body tag").1,
            "no body tag"
        );
        // Every prefix cut (including mid-character and mid-tag) must not panic.
        let doc = "<html><head><title>Ti&amp;</title></head><body><p a='>'>Ça&#x2014;va \u{1F600}</p><!--c--><script>x</script><h1>H</body>";
        for (i, _) in doc.char_indices() {
            let _ = strip_html(&doc[..i]);
            let _ = strip_html(&doc[i..]);
        }
    }

    // --- Article::id ---

    #[test]
    fn id_is_sha256_of_text() {
        let article = Article {
            source: "x".into(),
            title: None,
            url: None,
            published: None,
            language: None,
            text: "abc".into(),
        };
        assert_eq!(
            article.id(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    // --- discover ---

    #[test]
    fn discover_walks_sorted_skips_hidden_and_other_extensions() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        for rel in [
            "b.txt",
            "a/z.md",
            "a/y.HTML",
            "a.txt",
            "c/feed.jsonl",
            "c/more.ndjson",
            "c/page.htm",
            "c/x.gold.json",
            "SOURCES.tsv",
            ".hidden.txt",
            ".git/config.txt",
            "notes.pdf",
        ] {
            write(root, rel, b"x");
        }
        let found = discover(&[root.to_owned()]).unwrap();
        assert_eq!(
            found,
            vec![
                InputSource::File(root.join("a").join("y.HTML")),
                InputSource::File(root.join("a").join("z.md")),
                InputSource::File(root.join("a.txt")),
                InputSource::File(root.join("b.txt")),
                InputSource::Jsonl(root.join("c").join("feed.jsonl")),
                InputSource::Jsonl(root.join("c").join("more.ndjson")),
                InputSource::File(root.join("c").join("page.htm")),
            ]
        );
    }

    #[test]
    fn discover_explicit_files_stdin_and_order() {
        let dir = TempDir::new().unwrap();
        let notes = write(dir.path(), "notes.pdf", b"x");
        let feed = write(dir.path(), "feed.NDJSON", b"x");
        let hidden = write(dir.path(), ".hidden.txt", b"x");
        let found = discover(&[
            notes.clone(),
            PathBuf::from("-"),
            feed.clone(),
            hidden.clone(),
        ])
        .unwrap();
        assert_eq!(
            found,
            vec![
                InputSource::File(notes),
                InputSource::Stdin,
                InputSource::Jsonl(feed),
                InputSource::File(hidden),
            ]
        );
        assert_eq!(InputSource::Stdin.name(), "<stdin>");
        assert!(discover(&[]).unwrap().is_empty());
    }

    #[test]
    fn discover_errors_name_the_path() {
        let dir = TempDir::new().unwrap();
        let missing = dir.path().join("nope.txt");
        let err = discover(std::slice::from_ref(&missing)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: no such file or directory", missing.display())
        );

        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        write(&empty, "x.gold.json", b"{}");
        write(&empty, "SOURCES.tsv", b"a\tb");
        write(&empty, ".hidden/a.txt", b"x");
        let err = discover(std::slice::from_ref(&empty)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: no articles found (looked for .txt, .md, .html, .jsonl)",
                empty.display()
            )
        );
    }

    #[cfg(unix)]
    #[test]
    fn discover_follows_file_links_but_not_directory_links() {
        let dir = TempDir::new().unwrap();
        let target = write(dir.path(), "real/a.txt", b"x");
        let walked = dir.path().join("walked");
        fs::create_dir(&walked).unwrap();
        std::os::unix::fs::symlink(&target, walked.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), walked.join("loop")).unwrap();
        assert_eq!(
            discover(std::slice::from_ref(&walked)).unwrap(),
            vec![InputSource::File(walked.join("link.txt"))]
        );
    }

    // --- read_source: single files ---

    #[test]
    fn txt_title_rule() {
        let dir = TempDir::new().unwrap();
        let p = write(
            dir.path(),
            "a.txt",
            b"Prabowo visits Canberra\n\nThe president arrived.\n",
        );
        let a = read_one(&p, &opts()).unwrap();
        assert_eq!(a.title.as_deref(), Some("Prabowo visits Canberra"));
        assert_eq!(a.text, "Prabowo visits Canberra\n\nThe president arrived.");
        assert_eq!(a.source, p.display().to_string());
        assert_eq!((a.url, a.published, a.language), (None, None, None));

        for body in [
            "A sentence that ends with a period.\n\nMore.".to_owned(),
            "No blank line after\nthe first line.".to_owned(),
            "Only one line".to_owned(),
            format!("{}\n\nBody.", "x".repeat(200)),
        ] {
            let p = write(dir.path(), "b.txt", body.as_bytes());
            assert_eq!(read_one(&p, &opts()).unwrap().title, None, "{body:?}");
        }
        let p = write(
            dir.path(),
            "c.txt",
            format!("{}\n\nBody.", "x".repeat(199)).as_bytes(),
        );
        assert!(read_one(&p, &opts()).unwrap().title.is_some());
    }

    #[test]
    fn markdown_title_rule() {
        let dir = TempDir::new().unwrap();
        let p = write(
            dir.path(),
            "a.md",
            b"# RI\xE2\x80\x93Australia talks #\n\nBody *text*.",
        );
        let a = read_one(&p, &opts()).unwrap();
        assert_eq!(a.title.as_deref(), Some("RI\u{2013}Australia talks"));
        assert_eq!(a.text, "# RI\u{2013}Australia talks #\n\nBody *text*.");
        for body in ["## Second level\n\nx", "#hashtag\n\nx", "Plain\n\nx"] {
            let p = write(dir.path(), "b.md", body.as_bytes());
            assert_eq!(read_one(&p, &opts()).unwrap().title, None, "{body:?}");
        }
        assert_eq!(markdown_title("# C# #"), Some("C#".to_owned()));
    }

    #[test]
    fn html_file_and_html_without_text() {
        let dir = TempDir::new().unwrap();
        let p = write(
            dir.path(),
            "a.HTM",
            b"<title>T</title><p>Hello&nbsp;world</p>",
        );
        let a = read_one(&p, &opts()).unwrap();
        assert_eq!(
            (a.title.as_deref(), a.text.as_str()),
            (Some("T"), "Hello world")
        );
        let p = write(dir.path(), "b.html", b"<html><script>x()</script></html>");
        assert!(file_error(&p, &opts()).ends_with(": no text left after removing the HTML markup"));
    }

    #[test]
    fn bom_is_stripped_and_default_published_applies() {
        let dir = TempDir::new().unwrap();
        let p = write(dir.path(), "a.txt", b"\xEF\xBB\xBFTitle\n\nBody");
        let o = InputOptions {
            default_published: Some("2024-02-29T10:00:00+07:00".into()),
            ..opts()
        };
        let a = read_one(&p, &o).unwrap();
        assert_eq!(a.text, "Title\n\nBody");
        assert_eq!(a.title.as_deref(), Some("Title"));
        assert_eq!(a.published.as_deref(), Some("2024-02-29"));

        let o = InputOptions {
            default_published: Some("2023-02-29".into()),
            ..opts()
        };
        let err = file_error(&p, &o);
        assert!(
            err.contains("invalid published date \"2023-02-29\""),
            "{err}"
        );
    }

    #[test]
    fn empty_and_whitespace_files() {
        let dir = TempDir::new().unwrap();
        for (name, body) in [
            ("a.txt", &b""[..]),
            ("b.txt", b" \n\t\r\n"),
            ("c.md", b"\xEF\xBB\xBF"),
            ("d.txt", "\u{00A0}\u{200B}\n".as_bytes()),
        ] {
            let p = write(dir.path(), name, body);
            assert_eq!(
                file_error(&p, &opts()),
                format!("{}: empty file", p.display())
            );
        }
    }

    #[test]
    fn binary_files_are_refused() {
        let dir = TempDir::new().unwrap();
        let p = write(dir.path(), "a.txt", b"text\0more");
        assert_eq!(
            file_error(&p, &opts()),
            format!("{}: looks like a binary file, not an article", p.display())
        );
        // Invalid UTF-8 full of control bytes is binary even in lossy mode.
        let junk: Vec<u8> = (0u8..=255)
            .cycle()
            .skip(1)
            .take(4096)
            .filter(|&b| b != 0)
            .collect();
        let p = write(dir.path(), "b.txt", &junk);
        let lossy = InputOptions {
            lossy: true,
            ..opts()
        };
        assert!(file_error(&p, &lossy).ends_with("looks like a binary file, not an article"));
        let p = write(dir.path(), "c.txt", b"\xFF\xFEa\0b\0");
        assert!(file_error(&p, &opts()).contains("looks like UTF-16"));
    }

    #[test]
    fn invalid_utf8_position_and_lossy() {
        let dir = TempDir::new().unwrap();
        // Line 3, after "caf\u{e9} n" (6 characters): column 7. BOM counts in the byte offset.
        let mut body = b"\xEF\xBB\xBFfirst\r\nsecond\ncaf\xC3\xA9 n".to_vec();
        let byte = body.len();
        body.extend_from_slice(b"\xE9e\n");
        let p = write(dir.path(), "latin1.txt", &body);
        assert_eq!(
            file_error(&p, &opts()),
            format!(
                "{}: invalid UTF-8 at line 3, column 7 (byte {byte}); use --lossy to decode with replacement characters",
                p.display()
            )
        );
        let lossy = InputOptions {
            lossy: true,
            ..opts()
        };
        let a = read_one(&p, &lossy).unwrap();
        assert_eq!(a.text, "first\nsecond\ncaf\u{e9} n\u{FFFD}e");
    }

    #[test]
    fn oversize_file_is_refused_without_reading() {
        let dir = TempDir::new().unwrap();
        let p = write(dir.path(), "big.txt", b"0123456789abcdef");
        let o = InputOptions {
            max_file_bytes: 10,
            ..opts()
        };
        assert_eq!(
            file_error(&p, &o),
            format!(
                "{}: file is 16 bytes, over the limit of 10 bytes; split it into smaller files",
                p.display()
            )
        );
        let o = InputOptions {
            max_file_bytes: 16,
            ..opts()
        };
        assert!(read_one(&p, &o).is_ok());
        assert_eq!(
            human_bytes(&DEFAULT_MAX_FILE_BYTES),
            "64 MiB (67108864 bytes)"
        );
        assert_eq!(human_bytes(&1536), "1.5 KiB (1536 bytes)");
    }

    #[test]
    fn missing_file_and_directory_as_file() {
        let dir = TempDir::new().unwrap();
        let p = dir.path().join("gone.txt");
        assert_eq!(
            file_error(&p, &opts()),
            format!("{}: no such file or directory", p.display())
        );
        let err = file_error(dir.path(), &opts());
        assert!(err.contains(": cannot read: "), "{err}");
    }

    // --- stdin ---

    #[test]
    fn stdin_reads_as_plain_text_and_is_bounded() {
        let a = read_stream(
            Cursor::new("Headline\r\n\r\nBody."),
            STDIN_SOURCE,
            TextKind::Plain,
            &opts(),
        )
        .unwrap();
        assert_eq!(a.source, "<stdin>");
        assert_eq!(a.title.as_deref(), Some("Headline"));
        assert_eq!(a.text, "Headline\n\nBody.");
        let o = InputOptions {
            max_file_bytes: 4,
            ..opts()
        };
        let err = read_stream(Cursor::new("12345"), STDIN_SOURCE, TextKind::Plain, &o).unwrap_err();
        assert_eq!(
            err.to_string(),
            "<stdin>: input is over the limit of 4 bytes; split it into smaller pieces"
        );
        let err = read_stream(Cursor::new(""), STDIN_SOURCE, TextKind::Plain, &opts()).unwrap_err();
        assert_eq!(err.to_string(), "<stdin>: empty file");
    }

    // --- JSONL ---

    fn jsonl(dir: &Path, body: &str) -> (PathBuf, InputSource) {
        let p = write(dir, "feed.jsonl", body.as_bytes());
        (p.clone(), InputSource::Jsonl(p))
    }

    #[test]
    fn jsonl_bad_line_in_the_middle_does_not_stop_reading() {
        let dir = TempDir::new().unwrap();
        let (p, src) = jsonl(
            dir.path(),
            "{\"text\": \"One.\", \"title\": \" T \\n one \", \"url\": \"https://x/1\", \"published\": \"2024-03-01T08:30:00+07:00\", \"language\": \"id\", \"extra\": 5}\n\
             {not json}\n\
             \n\
             {\"text\": \"Three.\", \"published\": null, \"title\": null}\n",
        );
        let (items, result) = read_all(&src, &opts());
        result.unwrap();
        assert_eq!(items.len(), 3);
        let name = p.display().to_string();
        let first = items[0].as_ref().unwrap();
        assert_eq!(first.source, format!("{name}:1"));
        assert_eq!(first.title.as_deref(), Some("T one"));
        assert_eq!(first.url.as_deref(), Some("https://x/1"));
        assert_eq!(first.published.as_deref(), Some("2024-03-01"));
        assert_eq!(first.language.as_deref(), Some("id"));
        let err = items[1].as_ref().unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{name}:2: not valid JSON: ")),
            "{err}"
        );
        assert!(err.ends_with("at column 2"), "{err}");
        let third = items[2].as_ref().unwrap();
        assert_eq!(third.source, format!("{name}:4"));
        assert_eq!(
            (third.text.as_str(), third.title.as_deref()),
            ("Three.", None)
        );
    }

    #[test]
    fn jsonl_line_errors_name_path_and_line() {
        let dir = TempDir::new().unwrap();
        let (p, src) = jsonl(
            dir.path(),
            "[1, 2]\n{\"title\": \"x\"}\n{\"text\": \"  \\u00a0 \"}\n{\"text\": 5}\n{\"text\": \"x\", \"url\": 1}\n\
             {\"text\": \"x\", \"published\": \"01/03/2024\"}\n{\"text\": \"ok\"}\n",
        );
        let (items, result) = read_all(&src, &opts());
        result.unwrap();
        let name = p.display().to_string();
        let messages: Vec<String> = items
            .iter()
            .filter_map(|i| i.as_ref().err().map(ToString::to_string))
            .collect();
        assert_eq!(
            messages,
            vec![
                format!("{name}:1: expected a JSON object such as {{\"text\": \"...\"}}"),
                format!("{name}:2: missing required field \"text\""),
                format!("{name}:3: field \"text\" is empty"),
                format!("{name}:4: field \"text\" must be a string"),
                format!("{name}:5: field \"url\" must be a string"),
                format!(
                    "{name}:6: invalid published date \"01/03/2024\"; expected YYYY-MM-DD or an RFC 3339 timestamp such as 2024-03-01T08:30:00+07:00"
                ),
            ]
        );
        assert_eq!(items.last().unwrap().as_ref().unwrap().text, "ok");
    }

    #[test]
    fn jsonl_with_no_valid_line_or_empty_is_an_error() {
        let dir = TempDir::new().unwrap();
        let (p, src) = jsonl(dir.path(), "nope\n{}\n");
        let (items, result) = read_all(&src, &opts());
        assert_eq!(items.len(), 2);
        assert_eq!(
            result.unwrap_err().to_string(),
            format!(
                "{}: no valid articles: all 2 non-empty lines were rejected",
                p.display()
            )
        );
        let (p, src) = jsonl(dir.path(), "\n  \r\n");
        let (items, result) = read_all(&src, &opts());
        assert!(items.is_empty());
        assert_eq!(
            result.unwrap_err().to_string(),
            format!("{}: empty file", p.display())
        );
        let (_, src) = jsonl(dir.path(), "{\"text\": \"a\0\"}");
        assert!(read_all(&src, &opts())
            .1
            .unwrap_err()
            .to_string()
            .ends_with("binary file, not an article"));
    }

    #[test]
    fn jsonl_bom_crlf_default_date_and_long_lines() {
        let dir = TempDir::new().unwrap();
        let long = format!("{{\"text\": \"{}\"}}", "x".repeat(100));
        let body = format!(
            "\u{FEFF}{{\"text\": \"a\"}}\r\n{long}\r\n{{\"text\": \"b\", \"published\": \"2024-01-02\"}}\n{long}"
        );
        let (p, src) = jsonl(dir.path(), &body);
        let o = InputOptions {
            max_file_bytes: 60,
            default_published: Some("2020-05-05".into()),
            ..opts()
        };
        let (items, result) = read_all(&src, &o);
        result.unwrap();
        let name = p.display().to_string();
        assert_eq!(items.len(), 4);
        let a = items[0].as_ref().unwrap();
        assert_eq!(
            (a.text.as_str(), a.published.as_deref()),
            ("a", Some("2020-05-05"))
        );
        assert_eq!(
            items[1].as_ref().unwrap_err().to_string(),
            format!("{name}:2: line is over the limit of 60 bytes; skipped")
        );
        let b = items[2].as_ref().unwrap();
        assert_eq!(
            (b.source.clone(), b.published.as_deref()),
            (format!("{name}:3"), Some("2024-01-02"))
        );
        assert!(items[3]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with(&format!("{name}:4: line is over")));
    }

    #[test]
    fn jsonl_invalid_utf8_line_and_lossy() {
        let dir = TempDir::new().unwrap();
        let p = write(
            dir.path(),
            "feed.ndjson",
            b"{\"text\": \"ok\"}\n{\"text\": \"caf\xE9\"}\n",
        );
        let src = InputSource::Jsonl(p.clone());
        let (items, result) = read_all(&src, &opts());
        result.unwrap();
        assert_eq!(
            items[1].as_ref().unwrap_err().to_string(),
            format!(
                "{}: invalid UTF-8 at line 2, column 14 (byte 28); use --lossy to decode with replacement characters",
                p.display()
            )
        );
        let (items, _) = read_all(
            &src,
            &InputOptions {
                lossy: true,
                ..opts()
            },
        );
        assert_eq!(items[1].as_ref().unwrap().text, "caf\u{FFFD}");
    }

    // --- dates ---

    #[test]
    fn published_dates() {
        for (input, want) in [
            ("2024-03-01", Some("2024-03-01")),
            ("2024-02-29", Some("2024-02-29")),
            ("2000-02-29", Some("2000-02-29")),
            ("2024-03-01T08:30:00Z", Some("2024-03-01")),
            ("2024-03-01t08:30:00.123456-05:00", Some("2024-03-01")),
            ("2024-03-01 08:30", Some("2024-03-01")),
            ("2024-03-01T23:59:60+0700", Some("2024-03-01")),
            ("1900-02-29", None),
            ("2023-02-29", None),
            ("2024-13-01", None),
            ("2024-04-31", None),
            ("2024-00-10", None),
            ("2024-3-1", None),
            ("24-03-01", None),
            ("2024/03/01", None),
            ("2024-03-01T24:00:00Z", None),
            ("2024-03-01T08:30:00+07", None),
            ("2024-03-01T08:30:00.Z", None),
            ("2024-03-01junk", None),
            ("", None),
            ("２０２４-03-01", None),
        ] {
            assert_eq!(parse_published(input).as_deref(), want, "{input:?}");
        }
    }
}
