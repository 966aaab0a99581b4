//! Discovery: the command-line paths as an ordered list of sources.

use super::{display, io_error, InputError, InputSource};
use std::fs;
use std::path::{Path, PathBuf};

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

pub(super) fn walk(dir: &Path, sources: &mut Vec<InputSource>) -> Result<(), InputError> {
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

pub(super) fn has_extension(path: &Path, wanted: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| wanted.iter().any(|w| e.eq_ignore_ascii_case(w)))
}
