//! The knowledge-graph store: Oxigraph on disk (RocksDB), one named graph per
//! article, the ontology in a graph of its own.
//!
//! Writing an article is one transaction that clears the article's graph and
//! inserts its quads, so re-ingesting replaces instead of duplicating, and a
//! failure half-way leaves the earlier articles untouched. Large batches of new
//! articles go through Oxigraph's bulk loader (atomic per batch), which is
//! several times faster than transactions.

use oxigraph::model::{GraphNameRef, NamedNodeRef, Quad};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};
use std::path::{Path, PathBuf};

/// Errors of the store layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("the store at {path} is in use by another warta process (its lock is held); wait for that process to finish or use another --store")]
    Locked { path: PathBuf },
    #[error("cannot open the store at {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: StorageError,
    },
    #[error("{path} exists and is not a warta store (a directory with an Oxigraph database)")]
    NotAStore { path: PathBuf },
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
    #[error("SPARQL syntax error: {0}")]
    QuerySyntax(String),
    #[error("SPARQL evaluation error: {0}")]
    QueryEvaluation(String),
    #[error("the store at {path} was written by warta 0.1 (layout 1), which repeated every entity in every article's graph and gives wrong counts; re-ingest into a new store, or run `warta migrate` to rewrite it in layout {current}")]
    OldLayout { path: String, current: u32 },
    #[error("the store at {path} was written by a newer warta (layout {found}; this warta reads layout {current}); use that warta or a new store")]
    NewerLayout {
        path: String,
        found: u32,
        current: u32,
    },
    #[error("cannot read article <{graph}> back from the store: {why}")]
    Readback { graph: String, why: String },
}

impl From<crate::readback::ReadbackError> for StoreError {
    fn from(e: crate::readback::ReadbackError) -> StoreError {
        match e {
            crate::readback::ReadbackError::Storage(s) => StoreError::Storage(s),
            crate::readback::ReadbackError::NotAnArticle { graph, why } => {
                StoreError::Readback { graph, why }
            }
        }
    }
}

/// The bulk loader's memory budget; it sizes the loader's chunks (about
/// 500,000 quads per thread here).
const BULK_LOADER_MB: usize = 1000;

/// A warta knowledge graph.
#[derive(Clone)]
pub struct KgStore {
    store: Store,
    path: Option<PathBuf>,
}

impl KgStore {
    /// Opens (or creates) the on-disk store at `path` for reading and writing.
    pub fn open(path: &Path) -> Result<KgStore, StoreError> {
        if path.is_file() {
            return Err(StoreError::NotAStore {
                path: path.to_path_buf(),
            });
        }
        let store = Store::open(path).map_err(|source| {
            let message = source.to_string();
            if message.contains("LOCK") || message.to_ascii_lowercase().contains("lock") {
                StoreError::Locked {
                    path: path.to_path_buf(),
                }
            } else {
                StoreError::Open {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        Ok(KgStore {
            store,
            path: Some(path.to_path_buf()),
        })
    }

    /// A throwaway in-memory store.
    pub fn memory() -> Result<KgStore, StoreError> {
        Ok(KgStore {
            store: Store::new()?,
            path: None,
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The underlying Oxigraph store (for export and advanced use).
    pub fn inner(&self) -> &Store {
        &self.store
    }

    /// Replaces one named graph with `quads`, atomically.
    pub fn replace_graph(&self, graph: NamedNodeRef<'_>, quads: &[Quad]) -> Result<(), StoreError> {
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(graph)?;
        tx.remove_named_graph(graph)?;
        tx.insert_named_graph(graph);
        for q in quads {
            tx.insert(q);
        }
        tx.commit()?;
        Ok(())
    }

    /// Does the store hold this named graph already?
    pub fn has_graph(&self, graph: NamedNodeRef<'_>) -> Result<bool, StoreError> {
        Ok(self.store.contains_named_graph(graph)?)
    }

    /// A bulk loader for articles the store does not hold yet: nothing it
    /// loads is visible before its `commit()`, then all of it is. Two
    /// threads build the index files while the caller goes on extracting.
    pub fn bulk_loader(&self) -> oxigraph::store::BulkLoader<'_> {
        self.store
            .bulk_loader()
            .with_num_threads(2)
            .with_max_memory_size_in_megabytes(BULK_LOADER_MB)
    }

    /// Number of quads in the whole store.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.store.is_empty()?)
    }

    /// Number of quads in one graph.
    pub fn graph_len(&self, graph: NamedNodeRef<'_>) -> usize {
        self.store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph)))
            .count()
    }

    /// Runs a SPARQL query with the union of all graphs as the default graph
    /// (unless the query names its own dataset with FROM).
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>, StoreError> {
        let mut prepared = SparqlEvaluator::new()
            .parse_query(sparql)
            .map_err(|e| StoreError::QuerySyntax(e.to_string()))?;
        if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        prepared
            .on_store(&self.store)
            .execute()
            .map_err(|e| StoreError::QueryEvaluation(e.to_string()))
    }

    /// The layout the store holds: `Some(n)` from its marker, `Some(1)` for a
    /// store with article graphs and no marker (warta 0.1), None when empty.
    pub fn layout(&self) -> Result<Option<u32>, StoreError> {
        use oxigraph::model::Term;
        if let Some(q) = self
            .store
            .quads_for_pattern(None, Some(crate::layout::LAYOUT_VERSION_P), None, None)
            .next()
        {
            let q = q?;
            let n = match &q.object {
                Term::Literal(l) => l.value().parse().unwrap_or(0),
                _ => 0,
            };
            return Ok(Some(n));
        }
        let ontology = NamedNodeRef::new_unchecked(warta_extract::vocab::ONTOLOGY_IRI);
        for g in self.store.named_graphs() {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(g) = g? {
                if g.as_ref() != ontology {
                    return Ok(Some(1));
                }
            }
        }
        Ok(None)
    }

    /// Fails with a clear message unless the store is empty or holds this
    /// version's layout: an old layout would give wrong answers.
    pub fn check_layout(&self) -> Result<(), StoreError> {
        let current = crate::layout::LAYOUT_VERSION;
        let path = self
            .path
            .as_deref()
            .map_or_else(|| "(memory)".to_string(), |p| p.display().to_string());
        match self.layout()? {
            None => Ok(()),
            Some(n) if n == current => Ok(()),
            Some(n) if n < current => Err(StoreError::OldLayout { path, current }),
            Some(found) => Err(StoreError::NewerLayout {
                path,
                found,
                current,
            }),
        }
    }

    /// Runs a query to its end with statistics and returns the evaluation
    /// plan as JSON (Oxigraph's explanation: each node with its rows and
    /// time), with the same default dataset as [`Self::query`].
    pub fn explain(&self, sparql: &str) -> Result<String, StoreError> {
        let mut prepared = SparqlEvaluator::new()
            .parse_query(sparql)
            .map_err(|e| StoreError::QuerySyntax(e.to_string()))?;
        if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        let (results, explanation) = prepared
            .on_store(&self.store)
            .compute_statistics()
            .explain();
        match results.map_err(|e| StoreError::QueryEvaluation(e.to_string()))? {
            QueryResults::Solutions(rows) => {
                for row in rows {
                    row.map_err(|e| StoreError::QueryEvaluation(e.to_string()))?;
                }
            }
            QueryResults::Graph(triples) => {
                for t in triples {
                    t.map_err(|e| StoreError::QueryEvaluation(e.to_string()))?;
                }
            }
            QueryResults::Boolean(_) => {}
        }
        let mut json = Vec::new();
        explanation
            .write_in_json(&mut json)
            .map_err(|e| StoreError::QueryEvaluation(e.to_string()))?;
        Ok(String::from_utf8_lossy(&json).into_owned())
    }

    /// On-disk size in bytes (0 for an in-memory store).
    pub fn disk_size(&self) -> u64 {
        self.path.as_deref().map_or(0, dir_size)
    }
}

/// Bytes under a directory, recursively (a store's size on disk, also for
/// a closed store).
pub fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, NamedNode};

    fn quad(g: &NamedNode, o: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked("http://ex.org/s"),
            NamedNode::new_unchecked("http://ex.org/p"),
            Literal::new_simple_literal(o),
            GraphName::NamedNode(g.clone()),
        )
    }

    #[test]
    fn replacing_a_graph_does_not_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let store = KgStore::open(&dir.path().join("kg")).unwrap();
        let g = NamedNode::new_unchecked("http://ex.org/g1");
        store
            .replace_graph(g.as_ref(), &[quad(&g, "a"), quad(&g, "b")])
            .unwrap();
        store
            .replace_graph(g.as_ref(), &[quad(&g, "a"), quad(&g, "c")])
            .unwrap();
        assert_eq!(store.len().unwrap(), 2);
        assert!(store.has_graph(g.as_ref()).unwrap());
    }

    #[test]
    fn union_default_graph_in_queries() {
        let store = KgStore::memory().unwrap();
        let g = NamedNode::new_unchecked("http://ex.org/g1");
        store.replace_graph(g.as_ref(), &[quad(&g, "a")]).unwrap();
        let QueryResults::Boolean(b) = store.query("ASK { ?s ?p \"a\" }").unwrap() else {
            panic!("not a boolean")
        };
        assert!(b);
    }

    #[test]
    fn a_second_writer_is_told_the_store_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kg");
        let _first = KgStore::open(&path).unwrap();
        let err = KgStore::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    }

    #[test]
    fn syntax_errors_carry_the_position() {
        let store = KgStore::memory().unwrap();
        let err = store.query("SELECT * WHERE { ?s ?p }").err().unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("line") || msg.contains("column") || msg.contains("1:"),
            "{msg}"
        );
    }
}
