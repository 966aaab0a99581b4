//! Files built into the binary (see `build.rs`): the page's scripts and
//! styles with the vendored npm packages, the shipped queries of
//! `queries/`, and the pages' own parameterised queries.

use crate::http::{self, HttpError, HttpResult};
use oxhttp::model::StatusCode;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

fn media_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "json" => "application/json",
        _ => "text/plain; charset=utf-8",
    }
}

/// `GET /assets/PATH`.
pub fn serve(path: &str) -> HttpResult {
    let (_, bytes) = ASSETS
        .iter()
        .find(|(name, _)| *name == path)
        .ok_or_else(|| HttpError::not_found(format!("no asset {path}")))?;
    let mut response = http::bytes(StatusCode::OK, media_type(path), *bytes);
    // The files change only with the binary.
    http::set_header(&mut response, "cache-control", "public, max-age=3600");
    Ok(response)
}

/// The shipped queries of `queries/`: (file name, text), sorted by name.
pub fn shipped_queries() -> impl Iterator<Item = (&'static str, &'static str)> {
    SHIPPED_QUERIES
        .iter()
        .filter(|(name, _)| !name.contains('/'))
        .filter_map(|(name, bytes)| Some((*name, std::str::from_utf8(bytes).ok()?)))
}

/// A page query by its name (`entity-events` for `queries/entity-events.rq`).
pub fn page_query(name: &str) -> Option<&'static str> {
    let file = format!("{name}.rq");
    PAGE_QUERIES
        .iter()
        .find(|(n, _)| *n == file)
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_its_libraries_are_built_in() {
        for path in [
            "warta.css",
            "editor.js",
            "entity.js",
            "vendor/yasgui.min.js",
            "vendor/cytoscape.min.js",
        ] {
            assert!(serve(path).is_ok(), "{path} is missing");
        }
        assert!(serve("nothing.js").is_err());
    }

    #[test]
    fn every_shipped_query_is_built_in() {
        let names: Vec<&str> = shipped_queries().map(|(n, _)| n).collect();
        assert!(names.contains(&"meetings.rq"), "{names:?}");
        assert!(names.iter().all(|n| n.ends_with(".rq")));
    }
}
