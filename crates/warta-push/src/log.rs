//! The push log: for one remote endpoint, the digest of each graph as the
//! remote last accepted it. It lives in the store directory
//! (`<store>/push/<endpoint hash>.log`), one line per accepted PUT or DELETE,
//! appended and flushed as each answer arrives, so a push killed halfway
//! resumes where it stopped. A torn last line (a kill mid-write) is ignored:
//! that graph is sent again, which a PUT makes harmless.

use crate::plan::GraphDigest;
use crate::PushError;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

const HEADER: &str =
    "# warta push log: graph IRI, tab, digest/triples (or - when deleted); endpoint ";
/// Records between two fsyncs of the log.
const SYNC_EVERY: usize = 64;

/// What the remote holds, as far as earlier pushes know.
pub struct PushLog {
    endpoint: String,
    /// Graph IRI -> tag of the accepted content (deleted graphs are removed).
    held: BTreeMap<String, String>,
    file: Option<(PathBuf, File)>,
    unsynced: usize,
}

impl PushLog {
    /// The log file of `endpoint` in the store directory `store_dir`.
    pub fn path(store_dir: &Path, endpoint: &str) -> PathBuf {
        let hash = Sha256::digest(endpoint.as_bytes());
        let name: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
        store_dir.join("push").join(format!("{name}.log"))
    }

    /// Reads the log of `endpoint` in `store_dir` without writing anything
    /// (a dry run); no log is an empty one.
    pub fn read(store_dir: &Path, endpoint: &str) -> Result<PushLog, PushError> {
        let path = Self::path(store_dir, endpoint);
        let held = match fs::read_to_string(&path) {
            Ok(text) => parse(&text, &path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(source) => return Err(PushError::File { path, source }),
        };
        Ok(PushLog {
            endpoint: endpoint.to_string(),
            held,
            file: None,
            unsynced: 0,
        })
    }

    /// Reads (or starts) the log of `endpoint` in `store_dir`, to append to.
    pub fn open(store_dir: &Path, endpoint: &str) -> Result<PushLog, PushError> {
        let path = Self::path(store_dir, endpoint);
        let io = |source| PushError::File {
            path: path.clone(),
            source,
        };
        let mut log = Self::read(store_dir, endpoint)?;
        // Rewritten compactly at once, so a torn line never has a successor.
        log.rewrite(&path)?;
        let file = OpenOptions::new().append(true).open(&path).map_err(io)?;
        log.file = Some((path, file));
        Ok(log)
    }

    /// A log kept in memory only (an in-memory store).
    pub fn in_memory(endpoint: &str) -> PushLog {
        PushLog {
            endpoint: endpoint.to_string(),
            held: BTreeMap::new(),
            file: None,
            unsynced: 0,
        }
    }

    /// Whether the remote holds `iri` with content `tag`.
    pub fn holds(&self, iri: &str, tag: &str) -> bool {
        self.held.get(iri).is_some_and(|t| t == tag)
    }

    /// The graphs the remote holds from earlier pushes.
    pub fn remote_graphs(&self) -> impl Iterator<Item = &str> {
        self.held.keys().map(String::as_str)
    }

    /// Records that the remote accepted `iri` as `digest` (`None`: deleted it).
    pub fn record(&mut self, iri: &str, digest: Option<&GraphDigest>) -> Result<(), PushError> {
        let tag = digest.map(GraphDigest::tag);
        match &tag {
            Some(tag) => self.held.insert(iri.to_string(), tag.clone()),
            None => self.held.remove(iri),
        };
        let Some((path, file)) = &mut self.file else {
            return Ok(());
        };
        let line = format!("{iri}\t{}\n", tag.as_deref().unwrap_or("-"));
        let io = |source| PushError::File {
            path: path.clone(),
            source,
        };
        file.write_all(line.as_bytes()).map_err(io)?;
        self.unsynced += 1;
        if self.unsynced >= SYNC_EVERY {
            file.sync_data().map_err(io)?;
            self.unsynced = 0;
        }
        Ok(())
    }

    /// Makes the log durable and compact at the end of a push.
    pub fn finish(&mut self) -> Result<(), PushError> {
        if let Some((path, _)) = self.file.take() {
            self.rewrite(&path)?;
            let file = OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(|source| PushError::File {
                    path: path.clone(),
                    source,
                })?;
            self.file = Some((path, file));
        }
        Ok(())
    }

    /// Writes the held graphs to a temporary file and renames it over the log.
    fn rewrite(&self, path: &Path) -> Result<(), PushError> {
        let io = |source| PushError::File {
            path: path.to_path_buf(),
            source,
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(io)?;
        let tmp = path.with_extension("log.tmp");
        let mut text = format!("{HEADER}{}\n", self.endpoint);
        for (iri, tag) in &self.held {
            text.push_str(&format!("{iri}\t{tag}\n"));
        }
        let mut file = File::create(&tmp).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        fs::rename(&tmp, path).map_err(io)
    }
}

/// The held graphs of a log's text (last record of a graph wins).
fn parse(text: &str, path: &Path) -> Result<BTreeMap<String, String>, PushError> {
    let mut held = BTreeMap::new();
    let complete = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };
    for (i, line) in complete.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let bad = |message: &str| PushError::LogFormat {
            path: path.to_path_buf(),
            line: i + 1,
            message: message.to_string(),
        };
        let (iri, tag) = line
            .split_once('\t')
            .ok_or_else(|| bad("expected a graph IRI, a tab and a digest"))?;
        if iri.is_empty() || iri.contains(char::is_whitespace) {
            return Err(bad("the graph IRI is empty or has a space"));
        }
        if tag == "-" {
            held.remove(iri);
        } else if valid_tag(tag) {
            held.insert(iri.to_string(), tag.to_string());
        } else {
            return Err(bad(
                "the digest is not 32 hex digits, a slash and a triple count",
            ));
        }
    }
    Ok(held)
}

fn valid_tag(tag: &str) -> bool {
    tag.split_once('/').is_some_and(|(hex, n)| {
        hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()) && n.parse::<usize>().is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "0123456789abcdef0123456789abcdef/3";

    #[test]
    fn last_record_wins_deletions_drop_and_a_torn_line_is_ignored() {
        let text = format!("{HEADER}x\n<g1>\t{TAG}\n<g2>\t{TAG}\n<g1>\t-\n<g3>\t0123");
        let held = parse(&text, Path::new("p.log")).expect("parses");
        assert_eq!(held.keys().collect::<Vec<_>>(), vec!["<g2>"]);
    }

    #[test]
    fn a_bad_line_names_the_file_and_line() {
        let text = format!("{HEADER}x\n<g1>\t{TAG}\n<g2> no tab\n");
        let err = parse(&text, Path::new("p.log")).expect_err("bad line");
        assert_eq!(
            err.to_string(),
            "the push log p.log, line 3: expected a graph IRI, a tab and a digest"
        );
    }

    #[test]
    fn the_log_survives_reopening_and_is_per_endpoint() {
        let dir = tempfile::tempdir().expect("tempdir");
        let digest = GraphDigest {
            iri: "https://e/g".into(),
            source: crate::Source::Knowledge(1),
            digest: 7,
            triples: 2,
            bytes: 10,
        };
        let mut log = PushLog::open(dir.path(), "http://a/store").expect("open");
        log.record("https://e/g", Some(&digest)).expect("record");
        drop(log);
        let again = PushLog::open(dir.path(), "http://a/store").expect("reopen");
        assert!(again.holds("https://e/g", &digest.tag()));
        let other = PushLog::open(dir.path(), "http://b/store").expect("other");
        assert!(!other.holds("https://e/g", &digest.tag()));
    }
}
