//! Issue 15, finding 7: a request head too large to serve is answered with Infobip's error body
//! (431 `REQUEST_HEADER_FIELDS_TOO_LARGE`), after the answers to the requests before it on the
//! connection, where actix-http alone answered an empty 431. On a real socket: the refusal
//! happens below the routes.

use std::io::{Read, Write};
use std::net::SocketAddr;

use serde_json::Value;

use ccsim::live::mock::head_guard::{MAX_HEAD_BYTES, MAX_HEADERS};
use ccsim::live::mock::{MockConfig, serve};

const KEY: &str = "App ccsim-local-key";

/// Sends `request` on one connection and reads until the mock closes it.
async fn exchange(addr: SocketAddr, request: Vec<u8>) -> String {
    actix_web::rt::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        s.write_all(&request).unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap()
}

/// A GET whose head has `fields` header fields in all: Host, Authorization, the lines of
/// `extra`, and numbered fillers.
fn get_with_fields(path: &str, fields: usize, extra: &str) -> String {
    let mut head = format!("GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {KEY}\r\n{extra}");
    for i in 2 + extra.matches("\r\n").count()..fields {
        head.push_str(&format!("X-Field-{i}: {i}\r\n"));
    }
    head + "\r\n"
}

/// The statuses of the answers in `text`, in order, and the last answer's body.
fn answers(text: &str) -> (Vec<u16>, &str) {
    let statuses = text
        .match_indices("HTTP/1.1 ")
        .map(|(at, _)| text[at + 9..at + 12].parse().unwrap())
        .collect();
    let last = text.rfind("HTTP/1.1 ").unwrap();
    let body = text[last..].split_once("\r\n\r\n").unwrap().1;
    (statuses, body)
}

fn message_id(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    v["requestError"]["serviceException"]["messageId"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[actix_web::test]
async fn finding_7_a_head_too_large_gets_431_with_infobips_body_after_the_answers_before_it() {
    let (server, addr) = serve(
        &MockConfig::default(),
        "127.0.0.1:0".parse().unwrap(),
        false,
    )
    .expect("the mock starts");
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let c = "/ccaas/1/conversations";

    // At the limit: served.
    let (statuses, _) = answers(
        &exchange(
            addr,
            get_with_fields(c, MAX_HEADERS, "Connection: close\r\n").into_bytes(),
        )
        .await,
    );
    assert_eq!(statuses, [200]);

    // Pipelined on one connection: a body by length, a chunked body, then one field too many.
    // The guard must frame both bodies to find the third head.
    let body = "{\"topic\":\"a\"}";
    let mut pipelined = format!(
        "POST {c} HTTP/1.1\r\nHost: x\r\nAuthorization: {KEY}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    pipelined.push_str(&format!(
        "POST {c} HTTP/1.1\r\nHost: x\r\nAuthorization: {KEY}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n5\r\n{{\"top\r\n8;ext=1\r\nic\":\"b\"}}\r\n0\r\n\r\n"
    ));
    pipelined.push_str(&get_with_fields(c, MAX_HEADERS + 1, ""));
    let text = exchange(addr, pipelined.into_bytes()).await;
    let (statuses, body) = answers(&text);
    assert_eq!(statuses, [200, 200, 431], "{text}");
    assert_eq!(
        message_id(body),
        "REQUEST_HEADER_FIELDS_TOO_LARGE",
        "{text}"
    );
    assert!(
        text.contains("\"topic\":\"b\""),
        "the chunked body arrived whole: {text}"
    );
    assert!(
        text.to_ascii_lowercase().contains("connection: close"),
        "{text}"
    );

    // One field over 64 KiB, and a head over actix-http's own 128 KiB: both the mock's 431.
    for size in [MAX_HEAD_BYTES + 1, 200 * 1024] {
        let big = format!("X-Big: {}\r\n", "a".repeat(size));
        let text = exchange(addr, get_with_fields(c, 3, &big).into_bytes()).await;
        let (statuses, body) = answers(&text);
        assert_eq!(statuses, [431], "{size}: {}", &text[..text.len().min(300)]);
        assert_eq!(message_id(body), "REQUEST_HEADER_FIELDS_TOO_LARGE");
    }

    // Counted in the mock's figures.
    let text = exchange(
        addr,
        get_with_fields("/ccsim/1/stats", 2, "Connection: close\r\n").into_bytes(),
    )
    .await;
    let (statuses, body) = answers(&text);
    assert_eq!(statuses, [200], "{text}");
    let stats: Value = serde_json::from_str(body).unwrap();
    assert_eq!(stats["request_heads_refused"], 3, "{stats}");
    handle.stop(true).await;
}
