//! The SPARQL 1.1 Graph Store Protocol at `/store`: `?graph=IRI` names one
//! graph (an article's, or the ontology's), `?default` (or nothing) the
//! default graph, which holds warta's merged knowledge layer.
//!
//! GET works on any server. PUT (replace), POST (add) and DELETE need
//! `--writable` and the token. They write RDF as given, beside warta's own
//! layout: an article is better changed through `/ingest`.

use crate::http::{self, HttpError, HttpResult};
use crate::sparql::{graph_answer, requested_graph_format};
use crate::Service;
use oxhttp::model::{Body, Method, Request, StatusCode};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNodeRef, Quad, Triple};

/// The graph a request names.
enum Target {
    Default,
    Named(NamedNode),
}

impl Target {
    fn name(&self) -> GraphNameRef<'_> {
        match self {
            Target::Default => GraphNameRef::DefaultGraph,
            Target::Named(n) => GraphNameRef::NamedNode(n.as_ref()),
        }
    }
}

fn target(request: &Request<Body>) -> Result<Target, HttpError> {
    let params = http::url_params(request);
    let graph = http::single(&params, "graph")?;
    let default = params.iter().any(|(k, _)| k == "default");
    match (graph, default) {
        (Some(_), true) => Err(HttpError::bad_request(
            "give ?graph=IRI or ?default, not both",
        )),
        (Some(iri), false) => NamedNode::new(iri)
            .map(Target::Named)
            .map_err(|e| HttpError::bad_request(format!("not an IRI: <{iri}>: {e}"))),
        (None, _) => Ok(Target::Default),
    }
}

pub fn endpoint(service: &Service, request: &mut Request<Body>) -> HttpResult {
    let target = target(request)?;
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        return get(service, request, &target);
    }
    if method != Method::PUT && method != Method::POST && method != Method::DELETE {
        return Err(HttpError::method_not_allowed("GET, PUT, POST, DELETE"));
    }
    let _write = service.authorize_write(request)?;
    let existed = exists(service, &target)?;
    if method == Method::DELETE {
        if !existed {
            return Err(HttpError::not_found("no such graph"));
        }
        clear(service, &target)?;
        return Ok(http::empty(StatusCode::NO_CONTENT));
    }
    let quads = read_graph(service, request, &target)?;
    // PUT replaces in the same transaction: a reader sees the old graph or
    // the new one, never an empty one.
    write(service, &target, &quads, method == Method::PUT)?;
    Ok(http::empty(if existed {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    }))
}

fn storage(e: impl std::fmt::Display) -> HttpError {
    HttpError::internal(format!("store error: {e}"))
}

fn exists(service: &Service, target: &Target) -> Result<bool, HttpError> {
    match target {
        Target::Default => Ok(true),
        Target::Named(n) => service
            .store
            .inner()
            .contains_named_graph(NamedOrBlankNodeRef::NamedNode(n.as_ref()))
            .map_err(storage),
    }
}

fn get(service: &Service, request: &Request<Body>, target: &Target) -> HttpResult {
    let format = requested_graph_format(request, "a graph")?;
    if !exists(service, target)? {
        return Err(HttpError::not_found("no such graph in the store"));
    }
    let triples = service
        .store
        .inner()
        .quads_for_pattern(None, None, None, Some(target.name()))
        .map(|q| q.map(Triple::from).map_err(storage))
        .collect::<Result<Vec<_>, _>>()?;
    let answer = graph_answer(service, triples, format, None)?;
    Ok(http::bytes(StatusCode::OK, &answer.media, answer.body))
}

fn read_graph(
    service: &Service,
    request: &mut Request<Body>,
    target: &Target,
) -> Result<Vec<Quad>, HttpError> {
    let media = http::content_type(request).unwrap_or_default();
    let format = RdfFormat::from_media_type(&media)
        .filter(|f| !f.supports_datasets())
        .ok_or_else(|| {
            HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("unsupported Content-Type {media:?}: send text/turtle, application/n-triples, application/rdf+xml or application/ld+json"),
            )
        })?;
    let body = http::read_body(request, service.opts.max_body)?;
    let graph = match target {
        Target::Default => GraphName::DefaultGraph,
        Target::Named(n) => GraphName::NamedNode(n.clone()),
    };
    RdfParser::from_format(format)
        .with_default_graph(graph)
        .for_slice(&body)
        .map(|q| q.map_err(|e| HttpError::bad_request(format!("cannot parse the body: {e}"))))
        .collect()
}

fn clear(service: &Service, target: &Target) -> Result<(), HttpError> {
    let mut tx = service.store.inner().start_transaction().map_err(storage)?;
    tx.clear_graph(target.name()).map_err(storage)?;
    if let Target::Named(n) = target {
        tx.remove_named_graph(n.as_ref()).map_err(storage)?;
    }
    tx.commit().map_err(storage)
}

fn write(
    service: &Service,
    target: &Target,
    quads: &[Quad],
    replace: bool,
) -> Result<(), HttpError> {
    let mut tx = service.store.inner().start_transaction().map_err(storage)?;
    if replace {
        tx.clear_graph(target.name()).map_err(storage)?;
    }
    if let Target::Named(n) = target {
        tx.insert_named_graph(n.as_ref());
    }
    for quad in quads {
        tx.insert(quad);
    }
    tx.commit().map_err(storage)
}
