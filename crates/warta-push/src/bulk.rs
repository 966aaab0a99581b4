//! The push layout as files, for a server's bulk loader (Virtuoso's
//! `ld_dir` + `rdf_loader_run`, `oxigraph load`, QLever's index builder):
//! N-Quads where every article keeps its graph and the knowledge layer is in
//! the same subject buckets `warta push` sends, so a bulk load and later
//! pushes describe one remote layout.

use crate::plan::{bucket_iri, bucket_of};
use crate::PushError;
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Quads per file: files of about 150 MB, which the loaders take in
/// parallel (Virtuoso runs one `rdf_loader_run` per core over a folder).
pub const QUADS_PER_FILE: usize = 1_000_000;

/// What a bulk export wrote.
#[derive(Debug, Default)]
pub struct BulkSummary {
    pub files: Vec<PathBuf>,
    pub quads: usize,
}

/// Writes the store's quads into `dir` as `warta-0000.nq`, `warta-0001.nq`
/// ..., at most `per_file` quads each, the default graph's in their knowledge
/// buckets under `knowledge_prefix`. `dir` must be empty or absent: files of
/// an older export would be loaded beside the new ones.
pub fn write_bulk(
    store: &warta_graph::store::KgStore,
    dir: &Path,
    knowledge_prefix: &str,
    per_file: usize,
) -> Result<BulkSummary, PushError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PushError::File { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    if std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
        return Err(PushError::Usage(format!(
            "{}: the bulk folder must be empty (a loader would read the old files too)",
            dir.display()
        )));
    }
    let buckets: Vec<NamedNode> = (0..crate::plan::KNOWLEDGE_BUCKETS)
        .map(|b| NamedNode::new_unchecked(bucket_iri(knowledge_prefix, b)))
        .collect();
    let mut summary = BulkSummary::default();
    let mut out: Option<(PathBuf, BufWriter<File>)> = None;
    let mut in_file = 0;
    for quad in store.inner().iter() {
        let mut quad = quad.map_err(crate::read_error)?;
        if quad.graph_name == GraphName::DefaultGraph {
            let bucket = buckets[usize::from(bucket_of(&quad.subject))].clone();
            quad = Quad::new(quad.subject, quad.predicate, quad.object, bucket);
        }
        if out.is_none() || in_file == per_file {
            if let Some((path, file)) = out.take() {
                finish(file, &path)?;
            }
            let path = dir.join(format!("warta-{:04}.nq", summary.files.len()));
            let file = File::create(&path).map_err(io(&path))?;
            summary.files.push(path.clone());
            out = Some((path, BufWriter::new(file)));
            in_file = 0;
        }
        if let Some((path, file)) = &mut out {
            writeln!(file, "{quad} .").map_err(io(path))?;
        }
        in_file += 1;
        summary.quads += 1;
    }
    if let Some((path, file)) = out {
        finish(file, &path)?;
    }
    Ok(summary)
}

fn finish(file: BufWriter<File>, path: &Path) -> Result<(), PushError> {
    let io = |source| PushError::File {
        path: path.to_path_buf(),
        source,
    };
    file.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)
}
