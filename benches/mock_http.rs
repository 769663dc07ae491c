//! The mock's speed over real sockets: Create Message (`POST
//! /ccaas/1/conversations/{id}/messages`) on loopback with keep-alive clients, against a bare
//! actix-web handler on the same machine in the same run — one that parses the same JSON body
//! and answers a JSON body of the same shape, and does nothing else. The bar (issue 6): the
//! mock at ≥ 0.8× the bare handler's requests per second.
//!
//! Both servers run one worker on their own thread; the clients are plain blocking sockets
//! (one thread per connection, a request and its answer at a time, HTTP/1.1 keep-alive), so
//! the client's cost is the same for both. Each conversation takes 20 messages, then the
//! clients move to a fresh one (created before the clock starts): real conversations are short.
//!
//! `cargo bench --bench mock_http` prints both throughputs; their ratio is the figure.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};
use ccsim::live::mock::{MockConfig, serve};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Keep-alive connections.
const CONNECTIONS: usize = 4;
/// Messages per conversation.
const PER_CONVERSATION: u64 = 20;

const HELLO: &str = r#"{"channel":"LIVE_CHAT","from":"bot","to":"visitor","contentType":"TEXT","content":{"text":"hello, how can I help?"}}"#;

/// Starts a server on its own actix system thread; returns its address.
fn spawn_server(
    make: impl FnOnce() -> (actix_web::dev::Server, SocketAddr) + Send + 'static,
) -> SocketAddr {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        system.block_on(async move {
            let (server, addr) = make();
            tx.send(addr).expect("the bench waits");
            let _ = server.await;
        });
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the server starts")
}

/// The bare handler: parse the body as JSON, answer a message-shaped JSON.
fn bare() -> (actix_web::dev::Server, SocketAddr) {
    let server = HttpServer::new(|| {
        App::new().route(
            "/ccaas/1/conversations/{id}/messages",
            web::post().to(|path: web::Path<String>, body: web::Bytes| async move {
                let parsed: serde_json::Value = match serde_json::from_slice(&body) {
                    Ok(v) => v,
                    Err(_) => return HttpResponse::BadRequest().finish(),
                };
                HttpResponse::Ok().json(serde_json::json!({
                    "id": "0195-message",
                    "channel": parsed["channel"],
                    "from": parsed["from"],
                    "to": parsed["to"],
                    "direction": "OUTBOUND",
                    "conversationId": path.into_inner(),
                    "createdAt": "2026-11-21T10:00:00.000+0000",
                    "updatedAt": "2026-11-21T10:00:00.000+0000",
                    "contentType": parsed["contentType"],
                    "content": parsed["content"],
                }))
            }),
        )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("a free port");
    let addr = server.addrs()[0];
    (server.run(), addr)
}

fn mock() -> (actix_web::dev::Server, SocketAddr) {
    let config = MockConfig {
        workers: 1,
        ..MockConfig::default()
    };
    serve(&config, "127.0.0.1:0".parse().expect("an address"), false).expect("the mock starts")
}

// Shared with the other mock bench, which uses the parts this one does not.
#[allow(dead_code)]
#[path = "support/http_client.rs"]
mod http_client;
use http_client::Client;

/// Creating conversations to write to.
trait Conversations {
    fn conversation(&mut self, is_mock: bool, n: u64) -> String;
}

impl Conversations for Client {
    /// A new conversation on the mock (the bare handler takes any id).
    fn conversation(&mut self, is_mock: bool, n: u64) -> String {
        if !is_mock {
            return format!("bare-{n}");
        }
        let (status, body) = self.post("/ccaas/1/conversations", r#"{"topic":"bench"}"#);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(body));
        let v: serde_json::Value = serde_json::from_slice(body).expect("JSON");
        v["id"].as_str().expect("an id").to_string()
    }
}

/// Sends `total` Create Message requests over [`CONNECTIONS`] connections; returns the time
/// they took (conversations are created before the clock starts).
fn run(addr: SocketAddr, is_mock: bool, total: u64) -> Duration {
    let per_client = total.div_ceil(CONNECTIONS as u64);
    let start = std::sync::Barrier::new(CONNECTIONS + 1);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..CONNECTIONS)
            .map(|_| {
                let start = &start;
                s.spawn(move || {
                    let mut client = Client::new(addr);
                    let conversations: Vec<String> = (0..per_client.div_ceil(PER_CONVERSATION))
                        .map(|n| client.conversation(is_mock, n))
                        .collect();
                    let paths: Vec<String> = conversations
                        .iter()
                        .map(|c| format!("/ccaas/1/conversations/{c}/messages"))
                        .collect();
                    start.wait();
                    for i in 0..per_client {
                        let (status, body) =
                            client.post(&paths[(i / PER_CONVERSATION) as usize], HELLO);
                        assert_eq!(status, 200, "{}", String::from_utf8_lossy(body));
                    }
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        for w in workers {
            w.join().expect("a client");
        }
        began.elapsed()
    })
}

fn create_message(c: &mut Criterion) {
    let bare_addr = spawn_server(bare);
    let mock_addr = spawn_server(mock);
    let mut group = c.benchmark_group("create_message");
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("bare_actix_handler", |b| {
        b.iter_custom(|n| run(bare_addr, false, n.max(CONNECTIONS as u64)))
    });
    group.bench_function("mock", |b| {
        b.iter_custom(|n| run(mock_addr, true, n.max(CONNECTIONS as u64)))
    });
    group.finish();
}

criterion_group!(benches, create_message);
criterion_main!(benches);
