//! `warta serve`: the store over HTTP, for the tools analysts already use
//! (YASGUI, SPARQLWrapper, rdflib, `arq --service`, curl) and for a browser.
//!
//! # Model
//!
//! One process owns the store (Oxigraph allows one writer and nothing beside
//! it), so the server is the store's only door while it runs:
//!
//! ```text
//!   /sparql, /query   SPARQL 1.1 Protocol: queries on the union of all graphs,
//!                     results by Accept; updates only when --writable
//!   /store            Graph Store Protocol: one article's graph or the
//!                     knowledge layer, in any RDF format
//!   /ingest           JSONL articles through the same pipeline as `warta ingest`
//!   /, /search, /entity/ID, /doc/SHA   the analyst's pages (HTML, data from
//!                     parameterised SPARQL on the same store)
//! ```
//!
//! Every query runs under three bounds: a slot among `--max-queries` running
//! at once, a deadline (`--timeout`) that cancels it through Oxigraph's
//! cancellation token, and a row cap (`--max-rows`). Writes (updates, graph
//! store writes, ingest) take one lock, one at a time; queries read snapshots
//! and see each write once it commits.
//!
//! The HTTP layer is `oxhttp`, Oxigraph's own HTTP/1.1 server (the one
//! `oxigraph serve` runs on): blocking, a thread per connection under a cap,
//! no async runtime, few dependencies. See the README for why.

mod assets;
pub mod client;
mod gsp;
mod http;
mod ingest;
mod limits;
pub mod marker;
mod pages;
mod sparql;

use crate::http::{HttpError, HttpResult};
use crate::limits::{QuerySlots, Watchdog};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use warta_extract::ontology::Ontology;
use warta_extract::vocab::IriMinter;
use warta_graph::store::KgStore;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: SocketAddr,
    /// Each query's deadline.
    pub timeout: Duration,
    /// Rows (solutions or triples) in one answer; 0 for no cap.
    pub max_rows: usize,
    /// Largest request body, in bytes.
    pub max_body: u64,
    /// Queries evaluated at once.
    pub max_queries: usize,
    /// Connections served at once (each has a thread).
    pub max_connections: usize,
    /// The origin allowed by CORS; `None` sends no CORS headers.
    pub cors: Option<String>,
    /// Accept SPARQL Update, graph store writes and ingest.
    pub writable: bool,
    /// The bearer token writes need, when set.
    pub token: Option<String>,
    /// Write a line per request to stderr.
    pub log: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            timeout: Duration::from_secs(30),
            max_rows: 100_000,
            max_body: 16 << 20,
            max_queries: 4,
            max_connections: 64,
            cors: None,
            writable: false,
            token: None,
            log: true,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the server: {0}")]
    Start(#[source] std::io::Error),
    #[error("cannot record the server in the store directory: {0}")]
    Marker(#[source] std::io::Error),
    #[error("cannot handle SIGINT/SIGTERM: {0}")]
    Signals(String),
    #[error(transparent)]
    Store(#[from] warta_graph::store::StoreError),
}

/// Everything a request handler reads: the store, the pipeline's ontology,
/// the limits and the server's state.
pub struct Service {
    store: KgStore,
    ont: Ontology,
    minter: IriMinter,
    opts: ServeOptions,
    slots: QuerySlots,
    watchdog: Watchdog,
    /// Held by every write: one at a time.
    write_lock: Mutex<()>,
    shutting_down: AtomicBool,
    in_flight: AtomicUsize,
}

impl Service {
    pub fn new(
        store: KgStore,
        ont: Ontology,
        minter: IriMinter,
        opts: ServeOptions,
    ) -> Result<Self, ServeError> {
        store.check_layout()?;
        Ok(Service {
            slots: QuerySlots::new(opts.max_queries),
            watchdog: Watchdog::start().map_err(ServeError::Start)?,
            store,
            ont,
            minter,
            opts,
            write_lock: Mutex::new(()),
            shutting_down: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
        })
    }

    /// Answers one request, logging it.
    pub fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        let started = Instant::now();
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let mut response = if self.shutting_down.load(Ordering::SeqCst) {
            let mut r = HttpError::unavailable("the server is shutting down").into_response();
            http::set_header(&mut r, "connection", "close");
            r
        } else {
            self.route(request).unwrap_or_else(HttpError::into_response)
        };
        self.add_cors(&mut response);
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        if self.opts.log {
            log_line(request, &response, started);
        }
        response
    }

    fn route(&self, request: &mut Request<Body>) -> HttpResult {
        let path = request.uri().path().to_owned();
        if request.method() == Method::OPTIONS && self.opts.cors.is_some() {
            return Ok(http::empty(StatusCode::NO_CONTENT));
        }
        match path.as_str() {
            "/sparql" | "/query" => sparql::endpoint(self, request),
            "/update" => sparql::update_endpoint(self, request),
            "/store" => gsp::endpoint(self, request),
            "/ingest" => ingest::endpoint(self, request),
            "/health" => Ok(http::text(StatusCode::OK, "ok\n".into())),
            _ => {
                if request.method() != Method::GET && request.method() != Method::HEAD {
                    return Err(HttpError::method_not_allowed("GET"));
                }
                pages::route(self, request, &path)
            }
        }
    }

    fn add_cors(&self, response: &mut Response<Body>) {
        if let Some(origin) = &self.opts.cors {
            http::set_header(response, "access-control-allow-origin", origin);
            http::set_header(
                response,
                "access-control-allow-methods",
                "GET, POST, PUT, DELETE, OPTIONS",
            );
            http::set_header(
                response,
                "access-control-allow-headers",
                "Content-Type, Accept, Authorization",
            );
            http::set_header(
                response,
                "access-control-expose-headers",
                "Warta-Results-Truncated",
            );
        }
    }

    /// Refuses a write unless the server is writable and the request carries
    /// the token (when one is set). Returns the write lock.
    fn authorize_write(
        &self,
        request: &Request<Body>,
    ) -> Result<std::sync::MutexGuard<'_, ()>, HttpError> {
        if !self.opts.writable {
            return Err(HttpError::new(
                StatusCode::FORBIDDEN,
                "this server is read-only; start it with `warta serve --writable` to accept writes",
            ));
        }
        if let Some(token) = &self.opts.token {
            if http::bearer(request) != Some(token.as_str()) {
                return Err(HttpError::new(
                    StatusCode::UNAUTHORIZED,
                    "writes need the server's token: send `Authorization: Bearer TOKEN`",
                ));
            }
        }
        Ok(self
            .write_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// The public base of this server as the request names it.
    fn origin(&self, request: &Request<Body>) -> String {
        let host = request
            .headers()
            .get("host")
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(|| self.opts.bind.to_string());
        format!("http://{host}")
    }
}

fn log_line(request: &Request<Body>, response: &Response<Body>, started: Instant) {
    let target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let cut: String = target.chars().take(200).collect();
    let more = if cut.len() < target.len() { "..." } else { "" };
    eprintln!(
        "{} {cut}{more} {} {}ms",
        request.method(),
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
}

/// Resolves port 0 to a free port (oxhttp binds inside `spawn` and does not
/// say which port it got).
fn resolve_port(addr: SocketAddr) -> Result<SocketAddr, ServeError> {
    if addr.port() != 0 {
        return Ok(addr);
    }
    let probe = TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
    probe
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })
}

/// Serves `store` until SIGINT or SIGTERM, then stops taking requests, waits
/// for the running ones, flushes the store and returns.
pub fn serve(
    store: KgStore,
    ont: Ontology,
    minter: IriMinter,
    opts: ServeOptions,
) -> Result<(), ServeError> {
    let addr = resolve_port(opts.bind)?;
    let url = format!("http://{addr}/");
    let store_dir = store.path().map(std::path::Path::to_path_buf);
    let max_connections = opts.max_connections;
    let grace = opts.timeout + Duration::from_secs(2);
    let service = Arc::new(Service::new(store, ont, minter, opts)?);
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| ServeError::Signals(e.to_string()))?;
    let handler = Arc::clone(&service);
    oxhttp::Server::new(move |request| handler.handle(request))
        .bind(addr)
        .with_global_timeout(Duration::from_secs(120))
        .with_max_concurrent_connections(max_connections)
        .spawn()
        .map_err(|source| ServeError::Bind { addr, source })?;
    let _marker = match &store_dir {
        Some(dir) => Some(marker::Marker::write(dir, &url).map_err(ServeError::Marker)?),
        None => None,
    };
    announce(&url);
    let _ = stop_rx.recv();
    shut_down(&service, grace)
}

fn announce(url: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "warta serve: listening on {url}");
    let _ = out.flush();
}

fn shut_down(service: &Service, grace: Duration) -> Result<(), ServeError> {
    eprintln!("warta serve: stopping (waiting for running requests)");
    service.shutting_down.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + grace;
    while service.in_flight.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    service
        .store
        .inner()
        .flush()
        .map_err(warta_graph::store::StoreError::from)?;
    eprintln!("warta serve: stopped");
    Ok(())
}
