//! `warta push`: the store to a remote SPARQL 1.1 Graph Store (the library
//! side is `warta::push`). Secrets are read from files or the environment,
//! never from the command line, where `ps` and shell history would show them.

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum, ValueHint};
use std::path::{Path, PathBuf};
use std::time::Duration;
use warta::push::{self, Auth, PushOptions, Remote, RemoteOptions};
use warta::store::KgStore;
use warta::vocab::IriMinter;

#[derive(Args)]
pub struct PushArgs {
    /// The remote's Graph Store endpoint, e.g. http://127.0.0.1:8890/sparql-graph-crud-auth
    /// (Virtuoso), http://127.0.0.1:7878/store (oxigraph serve, warta serve --writable).
    #[arg(value_name = "URL", value_hint = ValueHint::Url)]
    endpoint: String,
    /// How to authenticate (default: bearer with a token, else basic with a
    /// user, else none).
    #[arg(long, value_enum)]
    auth: Option<AuthArg>,
    /// The user name for basic or digest authentication.
    #[arg(long, env = "WARTA_PUSH_USER", value_name = "NAME")]
    user: Option<String>,
    /// A file whose first line is the password (else $WARTA_PUSH_PASSWORD).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    password_file: Option<PathBuf>,
    /// A file whose first line is the bearer token (else $WARTA_PUSH_TOKEN).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    token_file: Option<PathBuf>,
    /// Seconds for each request, from connecting to the whole answer.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    timeout: f64,
    /// Retries of a request after a 5xx answer, a timeout or a connection
    /// error, waiting 0.5 s, 1 s, 2 s ... (at most 30 s) in between.
    #[arg(long, value_name = "N", default_value_t = 5)]
    retries: u32,
    /// The query parameter naming the graph (the standard's `graph`).
    #[arg(long, value_name = "NAME", default_value = "graph")]
    graph_param: String,
    /// Requests in flight at once, each on its own connection (1: in order).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    connections: u16,
    /// List what would be sent and deleted; send nothing, log nothing.
    #[arg(long)]
    dry_run: bool,
    /// Send every graph, whatever the push log says the remote holds.
    #[arg(long)]
    full: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum AuthArg {
    None,
    Basic,
    Digest,
    Bearer,
}

/// Pushes and prints the summary (the graphs too with --dry-run).
pub fn run(args: &PushArgs, store: &KgStore, base: &str, quiet: bool) -> Result<()> {
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        bail!(
            "--timeout must be a positive number of seconds, not {}",
            args.timeout
        );
    }
    let auth = auth(args)?;
    let opts = RemoteOptions {
        timeout: Duration::from_secs_f64(args.timeout),
        retries: args.retries,
        graph_param: args.graph_param.clone(),
        ..RemoteOptions::default()
    };
    let mut remote = Remote::new(&args.endpoint, auth, opts)?;
    let minter = IriMinter::new(base);
    let push_opts = PushOptions {
        document_prefix: minter.document_prefix(),
        knowledge_prefix: push::plan::knowledge_prefix(base),
        dry_run: args.dry_run,
        full: args.full,
        connections: usize::from(args.connections),
    };
    let bar = graphs_bar(quiet || args.dry_run);
    let mut progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let result = push::push(store, &mut remote, &push_opts, &mut progress);
    bar.finish_and_clear();
    let s = result.with_context(|| {
        format!(
            "pushing to {}; what was accepted is in the push log, so the next push resumes",
            args.endpoint
        )
    })?;
    if args.dry_run {
        let mut out = String::new();
        for iri in &s.sent {
            out.push_str(&format!("PUT\t{iri}\n"));
        }
        for iri in &s.deleted_graphs {
            out.push_str(&format!("DELETE\t{iri}\n"));
        }
        crate::emit(&out)?;
    }
    let verb = if args.dry_run { "would send" } else { "sent" };
    let rate = if s.seconds > 0.0 && s.graphs_sent() > 0 && !args.dry_run {
        format!(
            " in {:.1} s ({:.0} triples/s, {:.0} graphs/s)",
            s.seconds,
            s.triples_sent as f64 / s.seconds,
            s.graphs_sent() as f64 / s.seconds
        )
    } else {
        String::new()
    };
    eprintln!(
        "warta: {verb} {} graphs ({} documents, {} knowledge buckets, {} other), {} triples, {:.1} MB{rate}; \
         {} deleted ({} documents), {} unchanged",
        s.graphs_sent(),
        s.documents_sent,
        s.knowledge_sent,
        s.other_sent,
        s.triples_sent,
        s.bytes_sent as f64 / 1e6,
        s.deleted,
        s.documents_deleted,
        s.unchanged
    );
    Ok(())
}

/// A bar of graphs sent, hidden off a terminal and with --quiet.
fn graphs_bar(hidden: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if hidden || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(1);
    let style = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} graphs ({per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// The authentication the options and the environment give.
fn auth(args: &PushArgs) -> Result<Auth> {
    let token = || {
        secret(
            args.token_file.as_deref(),
            "WARTA_PUSH_TOKEN",
            "--token-file",
        )
    };
    let password = || {
        secret(
            args.password_file.as_deref(),
            "WARTA_PUSH_PASSWORD",
            "--password-file",
        )
    };
    let user = || {
        args.user
            .clone()
            .context("this authentication needs a user: --user NAME or $WARTA_PUSH_USER")
    };
    let kind = match args.auth {
        Some(kind) => kind,
        None if args.token_file.is_some() || std::env::var_os("WARTA_PUSH_TOKEN").is_some() => {
            AuthArg::Bearer
        }
        None if args.user.is_some() => AuthArg::Basic,
        None => AuthArg::None,
    };
    Ok(match kind {
        AuthArg::None => Auth::None,
        AuthArg::Bearer => Auth::Bearer(token()?),
        AuthArg::Basic => Auth::Basic {
            user: user()?,
            password: password()?,
        },
        AuthArg::Digest => Auth::Digest {
            user: user()?,
            password: password()?,
        },
    })
}

/// The first line of `file` (as `--token-file` reads it), else the
/// environment variable `var`.
fn secret(file: Option<&Path>, var: &str, option: &str) -> Result<String> {
    if let Some(path) = file {
        return crate::read_token(path);
    }
    let value = std::env::var(var).unwrap_or_default();
    if value.is_empty() {
        bail!("no secret: give {option} FILE (its first line) or set ${var}");
    }
    Ok(value)
}
