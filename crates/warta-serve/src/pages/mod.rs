//! The analyst's pages: the query editor, search, an entity's page and an
//! article's page.
//!
//! Pages are plain HTML written here, readable without JavaScript; scripts
//! (YASGUI, the Cytoscape graph) add to them. Their data comes from the
//! parameterised queries in `crates/warta-serve/queries/`, run on the same
//! store and under the same limits as the endpoint, with the page's values
//! bound to variables (never spliced into query text).

mod document;
mod editor;
mod entity;
mod search;

use crate::http::{self, escape_html, HttpError, HttpResult};
use crate::Service;
use oxhttp::model::{Body, Request, StatusCode};
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{QueryResults, QuerySolution};

pub fn route(service: &Service, request: &Request<Body>, path: &str) -> HttpResult {
    if let Some(rest) = path.strip_prefix("/assets/") {
        return crate::assets::serve(rest);
    }
    if let Some(id) = path.strip_prefix("/entity/") {
        return entity::page(service, request, id);
    }
    if let Some(sha) = path.strip_prefix("/doc/") {
        return document::page(service, sha);
    }
    match path {
        "/" => Ok(editor::page()),
        "/api/queries" => Ok(editor::queries()),
        "/search" => search::page(service, request),
        "/favicon.ico" => Ok(http::empty(StatusCode::NO_CONTENT)),
        _ => Err(HttpError::not_found(format!("no page at {path}"))),
    }
}

/// Runs one of the page queries with `bindings` substituted.
pub fn select(
    service: &Service,
    name: &str,
    bindings: &[(&str, Term)],
) -> Result<Vec<QuerySolution>, HttpError> {
    let text = crate::assets::page_query(name)
        .ok_or_else(|| HttpError::internal(format!("the page query {name}.rq is missing")))?;
    let (_guard, evaluator) = crate::sparql::guarded_evaluator(service)?;
    let mut prepared = evaluator
        .parse_query(text)
        .map_err(|e| HttpError::internal(format!("{name}.rq: {e}")))?;
    prepared.dataset_mut().set_default_graph_as_union();
    for (variable, term) in bindings {
        let variable =
            Variable::new(*variable).map_err(|e| HttpError::internal(format!("{name}.rq: {e}")))?;
        prepared = prepared.substitute_variable(variable, term.clone());
    }
    let results = prepared
        .on_store(service.store.inner())
        .execute()
        .map_err(|e| crate::sparql::evaluation_error(service, e))?;
    let QueryResults::Solutions(solutions) = results else {
        return Err(HttpError::internal(format!("{name}.rq is not a SELECT")));
    };
    solutions
        .map(|s| s.map_err(|e| crate::sparql::evaluation_error(service, e)))
        .collect()
}

/// The text of a literal (or the IRI of a node) a solution binds.
pub fn value(solution: &QuerySolution, variable: &str) -> Option<String> {
    match solution.get(variable)? {
        Term::Literal(l) => Some(l.value().to_owned()),
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::BlankNode(b) => Some(b.as_str().to_owned()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// The page of an entity IRI (`/entity/Q7747`), if it is one of this
/// store's entities (`<base>entity/ID`).
pub fn entity_href(service: &Service, iri: &str) -> Option<String> {
    let prefix = format!("{}entity/", service.minter.base());
    iri.strip_prefix(&prefix)
        .map(|id| format!("/entity/{}", http::encode_component(id)))
}

/// The CSS class of an event that is not plainly asserted: `negated` first,
/// else `planned` (any modality but asserted).
pub fn event_state(negated: bool, planned: bool) -> Option<&'static str> {
    match (negated, planned) {
        (true, _) => Some("negated"),
        (false, true) => Some("planned"),
        _ => None,
    }
}

/// The local name of an IRI: after the last `#` or `/`.
pub fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// A whole page: the shared head and navigation around `body`.
pub fn shell(title: &str, body: &str, scripts: &[&str], styles: &[&str]) -> String {
    let mut head_links = String::new();
    for href in styles {
        head_links.push_str(&format!("<link rel=\"stylesheet\" href=\"{href}\">\n"));
    }
    let mut tail = String::new();
    for src in scripts {
        tail.push_str(&format!("<script src=\"{src}\"></script>\n"));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · warta</title>\n<link rel=\"icon\" href=\"data:,\">\n\
         {head_links}<link rel=\"stylesheet\" href=\"/assets/warta.css\">\n</head>\n<body>\n\
         <header class=\"top\"><nav><a class=\"brand\" href=\"/\">warta</a> \
         <a href=\"/\">Query</a> <a href=\"/search\">Search</a></nav>\
         <form class=\"search\" action=\"/search\" method=\"get\">\
         <input type=\"search\" name=\"q\" placeholder=\"Find an entity (Putin, Korea Utara, ASEAN ...)\" aria-label=\"Entity name\">\
         <button type=\"submit\">Search</button></form></header>\n\
         <main>\n{body}\n</main>\n{tail}</body>\n</html>\n",
        title = escape_html(title)
    )
}

/// The HTML 404 page.
pub fn not_found(what: &str) -> HttpResult {
    let body = format!(
        "<div class=\"error\"><h1>Not found</h1><p>{}</p><p><a href=\"/search\">Search for an entity</a></p></div>",
        escape_html(what)
    );
    Ok(http::html(
        StatusCode::NOT_FOUND,
        shell("Not found", &body, &[], &[]),
    ))
}

/// The sentence with the evidence marked (the first place it occurs; the
/// stored sentence and evidence are both the article's own text).
pub fn marked_sentence(sentence: &str, evidence: &str) -> String {
    match sentence.find(evidence).filter(|_| !evidence.is_empty()) {
        Some(at) => format!(
            "{}<mark class=\"evidence\">{}</mark>{}",
            escape_html(&sentence[..at]),
            escape_html(evidence),
            escape_html(&sentence[at + evidence.len()..])
        ),
        None => escape_html(sentence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_marked_inside_its_sentence() {
        assert_eq!(
            marked_sentence("Putin met Xi in <Beijing>.", "Putin met Xi"),
            "<mark class=\"evidence\">Putin met Xi</mark> in &lt;Beijing&gt;."
        );
        assert_eq!(marked_sentence("a b", "c"), "a b");
    }

    #[test]
    fn local_names_follow_the_last_separator() {
        assert_eq!(
            local_name("https://w3id.org/warta/ontology#Person"),
            "Person"
        );
        assert_eq!(local_name("https://w3id.org/warta/entity/Q7747"), "Q7747");
    }
}
