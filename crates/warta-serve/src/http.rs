//! The small HTTP vocabulary the handlers share: an error that is a status
//! and a message, response builders, query-string and form parsing, request
//! bodies read under a size limit, and content negotiation by `Accept`.

use oxhttp::model::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use oxhttp::model::{Body, Request, Response, StatusCode};
use std::io::Read;

/// A request that cannot be answered with what it asked for: the status and
/// the message the client reads (plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub status: StatusCode,
    pub message: String,
    /// `Allow` for a 405.
    pub allow: Option<&'static str>,
}

impl HttpError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        HttpError {
            status,
            message: message.into(),
            allow: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn method_not_allowed(allow: &'static str) -> Self {
        HttpError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            message: format!("method not allowed here; allowed: {allow}"),
            allow: Some(allow),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    pub fn into_response(self) -> Response<Body> {
        let mut response = text(self.status, format!("{}\n", self.message));
        if let Some(allow) = self.allow {
            set_header(&mut response, "allow", allow);
        }
        response
    }
}

pub type HttpResult = Result<Response<Body>, HttpError>;

/// A response with a body and its media type.
pub fn bytes(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response<Body> {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    set_header(&mut response, "content-type", content_type);
    response
}

pub fn text(status: StatusCode, body: String) -> Response<Body> {
    bytes(status, "text/plain; charset=utf-8", body)
}

pub fn html(status: StatusCode, body: String) -> Response<Body> {
    bytes(status, "text/html; charset=utf-8", body)
}

pub fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    bytes(status, "application/json", value.to_string())
}

pub fn empty(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// Sets a header; values that are not valid header text are left out (they
/// come from the server's own configuration, never from the request).
pub fn set_header(response: &mut Response<Body>, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
}

/// The `(name, value)` pairs of the URL's query string, decoded.
pub fn url_params(request: &Request<Body>) -> Vec<(String, String)> {
    request
        .uri()
        .query()
        .map(|q| form_pairs(q.as_bytes()))
        .unwrap_or_default()
}

/// Decodes `application/x-www-form-urlencoded` text.
pub fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

/// The one value of a parameter, or an error when it is given twice.
pub fn single<'a>(
    params: &'a [(String, String)],
    name: &str,
) -> Result<Option<&'a str>, HttpError> {
    let mut values = params.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
    let first = values.next();
    if values.next().is_some() {
        return Err(HttpError::bad_request(format!(
            "the parameter {name} is given more than once"
        )));
    }
    Ok(first.map(String::as_str))
}

pub fn all<'a>(params: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    params
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The request's media type without parameters, lower-cased.
pub fn content_type(request: &Request<Body>) -> Option<String> {
    let value = request.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    let media = value.split(';').next().unwrap_or("").trim();
    Some(media.to_ascii_lowercase())
}

/// Reads the request body, refusing (413) one over `limit` bytes, whether its
/// `Content-Length` says so up front or the bytes run past it.
pub fn read_body(request: &mut Request<Body>, limit: u64) -> Result<Vec<u8>, HttpError> {
    let too_large = || {
        HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over the limit of {limit} bytes (--max-body)"),
        )
    };
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .body_mut()
        .take(limit.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| HttpError::bad_request(format!("cannot read the request body: {e}")))?;
    if body.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(body)
}

/// The bearer token of the request, if any.
pub fn bearer(request: &Request<Body>) -> Option<&str> {
    let value = request.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// One media range of an `Accept` header.
struct Range {
    kind: String,
    subtype: String,
    quality: f32,
}

fn parse_accept(header: &str) -> Vec<Range> {
    let mut ranges = Vec::new();
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let Some((kind, subtype)) = media.split_once('/') else {
            continue;
        };
        let mut quality = 1.0f32;
        for param in pieces {
            if let Some(q) = param.trim().strip_prefix("q=") {
                quality = q.trim().parse().unwrap_or(0.0);
            }
        }
        ranges.push(Range {
            kind: kind.trim().to_owned(),
            subtype: subtype.trim().to_owned(),
            quality,
        });
    }
    ranges
}

/// How well `range` matches `media`: 3 exact, 2 `type/*`, 1 `*/*`.
fn specificity(range: &Range, media: &str) -> Option<u8> {
    let (kind, subtype) = media.split_once('/')?;
    match (range.kind.as_str(), range.subtype.as_str()) {
        ("*", "*") => Some(1),
        (k, "*") if k == kind => Some(2),
        (k, s) if k == kind && s == subtype => Some(3),
        _ => None,
    }
}

/// Picks among `offers` (media type, value) by the request's `Accept`
/// header: the highest quality, then the most specific range, then the
/// order of `offers` (the first is the default for `*/*` or no header).
/// `None` when nothing offered is acceptable (a 406).
pub fn negotiate<T: Copy>(request: &Request<Body>, offers: &[(&str, T)]) -> Option<T> {
    let header = request
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*");
    negotiate_header(header, offers)
}

pub fn negotiate_header<T: Copy>(header: &str, offers: &[(&str, T)]) -> Option<T> {
    let ranges = parse_accept(header);
    if ranges.is_empty() {
        return offers.first().map(|(_, v)| *v);
    }
    let mut best: Option<(f32, u8, usize)> = None;
    for (index, (media, _)) in offers.iter().enumerate() {
        // The quality of an offer is that of the most specific range naming it.
        let matched = ranges
            .iter()
            .filter_map(|r| specificity(r, media).map(|s| (s, r.quality)))
            .max_by_key(|(s, _)| *s);
        let Some((spec, quality)) = matched else {
            continue;
        };
        if quality <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((q, s, _)) => quality > q || (quality == q && spec > s),
        };
        if better {
            best = Some((quality, spec, index));
        }
    }
    best.map(|(_, _, index)| offers[index].1)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Decodes a percent-encoded path segment (`/entity/ID`).
pub fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a value for a URL query string.
pub fn encode_component(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: &[(&str, u8)] = &[
        ("application/sparql-results+json", 0),
        ("application/sparql-results+xml", 1),
        ("text/csv", 2),
    ];

    #[test]
    fn the_first_offer_is_the_default() {
        assert_eq!(negotiate_header("*/*", OFFERS), Some(0));
        assert_eq!(negotiate_header("", OFFERS), Some(0));
    }

    #[test]
    fn quality_then_specificity_decide() {
        assert_eq!(
            negotiate_header("text/csv, application/sparql-results+json;q=0.5", OFFERS),
            Some(2)
        );
        assert_eq!(negotiate_header("text/*, */*;q=0.1", OFFERS), Some(2));
        assert_eq!(
            negotiate_header("application/sparql-results+xml;q=0.9, */*;q=0.8", OFFERS),
            Some(1)
        );
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert_eq!(negotiate_header("image/png", OFFERS), None);
        assert_eq!(negotiate_header("text/csv;q=0", OFFERS), None);
    }

    #[test]
    fn path_segments_are_decoded() {
        assert_eq!(decode_segment("Q7747"), "Q7747");
        assert_eq!(decode_segment("Kim%20Jong%2Dun%"), "Kim Jong-un%");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
