//! The remote Graph Store: `PUT` and `DELETE` of one graph per request
//! (SPARQL 1.1 Graph Store HTTP Protocol, `?graph=IRI`), with
//! authentication and retries.

use crate::PushError;
use base64::Engine;
use std::time::Duration;

/// How to authenticate. Secrets come from a file or the environment, never
/// from the command line (see `warta push --help`).
#[derive(Clone)]
pub enum Auth {
    None,
    Basic {
        user: String,
        password: String,
    },
    /// HTTP digest (RFC 7616, MD5 or SHA-256, qop auth), as Virtuoso's
    /// `/sparql-graph-crud-auth` asks.
    Digest {
        user: String,
        password: String,
    },
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    // Never prints a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::None => "none",
            Auth::Basic { .. } => "basic",
            Auth::Digest { .. } => "digest",
            Auth::Bearer(_) => "bearer",
        })
    }
}

/// Timeouts and retries.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// For each whole request (connect, send, answer).
    pub timeout: Duration,
    /// Attempts after the first on a 5xx answer, a timeout or a connection error.
    pub retries: u32,
    /// The wait before the first retry; it doubles at each retry, up to 30 s.
    pub first_backoff: Duration,
    /// The query parameter that names the graph (`graph` in the standard;
    /// Virtuoso accepts it too).
    pub graph_param: String,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            timeout: Duration::from_secs(60),
            retries: 5,
            first_backoff: Duration::from_millis(500),
            graph_param: "graph".to_string(),
        }
    }
}

const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// The media type of every body: N-Triples is Turtle, and every Graph Store
/// reads Turtle.
const BODY_TYPE: &str = "text/turtle; charset=utf-8";

/// A Graph Store endpoint.
pub struct Remote {
    endpoint: String,
    agent: ureq::Agent,
    auth: Auth,
    opts: RemoteOptions,
    /// The digest challenge, kept to answer later requests at once.
    challenge: Option<digest_auth::WwwAuthenticateHeader>,
    /// Requests sent, retries included (for tests and the summary).
    pub requests: usize,
}

/// What one attempt gave.
enum Attempt {
    Answered(u16, String, Option<String>),
    Failed(String),
}

impl Remote {
    pub fn new(endpoint: &str, auth: Auth, opts: RemoteOptions) -> Result<Remote, PushError> {
        if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
            return Err(PushError::Usage(format!(
                "{endpoint}: the Graph Store endpoint must be an http:// or https:// URL"
            )));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .http_status_as_error(false)
            .user_agent(concat!(
                "warta/",
                env!("CARGO_PKG_VERSION"),
                " (warta push)"
            ))
            .build()
            .into();
        Ok(Remote {
            endpoint: endpoint.to_string(),
            agent,
            auth,
            opts,
            challenge: None,
            requests: 0,
        })
    }

    /// Another client of the same endpoint with the same credentials (and
    /// the digest challenge already known), for a second connection.
    pub fn try_clone(&self) -> Remote {
        Remote {
            endpoint: self.endpoint.clone(),
            agent: self.agent.clone(),
            auth: self.auth.clone(),
            opts: self.opts.clone(),
            challenge: self.challenge.clone(),
            requests: 0,
        }
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Replaces the remote graph `iri` with the N-Triples `body`.
    pub fn put_graph(&mut self, iri: &str, body: &[u8]) -> Result<(), PushError> {
        match self.send("PUT", iri, Some(body))? {
            (200..=299, _) => Ok(()),
            (status, detail) => Err(self.refused("PUT", iri, status, &detail)),
        }
    }

    /// Deletes the remote graph `iri` (already gone is fine).
    pub fn delete_graph(&mut self, iri: &str) -> Result<(), PushError> {
        match self.send("DELETE", iri, None)? {
            (200..=299 | 404, _) => Ok(()),
            (status, detail) => Err(self.refused("DELETE", iri, status, &detail)),
        }
    }

    fn refused(&self, method: &str, iri: &str, status: u16, detail: &str) -> PushError {
        let hint = match status {
            401 => " (check the user and password, and --auth)",
            403 => " (the user may not write, or the endpoint is read-only)",
            _ => "",
        };
        self.error(format!(
            "{method} of graph {iri} answered HTTP {status}{hint}: {}",
            detail.trim()
        ))
    }

    fn error(&self, message: String) -> PushError {
        PushError::Remote {
            endpoint: self.endpoint.clone(),
            message,
        }
    }

    /// One request with retries: the final answer's status and detail (after
    /// one digest challenge, if any), which the caller judges; an error only
    /// when no answer came or 5xx answers outlasted the retries.
    fn send(
        &mut self,
        method: &str,
        iri: &str,
        body: Option<&[u8]>,
    ) -> Result<(u16, String), PushError> {
        let url = graph_url(&self.endpoint, &self.opts.graph_param, iri);
        let mut backoff = self.opts.first_backoff;
        let mut challenged = false;
        let mut attempt = 0;
        if self.is_digest() && self.challenge.is_none() {
            self.probe_challenge(&url);
        }
        loop {
            let authorization = self.authorization(method, &url, body)?;
            let outcome = self.attempt(method, &url, body, authorization);
            let retryable = match outcome {
                Attempt::Answered(401, _, Some(challenge)) if self.is_digest() && !challenged => {
                    self.take_challenge(&challenge)?;
                    challenged = true;
                    continue;
                }
                Attempt::Answered(status, detail, _) if status >= 500 => {
                    format!("HTTP {status}: {}", detail.trim())
                }
                Attempt::Answered(status, detail, _) => return Ok((status, detail)),
                Attempt::Failed(message) => message,
            };
            if attempt >= self.opts.retries {
                return Err(self.error(format!(
                    "{method} of graph {iri} failed after {} attempts: {retryable}",
                    attempt + 1
                )));
            }
            attempt += 1;
            std::thread::sleep(backoff);
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    fn attempt(
        &mut self,
        method: &str,
        url: &str,
        body: Option<&[u8]>,
        authorization: Option<String>,
    ) -> Attempt {
        self.requests += 1;
        let answer = if method == "PUT" {
            let mut request = self.agent.put(url).header("Content-Type", BODY_TYPE);
            if let Some(value) = &authorization {
                request = request.header("Authorization", value);
            }
            request.send(body.unwrap_or_default())
        } else {
            let mut request = self.agent.delete(url);
            if let Some(value) = &authorization {
                request = request.header("Authorization", value);
            }
            request.call()
        };
        match answer {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let challenge = digest_challenge(response.headers());
                let detail = response
                    .body_mut()
                    .with_config()
                    .limit(4096)
                    .read_to_string()
                    .unwrap_or_default();
                Attempt::Answered(status, detail.chars().take(300).collect(), challenge)
            }
            Err(ureq::Error::Timeout(_)) => Attempt::Failed(format!(
                "no answer within {} s",
                self.opts.timeout.as_secs_f64()
            )),
            Err(other) => Attempt::Failed(other.to_string()),
        }
    }

    /// Asks for the digest challenge with a HEAD, before any body is sent:
    /// Virtuoso closes the connection on a large body sent without
    /// credentials, instead of answering 401. No challenge here is fine: the
    /// first real request gets one.
    fn probe_challenge(&mut self, url: &str) {
        self.requests += 1;
        if let Ok(response) = self.agent.head(url).call() {
            if let Some(header) = digest_challenge(response.headers()) {
                let _ = self.take_challenge(&header);
            }
        }
    }

    fn is_digest(&self) -> bool {
        matches!(self.auth, Auth::Digest { .. })
    }

    fn take_challenge(&mut self, header: &str) -> Result<(), PushError> {
        let parsed = digest_auth::parse(header)
            .map_err(|e| self.error(format!("cannot read the digest challenge {header:?}: {e}")))?;
        self.challenge = Some(parsed);
        Ok(())
    }

    /// The Authorization header for a request, if the auth gives one now
    /// (digest only once a challenge is known).
    fn authorization(
        &mut self,
        method: &str,
        url: &str,
        body: Option<&[u8]>,
    ) -> Result<Option<String>, PushError> {
        Ok(match &self.auth {
            Auth::None => None,
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::Basic { user, password } => {
                let pair =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                Some(format!("Basic {pair}"))
            }
            Auth::Digest { user, password } => {
                let Some(challenge) = self.challenge.as_mut() else {
                    return Ok(None);
                };
                let context = digest_auth::AuthContext::new_with_method(
                    user.as_str(),
                    password.as_str(),
                    request_target(url),
                    body,
                    digest_auth::HttpMethod(method.to_string().into()),
                );
                let answer = challenge.respond(&context).map_err(|e| PushError::Remote {
                    endpoint: self.endpoint.clone(),
                    message: format!("cannot answer the digest challenge: {e}"),
                })?;
                Some(answer.to_header_string())
            }
        })
    }
}

/// The digest challenge among an answer's WWW-Authenticate headers.
fn digest_challenge(headers: &ureq::http::HeaderMap) -> Option<String> {
    headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.trim_start().to_ascii_lowercase().starts_with("digest"))
        .map(str::to_string)
}

/// `endpoint?graph=IRI` (or `&graph=` when the endpoint has a query already).
pub fn graph_url(endpoint: &str, param: &str, iri: &str) -> String {
    let joiner = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{joiner}{param}={}", percent_encode(iri))
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The path and query of a URL: what a digest answer signs.
fn request_target(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_urls_encode_the_iri() {
        assert_eq!(
            graph_url(
                "http://h:1/store",
                "graph",
                "https://w3id.org/warta/doc/ab?x=1"
            ),
            "http://h:1/store?graph=https%3A%2F%2Fw3id.org%2Fwarta%2Fdoc%2Fab%3Fx%3D1"
        );
        assert_eq!(
            graph_url("http://h/crud?a=b", "graph-uri", "x"),
            "http://h/crud?a=b&graph-uri=x"
        );
        assert_eq!(request_target("http://h:1/store?graph=x"), "/store?graph=x");
        assert_eq!(request_target("http://h:1"), "/");
    }

    #[test]
    fn the_auth_never_prints_its_secret() {
        let auth = Auth::Basic {
            user: "u".into(),
            password: "hunter2".into(),
        };
        assert_eq!(format!("{auth:?}"), "basic");
    }

    #[test]
    fn only_http_endpoints() {
        let err = Remote::new("ftp://x", Auth::None, RemoteOptions::default())
            .err()
            .expect("refused");
        assert!(err.to_string().contains("http:// or https://"), "{err}");
    }
}
