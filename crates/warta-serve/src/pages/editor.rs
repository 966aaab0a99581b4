//! `/`: the query editor (YASGUI on this server's endpoint), and
//! `/api/queries`, the shipped queries it opens as tabs.

use crate::http;
use crate::pages::shell;
use oxhttp::model::{Body, Response, StatusCode};

pub fn page() -> Response<Body> {
    let body = "<h1>Query the graph</h1>\n\
        <p class=\"muted\">SPARQL over every article (the union of all graphs). Each tab is a file of <code>queries/</code>; \
        the endpoint is <code>/sparql</code> for any SPARQL client.</p>\n\
        <div id=\"yasgui\"></div>\n\
        <noscript><p>The editor needs JavaScript. Without it, send queries to <code>/sparql?query=...</code> \
        or <a href=\"/search\">search for an entity</a>.</p></noscript>";
    http::html(
        StatusCode::OK,
        shell(
            "Query",
            body,
            &["/assets/vendor/yasgui.min.js", "/assets/editor.js"],
            &["/assets/vendor/yasgui.min.css"],
        ),
    )
}

pub fn queries() -> Response<Body> {
    let list: Vec<serde_json::Value> = crate::assets::shipped_queries()
        .map(|(file, text)| {
            serde_json::json!({
                "name": file.trim_end_matches(".rq"),
                "file": file,
                "query": text,
            })
        })
        .collect();
    http::json(StatusCode::OK, &serde_json::Value::Array(list))
}
