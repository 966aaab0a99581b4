//! The note a running server leaves in its store directory
//! (`warta-serve.json`: its process id and URL), so that a CLI command that
//! finds the store locked can say where the store is served instead of only
//! that it is busy. RocksDB leaves files it does not know alone.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "warta-serve.json";

/// Who serves a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedBy {
    pub pid: u32,
    pub url: String,
}

/// The note, removed when the server stops.
pub struct Marker {
    path: PathBuf,
}

impl Marker {
    pub fn write(store_dir: &Path, url: &str) -> std::io::Result<Marker> {
        let path = store_dir.join(FILE_NAME);
        let note = ServedBy {
            pid: std::process::id(),
            url: url.to_owned(),
        };
        let text = serde_json::to_string(&note).map_err(std::io::Error::other)?;
        std::fs::write(&path, text)?;
        Ok(Marker { path })
    }
}

impl Drop for Marker {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The server that holds `store_dir`, if its note is there and its process
/// is alive (a note left by a killed server is ignored).
pub fn served_by(store_dir: &Path) -> Option<ServedBy> {
    let text = std::fs::read_to_string(store_dir.join(FILE_NAME)).ok()?;
    let note: ServedBy = serde_json::from_str(&text).ok()?;
    let alive =
        Path::new("/proc").join(note.pid.to_string()).exists() || !Path::new("/proc").exists();
    alive.then_some(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_this_process_and_goes_with_the_marker() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let marker = Marker::write(dir.path(), "http://127.0.0.1:1/").expect("written");
        let note = served_by(dir.path()).expect("a live note");
        assert_eq!(note.pid, std::process::id());
        assert_eq!(note.url, "http://127.0.0.1:1/");
        drop(marker);
        assert!(served_by(dir.path()).is_none());
    }
}
