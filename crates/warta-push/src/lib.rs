//! `warta push`: the store's graphs to a remote SPARQL 1.1 Graph Store
//! (Virtuoso, Oxigraph server, Fuseki, `warta serve --writable` ...), so a
//! team that outgrows the embedded store feeds a server store instead.
//!
//! The model:
//!
//! - **What is sent** ([`plan`]): each named graph of the store (one per
//!   article, the ontology's) goes to the remote graph of the same IRI. The
//!   merged knowledge layer, the local default graph, is split by subject into
//!   [`plan::KNOWLEDGE_BUCKETS`] remote graphs `<base>graph/knowledge/NNN`, so
//!   a changed article re-sends the few buckets its facts fall in, not the
//!   whole layer. A query over the remote's union of graphs (Virtuoso's
//!   default, `oxigraph serve --union-default-graph`) sees what a local query
//!   sees.
//! - **How** ([`remote`]): one HTTP `PUT ?graph=IRI` per graph, which replaces
//!   it, so a push can be repeated safely; `DELETE` for a graph the store no
//!   longer has. Basic, digest or bearer authentication; retries with
//!   exponential backoff on 5xx answers and connection errors.
//! - **Only what changed, resumable** ([`log`]): each graph has a digest of
//!   its triples (order-free). A push log in the store directory, one per
//!   remote endpoint, records the digest each graph had when the remote
//!   accepted it, appended after every answer. The next push, after a
//!   finished push or an interrupted one, sends only the graphs whose digest
//!   differs.
//! - **Or as files** ([`bulk`]): the same layout as N-Quads files for a
//!   server's bulk loader, for the first load of a large store.

pub mod bulk;
pub mod log;
pub mod plan;
pub mod remote;

use oxigraph::model::Triple;
use std::time::Instant;
use warta_graph::store::KgStore;

pub use log::PushLog;
pub use plan::{GraphDigest, Plan, Source};
pub use remote::{Auth, Remote, RemoteOptions};

/// Why a push stopped.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error(transparent)]
    Store(#[from] warta_graph::store::StoreError),
    #[error("reading the store: {0}")]
    Read(String),
    #[error("{path}: {source}")]
    File {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("the push log {path}, line {line}: {message}")]
    LogFormat {
        path: std::path::PathBuf,
        line: usize,
        message: String,
    },
    #[error("{endpoint}: {message}")]
    Remote { endpoint: String, message: String },
    #[error("{0}")]
    Usage(String),
}

/// What a push did (or, dry, would do).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PushSummary {
    /// Graphs sent (PUT), by kind.
    pub documents_sent: usize,
    pub knowledge_sent: usize,
    pub other_sent: usize,
    /// Graphs deleted on the remote (gone from the store), and how many of
    /// them were articles' (the rest are knowledge buckets left empty).
    pub deleted: usize,
    pub documents_deleted: usize,
    /// Graphs the remote already holds as they are.
    pub unchanged: usize,
    pub triples_sent: usize,
    pub bytes_sent: usize,
    pub seconds: f64,
    /// The IRIs of the graphs sent, in order (for `--dry-run` and tests).
    pub sent: Vec<String>,
    pub deleted_graphs: Vec<String>,
}

impl PushSummary {
    pub fn graphs_sent(&self) -> usize {
        self.documents_sent + self.knowledge_sent + self.other_sent
    }
}

/// How to push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The IRI prefix of the store's documents (`<base>doc/`): a named graph
    /// under it counts as an article's.
    pub document_prefix: String,
    /// The IRI prefix of the knowledge buckets (`<base>graph/knowledge/`).
    pub knowledge_prefix: String,
    /// Say what would be sent, send nothing, write no log.
    pub dry_run: bool,
    /// Send every graph, whatever the log says.
    pub full: bool,
    /// Requests in flight at once (each on its own connection); 1 sends in order.
    pub connections: usize,
}

/// Pushes what changed since the last push to `remote`, recording each
/// accepted graph in the store's push log for that endpoint. `progress` is
/// called after each graph with (graphs done, graphs to do).
pub fn push(
    store: &KgStore,
    remote: &mut Remote,
    opts: &PushOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PushSummary, PushError> {
    let started = Instant::now();
    let digests = plan::digest_store(store, &opts.knowledge_prefix)?;
    let mut log = match store.path() {
        Some(dir) if opts.dry_run => PushLog::read(dir, remote.endpoint())?,
        Some(dir) => PushLog::open(dir, remote.endpoint())?,
        None => PushLog::in_memory(remote.endpoint()),
    };
    let plan = Plan::new(&digests, if opts.full { None } else { Some(&log) });
    let mut summary = PushSummary {
        unchanged: plan.unchanged,
        ..PushSummary::default()
    };
    let total = plan.to_send.len() + plan.to_delete.len();
    if opts.dry_run {
        dry_summary(&plan, opts, &mut summary);
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    let mut done = 0;
    // The first client also sends the deletions, with any digest challenge
    // it has learnt.
    let mut remotes: Vec<Remote> = (0..opts.connections.max(1))
        .map(|_| remote.try_clone())
        .collect();
    for group in plan::byte_bounded_groups(&plan.to_send, plan::MAX_GROUP_BYTES) {
        let bodies = plan::bodies(store, group)?;
        put_group(&mut remotes, group, &bodies, |digest| {
            log.record(&digest.iri, Some(digest))?;
            count_sent(&mut summary, digest, opts);
            done += 1;
            progress(done, total);
            Ok(())
        })?;
    }
    let deleted = delete_graphs(&mut remotes[0], &plan.to_delete, |iri| {
        log.record(iri, None)?;
        count_deleted(&mut summary, iri, opts);
        done += 1;
        progress(done, total);
        Ok(())
    });
    remote.requests += remotes.iter().map(|r| r.requests).sum::<usize>();
    deleted?;
    log.finish()?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// DELETEs each graph, calling `deleted` after each the remote accepted.
fn delete_graphs(
    remote: &mut Remote,
    graphs: &[String],
    mut deleted: impl FnMut(&str) -> Result<(), PushError>,
) -> Result<(), PushError> {
    for iri in graphs {
        remote.delete_graph(iri)?;
        deleted(iri)?;
    }
    Ok(())
}

fn dry_summary(plan: &Plan<'_>, opts: &PushOptions, summary: &mut PushSummary) {
    for digest in &plan.to_send {
        count_sent(summary, digest, opts);
    }
    for iri in &plan.to_delete {
        count_deleted(summary, iri, opts);
    }
}

fn count_deleted(summary: &mut PushSummary, iri: &str, opts: &PushOptions) {
    summary.deleted += 1;
    if iri.starts_with(&opts.document_prefix) {
        summary.documents_deleted += 1;
    }
    summary.deleted_graphs.push(iri.to_string());
}

/// PUTs a group's bodies over the remotes' connections (in order with one),
/// calling `accepted` on this thread for each graph the remote accepted, as
/// it is accepted. The first error stops the group; what was accepted
/// before it has been passed to `accepted`.
fn put_group(
    remotes: &mut [Remote],
    group: &[&GraphDigest],
    bodies: &[Vec<u8>],
    mut accepted: impl FnMut(&GraphDigest) -> Result<(), PushError>,
) -> Result<(), PushError> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
    if let [remote] = remotes {
        for (digest, body) in group.iter().zip(bodies) {
            remote.put_graph(&digest.iri, body)?;
            accepted(digest)?;
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel::<Result<usize, PushError>>();
    std::thread::scope(|scope| {
        for remote in remotes.iter_mut() {
            let (tx, next, failed) = (tx.clone(), &next, &failed);
            scope.spawn(move || {
                while !failed.load(Relaxed) {
                    let i = next.fetch_add(1, Relaxed);
                    let Some(digest) = group.get(i) else { break };
                    let answer = remote.put_graph(&digest.iri, &bodies[i]).map(|()| i);
                    failed.fetch_or(answer.is_err(), Relaxed);
                    if tx.send(answer).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut first_error = None;
        for answer in rx {
            let recorded = answer.and_then(|i| accepted(group[i]));
            if let Err(e) = recorded {
                failed.store(true, Relaxed);
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    })
}

/// Counts a graph sent. Its body is the N-Triples its digest was taken
/// over, so the digest pass's byte count is the body's size.
fn count_sent(summary: &mut PushSummary, digest: &GraphDigest, opts: &PushOptions) {
    match digest.source {
        Source::Knowledge(_) => summary.knowledge_sent += 1,
        Source::Named(_) if digest.iri.starts_with(&opts.document_prefix) => {
            summary.documents_sent += 1
        }
        Source::Named(_) => summary.other_sent += 1,
    }
    summary.triples_sent += digest.triples;
    summary.bytes_sent += digest.bytes;
    summary.sent.push(digest.iri.clone());
}

/// A storage error while reading the store.
pub(crate) fn read_error(error: oxigraph::store::StorageError) -> PushError {
    PushError::Read(error.to_string())
}

/// One triple as an N-Triples line (also valid Turtle), the body format of
/// every PUT and the input of every digest.
pub(crate) fn ntriples_line(triple: &Triple, out: &mut Vec<u8>) {
    use std::io::Write;
    // Writing into a Vec cannot fail.
    let _ = writeln!(out, "{triple} .");
}
