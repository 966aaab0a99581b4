//! `warta_push::push` against a small Graph Store on loopback that fails on
//! purpose: it answers 503 on command and checks the credentials, so
//! retries, resumption after a failed push, and basic and bearer
//! authentication are tested over real HTTP.

use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use warta_graph::store::KgStore;
use warta_push::{push, Auth, PushError, PushOptions, Remote, RemoteOptions};

/// How the fake store behaves, and what it saw.
#[derive(Default)]
struct Behaviour {
    /// Accept this many PUTs, then answer 503 to every request.
    accept: Option<usize>,
    /// Answer 503 to every other request (each first try fails).
    every_other_fails: bool,
    /// The Authorization header a request must carry (else 401).
    authorization: Option<String>,
    accepted: Vec<String>,
    requests: usize,
}

fn start(behaviour: Arc<Mutex<Behaviour>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/store", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let behaviour = behaviour.clone();
            std::thread::spawn(move || serve(stream, &behaviour));
        }
    });
    url
}

/// Answers the requests of one keep-alive connection.
fn serve(stream: TcpStream, behaviour: &Mutex<Behaviour>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut out = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let (mut length, mut authorization) = (0usize, None);
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "authorization" => authorization = Some(value.trim().to_string()),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let status = decide(&request_line, authorization, behaviour);
        let reason = match status {
            204 => "No Content",
            401 => "Unauthorized",
            _ => "Service Unavailable",
        };
        let answer = format!("HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\n\r\n");
        if out.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

fn decide(request_line: &str, authorization: Option<String>, behaviour: &Mutex<Behaviour>) -> u16 {
    let mut b = behaviour.lock().expect("lock");
    b.requests += 1;
    if b.authorization.is_some() && b.authorization != authorization {
        return 401;
    }
    if b.every_other_fails && b.requests % 2 == 1 {
        return 503;
    }
    if b.accept.is_some_and(|n| b.accepted.len() >= n) {
        return 503;
    }
    b.accepted
        .push(request_line.split(' ').nth(1).unwrap_or("").to_string());
    204
}

/// A store of `graphs` article graphs and some knowledge.
fn store(dir: &std::path::Path, graphs: usize) -> KgStore {
    let store = KgStore::open(dir).expect("store");
    let p = NamedNode::new_unchecked("https://w3id.org/warta/ontology#says");
    for i in 0..graphs {
        let g = NamedNode::new_unchecked(format!("https://w3id.org/warta/doc/{i:04}"));
        let s = NamedNode::new_unchecked(format!("https://w3id.org/warta/ent/e{i}"));
        let quads = [
            Quad::new(
                s.clone(),
                p.clone(),
                Literal::from(i as i64),
                GraphName::NamedNode(g),
            ),
            Quad::new(
                s,
                p.clone(),
                Literal::new_simple_literal("k"),
                GraphName::DefaultGraph,
            ),
        ];
        store.inner().extend(quads).expect("insert");
    }
    store
}

fn options() -> PushOptions {
    PushOptions {
        document_prefix: "https://w3id.org/warta/doc/".into(),
        knowledge_prefix: "https://w3id.org/warta/graph/knowledge/".into(),
        dry_run: false,
        full: false,
        connections: 1,
    }
}

fn remote(url: &str, auth: Auth, retries: u32) -> Remote {
    let opts = RemoteOptions {
        timeout: Duration::from_secs(10),
        retries,
        first_backoff: Duration::from_millis(1),
        ..RemoteOptions::default()
    };
    Remote::new(url, auth, opts).expect("remote")
}

#[test]
fn an_interrupted_push_resumes_where_it_stopped() {
    interrupted_push_resumes(1);
}

#[test]
fn an_interrupted_push_over_three_connections_logs_every_accepted_graph() {
    interrupted_push_resumes(3);
}

fn interrupted_push_resumes(connections: usize) {
    let opts = PushOptions {
        connections,
        ..options()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store(dir.path(), 20);
    let behaviour = Arc::new(Mutex::new(Behaviour {
        accept: Some(8),
        ..Behaviour::default()
    }));
    let url = start(behaviour.clone());
    let err = push(
        &store,
        &mut remote(&url, Auth::None, 2),
        &opts,
        &mut |_, _| {},
    )
    .expect_err("fails");
    match &err {
        PushError::Remote { endpoint, message } => {
            assert_eq!(endpoint, &url);
            assert!(
                message.contains("failed after 3 attempts") && message.contains("503"),
                "{message}"
            );
        }
        other => panic!("unexpected error {other}"),
    }
    let (first, total) = {
        let mut b = behaviour.lock().expect("lock");
        let first = b.accepted.len();
        b.accept = None;
        b.accepted.clear();
        (first, 20 + 20) // 20 article graphs, 20 subjects in at most 256 buckets
    };
    assert_eq!(first, 8);
    let summary = push(
        &store,
        &mut remote(&url, Auth::None, 2),
        &opts,
        &mut |_, _| {},
    )
    .expect("resumes");
    let b = behaviour.lock().expect("lock");
    assert_eq!(summary.unchanged, 8, "{summary:?}");
    assert_eq!(b.accepted.len(), summary.graphs_sent());
    assert!(
        summary.graphs_sent() + 8 <= total && summary.documents_sent >= 12,
        "{summary:?}"
    );
    drop(b);
    let again = push(
        &store,
        &mut remote(&url, Auth::None, 2),
        &opts,
        &mut |_, _| {},
    )
    .expect("again");
    assert_eq!(again.graphs_sent(), 0, "{again:?}");
}

#[test]
fn a_failing_first_try_is_retried() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store(dir.path(), 5);
    let behaviour = Arc::new(Mutex::new(Behaviour {
        every_other_fails: true,
        ..Behaviour::default()
    }));
    let url = start(behaviour.clone());
    let mut r = remote(&url, Auth::None, 1);
    let summary = push(&store, &mut r, &options(), &mut |_, _| {}).expect("retried");
    assert_eq!(r.requests, 2 * summary.graphs_sent());
    assert_eq!(
        behaviour.lock().expect("lock").accepted.len(),
        summary.graphs_sent()
    );
}

#[test]
fn basic_and_bearer_credentials_are_sent_and_a_wrong_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store(dir.path(), 3);
    let behaviour = Arc::new(Mutex::new(Behaviour {
        // base64("warta:s3cret")
        authorization: Some("Basic d2FydGE6czNjcmV0".into()),
        ..Behaviour::default()
    }));
    let url = start(behaviour.clone());
    let basic = |password: &str| Auth::Basic {
        user: "warta".into(),
        password: password.into(),
    };
    let err = push(
        &store,
        &mut remote(&url, basic("wrong"), 0),
        &options(),
        &mut |_, _| {},
    )
    .expect_err("refused");
    assert!(err.to_string().contains("HTTP 401"), "{err}");
    push(
        &store,
        &mut remote(&url, basic("s3cret"), 0),
        &options(),
        &mut |_, _| {},
    )
    .expect("accepted");
    behaviour.lock().expect("lock").authorization = Some("Bearer t0ken".into());
    let full = PushOptions {
        full: true,
        ..options()
    };
    let summary = push(
        &store,
        &mut remote(&url, Auth::Bearer("t0ken".into()), 0),
        &full,
        &mut |_, _| {},
    )
    .expect("bearer accepted");
    assert!(summary.graphs_sent() >= 4, "{summary:?}");
}
