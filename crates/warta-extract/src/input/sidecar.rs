//! Metadata beside plain article files: a `SOURCES.tsv` (or
//! `metadata.tsv`) in the article's directory, tab-separated with a header
//! row, one row per file. A plain `.txt` file has no place for its date, its
//! language or its address; the sidecar gives them, so a directory of saved
//! articles ingests with its publication dates and its relative times
//! ("pekan lalu", "last week") resolve.
//!
//! Columns, by header name (others are ignored): `file` (required: the file
//! name in that directory), `published` or `date_published` (`YYYY-MM-DD` or
//! RFC 3339), `language` or `lang`, `url` or `source_url` (kept when it is an
//! http(s) address). The article's own metadata wins (an HTML page's
//! `article:published_time`); the sidecar fills what is missing, before
//! `--published`.
//!
//! Each directory's sidecar is read once per process.

use super::metadata::parse_published;
use super::InputError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The names a sidecar may have, in the order they are looked for.
pub const SIDECAR_NAMES: [&str; 2] = ["SOURCES.tsv", "metadata.tsv"];

/// What a sidecar says of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct SidecarRow {
    pub published: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
}

type Table = Arc<HashMap<String, SidecarRow>>;

fn cache() -> &'static Mutex<HashMap<PathBuf, Table>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Table>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The sidecar row of the article file at `path`, if its directory has a
/// sidecar naming it.
pub(super) fn row_for(path: &Path) -> Result<Option<SidecarRow>, InputError> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(None);
    };
    let name = name.to_string_lossy();
    let known = cache()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(dir)
        .cloned();
    let table = match known {
        Some(table) => table,
        None => {
            let table = Arc::new(read_dir_sidecar(dir)?);
            cache()
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(dir.to_path_buf(), Arc::clone(&table));
            table
        }
    };
    Ok(table.get(name.as_ref()).cloned())
}

fn read_dir_sidecar(dir: &Path) -> Result<HashMap<String, SidecarRow>, InputError> {
    for name in SIDECAR_NAMES {
        let path = dir.join(name);
        if path.is_file() {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|source| InputError::Io {
                path: shown.clone(),
                source,
            })?;
            return parse(&text, &shown);
        }
    }
    Ok(HashMap::new())
}

/// Parses a sidecar; `shown` names it in errors (with the line).
pub(super) fn parse(text: &str, shown: &str) -> Result<HashMap<String, SidecarRow>, InputError> {
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or("")
        .split('\t')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let Some(file_col) = column(&["file"]) else {
        // Not a metadata table (a list of sources of another shape).
        return Ok(HashMap::new());
    };
    let date_col = column(&["published", "date_published"]);
    let lang_col = column(&["language", "lang"]);
    let url_col = column(&["url", "source_url"]);
    let mut rows = HashMap::new();
    for (index, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        let cell = |col: Option<usize>| {
            col.and_then(|c| cells.get(c))
                .copied()
                .filter(|v| !v.is_empty())
        };
        let Some(file) = cell(Some(file_col)) else {
            continue;
        };
        let published = match cell(date_col) {
            None => None,
            Some(value) => Some(parse_published(value).ok_or_else(|| InputError::BadDate {
                location: format!("{shown}:{}", index + 2),
                value: value.to_owned(),
            })?),
        };
        let url = cell(url_col)
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(str::to_owned);
        rows.insert(
            file.to_owned(),
            SidecarRow {
                published,
                language: cell(lang_col).map(str::to_owned),
                url,
            },
        );
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_by_header_name() {
        let text = "file\tlanguage\ttitle\tsource_url\tdate_published\n\
                    a.txt\tid\tA\thttps://example.org/a\t2020-10-20\n\
                    b.txt\ten\tB\tA newspaper, 2024\t\n";
        let rows = parse(text, "SOURCES.tsv").expect("parsed");
        assert_eq!(
            rows["a.txt"],
            SidecarRow {
                published: Some("2020-10-20".into()),
                language: Some("id".into()),
                url: Some("https://example.org/a".into()),
            }
        );
        assert_eq!(rows["b.txt"].published, None);
        assert_eq!(rows["b.txt"].url, None, "not an address");
    }

    #[test]
    fn a_bad_date_names_the_file_and_line() {
        let err = parse("file\tpublished\na.txt\t2020-13-40\n", "dir/SOURCES.tsv")
            .expect_err("a bad date");
        let message = err.to_string();
        assert!(message.contains("dir/SOURCES.tsv:2"), "{message}");
        assert!(message.contains("2020-13-40"), "{message}");
    }

    #[test]
    fn a_table_without_a_file_column_is_not_metadata() {
        assert!(parse("source\tlicence\nx\ty\n", "SOURCES.tsv")
            .expect("parsed")
            .is_empty());
    }
}
