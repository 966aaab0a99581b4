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
//!
//! One file per concern: [`discover`](discover()) (paths to sources),
//! `files` (one file or stream as one article), `jsonl` (feeds), `encoding`
//! (binary sniffing, UTF-8), `html` and `char_refs` (HTML to text),
//! `metadata` (title and publication date) and `normalise` (the reference
//! text).

mod char_refs;
mod discover;
mod encoding;
mod files;
mod front_matter;
mod html;
mod jsonl;
mod metadata;
mod normalise;
mod readable;
mod shard;
mod sidecar;

pub use self::discover::discover;
pub use self::html::strip_html;
pub use self::normalise::normalise_text;
pub use self::shard::Shard;
pub use self::sidecar::SIDECAR_NAMES;

use self::files::{read_file, read_stream, TextKind};
use self::jsonl::read_jsonl;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufReader};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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

    #[error("{path}:{line}: {message}")]
    FrontMatter {
        path: String,
        line: usize,
        message: String,
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

/// Reads one article file, filling what it does not say from the sidecar
/// metadata of its directory (see [`sidecar`]).
fn read_with_sidecar(path: &Path, opts: &InputOptions) -> Result<Article, InputError> {
    let Some(row) = sidecar::row_for(path)? else {
        return read_file(path, opts);
    };
    let with_date;
    let opts = match &row.published {
        Some(date) => {
            with_date = InputOptions {
                default_published: Some(date.clone()),
                ..opts.clone()
            };
            &with_date
        }
        None => opts,
    };
    let mut article = read_file(path, opts)?;
    if article.language.is_none() {
        article.language = row.language;
    }
    if article.url.is_none() {
        article.url = row.url;
    }
    Ok(article)
}

/// One article from bytes already in memory, read as the file `name` would
/// be (its extension picks plain text, Markdown or HTML), with the same
/// checks and messages.
pub fn read_bytes(name: &str, bytes: &[u8], opts: &InputOptions) -> Result<Article, InputError> {
    files::article_from_named_bytes(name, bytes, opts)
}

/// Reads JSONL articles from any reader (an HTTP request body, say), one
/// article a line, with the same checks and messages as a `.jsonl` file;
/// `name` stands for the path in messages (`POST /ingest:3: ...`).
pub fn read_jsonl_from(
    reader: impl io::BufRead,
    name: &str,
    opts: &InputOptions,
    sink: &mut dyn FnMut(Result<Article, InputError>),
) -> Result<(), InputError> {
    read_jsonl(reader, name, opts, &mut |r| {
        sink(r);
        ControlFlow::Continue(())
    })
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
    read_source_until(src, opts, &mut |r| {
        sink(r);
        ControlFlow::Continue(())
    })
}

/// Articles a batch reader holds at a time ([`read_source_in_batches`]):
/// enough to keep every extraction thread busy, few enough that a feed of
/// any length stays small in memory.
pub const BATCH_ARTICLES: usize = 512;

/// Reads one source like [`read_source`], handing its articles to `batch`
/// at most `size` at a time, so a JSONL feed of any length is held in
/// memory one batch at a time. Problems with single inputs, and a source
/// that cannot be read at all, go to `problem` in reading order. When
/// `batch` fails, reading stops and its error is returned.
pub fn read_source_in_batches<E>(
    src: &InputSource,
    opts: &InputOptions,
    size: usize,
    problem: &mut dyn FnMut(InputError),
    batch: &mut dyn FnMut(Vec<Article>) -> Result<(), E>,
) -> Result<(), E> {
    let size = size.max(1);
    let mut held = Vec::new();
    let mut failed = None;
    let read = read_source_until(src, opts, &mut |r| {
        match r {
            Ok(a) => held.push(a),
            Err(e) => problem(e),
        }
        if held.len() < size {
            return ControlFlow::Continue(());
        }
        match batch(std::mem::take(&mut held)) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failed = Some(e);
                ControlFlow::Break(())
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    if !held.is_empty() {
        batch(held)?;
    }
    if let Err(e) = read {
        problem(e);
    }
    Ok(())
}

/// [`read_source`] with a sink that may stop the reading (`Break`).
fn read_source_until(
    src: &InputSource,
    opts: &InputOptions,
    sink: &mut dyn FnMut(Result<Article, InputError>) -> ControlFlow<()>,
) -> Result<(), InputError> {
    match src {
        InputSource::File(path) => {
            let _ = sink(Ok(read_with_sidecar(path, opts)?));
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
            let _ = sink(Ok(article));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests;
