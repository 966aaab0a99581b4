//! JSONL feeds: one article per line; a bad line is reported and skipped.

use super::encoding::{check_not_binary, invalid_utf8};
use super::metadata::{clean_title, resolve_published};
use super::normalise::normalise_text;
use super::{io_error, Article, InputError, InputOptions, UTF8_BOM};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io;
use std::io::BufRead;
use std::io::Read;
use std::ops::ControlFlow;

pub(super) fn read_jsonl<R: BufRead>(
    mut reader: R,
    name: &str,
    opts: &InputOptions,
    sink: &mut dyn FnMut(Result<Article, InputError>) -> ControlFlow<()>,
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
            let too_long = InputError::LineTooLong {
                path: name.to_owned(),
                line: line_no,
                limit,
            };
            if sink(Err(too_long)).is_break() {
                return Ok(());
            }
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
                let bad = invalid_utf8(name, content, e.valid_up_to(), line_no, base);
                if sink(Err(bad)).is_break() {
                    return Ok(());
                }
                continue;
            }
        };
        let read = article_from_json(&line, name, line_no, opts);
        match &read {
            Ok(_) => valid += 1,
            Err(_) => rejected += 1,
        }
        // A reader that asked to stop has what it wanted: not an error.
        if sink(read).is_break() {
            return Ok(());
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
pub(super) fn skip_line<R: BufRead>(reader: &mut R) -> io::Result<usize> {
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

pub(super) fn article_from_json(
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
pub(super) fn optional_string<'a>(
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
