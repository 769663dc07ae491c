//! The mock with a large store (issue 14): 500,000 conversations held, then over real sockets
//! on loopback, with keep-alive clients —
//!
//! - List Conversations, unfiltered and filtered by assignee (page 0, 20 per page);
//! - Get Conversation by id, alone and while two other clients list without pause.
//!
//! Bars: listing ≥ 1,000 requests/s; Get Conversation while two clients list about as fast as
//! while two clients read by id (the control: on a two-core machine three busy clients share
//! the CPU whatever they ask). Before the index a listing scanned the store under the
//! platform's lock: 22 lists/s, and Get fell from 33.7 k/s to 129/s.
//!
//! `cargo bench --bench mock_scale` prints the figures; `CCSIM_MOCK_SCALE_STORED=N` changes
//! the store's size (the test run uses 20,000).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ccsim::live::mock::wire::ConversationIn;
use ccsim::live::mock::{MockConfig, serve_shared, shared};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

// Shared with the other mock bench, which uses the parts this one does not.
#[allow(dead_code)]
#[path = "support/http_client.rs"]
mod http_client;
use http_client::Client;

fn stored() -> u64 {
    std::env::var("CCSIM_MOCK_SCALE_STORED")
        .ok()
        .and_then(|v| v.parse().ok())
        // `cargo bench` passes --bench; `cargo test` runs each bench once, on a smaller store.
        .unwrap_or(if std::env::args().any(|a| a == "--bench") {
            500_000
        } else {
            20_000
        })
}

/// The mock on its own thread, holding `n` conversations (a third assigned to agent `ann`);
/// its address and a conversation id to read.
fn filled_mock(n: u64) -> (SocketAddr, String) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        system.block_on(async move {
            let config = MockConfig {
                workers: 2,
                ..MockConfig::default()
            };
            let data = shared(&config).expect("a valid config");
            let mut some_id = String::new();
            {
                let mut platform = data.platform();
                for i in 0..n {
                    let body = ConversationIn {
                        agent_id: (i % 3 == 0).then(|| "ann".to_string()),
                        ..ConversationIn::default()
                    };
                    let c = platform.create_conversation(&body, 0).expect("created");
                    if i == n / 2 {
                        some_id = c.id;
                    }
                }
            }
            let (server, addr) = serve_shared(
                data,
                2,
                "127.0.0.1:0".parse().expect("an address"),
                false,
                true,
            )
            .expect("the mock starts");
            tx.send((addr, some_id)).expect("the bench waits");
            let _ = server.await;
        });
    });
    rx.recv_timeout(Duration::from_secs(600))
        .expect("the mock fills and starts")
}

/// `n` GETs of `path` on one connection; the time they took.
fn gets(addr: SocketAddr, path: &str, n: u64) -> Duration {
    let mut client = Client::new(addr);
    let began = Instant::now();
    for _ in 0..n {
        let (status, body) = client.get(path);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(body));
    }
    began.elapsed()
}

/// Runs `f` while two other clients GET `path` without pause.
fn while_others_get<T>(addr: SocketAddr, path: &str, f: impl FnOnce() -> T) -> T {
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let mut client = Client::new(addr);
                while !stop.load(Ordering::Relaxed) {
                    let (status, _) = client.get(path);
                    assert_eq!(status, 200);
                }
            });
        }
        let out = f();
        stop.store(true, Ordering::Relaxed);
        out
    })
}

fn mock_scale(c: &mut Criterion) {
    let n = stored();
    let filling = Instant::now();
    let (addr, id) = filled_mock(n);
    println!(
        "mock filled with {n} conversations in {:?}",
        filling.elapsed()
    );
    let by_id = format!("/ccaas/1/conversations/{id}");
    let mut group = c.benchmark_group(format!("mock_{n}_stored"));
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("list_page_0", |b| {
        b.iter_custom(|k| gets(addr, "/ccaas/1/conversations?limit=20", k))
    });
    group.bench_function("list_by_agent", |b| {
        b.iter_custom(|k| gets(addr, "/ccaas/1/conversations?agentId=ann&limit=20", k))
    });
    group.bench_function("get_by_id", |b| b.iter_custom(|k| gets(addr, &by_id, k)));
    // The control: the same three clients on two cores, the other two reading by id. What
    // the listing costs Get beyond this is the lock; the rest is sharing the CPU.
    group.bench_function("get_by_id_while_two_clients_get", |b| {
        b.iter_custom(|k| while_others_get(addr, &by_id, || gets(addr, &by_id, k)))
    });
    group.bench_function("get_by_id_while_two_clients_list", |b| {
        let list = "/ccaas/1/conversations?limit=20";
        b.iter_custom(|k| while_others_get(addr, list, || gets(addr, &by_id, k)))
    });
    group.finish();
}

criterion_group!(benches, mock_scale);
criterion_main!(benches);
