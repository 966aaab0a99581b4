//! The SPARQL 1.1 Protocol at `/sparql` (and `/query`), `/update`, and the
//! service description.
//!
//! A request becomes an [`Operation`] (what to run, on which dataset, in
//! which format), then runs under the server's limits. Solutions and graphs
//! are written to memory first, under the row cap, so a query that fails
//! half-way (a timeout) answers with a clean error instead of a cut body.

use crate::http::{self, HttpError, HttpResult};
use crate::limits::{Slot, Watch};
use crate::Service;
use oxhttp::model::{Body, Method, Request, StatusCode};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolutionIter, SparqlEvaluator,
};
use std::time::Instant;
use warta_graph::export::{self, ExportFormat};

/// What a protocol request asks for.
enum Operation {
    Query {
        text: String,
        default_graphs: Vec<String>,
        named_graphs: Vec<String>,
        format: Option<String>,
    },
    Update(String),
    Description,
}

const FORM: &str = "application/x-www-form-urlencoded";
const QUERY_BODY: &str = "application/sparql-query";
const UPDATE_BODY: &str = "application/sparql-update";

/// The solution formats, the first being the default.
pub const SOLUTION_FORMATS: &[(&str, QueryResultsFormat)] = &[
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
    ("application/json", QueryResultsFormat::Json),
    ("application/xml", QueryResultsFormat::Xml),
    ("text/xml", QueryResultsFormat::Xml),
];

/// The graph formats (CONSTRUCT, DESCRIBE, the graph store), the first being
/// the default.
pub const GRAPH_FORMATS: &[(&str, ExportFormat)] = &[
    ("text/turtle", ExportFormat::Turtle),
    ("application/n-triples", ExportFormat::NTriples),
    ("application/ld+json", ExportFormat::JsonLd),
    ("application/rdf+xml", ExportFormat::RdfXml),
    ("text/plain", ExportFormat::NTriples),
    ("application/x-turtle", ExportFormat::Turtle),
];

/// `/sparql` and `/query`.
pub fn endpoint(service: &Service, request: &mut Request<Body>) -> HttpResult {
    match read_operation(service, request)? {
        Operation::Query {
            text,
            default_graphs,
            named_graphs,
            format,
        } => {
            let dataset = Dataset::parse(&default_graphs, &named_graphs)?;
            run_query(service, request, &text, &dataset, format.as_deref())
        }
        Operation::Update(text) => run_update(service, request, &text),
        Operation::Description => describe_service(service, request),
    }
}

/// `/update`: the same protocol, for updates only.
pub fn update_endpoint(service: &Service, request: &mut Request<Body>) -> HttpResult {
    match read_operation(service, request)? {
        Operation::Update(text) => run_update(service, request, &text),
        _ => Err(HttpError::bad_request(
            "POST an update (update=... or application/sparql-update) to /update; queries go to /sparql",
        )),
    }
}

fn read_operation(service: &Service, request: &mut Request<Body>) -> Result<Operation, HttpError> {
    let url = http::url_params(request);
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        if http::single(&url, "update")?.is_some() {
            return Err(HttpError::bad_request("SPARQL Update must be POSTed"));
        }
        return Ok(match http::single(&url, "query")? {
            Some(q) => query_operation(q.to_owned(), &url),
            None => Operation::Description,
        });
    }
    if method != Method::POST {
        return Err(HttpError::method_not_allowed("GET, POST"));
    }
    let media = http::content_type(request).unwrap_or_default();
    if ![FORM, QUERY_BODY, UPDATE_BODY].contains(&media.as_str()) {
        return Err(HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "unsupported Content-Type {media:?}: send {FORM}, {QUERY_BODY} or {UPDATE_BODY}"
            ),
        ));
    }
    let body = http::read_body(request, service.opts.max_body)?;
    let text = |bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|_| HttpError::bad_request("the body is not UTF-8"))
    };
    match media.as_str() {
        QUERY_BODY => Ok(query_operation(text(body)?, &url)),
        UPDATE_BODY => Ok(Operation::Update(text(body)?)),
        _ => form_operation(&body, &url),
    }
}

fn form_operation(body: &[u8], url: &[(String, String)]) -> Result<Operation, HttpError> {
    let mut params = http::form_pairs(body);
    params.extend(url.iter().cloned());
    match (
        http::single(&params, "query")?,
        http::single(&params, "update")?,
    ) {
        (Some(q), None) => Ok(query_operation(q.to_owned(), &params)),
        (None, Some(u)) => Ok(Operation::Update(u.to_owned())),
        (Some(_), Some(_)) => Err(HttpError::bad_request(
            "give either query= or update=, not both",
        )),
        (None, None) => Err(HttpError::bad_request(
            "the form has neither query= nor update=",
        )),
    }
}

fn query_operation(text: String, params: &[(String, String)]) -> Operation {
    let owned = |name| {
        http::all(params, name)
            .into_iter()
            .map(str::to_owned)
            .collect()
    };
    Operation::Query {
        text,
        default_graphs: owned("default-graph-uri"),
        named_graphs: owned("named-graph-uri"),
        format: params
            .iter()
            .find(|(k, _)| k == "format")
            .map(|(_, v)| v.clone()),
    }
}

/// The protocol's dataset parameters, checked.
pub struct Dataset {
    default_graphs: Vec<GraphName>,
    named_graphs: Vec<NamedOrBlankNode>,
}

impl Dataset {
    fn parse(default_graphs: &[String], named_graphs: &[String]) -> Result<Self, HttpError> {
        let iri = |s: &String| {
            NamedNode::new(s.as_str())
                .map_err(|e| HttpError::bad_request(format!("not an IRI: <{s}>: {e}")))
        };
        Ok(Dataset {
            default_graphs: default_graphs
                .iter()
                .map(|s| iri(s).map(GraphName::NamedNode))
                .collect::<Result<_, _>>()?,
            named_graphs: named_graphs
                .iter()
                .map(|s| iri(s).map(NamedOrBlankNode::NamedNode))
                .collect::<Result<_, _>>()?,
        })
    }

    fn is_given(&self) -> bool {
        !self.default_graphs.is_empty() || !self.named_graphs.is_empty()
    }
}

/// The formats a request accepts, worked out before the query runs.
struct Wanted {
    solutions: Option<QueryResultsFormat>,
    graph: Option<ExportFormat>,
}

fn wanted(request: &Request<Body>, format: Option<&str>) -> Result<Wanted, HttpError> {
    if let Some(name) = format {
        return format_override(name);
    }
    Ok(Wanted {
        solutions: http::negotiate(request, SOLUTION_FORMATS),
        graph: http::negotiate(request, GRAPH_FORMATS),
    })
}

/// `format=` for browsers and links: a short name or a media type.
fn format_override(name: &str) -> Result<Wanted, HttpError> {
    let lower = name.trim().to_ascii_lowercase();
    let (solutions, graph) = match lower.as_str() {
        "json" | "srj" => (Some(QueryResultsFormat::Json), Some(ExportFormat::JsonLd)),
        "xml" | "srx" => (Some(QueryResultsFormat::Xml), Some(ExportFormat::RdfXml)),
        "csv" => (Some(QueryResultsFormat::Csv), None),
        "tsv" => (Some(QueryResultsFormat::Tsv), None),
        "turtle" | "ttl" => (None, Some(ExportFormat::Turtle)),
        "ntriples" | "nt" | "n-triples" => (None, Some(ExportFormat::NTriples)),
        "jsonld" | "json-ld" => (None, Some(ExportFormat::JsonLd)),
        "rdfxml" | "rdf" => (None, Some(ExportFormat::RdfXml)),
        media => (
            SOLUTION_FORMATS
                .iter()
                .find(|(m, _)| *m == media)
                .map(|(_, f)| *f),
            GRAPH_FORMATS
                .iter()
                .find(|(m, _)| *m == media)
                .map(|(_, f)| *f),
        ),
    };
    if solutions.is_none() && graph.is_none() {
        return Err(HttpError::bad_request(format!(
            "unknown format={name}; use json, xml, csv, tsv, turtle, ntriples, jsonld or rdfxml"
        )));
    }
    Ok(Wanted { solutions, graph })
}

/// The media types of a format table.
fn media<T>(formats: &'static [(&'static str, T)]) -> impl Iterator<Item = &'static str> {
    formats.iter().map(|(m, _)| *m)
}

fn not_acceptable(kind: &str, offers: impl Iterator<Item = &'static str>) -> HttpError {
    HttpError::new(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "no acceptable format for {kind}; this server gives {}",
            offers.collect::<Vec<_>>().join(", ")
        ),
    )
}

/// The graph format a request asks for (the service description, the graph
/// store): `format=` when given, else by `Accept`.
pub fn requested_graph_format(
    request: &Request<Body>,
    kind: &str,
) -> Result<ExportFormat, HttpError> {
    let params = http::url_params(request);
    match http::single(&params, "format")? {
        Some(name) => format_override(name)?.graph.ok_or_else(|| {
            HttpError::bad_request(format!(
                "format={name} is not a graph format; use turtle, ntriples, jsonld or rdfxml"
            ))
        }),
        None => http::negotiate(request, GRAPH_FORMATS)
            .ok_or_else(|| not_acceptable(kind, media(GRAPH_FORMATS))),
    }
}

fn media_of_graph(format: ExportFormat) -> &'static str {
    GRAPH_FORMATS
        .iter()
        .find(|(_, f)| *f == format)
        .map_or("text/turtle", |(m, _)| m)
}

/// A query's answer, in memory.
pub struct Answer {
    pub body: Vec<u8>,
    pub media: String,
    /// The row cap, when the answer was cut at it.
    pub truncated: Option<usize>,
}

fn run_query(
    service: &Service,
    request: &Request<Body>,
    text: &str,
    dataset: &Dataset,
    format: Option<&str>,
) -> HttpResult {
    let wanted = wanted(request, format)?;
    if wanted.solutions.is_none() && wanted.graph.is_none() {
        let offers = media(SOLUTION_FORMATS).chain(media(GRAPH_FORMATS));
        return Err(not_acceptable("this request", offers));
    }
    let answer = evaluate(service, text, dataset, &wanted)?;
    let mut response = http::bytes(StatusCode::OK, &answer.media, answer.body);
    if let Some(cap) = answer.truncated {
        http::set_header(&mut response, "warta-results-truncated", &cap.to_string());
    }
    Ok(response)
}

/// Parses and runs a query under the server's limits.
fn evaluate(
    service: &Service,
    text: &str,
    dataset: &Dataset,
    wanted: &Wanted,
) -> Result<Answer, HttpError> {
    let (_guard, evaluator) = guarded_evaluator(service)?;
    let mut prepared = evaluator
        .parse_query(text)
        .map_err(|e| HttpError::bad_request(format!("SPARQL syntax error: {e}")))?;
    if dataset.is_given() {
        let spec = prepared.dataset_mut();
        spec.set_default_graph(dataset.default_graphs.clone());
        spec.set_available_named_graphs(dataset.named_graphs.clone());
    } else if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    let results = prepared
        .on_store(service.store.inner())
        .execute()
        .map_err(|e| evaluation_error(service, e))?;
    write_results(service, results, wanted)
}

/// A query's hold on the server's limits: its slot and its deadline.
pub struct Guard<'a> {
    _slot: Slot<'a>,
    _watch: Watch,
}

/// Waits for a query slot and returns an evaluator that the watchdog
/// cancels at the deadline, with warta's prefixes declared.
pub fn guarded_evaluator(service: &Service) -> Result<(Guard<'_>, SparqlEvaluator), HttpError> {
    let opts = &service.opts;
    let started = Instant::now();
    let slot = service.slots.acquire(opts.timeout).ok_or_else(|| {
        HttpError::unavailable(format!(
            "{} queries are running (--max-queries) and none finished within {} s; try again",
            opts.max_queries,
            opts.timeout.as_secs()
        ))
    })?;
    let token = CancellationToken::new();
    let watch = service
        .watchdog
        .watch(token.clone(), started + opts.timeout);
    let evaluator = with_prefixes(
        service,
        SparqlEvaluator::new().with_cancellation_token(token),
    )?;
    Ok((
        Guard {
            _slot: slot,
            _watch: watch,
        },
        evaluator,
    ))
}

fn with_prefixes(
    service: &Service,
    mut evaluator: SparqlEvaluator,
) -> Result<SparqlEvaluator, HttpError> {
    for (name, iri) in service.minter.prefixes() {
        evaluator = evaluator
            .with_prefix(name, iri.as_str())
            .map_err(|e| HttpError::internal(format!("prefix {name}: {e}")))?;
    }
    Ok(evaluator)
}

pub fn evaluation_error(service: &Service, e: QueryEvaluationError) -> HttpError {
    match e {
        QueryEvaluationError::Cancelled => HttpError::unavailable(format!(
            "query timed out after {} s (--timeout); narrow it down or add a LIMIT",
            service.opts.timeout.as_secs()
        )),
        other => HttpError::internal(format!("query evaluation failed: {other}")),
    }
}

fn write_results(
    service: &Service,
    results: QueryResults<'_>,
    wanted: &Wanted,
) -> Result<Answer, HttpError> {
    let cap = service.opts.max_rows;
    match results {
        QueryResults::Solutions(solutions) => {
            let format = wanted
                .solutions
                .ok_or_else(|| not_acceptable("SELECT results", media(SOLUTION_FORMATS)))?;
            write_solutions(service, solutions, format, cap)
        }
        QueryResults::Boolean(value) => {
            let format = wanted
                .solutions
                .ok_or_else(|| not_acceptable("ASK results", media(SOLUTION_FORMATS)))?;
            let mut body = Vec::new();
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(&mut body, value)
                .map_err(|e| HttpError::internal(e.to_string()))?;
            Ok(Answer {
                body,
                media: format.media_type().to_owned(),
                truncated: None,
            })
        }
        QueryResults::Graph(triples) => {
            let format = wanted
                .graph
                .ok_or_else(|| not_acceptable("graph results", media(GRAPH_FORMATS)))?;
            let mut kept: Vec<Triple> = Vec::new();
            let mut truncated = None;
            for triple in triples {
                if cap > 0 && kept.len() >= cap {
                    truncated = Some(cap);
                    break;
                }
                kept.push(triple.map_err(|e| evaluation_error(service, e))?);
            }
            graph_answer(service, kept, format, truncated)
        }
    }
}

/// Serialises triples (sorted, without duplicates, prefixed Turtle).
pub fn graph_answer(
    service: &Service,
    triples: Vec<Triple>,
    format: ExportFormat,
    truncated: Option<usize>,
) -> Result<Answer, HttpError> {
    let mut body = Vec::new();
    let prefixes = service.minter.prefixes();
    export::write_triples(triples, format, &prefixes, &mut body)
        .map_err(|e| HttpError::internal(format!("cannot write the graph: {e}")))?;
    Ok(Answer {
        body,
        media: media_of_graph(format).to_owned(),
        truncated,
    })
}

fn write_solutions(
    service: &Service,
    solutions: QuerySolutionIter<'_>,
    format: QueryResultsFormat,
    cap: usize,
) -> Result<Answer, HttpError> {
    let internal = |e: std::io::Error| HttpError::internal(e.to_string());
    let mut body = Vec::new();
    let mut serializer = QueryResultsSerializer::from_format(format)
        .serialize_solutions_to_writer(&mut body, solutions.variables().to_vec())
        .map_err(internal)?;
    let mut truncated = None;
    for (rows, solution) in solutions.enumerate() {
        if cap > 0 && rows >= cap {
            truncated = Some(cap);
            break;
        }
        let solution = solution.map_err(|e| evaluation_error(service, e))?;
        serializer.serialize(&solution).map_err(internal)?;
    }
    serializer.finish().map_err(internal)?;
    Ok(Answer {
        body,
        media: format.media_type().to_owned(),
        truncated,
    })
}

fn run_update(service: &Service, request: &Request<Body>, text: &str) -> HttpResult {
    let _write = service.authorize_write(request)?;
    with_prefixes(service, SparqlEvaluator::new())?
        .parse_update(text)
        .map_err(|e| HttpError::bad_request(format!("SPARQL syntax error: {e}")))?
        .on_store(service.store.inner())
        .execute()
        .map_err(|e| HttpError::bad_request(format!("the update failed: {e}")))?;
    Ok(http::empty(StatusCode::NO_CONTENT))
}

/// The SPARQL service description: what this endpoint speaks.
fn describe_service(service: &Service, request: &Request<Body>) -> HttpResult {
    let format = requested_graph_format(request, "the service description")?;
    let endpoint = format!("{}/sparql", service.origin(request));
    let update = if service.opts.writable {
        "sd:supportedLanguage sd:SPARQL11Update ;"
    } else {
        ""
    };
    let mut result_formats = String::new();
    for name in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ] {
        result_formats.push_str(&format!(
            "sd:resultFormat <http://www.w3.org/ns/formats/{name}> ;\n"
        ));
    }
    let turtle = format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
         <{endpoint}> a sd:Service ;\n\
         sd:endpoint <{endpoint}> ;\n\
         sd:supportedLanguage sd:SPARQL11Query ;\n{update}\n\
         {result_formats}\
         sd:feature sd:UnionDefaultGraph ;\n\
         sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n"
    );
    let triples = parse_turtle(&turtle)?;
    let answer = graph_answer(service, triples, format, None)?;
    Ok(http::bytes(StatusCode::OK, &answer.media, answer.body))
}

fn parse_turtle(text: &str) -> Result<Vec<Triple>, HttpError> {
    use oxigraph::io::{RdfFormat, RdfParser};
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(text.as_bytes())
        .map(|q| {
            q.map(Triple::from)
                .map_err(|e| HttpError::internal(format!("service description: {e}")))
        })
        .collect()
}
