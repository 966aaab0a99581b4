//! `warta refresh-positions`: terms of office from a Wikidata SPARQL
//! endpoint, written for review beside the curated `ontology/positions.tsv`
//! (the library side is `warta::wikidata::refresh`).

use anyhow::{bail, Context, Result};
use clap::{Args, ValueHint};
use std::path::{Path, PathBuf};
use std::time::Duration;
use warta::ontology::Ontology;
use warta::wikidata::refresh::{self, Endpoint, Known};

#[derive(Args)]
pub struct RefreshArgs {
    /// The SPARQL endpoint (the SPARQL 1.1 Protocol: the Wikidata Query
    /// Service, `oxigraph serve`, `warta serve` ...).
    #[arg(long, value_name = "URL", default_value = refresh::DEFAULT_ENDPOINT)]
    endpoint: String,
    /// The offices to ask for (default: the shipped ontology/wikidata/offices.tsv).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    offices: Option<PathBuf>,
    /// The query template (default: the shipped ontology/wikidata/positions.rq).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    query: Option<PathBuf>,
    /// A gazetteer.tsv whose people count as known (default: the ontology's gazetteer).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    gazetteer: Option<PathBuf>,
    /// Where the refreshed terms go, in the format of positions.tsv
    /// (default: standard output). Never the curated ontology/positions.tsv.
    #[arg(short, long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    out: Option<PathBuf>,
    /// Also write proposed ontology/sources/people.tsv rows for holders the
    /// gazetteer lacks.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    people_out: Option<PathBuf>,
    /// The date written as the refresh date (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<String>,
    /// Seconds to wait for the whole answer.
    #[arg(long, value_name = "SECS", default_value_t = 120.0)]
    timeout: f64,
    /// Do not compare with the ontology's positions.tsv.
    #[arg(long)]
    no_compare: bool,
}

/// Asks the endpoint, writes the terms (and the people rows), and reports
/// warnings and the comparison on stderr.
pub fn run(
    args: &RefreshArgs,
    ont: &Ontology,
    ontology_dir: Option<&Path>,
    quiet: bool,
) -> Result<()> {
    let today = refresh::refresh_date(args.today.as_deref())?;
    let (offices_text, offices_name) = text_or_shipped(args.offices.as_deref(), refresh::OFFICES)?;
    let offices = refresh::parse_offices(&offices_text, &offices_name)?;
    let (template, template_name) = text_or_shipped(args.query.as_deref(), refresh::QUERY)?;
    let query = refresh::build_query(&template, &template_name, &offices)?;
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        bail!(
            "--timeout {}: expected a positive number of seconds",
            args.timeout
        );
    }
    let curated = ontology_dir
        .unwrap_or(Path::new("ontology"))
        .join("positions.tsv");
    for target in [&args.out, &args.people_out].into_iter().flatten() {
        refuse_curated(target, &curated)?;
    }
    let endpoint = Endpoint::new(&args.endpoint, Duration::from_secs_f64(args.timeout))?;
    let statements = endpoint.statements(&query)?;
    let result = refresh::convert(&statements, &offices);
    let warn = |w: &String| eprintln!("warta: warning: {w}");
    result.warnings.iter().for_each(warn);
    write(
        args.out.as_deref(),
        &refresh::positions_tsv(&result, &offices, endpoint.url(), &today),
    )?;
    if let Some(path) = &args.people_out {
        let known = match &args.gazetteer {
            Some(g) => {
                let (text, name) = text_or_shipped(Some(g), "")?;
                Known::from_tsv(&text, &name)?
            }
            None => Known::of(&ont.gazetteer),
        };
        let (tsv, rows, warnings) = refresh::people_rows(&result, &known, endpoint.url(), &today);
        warnings.iter().for_each(warn);
        write(Some(path), &tsv)?;
        if !quiet {
            eprintln!(
                "warta: {rows} people not in the gazetteer -> {}",
                path.display()
            );
        }
    }
    if !args.no_compare && !quiet {
        for line in refresh::compare(&result, &ont.positions, "positions.tsv") {
            eprintln!("warta: {line}");
        }
    }
    if !quiet {
        eprintln!(
            "warta: {} terms for {} people from {}",
            result.terms.len(),
            result.holders.len(),
            endpoint.url()
        );
    }
    Ok(())
}

/// A file's text and name, or the shipped text when no file is given.
fn text_or_shipped(path: Option<&Path>, shipped: &str) -> Result<(String, String)> {
    match path {
        Some(p) => Ok((
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
            p.display().to_string(),
        )),
        None => Ok((shipped.to_string(), "(built-in)".to_string())),
    }
}

/// The curated file holds hand-verified rows, each with its own source: a
/// refresh never overwrites it.
fn refuse_curated(target: &Path, curated: &Path) -> Result<()> {
    let same = match (target.canonicalize(), curated.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        bail!(
            "refusing to overwrite {}: it holds hand-verified rows; write elsewhere and merge by hand",
            curated.display()
        );
    }
    Ok(())
}

fn write(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        None => crate::emit(text),
        Some(p) if p == Path::new("-") => crate::emit(text),
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display())),
    }
}
