//! Reading one file or stream as one article: bounded, checked for
//! binary content and encoding, titled, dated and normalised.

use super::discover::has_extension;
use super::encoding::{check_not_binary, invalid_utf8, looks_binary, sniff};
use super::front_matter::split_front_matter;
use super::html::strip_html;
use super::metadata::{clean_title, markdown_title, plain_title, resolve_published};
use super::normalise::normalise_text;
use super::readable::{nesting_estimate, read_page, Page, MAX_NESTING};
use super::{display, io_error, Article, InputError, InputOptions, UTF8_BOM};
use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextKind {
    Plain,
    Markdown,
    Html,
}

pub(super) fn text_kind(path: &Path) -> TextKind {
    if has_extension(path, &["html", "htm", "xhtml"]) {
        TextKind::Html
    } else if has_extension(path, &["md", "markdown"]) {
        TextKind::Markdown
    } else {
        TextKind::Plain
    }
}

pub(super) fn read_file(path: &Path, opts: &InputOptions) -> Result<Article, InputError> {
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

pub(super) fn article_from_named_bytes(
    name: &str,
    bytes: &[u8],
    opts: &InputOptions,
) -> Result<Article, InputError> {
    if bytes.len() as u64 > opts.max_file_bytes {
        return Err(InputError::TooLarge {
            path: name.to_owned(),
            size: bytes.len() as u64,
            limit: opts.max_file_bytes,
        });
    }
    article_from_bytes(name, text_kind(Path::new(name)), bytes, opts)
}

pub(super) fn read_stream<R: Read>(
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
pub(super) fn read_bounded<R: Read>(
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

pub(super) fn article_from_bytes(
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
    let page = match kind {
        TextKind::Html => html_page(&raw),
        TextKind::Markdown => markdown_page(&raw, name)?,
        TextKind::Plain => {
            let text = normalise_text(&raw);
            Page {
                title: plain_title(&text),
                text,
                ..Page::default()
            }
        }
    };
    let Page {
        title,
        text,
        published,
        url,
        language,
    } = page;
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
        url,
        published: resolve_published(published.as_deref(), opts, name)?,
        language,
        text,
    })
}

/// A Markdown article: its front matter's metadata, and the title from the
/// front matter or else the first `#` heading.
fn markdown_page(raw: &str, name: &str) -> Result<Page, InputError> {
    let (front, body) = split_front_matter(raw).map_err(|e| InputError::FrontMatter {
        path: name.to_owned(),
        line: e.line,
        message: e.message,
    })?;
    let text = normalise_text(body);
    let front = front.unwrap_or_default();
    Ok(Page {
        title: front
            .title
            .and_then(|t| clean_title(&t))
            .or_else(|| markdown_title(&text)),
        text,
        published: front.published,
        url: front.url,
        language: front.language,
    })
}

/// A page through the main-content reader; a fragment with no content root
/// (a bare snippet of markup) falls back to the plain tag stripper.
fn html_page(raw: &str) -> Page {
    if nesting_estimate(raw) > MAX_NESTING {
        let (title, text) = strip_html(raw);
        return Page {
            title,
            text,
            ..Page::default()
        };
    }
    let page = read_page(raw);
    if !page.text.is_empty() {
        return page;
    }
    let (title, text) = strip_html(raw);
    Page {
        title: page.title.or(title),
        text,
        ..page
    }
}
