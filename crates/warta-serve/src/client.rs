//! `warta ingest --server URL`: sends articles to a running `warta serve
//! --writable` as JSONL, in batches, and reads back its summaries.

use serde::Serialize;
use std::time::Duration;
use warta_extract::input::Article;
use warta_graph::ingest::IngestSummary;

/// Why sending failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach the server at {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("the server at {url} answered {status}: {message}")]
    Refused {
        url: String,
        status: u16,
        message: String,
    },
    #[error("the server at {url} sent a summary this warta cannot read: {message}")]
    BadSummary { url: String, message: String },
}

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

/// Articles in one request: small enough to keep a request's transaction
/// and body modest.
const BATCH: usize = 200;

/// Sends `articles` to `server` (its base URL) and adds up the summaries.
pub fn send(
    server: &str,
    token: Option<&str>,
    articles: &[Article],
) -> Result<IngestSummary, ClientError> {
    let url = format!("{}/ingest", server.trim_end_matches('/'));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let mut total = IngestSummary::default();
    for batch in articles.chunks(BATCH) {
        let body = jsonl(batch);
        let summary = post(&agent, &url, token, body)?;
        add(&mut total, summary);
    }
    Ok(total)
}

fn jsonl(batch: &[Article]) -> String {
    let mut body = String::new();
    for a in batch {
        let line = Line {
            text: &a.text,
            title: a.title.as_deref(),
            url: a.url.as_deref(),
            published: a.published.as_deref(),
            language: a.language.as_deref(),
        };
        // Strings and options of strings always serialise.
        body.push_str(&serde_json::to_string(&line).unwrap_or_default());
        body.push('\n');
    }
    body
}

fn post(
    agent: &ureq::Agent,
    url: &str,
    token: Option<&str>,
    body: String,
) -> Result<IngestSummary, ClientError> {
    let mut request = agent
        .post(url)
        .header("content-type", "application/x-ndjson");
    if let Some(token) = token {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    let mut response = request.send(body).map_err(|e| ClientError::Unreachable {
        url: url.to_owned(),
        message: e.to_string(),
    })?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| ClientError::Unreachable {
            url: url.to_owned(),
            message: e.to_string(),
        })?;
    if status != 200 {
        return Err(ClientError::Refused {
            url: url.to_owned(),
            status,
            message: text.trim().to_owned(),
        });
    }
    serde_json::from_str(&text).map_err(|e| ClientError::BadSummary {
        url: url.to_owned(),
        message: e.to_string(),
    })
}

fn add(total: &mut IngestSummary, part: IngestSummary) {
    total.documents += part.documents;
    total.replaced += part.replaced;
    total.entities += part.entities;
    total.events += part.events;
    total.triples += part.triples;
    total.bytes += part.bytes;
    total.seconds += part.seconds;
    total.errors.extend(part.errors);
}
