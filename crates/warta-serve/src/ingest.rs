//! `POST /ingest`: JSONL articles (one a line, the fields of `warta ingest`'s
//! JSONL) through the same pipeline and the same write rules as the CLI: an
//! article already held is replaced in one transaction, so sending it again
//! never duplicates it. The answer is the CLI's summary as JSON.

use crate::http::{self, HttpError, HttpResult};
use crate::Service;
use oxhttp::model::{Body, Method, Request, StatusCode};
use warta_extract::input::{self, Article, InputError, InputOptions};
use warta_extract::model::Language;
use warta_graph::ingest::{IngestOptions, IngestRun};

/// The name bad lines are reported under (`POST /ingest:3: ...`).
const SOURCE: &str = "POST /ingest";

pub fn endpoint(service: &Service, request: &mut Request<Body>) -> HttpResult {
    if request.method() != Method::POST {
        return Err(HttpError::method_not_allowed("POST"));
    }
    let params = http::url_params(request);
    let language = match http::single(&params, "language")? {
        None | Some("auto") => None,
        Some(code) => Some(Language::parse(code).ok_or_else(|| {
            HttpError::bad_request(format!("language={code}: expected id, en or auto"))
        })?),
    };
    let _write = service.authorize_write(request)?;
    let body = http::read_body(request, service.opts.max_body)?;
    let (articles, errors) = read_articles(&body, service.opts.max_body);
    if articles.is_empty() {
        let mut message =
            String::from("no article in the body (JSONL: one {\"text\": ...} object a line)");
        for e in &errors {
            message.push_str("\n  ");
            message.push_str(e);
        }
        return Err(HttpError::bad_request(message));
    }
    let opts = IngestOptions {
        language,
        ..IngestOptions::default()
    };
    let store_error = |e: warta_graph::store::StoreError| HttpError::internal(e.to_string());
    let mut run = IngestRun::start(&service.store, &service.ont, &service.minter, &opts)
        .map_err(store_error)?;
    run.note_errors(errors);
    run.write(articles, &mut |_, _| {}).map_err(store_error)?;
    let summary = run.finish().map_err(store_error)?;
    let value = serde_json::to_value(&summary)
        .map_err(|e| HttpError::internal(format!("cannot write the summary: {e}")))?;
    Ok(http::json(StatusCode::OK, &value))
}

fn read_articles(body: &[u8], limit: u64) -> (Vec<Article>, Vec<String>) {
    let opts = InputOptions {
        max_file_bytes: limit,
        ..InputOptions::default()
    };
    let mut articles = Vec::new();
    let mut errors = Vec::new();
    let mut sink = |r: Result<Article, InputError>| match r {
        Ok(a) => articles.push(a),
        Err(e) => errors.push(e.to_string()),
    };
    if let Err(e) = input::read_jsonl_from(body, SOURCE, &opts, &mut sink) {
        errors.push(e.to_string());
    }
    (articles, errors)
}
