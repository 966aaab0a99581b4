//! Running SPARQL queries against the store and printing their results.
//!
//! # Model
//!
//! warta keeps each source document's statements in its own named graph, so a
//! question like "who met whom" must look across all of them. Queries therefore run
//! with the **default graph set to the union of all graphs** (the store's default
//! graph and every named graph), unless the query picks its own dataset with
//! `FROM` / `FROM NAMED`, which is then respected. `GRAPH ?g { … }` still sees the
//! individual named graphs, so provenance stays queryable.
//!
//! Note that the union is a bag, not a set: a triple stated in two graphs matches
//! twice. Use `SELECT DISTINCT` when that matters.
//!
//! The prefixes given to [`run_query`] are declared to the SPARQL parser too (so
//! `wd:Q7747` can be written without a `PREFIX` line; the query's own `PREFIX`
//! declarations win) and are used to shorten IRIs in table and Turtle output.
//!
//! # Output
//!
//! | result            | `Table`            | `Csv` / `Tsv`        | `Json`            | `Xml`              |
//! |-------------------|--------------------|----------------------|-------------------|--------------------|
//! | SELECT            | aligned text table | SPARQL 1.1 CSV / TSV | SPARQL 1.1 JSON   | SPARQL XML results |
//! | ASK               | `true` / `false`   | SPARQL 1.1 CSV / TSV | SPARQL 1.1 JSON   | SPARQL XML results |
//! | CONSTRUCT/DESCRIBE| Turtle (prefixed)  | N-Triples            | JSON-LD           | RDF/XML            |
//!
//! Graph results (CONSTRUCT, DESCRIBE) are a set of triples: they are sorted,
//! deduplicated and grouped by subject through [`crate::export::write_triples`].
//!
//! The table is meant for a person at a terminal, not for machines: literals lose
//! their datatype and language tag, control characters become spaces, and cells are
//! cut at [`MAX_CELL_CHARS`] characters. Use CSV/TSV/JSON/XML for anything parsed.

use crate::export::{self, ExportError, ExportFormat};
use oxigraph::model::{TermRef, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolutionIter, SparqlEvaluator};
use oxigraph::store::Store;
use std::io::{self, BufWriter, Write};

/// Longest cell in the text table, in characters, ellipsis included.
pub const MAX_CELL_CHARS: usize = 60;

/// How query results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultFormat {
    /// Aligned text for a terminal (Turtle for graph results).
    Table,
    /// SPARQL 1.1 Query Results CSV (N-Triples for graph results).
    Csv,
    /// SPARQL 1.1 Query Results TSV (N-Triples for graph results).
    Tsv,
    /// SPARQL 1.1 Query Results JSON (JSON-LD for graph results).
    Json,
    /// SPARQL Query Results XML (RDF/XML for graph results).
    Xml,
}

impl ResultFormat {
    /// Parses a format name as given on a command line, case-insensitively:
    /// `table`, `csv`, `tsv`, `json`, `xml`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" => Some(Self::Table),
            "csv" => Some(Self::Csv),
            "tsv" => Some(Self::Tsv),
            "json" => Some(Self::Json),
            "xml" => Some(Self::Xml),
            _ => None,
        }
    }

    /// The format graph results (CONSTRUCT, DESCRIBE) are written in.
    pub fn graph_format(self) -> ExportFormat {
        match self {
            Self::Table => ExportFormat::Turtle,
            Self::Csv | Self::Tsv => ExportFormat::NTriples,
            Self::Json => ExportFormat::JsonLd,
            Self::Xml => ExportFormat::RdfXml,
        }
    }

    /// The standard SPARQL results format for SELECT and ASK, if this is one.
    fn results_format(self) -> Option<QueryResultsFormat> {
        match self {
            Self::Table => None,
            Self::Csv => Some(QueryResultsFormat::Csv),
            Self::Tsv => Some(QueryResultsFormat::Tsv),
            Self::Json => Some(QueryResultsFormat::Json),
            Self::Xml => Some(QueryResultsFormat::Xml),
        }
    }
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query does not parse. The message is the parser's, with the line and
    /// column of the problem.
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    /// The query parsed but its evaluation failed (storage error, unsupported
    /// SERVICE, …). Output may have been partly written for streamed formats.
    #[error("query evaluation failed: {0}")]
    Evaluation(String),
    /// Writing the results failed.
    #[error("cannot write the query results: {0}")]
    Io(#[from] io::Error),
    /// A prefix given for shortening IRIs is not usable.
    #[error("invalid prefix {name:?} for <{iri}>: {reason}")]
    InvalidPrefix {
        /// The prefix name, without the colon.
        name: String,
        /// The namespace IRI.
        iri: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The results cannot be expressed in the chosen format (e.g. RDF/XML and a
    /// predicate IRI with no XML qualified name).
    #[error("the results cannot be written in this format: {0}")]
    Output(String),
}

impl From<ExportError> for QueryError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Io(e) => Self::Io(e),
            ExportError::InvalidPrefix { name, iri, reason } => {
                Self::InvalidPrefix { name, iri, reason }
            }
            ExportError::Storage(e) => Self::Evaluation(e.to_string()),
            ExportError::Unrepresentable(m) | ExportError::Canonicalization(m) => Self::Output(m),
        }
    }
}

fn evaluation(e: QueryEvaluationError) -> QueryError {
    QueryError::Evaluation(e.to_string())
}

/// What a query produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOutcome {
    /// SELECT: solutions written. ASK: 1 for true, 0 for false. CONSTRUCT/DESCRIBE:
    /// distinct triples written.
    pub rows: usize,
}

/// Runs a query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the union of all graphs and writes the results.
///
/// See the [module docs](self) for the dataset and for what each [`ResultFormat`]
/// produces per query form (graph results: Table→Turtle, Csv/Tsv→N-Triples,
/// Json→JSON-LD, Xml→RDF/XML). `prefixes` are (name, namespace IRI) pairs such as
/// `("wd", "http://www.wikidata.org/entity/")`. `out` is buffered internally and
/// flushed before returning. SPARQL UPDATE is rejected as a syntax error.
pub fn run_query(
    store: &Store,
    sparql: &str,
    format: ResultFormat,
    prefixes: &[(&str, String)],
    out: &mut dyn Write,
) -> Result<QueryOutcome, QueryError> {
    run_query_in_width(store, sparql, format, prefixes, None, out)
}

/// [`run_query`], with the text table cut to `width` characters a line
/// (a terminal's width): the widest columns give way first, down to
/// [`MIN_COLUMN_CHARS`] each, cells cut with an ellipsis.
pub fn run_query_in_width(
    store: &Store,
    sparql: &str,
    format: ResultFormat,
    prefixes: &[(&str, String)],
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<QueryOutcome, QueryError> {
    export::validate_prefixes(prefixes)?;
    let mut evaluator = SparqlEvaluator::new();
    for (name, iri) in prefixes {
        evaluator =
            evaluator
                .with_prefix(*name, iri.as_str())
                .map_err(|e| QueryError::InvalidPrefix {
                    name: (*name).to_owned(),
                    iri: iri.clone(),
                    reason: e.to_string(),
                })?;
    }
    let mut prepared = evaluator
        .parse_query(sparql)
        .map_err(|e| QueryError::Syntax(e.to_string()))?;
    // Only widen the default dataset: a query with FROM / FROM NAMED asked for
    // specific graphs and gets exactly those.
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    let results = prepared.on_store(store).execute().map_err(evaluation)?;

    // The serialisers write small pieces; buffer them whatever `out` is.
    let mut out = BufWriter::new(out);
    let rows = match results {
        QueryResults::Solutions(solutions) => match format.results_format() {
            None => write_table(solutions, prefixes, width, &mut out)?,
            Some(results_format) => write_solutions(solutions, results_format, &mut out)?,
        },
        QueryResults::Boolean(value) => {
            match format.results_format() {
                None => writeln!(out, "{value}")?,
                Some(results_format) => {
                    QueryResultsSerializer::from_format(results_format)
                        .serialize_boolean_to_writer(&mut out, value)?;
                }
            }
            usize::from(value)
        }
        QueryResults::Graph(triples) => {
            // Collected so that the triples can be sorted and deduplicated: that is
            // what makes the Turtle grouped and the output a set, as RDF says.
            let triples = triples
                .collect::<Result<Vec<Triple>, _>>()
                .map_err(evaluation)?;
            export::write_triples(triples, format.graph_format(), prefixes, &mut out)?
        }
    };
    out.flush()?;
    Ok(QueryOutcome { rows })
}

fn write_solutions(
    solutions: QuerySolutionIter<'_>,
    format: QueryResultsFormat,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    let mut serializer = QueryResultsSerializer::from_format(format)
        .serialize_solutions_to_writer(out, solutions.variables().to_vec())?;
    let mut rows = 0;
    for solution in solutions {
        serializer.serialize(&solution.map_err(evaluation)?)?;
        rows += 1;
    }
    serializer.finish()?;
    Ok(rows)
}

/// Writes SELECT results as an aligned table. All rows are held in memory, since
/// column widths depend on every cell.
fn write_table(
    solutions: QuerySolutionIter<'_>,
    prefixes: &[(&str, String)],
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    let variables = solutions.variables().to_vec();
    let header: Vec<String> = variables.iter().map(|v| fit_cell(v.as_str())).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(evaluation)?;
        // Looked up by variable rather than by position: the table's column order is
        // the projection's, whatever order a solution stores its values in.
        let row: Vec<String> = variables
            .iter()
            .map(|v| {
                solution
                    .get(v)
                    .map(|t| fit_cell(&display_term(t.as_ref(), prefixes)))
                    .unwrap_or_default()
            })
            .collect();
        for (width, cell) in widths.iter_mut().zip(&row) {
            *width = (*width).max(cell.chars().count());
        }
        rows.push(row);
    }

    if let Some(limit) = width {
        shrink_to(&mut widths, limit);
    }
    // `SELECT * {}` has no columns: print no empty header, only the count.
    if !variables.is_empty() {
        write_row(out, &header, &widths)?;
        let separator: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        writeln!(out, "{}", separator.join("-+-"))?;
        for row in &rows {
            write_row(out, row, &widths)?;
        }
    }
    let count = rows.len();
    writeln!(out, "{count} {}", if count == 1 { "row" } else { "rows" })?;
    Ok(count)
}

/// Narrowest a column is made to fit a terminal.
pub const MIN_COLUMN_CHARS: usize = 8;

/// Narrows the widest columns, one character at a time, until a line
/// (columns plus their ` | ` separators) fits `limit`, or every column is
/// at [`MIN_COLUMN_CHARS`].
fn shrink_to(widths: &mut [usize], limit: usize) {
    let line = |w: &[usize]| w.iter().sum::<usize>() + 3 * w.len().saturating_sub(1);
    while line(widths) > limit {
        let Some(widest) = widths
            .iter_mut()
            .filter(|w| **w > MIN_COLUMN_CHARS)
            .max_by_key(|w| **w)
        else {
            break;
        };
        *widest -= 1;
    }
}

/// A cell cut to `width` characters, with an ellipsis when cut.
fn cut_to(cell: &str, width: usize) -> String {
    if cell.chars().count() <= width {
        return cell.to_owned();
    }
    let mut out: String = cell.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn write_row(out: &mut dyn Write, cells: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push_str(" | ");
        }
        let cell = &cut_to(cell, *width);
        line.push_str(cell);
        // Pad by characters (format!'s width would also do it), except the last
        // column, so lines carry no trailing spaces.
        if i + 1 < cells.len() {
            let len = cell.chars().count();
            line.push_str(&" ".repeat(width.saturating_sub(len)));
        }
    }
    writeln!(out, "{line}")
}

/// A term as a person wants to read it: prefixed IRI, bare literal value, `_:id`.
fn display_term(term: TermRef<'_>, prefixes: &[(&str, String)]) -> String {
    match term {
        TermRef::NamedNode(n) => shorten_iri(n.as_str(), prefixes),
        TermRef::BlankNode(b) => b.to_string(),
        TermRef::Literal(l) => l.value().to_owned(),
    }
}

/// `prefix:local` for the longest namespace that `iri` starts with (the most
/// specific one, when namespaces nest), else `<iri>`.
fn shorten_iri(iri: &str, prefixes: &[(&str, String)]) -> String {
    prefixes
        .iter()
        .filter(|(_, ns)| !ns.is_empty() && iri.starts_with(ns.as_str()))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(name, ns)| format!("{name}:{}", &iri[ns.len()..]))
        .unwrap_or_else(|| format!("<{iri}>"))
}

/// Makes a cell fit on one table line: control characters (a newline in an article
/// text would break the layout) become spaces, and anything longer than
/// [`MAX_CELL_CHARS`] is cut with an ellipsis.
fn fit_cell(text: &str) -> String {
    let mut cell = String::with_capacity(text.len().min(4 * MAX_CELL_CHARS));
    for (i, c) in text.chars().enumerate() {
        if i == MAX_CELL_CHARS - 1 && text.chars().nth(MAX_CELL_CHARS).is_some() {
            cell.push('…');
            break;
        }
        cell.push(if c.is_control() { ' ' } else { c });
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::vocab::rdf;
    use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, Quad};

    const WD: &str = "http://www.wikidata.org/entity/";
    const WARTA: &str = "https://warta.example/ns#";

    fn nn(iri: &str) -> NamedNode {
        NamedNode::new(iri).unwrap()
    }

    fn prefixes() -> Vec<(&'static str, String)> {
        vec![("wd", WD.to_owned()), ("warta", WARTA.to_owned())]
    }

    /// Jokowi meets Xi in doc1 and again in doc2; Xi has a label in doc2.
    fn store() -> Store {
        let store = Store::new().unwrap();
        let jokowi = nn(&format!("{WD}Q7747"));
        let xi = nn(&format!("{WD}Q15031"));
        let meets = nn(&format!("{WARTA}meets"));
        let label = nn("http://www.w3.org/2000/01/rdf-schema#label");
        let doc1 = nn("https://warta.example/graph/doc1");
        let doc2 = nn("https://warta.example/graph/doc2");
        for q in [
            Quad::new(jokowi.clone(), meets.clone(), xi.clone(), doc1.clone()),
            Quad::new(jokowi.clone(), meets.clone(), xi.clone(), doc2.clone()),
            Quad::new(
                xi.clone(),
                label.clone(),
                Literal::new_language_tagged_literal("Xi Jinping", "id").unwrap(),
                doc2.clone(),
            ),
            Quad::new(
                jokowi.clone(),
                rdf::TYPE,
                nn(&format!("{WARTA}Person")),
                doc1,
            ),
            Quad::new(
                BlankNode::new("ev").unwrap(),
                meets,
                jokowi,
                GraphName::DefaultGraph,
            ),
        ] {
            store.insert(&q).unwrap();
        }
        store
    }

    fn run(store: &Store, q: &str, format: ResultFormat) -> Result<(usize, String), QueryError> {
        let mut out = Vec::new();
        let outcome = run_query(store, q, format, &prefixes(), &mut out)?;
        Ok((outcome.rows, String::from_utf8(out).unwrap()))
    }

    #[test]
    fn parse_formats() {
        assert_eq!(ResultFormat::parse("table"), Some(ResultFormat::Table));
        assert_eq!(ResultFormat::parse("CSV"), Some(ResultFormat::Csv));
        assert_eq!(ResultFormat::parse("tsv"), Some(ResultFormat::Tsv));
        assert_eq!(ResultFormat::parse("json"), Some(ResultFormat::Json));
        assert_eq!(ResultFormat::parse("xml"), Some(ResultFormat::Xml));
        assert_eq!(ResultFormat::parse("yaml"), None);
    }

    #[test]
    fn select_table_is_aligned_and_shortened() {
        let store = store();
        let (rows, text) = run(
            &store,
            "SELECT ?who ?whom WHERE { GRAPH <https://warta.example/graph/doc1> { ?who warta:meets ?whom } }",
            ResultFormat::Table,
        )
        .unwrap();
        assert_eq!(rows, 1);
        assert_eq!(
            text,
            "who      | whom\n---------+----------\nwd:Q7747 | wd:Q15031\n1 row\n"
        );
    }

    #[test]
    fn select_table_cells() {
        let store = store();
        let long = "x".repeat(100);
        let q = format!(
            "SELECT ?iri ?lit ?b ?unbound ?long ?wide WHERE {{
               BIND(<http://other.example/a> AS ?iri)
               BIND(\"Xi Jinping\"@id AS ?lit)
               BIND(BNODE() AS ?b)
               BIND(\"{long}\" AS ?long)
               BIND(\"Ñusantara\\nbaru\" AS ?wide)
             }}"
        );
        let (rows, text) = run(&store, &q, ResultFormat::Table).unwrap();
        assert_eq!(rows, 1);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        let cells: Vec<&str> = lines[2].split(" | ").collect();
        assert_eq!(cells[0], "<http://other.example/a>");
        assert_eq!(cells[1].trim_end(), "Xi Jinping");
        assert!(cells[2].starts_with("_:"), "{text}");
        assert_eq!(cells[3].trim(), "");
        assert_eq!(cells[4].chars().count(), MAX_CELL_CHARS);
        assert!(cells[4].ends_with('…'));
        // Control characters become spaces; width counts characters, not bytes.
        assert_eq!(cells[5], "Ñusantara baru");
        // The separator spans the full width; the last cell here is its column's
        // widest, so the row must be exactly as long (in characters).
        assert_eq!(lines[1].chars().count(), lines[2].chars().count(), "{text}");
        assert_eq!(lines[3], "1 row");
    }

    #[test]
    fn union_of_all_graphs_is_the_default() {
        let store = store();
        // doc1 + doc2 + the default graph.
        let (rows, text) = run(
            &store,
            "SELECT ?s WHERE { ?s warta:meets ?o }",
            ResultFormat::Table,
        )
        .unwrap();
        assert_eq!(rows, 3, "{text}");
        assert!(text.ends_with("3 rows\n"));
        let (rows, _) = run(
            &store,
            "SELECT DISTINCT ?s ?o WHERE { ?s warta:meets ?o }",
            ResultFormat::Csv,
        )
        .unwrap();
        assert_eq!(rows, 2);
        // FROM restricts the dataset as asked.
        let (rows, _) = run(
            &store,
            "SELECT ?s FROM <https://warta.example/graph/doc2> WHERE { ?s ?p ?o }",
            ResultFormat::Csv,
        )
        .unwrap();
        assert_eq!(rows, 2);
    }

    #[test]
    fn select_standard_formats() {
        let store = store();
        let q = "SELECT ?o WHERE { wd:Q15031 ?p ?o }";
        let (rows, csv) = run(&store, q, ResultFormat::Csv).unwrap();
        assert_eq!(rows, 1);
        assert_eq!(csv, "o\r\nXi Jinping\r\n");
        let (_, tsv) = run(&store, q, ResultFormat::Tsv).unwrap();
        assert_eq!(tsv, "?o\n\"Xi Jinping\"@id\n");
        let (_, json) = run(&store, q, ResultFormat::Json).unwrap();
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["head"]["vars"][0], "o");
        assert_eq!(json["results"]["bindings"][0]["o"]["xml:lang"], "id");
        let (_, xml) = run(&store, q, ResultFormat::Xml).unwrap();
        assert!(
            xml.contains("<literal xml:lang=\"id\">Xi Jinping</literal>"),
            "{xml}"
        );
    }

    #[test]
    fn ask_in_every_format() {
        let store = store();
        let yes = "ASK { wd:Q7747 warta:meets wd:Q15031 }";
        let no = "ASK { wd:Q15031 warta:meets wd:Q7747 }";
        assert_eq!(
            run(&store, yes, ResultFormat::Table).unwrap(),
            (1, "true\n".to_owned())
        );
        assert_eq!(
            run(&store, no, ResultFormat::Table).unwrap(),
            (0, "false\n".to_owned())
        );
        let (rows, json) = run(&store, yes, ResultFormat::Json).unwrap();
        assert_eq!(rows, 1);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["boolean"], true);
        let (_, csv) = run(&store, no, ResultFormat::Csv).unwrap();
        assert_eq!(csv, "false");
        let (_, xml) = run(&store, yes, ResultFormat::Xml).unwrap();
        assert!(xml.contains("<boolean>true</boolean>"), "{xml}");
    }

    #[test]
    fn construct_as_turtle_and_other_formats() {
        let store = store();
        let q = "CONSTRUCT { ?s warta:meets ?o . ?s a warta:Person } WHERE { ?s warta:meets ?o . FILTER(isIRI(?s)) }";
        let (rows, ttl) = run(&store, q, ResultFormat::Table).unwrap();
        // The meeting is in two graphs, but the result is a set.
        assert_eq!(rows, 2, "{ttl}");
        assert!(ttl.contains(&format!("@prefix wd: <{WD}> .")), "{ttl}");
        assert!(ttl.contains("wd:Q7747 a warta:Person ;"), "{ttl}");
        assert!(ttl.contains("warta:meets wd:Q15031 ."), "{ttl}");
        for (format, rdf_format) in [
            (ResultFormat::Table, RdfFormat::Turtle),
            (ResultFormat::Csv, RdfFormat::NTriples),
            (ResultFormat::Tsv, RdfFormat::NTriples),
            (
                ResultFormat::Json,
                ResultFormat::Json.graph_format().rdf_format(),
            ),
            (ResultFormat::Xml, RdfFormat::RdfXml),
        ] {
            let (rows, text) = run(&store, q, format).unwrap();
            let parsed = RdfParser::from_format(rdf_format)
                .for_slice(text.as_bytes())
                .collect::<Result<Vec<_>, _>>()
                .unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
            assert_eq!(parsed.len(), rows, "{format:?}");
        }
    }

    #[test]
    fn describe_returns_triples() {
        let store = store();
        let (rows, text) = run(&store, "DESCRIBE wd:Q15031", ResultFormat::Csv).unwrap();
        assert_eq!(rows, 1, "{text}");
        assert!(text.contains("\"Xi Jinping\"@id"), "{text}");
    }

    #[test]
    fn syntax_error_mentions_position() {
        let store = store();
        let err = run(&store, "SELECT * WHERE { ?s ?p }", ResultFormat::Table).unwrap_err();
        let QueryError::Syntax(message) = &err else {
            panic!("expected a syntax error, got {err:?}");
        };
        assert!(message.contains("1:"), "no line:column in {message:?}");
        assert!(err.to_string().starts_with("SPARQL syntax error"), "{err}");
        // An update is not a query.
        let err = run(&store, "CLEAR ALL", ResultFormat::Table).unwrap_err();
        assert!(matches!(err, QueryError::Syntax(_)), "{err:?}");
    }

    #[test]
    fn invalid_prefix_is_reported() {
        let store = store();
        let prefixes = vec![("wd", "no iri".to_owned())];
        let err = run_query(
            &store,
            "ASK {}",
            ResultFormat::Table,
            &prefixes,
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(matches!(err, QueryError::InvalidPrefix { .. }), "{err:?}");
    }

    #[test]
    fn empty_projection_and_empty_result() {
        let store = store();
        let (rows, text) = run(&store, "SELECT * WHERE {}", ResultFormat::Table).unwrap();
        assert_eq!((rows, text.as_str()), (1, "1 row\n"));
        let (rows, text) = run(
            &store,
            "SELECT ?x WHERE { ?x warta:none ?y }",
            ResultFormat::Table,
        )
        .unwrap();
        assert_eq!((rows, text.as_str()), (0, "x\n-\n0 rows\n"));
    }

    #[test]
    fn shorten_prefers_longest_namespace() {
        let prefixes = vec![
            ("w", "https://warta.example/".to_owned()),
            ("wg", "https://warta.example/graph/".to_owned()),
        ];
        assert_eq!(
            shorten_iri("https://warta.example/graph/d1", &prefixes),
            "wg:d1"
        );
        assert_eq!(shorten_iri("https://warta.example/x", &prefixes), "w:x");
        assert_eq!(shorten_iri("http://other/x", &prefixes), "<http://other/x>");
    }

    #[test]
    fn wide_tables_shrink_their_widest_columns_to_fit() {
        let mut widths = vec![60, 10, 30];
        shrink_to(&mut widths, 80);
        assert!(widths.iter().sum::<usize>() + 6 <= 80, "{widths:?}");
        assert_eq!(widths[1], 10, "a narrow column keeps its width");
        let mut tight = vec![50, 50];
        shrink_to(&mut tight, 5);
        assert_eq!(tight, vec![MIN_COLUMN_CHARS, MIN_COLUMN_CHARS]);
        assert_eq!(cut_to("Vladimir Putin", 8), "Vladimi…");
        assert_eq!(cut_to("Putin", 8), "Putin");
    }

    #[test]
    fn fit_cell_boundaries() {
        let exact = "é".repeat(MAX_CELL_CHARS);
        assert_eq!(fit_cell(&exact), exact);
        let over = "é".repeat(MAX_CELL_CHARS + 1);
        let cut = fit_cell(&over);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit_cell("a\tb\r\nc"), "a b  c");
    }
}
