//! `/search?q=NAME`: entities whose label or alias, in any language,
//! contains NAME (case-insensitively). HTML, or JSON for scripts.

use crate::http::{self, escape_html, HttpError, HttpResult};
use crate::pages::{local_name, select, shell, value};
use crate::Service;
use oxhttp::model::{Body, Request, StatusCode};
use oxigraph::model::{Literal, Term};

/// Shortest name searched for: one letter would list half the store.
const MIN_CHARS: usize = 2;

struct Hit {
    id: String,
    iri: String,
    label: String,
    class: String,
    matched: String,
}

pub fn page(service: &Service, request: &Request<Body>) -> HttpResult {
    let params = http::url_params(request);
    let needle = http::single(&params, "q")?
        .unwrap_or("")
        .trim()
        .to_lowercase();
    let want_json = http::single(&params, "format")? == Some("json")
        || http::negotiate(request, &[("text/html", false), ("application/json", true)])
            == Some(true);
    let hits = if needle.chars().count() >= MIN_CHARS {
        find(service, &needle)?
    } else {
        Vec::new()
    };
    if want_json {
        return Ok(http::json(StatusCode::OK, &as_json(service, &hits)));
    }
    Ok(http::html(
        StatusCode::OK,
        shell("Search", &as_html(&needle, &hits), &[], &[]),
    ))
}

fn find(service: &Service, needle: &str) -> Result<Vec<Hit>, HttpError> {
    let rows = select(
        service,
        "search",
        &[("needle", Term::from(Literal::new_simple_literal(needle)))],
    )?;
    let mut hits: Vec<Hit> = rows
        .iter()
        .filter_map(|row| {
            let iri = value(row, "entity")?;
            Some(Hit {
                id: local_name(&iri).to_owned(),
                label: value(row, "label").unwrap_or_else(|| local_name(&iri).to_owned()),
                class: value(row, "class")
                    .map(|c| local_name(&c).to_owned())
                    .unwrap_or_default(),
                matched: value(row, "matched").unwrap_or_default(),
                iri,
            })
        })
        .collect();
    // Names that start with what was typed first, then shorter names.
    hits.sort_by_key(|h| {
        let label = h.label.to_lowercase();
        (
            !label.starts_with(needle),
            h.label.chars().count(),
            h.label.clone(),
        )
    });
    Ok(hits)
}

fn wikidata(service: &Service, hit: &Hit) -> Option<String> {
    let is_qid = hit.id.starts_with('Q') && hit.id[1..].bytes().all(|b| b.is_ascii_digit());
    (is_qid && hit.iri == service.minter.entity(&hit.id))
        .then(|| format!("http://www.wikidata.org/entity/{}", hit.id))
}

fn as_json(service: &Service, hits: &[Hit]) -> serde_json::Value {
    serde_json::Value::Array(
        hits.iter()
            .map(|h| {
                serde_json::json!({
                    "id": h.id, "iri": h.iri, "label": h.label, "type": h.class,
                    "wikidata": wikidata(service, h), "matched": h.matched,
                })
            })
            .collect(),
    )
}

fn as_html(needle: &str, hits: &[Hit]) -> String {
    let mut body = String::from("<h1>Search</h1>\n");
    if needle.chars().count() < MIN_CHARS {
        body.push_str("<p class=\"muted\">Type at least two letters of a name, in Indonesian or English (aliases count).</p>");
        return body;
    }
    if hits.is_empty() {
        body.push_str(&format!(
            "<p>No entity is named like <q>{}</q>.</p>",
            escape_html(needle)
        ));
        return body;
    }
    body.push_str(&format!(
        "<p class=\"muted\">{} entities named like <q>{}</q></p>\n<ul class=\"results\">\n",
        hits.len(),
        escape_html(needle)
    ));
    for h in hits {
        let alias = if h.matched.to_lowercase() != h.label.to_lowercase() && !h.matched.is_empty() {
            format!(
                " <span class=\"muted\">(as {})</span>",
                escape_html(&h.matched)
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            "<li><a href=\"/entity/{}\">{}</a> <span class=\"type\">{}</span>{alias}</li>\n",
            http::encode_component(&h.id),
            escape_html(&h.label),
            escape_html(&h.class)
        ));
    }
    body.push_str("</ul>");
    body
}
